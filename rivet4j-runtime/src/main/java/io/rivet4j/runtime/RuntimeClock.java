package io.rivet4j.runtime;

import java.time.Instant;
import java.time.InstantSource;

/**
 * The runtime's time source and timer. Everything time-based in the runtime (idle sleep,
 * schedules, action timeouts) goes through it, so tests can move time by hand.
 *
 * <p>Timer tasks must be short and must not block: the runtime's tasks only enqueue work.
 */
public interface RuntimeClock extends InstantSource {
  /** A scheduled timer task. */
  interface Timer {
    /** Cancels the task if it has not run; idempotent. */
    void cancel();
  }

  /** Runs {@code task} once at {@code at} (at once if {@code at} is not in the future). */
  Timer schedule(Instant at, Runnable task);

  /** The wall clock with a single daemon timer thread. */
  static RuntimeClock system() {
    return new io.rivet4j.runtime.internal.SystemClock();
  }
}
