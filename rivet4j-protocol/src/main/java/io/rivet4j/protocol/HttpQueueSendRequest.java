package io.rivet4j.protocol;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Body of {@code POST …/queue/<name>} (client protocol v3+): the message {@code body}, the queue
 * {@code name} (the client repeats the path's name), whether to wait for completion (wire field
 * {@code wait}; {@code Object.wait} takes the Java name) and the wait {@code timeout} in
 * milliseconds (unsigned 64-bit).
 */
public record HttpQueueSendRequest(
    Object body,
    Optional<String> name,
    Optional<Boolean> waitForCompletion,
    OptionalLong timeout) {
  public HttpQueueSendRequest {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(waitForCompletion, "waitForCompletion");
    Objects.requireNonNull(timeout, "timeout");
  }
}
