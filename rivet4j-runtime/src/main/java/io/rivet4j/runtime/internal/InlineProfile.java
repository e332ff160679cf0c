package io.rivet4j.runtime.internal;

/**
 * Whether one action of one actor type may run inline on the thread that delivers it (a
 * server event loop) instead of on a virtual thread: the hand-off to a virtual thread and back
 * is most of an action's latency over a socket. An action earns it: it starts on virtual
 * threads and becomes eligible after {@value #RUNS_TO_PROMOTE} runs in a row that each took
 * less than {@value #FAST_NANOS} ns and used no blocking context method ({@code db()},
 * {@code client()}, {@code saveState()}). It loses it for good when it uses one of those, or
 * when a second inline run within {@value #STRIKE_WINDOW} inline runs takes longer than
 * {@value #DEMOTE_NANOS} ns: one slow run alone is forgiven, since a GC pause or the OS taking
 * the core away makes any run slow now and then (measured: with a single strike, a hot action
 * lost its inline turns within a second of load).
 *
 * <p>Concurrency: turns of any actor of the type update it and dispatching threads read it; the
 * fields are volatile and the counter's races only delay a promotion.
 */
final class InlineProfile {
  static final int RUNS_TO_PROMOTE = 32;
  static final long FAST_NANOS = 200_000;
  static final long DEMOTE_NANOS = 1_000_000;
  static final int STRIKE_WINDOW = 256;

  private volatile int fastRuns;
  private volatile boolean eligible;
  private volatile boolean demoted;
  /** Inline runs since the last slow one, up to {@link #STRIKE_WINDOW} (also: none yet). */
  private volatile int inlineRunsSinceSlow = STRIKE_WINDOW;

  boolean eligible() {
    return eligible && !demoted;
  }

  boolean demoted() {
    return demoted;
  }

  /**
   * One run's outcome. Returns true when this run demoted the action (the caller logs it).
   *
   * @param blocking whether the run used a blocking context method
   * @param inline whether it ran on the delivering thread
   */
  boolean observed(long nanos, boolean blocking, boolean inline) {
    if (demoted) {
      return false;
    }
    if (blocking || (inline && nanos > DEMOTE_NANOS
        && inlineRunsSinceSlow < STRIKE_WINDOW)) {
      demoted = true;
      eligible = false;
      return true;
    }
    if (inline) {
      if (nanos > DEMOTE_NANOS) {
        inlineRunsSinceSlow = 0; // a first strike
      } else if (inlineRunsSinceSlow < STRIKE_WINDOW) {
        inlineRunsSinceSlow++;
      }
      return false;
    }
    if (!eligible) {
      if (nanos < FAST_NANOS) {
        int n = fastRuns + 1;
        fastRuns = n;
        if (n >= RUNS_TO_PROMOTE) {
          eligible = true;
        }
      } else {
        fastRuns = 0;
      }
    }
    return false;
  }
}
