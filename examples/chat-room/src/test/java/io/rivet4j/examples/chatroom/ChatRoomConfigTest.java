package io.rivet4j.examples.chatroom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChatRoomConfigTest {
  @Test
  void defaultsAreForLocalUse() {
    ChatRoomConfig d = ChatRoomConfig.fromEnv(Map.of());
    assertEquals(new ChatRoomConfig("rivet4j-local-chat", 10_000, 10, Duration.ofSeconds(10)), d);
    assertTrue(d.usesDefaultSecret());
    assertEquals(d, ChatRoomConfig.fromEnv(Map.of("CHAT_SECRET", "")));
  }

  @Test
  void environmentOverridesEveryRule() {
    ChatRoomConfig c = ChatRoomConfig.fromEnv(Map.of("CHAT_SECRET", "s3cret",
        "CHAT_MAX_MESSAGES", "500", "CHAT_RATE_LIMIT_MESSAGES", " 3 ",
        "CHAT_RATE_LIMIT_WINDOW_MS", "2500"));
    assertEquals(new ChatRoomConfig("s3cret", 500, 3, Duration.ofMillis(2500)), c);
    assertFalse(c.usesDefaultSecret());
    assertEquals("ChatRoomConfig[secret=<set>, maxMessages=500, rateLimit=3/2500ms]",
        c.toString());
  }

  @Test
  void badValuesSayWhatToFix() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ChatRoomConfig.fromEnv(Map.of("CHAT_MAX_MESSAGES", "lots")));
    assertEquals("CHAT_MAX_MESSAGES must be an integer, got 'lots'", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> ChatRoomConfig.fromEnv(Map.of("CHAT_RATE_LIMIT_MESSAGES", "0")));
    assertEquals("rateLimitMessages must be at least 1, got 0", e.getMessage());
  }
}
