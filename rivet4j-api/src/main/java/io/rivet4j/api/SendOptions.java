package io.rivet4j.api;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a client sends a queue message ({@code handle.send(name, body, options)}): without waiting
 * (the default), or waiting until a consumer completes it, for at most {@code timeout} (without
 * one, until the actor's action timeout).
 */
public record SendOptions(boolean waitForCompletion, Optional<Duration> timeout) {
  /** Returns once the message is stored. */
  public static final SendOptions NO_WAIT = new SendOptions(false, Optional.empty());

  public SendOptions {
    Objects.requireNonNull(timeout, "timeout");
    if (!waitForCompletion && timeout.isPresent()) {
      throw new IllegalArgumentException("a timeout needs waitForCompletion");
    }
    if (timeout.isPresent() && timeout.get().isNegative()) {
      throw new IllegalArgumentException("timeout must not be negative, got " + timeout.get());
    }
  }

  /** Waits for completion up to the actor's action timeout. */
  public static SendOptions waiting() {
    return new SendOptions(true, Optional.empty());
  }

  /** Waits for completion up to {@code timeout}. */
  public static SendOptions waiting(Duration timeout) {
    return new SendOptions(true, Optional.of(timeout));
  }
}
