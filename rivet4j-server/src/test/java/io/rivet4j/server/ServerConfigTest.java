package io.rivet4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServerConfigTest {
  @Test
  void defaultsAreRivetKits() {
    ServerConfig d = ServerConfig.defaults();
    assertEquals("127.0.0.1", d.host());
    assertEquals(6420, d.port());
    assertEquals(Optional.empty(), d.token());
    assertEquals("default", d.namespace());
    assertEquals(65536, d.maxIncomingMessageSize());
    assertEquals(1048576, d.maxOutgoingMessageSize());
    assertEquals(4096, d.maxInputSize());
    assertEquals(20971520, d.maxRequestBodySize());
  }

  @Test
  void environmentOverrides() {
    ServerConfig c = ServerConfig.fromEnv(Map.of("RIVET_PORT", "6500", "RIVET_HOST", "0.0.0.0",
        "RIVET_TOKEN", "t", "RIVET_WS_PING_INTERVAL_MS", "1500",
        "RIVET_MAX_OUTGOING_MESSAGE_SIZE", "4194304"));
    assertEquals(6500, c.port());
    assertEquals("0.0.0.0", c.host());
    assertEquals(Optional.of("t"), c.token());
    assertEquals(Duration.ofMillis(1500), c.webSocketPingInterval());
    assertEquals(4194304, c.maxOutgoingMessageSize());
    assertEquals(4194304 + 65536, c.writeBufferHighWaterMark());
    assertEquals(Optional.empty(), ServerConfig.fromEnv(Map.of("RIVET_TOKEN", "")).token());
  }

  @Test
  void badValuesAreRejectedWithTheirName() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ServerConfig.fromEnv(Map.of("RIVET_PORT", "http")));
    assertEquals("RIVET_PORT must be an integer, got 'http'", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ServerConfig.defaults().withPort(70000));
  }
}
