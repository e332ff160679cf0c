package io.rivet4j.protocol;

import java.util.Objects;
import java.util.Optional;

/**
 * Result of a queue send: {@code status} ({@code completed} or {@code timedOut}) and the
 * consumer's {@code response}, when it completed the message with one.
 */
public record HttpQueueSendResponse(String status, Optional<Object> response) {
  public HttpQueueSendResponse {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(response, "response");
  }
}
