package io.rivet4j.client;

import java.time.Duration;

/**
 * Runs the client's delayed work: reconnect backoff and retry windows. The default is one daemon
 * timer thread; tests pass their own to move time by hand. Tasks are short and never block.
 */
@FunctionalInterface
public interface Scheduler {
  /** A scheduled task. */
  @FunctionalInterface
  interface Cancellable {
    /** Cancels the task if it has not started; idempotent. */
    void cancel();
  }

  /** Runs {@code task} once after {@code delay} (zero: as soon as possible). */
  Cancellable schedule(Duration delay, Runnable task);
}
