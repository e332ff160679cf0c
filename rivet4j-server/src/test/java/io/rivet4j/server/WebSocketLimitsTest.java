package io.rivet4j.server;

import static io.rivet4j.server.Harness.getOrCreate;
import static io.rivet4j.server.Harness.text;
import static io.rivet4j.server.Harness.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.rivet4j.api.Key;
import io.rivet4j.protocol.Encoding;
import io.rivet4j.protocol.ProtocolCodec;
import io.rivet4j.protocol.ToClient;
import io.rivet4j.protocol.ToServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Peers that do not read, go silent or flood: dropped or slowed down, never growing memory, and
 * never hurting the actor or other clients. Also: sleeping actors woken off the event loop.
 */
class WebSocketLimitsTest {
  static final ProtocolCodec JSON = ProtocolCodec.of(Encoding.JSON);

  static ToClient.Init init(WsClient ws) {
    return assertInstanceOf(ToClient.Init.class, JSON.decodeToClient(ws.next().bytes()));
  }

  static void send(WsClient ws, ToServer m) {
    ws.send(true, JSON.encode(m));
  }

  static ToClient next(WsClient ws) {
    return JSON.decodeToClient(ws.next().bytes());
  }

  @Test
  void slowConsumerIsDropped() {
    ServerConfig config = ServerConfig.defaults().withMessageLimits(64 * 1024, 128 * 1024)
        .withOutboundLimits(Duration.ofMillis(200), 256 * 1024, 1024 * 1024);
    try (Harness h = Harness.start(config)) {
      WsClient slow = h.ws("/gateway/counter/connect?" + getOrCreate("slow"), "rivet",
          "rivet_encoding.json");
      String connId = init(slow).connectionId();
      send(slow, new ToServer.SubscriptionRequest("spam", true));
      send(slow, new ToServer.ActionRequest(0, "getCount", List.of()));
      assertEquals(new ToClient.ActionResponse(0, 0L), next(slow));
      slow.pause(); // reads nothing from now on

      // 40 MB of events for a peer that reads none of them
      String path = "/gateway/counter/action/spam?" + getOrCreate("slow");
      assertEquals("{\"output\":400}", text(h.action(path, "json",
          utf8("{\"args\":[400,100000]}"))));
      assertEquals(connId, WebSocketTest.awaitDisconnected(connId));
      // the actor and the server carry on
      assertEquals("{\"output\":0}", text(h.action("/gateway/counter/action/getCount?"
          + getOrCreate("slow"), "json", utf8("{}"))));
      slow.abort();
    }
  }

  @Test
  void silentPeerIsDroppedAndLivePeerIsPinged() {
    ServerConfig config = ServerConfig.defaults()
        .withWebSocketTimeouts(Duration.ofMillis(100), Duration.ofMillis(400));
    try (Harness h = Harness.start(config)) {
      WsClient live = h.ws("/gateway/counter/connect?" + getOrCreate("idle"), "rivet",
          "rivet_encoding.json");
      init(live);
      WsClient silent = h.ws("/gateway/counter/connect?" + getOrCreate("idle"), "rivet",
          "rivet_encoding.json");
      String silentId = init(silent).connectionId();
      silent.pause(); // no pongs any more
      assertEquals(silentId, WebSocketTest.awaitDisconnected(silentId));
      // the live peer answered pings for longer than the idle timeout and is still served
      for (int i = 0; i < 6; i++) {
        take(live.pings);
      }
      send(live, new ToServer.ActionRequest(0, "increment", List.of(1L)));
      assertEquals(new ToClient.ActionResponse(0, 1L), next(live));
      live.close(1000, "Disposed");
      assertEquals(new WsClient.Close(1000, "Disposed"), live.awaitClose());
      silent.abort();
    }
  }

  @Test
  void floodIsAnsweredInOrderWithReadingPaused() {
    try (Harness h = Harness.start(ServerConfig.defaults().withMaxInflightPerConnection(4))) {
      WsClient ws = h.ws("/gateway/counter/connect?" + getOrCreate("flood"), "rivet",
          "rivet_encoding.json");
      init(ws);
      for (int i = 0; i < 200; i++) {
        send(ws, new ToServer.ActionRequest(i, "increment", List.of(1L)));
      }
      for (int i = 0; i < 200; i++) {
        assertEquals(new ToClient.ActionResponse(i, (long) i + 1), next(ws));
      }
      ws.close(1000, "Disposed");
      ws.awaitClose();
    }
  }

  @Test
  void sleepingActorsAreWokenByHttpAndWebSocket() {
    try (Harness h = Harness.start()) {
      String path = "/gateway/counter/action/increment?" + getOrCreate("sleepy");
      assertEquals("{\"output\":3}", text(h.action(path, "json", utf8("{\"args\":[3]}"))));
      h.rivet.sleep("counter", Key.of("sleepy"));
      assertEquals("{\"output\":4}", text(h.action(path, "json", utf8("{\"args\":[1]}"))));

      WsClient ws = h.ws("/gateway/counter/connect?" + getOrCreate("sleepy"), "rivet",
          "rivet_encoding.json");
      String actorId = init(ws).actorId();
      h.rivet.runtime().node().requestSleep(actorId);
      h.rivet.awaitSleeping("counter", Key.of("sleepy"));
      // the socket survived the sleep; the next message wakes the actor (off the event loop)
      send(ws, new ToServer.SubscriptionRequest("newCount", true));
      send(ws, new ToServer.ActionRequest(0, "increment", List.of(1L)));
      assertEquals(new ToClient.Event("newCount", List.of(5L)), next(ws));
      assertEquals(new ToClient.ActionResponse(0, 5L), next(ws));
      ws.close(1000, "Disposed");
      ws.awaitClose();
    }
  }

  static void take(java.util.concurrent.BlockingQueue<String> q) {
    try {
      if (q.poll(20, java.util.concurrent.TimeUnit.SECONDS) == null) {
        throw new AssertionError("nothing within 20 s");
      }
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }
}
