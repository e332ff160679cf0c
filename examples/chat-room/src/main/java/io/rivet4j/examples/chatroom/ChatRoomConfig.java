package io.rivet4j.examples.chatroom;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The room's rules, the same for every room of a server.
 *
 * @param secret the shared secret every connection must send as its {@code token} param
 *     (env {@code CHAT_SECRET}; {@value #DEFAULT_SECRET} when unset, for local use only)
 * @param maxMessages messages a room keeps; older ones are deleted as new ones arrive
 *     (env {@code CHAT_MAX_MESSAGES}, default 10,000)
 * @param rateLimitMessages messages one connection may send per {@code rateLimitWindow}
 *     (env {@code CHAT_RATE_LIMIT_MESSAGES}, default 10)
 * @param rateLimitWindow the sliding window of the rate limit
 *     (env {@code CHAT_RATE_LIMIT_WINDOW_MS}, default 10,000 ms)
 */
public record ChatRoomConfig(String secret, int maxMessages, int rateLimitMessages,
    Duration rateLimitWindow) {
  /** The secret when {@code CHAT_SECRET} is unset: fine on your own machine, never in public. */
  public static final String DEFAULT_SECRET = "rivet4j-local-chat";

  public ChatRoomConfig {
    Objects.requireNonNull(secret, "secret");
    Objects.requireNonNull(rateLimitWindow, "rateLimitWindow");
    if (secret.isEmpty()) {
      throw new IllegalArgumentException("secret must not be empty");
    }
    if (maxMessages < 1) {
      throw new IllegalArgumentException("maxMessages must be at least 1, got " + maxMessages);
    }
    if (rateLimitMessages < 1) {
      throw new IllegalArgumentException("rateLimitMessages must be at least 1, got "
          + rateLimitMessages);
    }
    if (rateLimitWindow.toMillis() < 1) {
      throw new IllegalArgumentException("rateLimitWindow must be at least 1 ms, got "
          + rateLimitWindow);
    }
  }

  /** The default secret, 10,000 messages per room, 10 messages per 10 s per connection. */
  public static ChatRoomConfig defaults() {
    return new ChatRoomConfig(DEFAULT_SECRET, 10_000, 10, Duration.ofSeconds(10));
  }

  /**
   * The defaults overridden by {@code CHAT_SECRET}, {@code CHAT_MAX_MESSAGES},
   * {@code CHAT_RATE_LIMIT_MESSAGES} and {@code CHAT_RATE_LIMIT_WINDOW_MS}.
   */
  public static ChatRoomConfig fromEnv(Map<String, String> env) {
    ChatRoomConfig d = defaults();
    String secret = env.get("CHAT_SECRET");
    return new ChatRoomConfig(
        secret == null || secret.isEmpty() ? d.secret : secret,
        intVar(env, "CHAT_MAX_MESSAGES", d.maxMessages),
        intVar(env, "CHAT_RATE_LIMIT_MESSAGES", d.rateLimitMessages),
        Duration.ofMillis(intVar(env, "CHAT_RATE_LIMIT_WINDOW_MS",
            (int) d.rateLimitWindow.toMillis())));
  }

  /** True when the secret is the public default. */
  public boolean usesDefaultSecret() {
    return DEFAULT_SECRET.equals(secret);
  }

  public ChatRoomConfig withSecret(String s) {
    return new ChatRoomConfig(s, maxMessages, rateLimitMessages, rateLimitWindow);
  }

  public ChatRoomConfig withMaxMessages(int n) {
    return new ChatRoomConfig(secret, n, rateLimitMessages, rateLimitWindow);
  }

  public ChatRoomConfig withRateLimit(int messages, Duration window) {
    return new ChatRoomConfig(secret, maxMessages, messages, window);
  }

  private static int intVar(Map<String, String> env, String name, int fallback) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be an integer, got '" + v + "'", e);
    }
  }

  @Override
  public String toString() { // never print the secret
    return "ChatRoomConfig[secret=" + (usesDefaultSecret() ? "<default>" : "<set>")
        + ", maxMessages=" + maxMessages + ", rateLimit=" + rateLimitMessages + "/"
        + rateLimitWindow.toMillis() + "ms]";
  }
}
