package io.rivet4j.server;

import static io.rivet4j.server.Harness.getOrCreate;
import static io.rivet4j.server.Harness.text;
import static io.rivet4j.server.Harness.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The server on the NIO transport (the fallback where native epoll does not load). */
class TransportTest {
  @Test
  void nioTransportServesHttpAndWebSockets() {
    System.setProperty("rivet4j.transport", "nio");
    try (Harness h = Harness.start()) {
      assertEquals(200, h.get("/health").statusCode());
      assertEquals("{\"output\":4}", text(h.action("/gateway/counter/action/increment?"
          + getOrCreate("nio"), "json", utf8("{\"args\":[4]}"))));
      WsClient ws = h.ws("/gateway/raw/websocket?" + getOrCreate("nio"), "rivet");
      assertEquals("welcome / ? params=null", ws.next().string());
      ws.abort();
    } finally {
      System.clearProperty("rivet4j.transport");
    }
  }
}
