package io.rivet4j.api;

import java.util.Objects;
import java.util.Optional;

/**
 * The answer to a queue send: {@code completed} (stored, or with {@link
 * SendOptions#waiting} consumed, with the consumer's response if it gave one) or
 * {@code timedOut} (waited in vain; the message stays queued).
 */
public record QueueSendResult(String status, Optional<Value> response) {
  public static final String COMPLETED = "completed";
  public static final String TIMED_OUT = "timedOut";

  public QueueSendResult {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(response, "response");
  }

  public boolean completed() {
    return status.equals(COMPLETED);
  }

  public boolean timedOut() {
    return status.equals(TIMED_OUT);
  }

  /** The response as {@code type}, when there is one. */
  public <T> Optional<T> response(Class<T> type) {
    return response.map(v -> v.as(type));
  }
}
