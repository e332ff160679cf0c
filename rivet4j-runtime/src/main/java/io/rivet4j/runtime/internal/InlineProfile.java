package io.rivet4j.runtime.internal;

/**
 * Whether one action of one actor type may run inline on the thread that delivers it (a
 * server event loop) instead of on a virtual thread: the hand-off to a virtual thread and back
 * is most of an action's latency over a socket. An action earns it: it starts on virtual
 * threads and becomes eligible after {@value #RUNS_TO_PROMOTE} runs in a row that each took
 * less than {@value #FAST_NANOS} ns and used no blocking context method ({@code db()},
 * {@code client()}, {@code saveState()}). It loses it for good when it uses one of those, or
 * when its inline runs are slow (over {@value #DEMOTE_NANOS} ns of wall time) more than about
 * one time in {@value #SLOW_COST}: each slow inline run costs {@value #SLOW_COST} credit, each
 * fast one earns one back up to {@value #MAX_CREDIT}, and the action is demoted when the credit
 * goes below zero. So an action that is always slow is demoted at its third inline run, while
 * the slow runs every action has now and then (a GC pause, or the OS giving the core to another
 * thread in the middle of a run: with the server on one core that is a few runs in a thousand)
 * never demote one. Measured: demoting at the second slow run within 256 took the counter's
 * {@code increment} off the event loop within seconds on a one-core server.
 *
 * <p>Concurrency: turns of any actor of the type update it and dispatching threads read it; the
 * fields are volatile, and racing updates may lose a credit change, which only shifts the
 * moment of a demotion by a run.
 */
final class InlineProfile {
  static final int RUNS_TO_PROMOTE = 32;
  static final long FAST_NANOS = 200_000;
  static final long DEMOTE_NANOS = 1_000_000;
  static final int SLOW_COST = 100;
  static final int MAX_CREDIT = 250;

  private volatile int fastRuns;
  private volatile boolean eligible;
  private volatile boolean demoted;
  private volatile int credit = MAX_CREDIT;

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
    if (blocking) {
      return demote();
    }
    if (inline) {
      int c = credit;
      if (nanos > DEMOTE_NANOS) {
        c -= SLOW_COST;
        if (c < 0) {
          return demote();
        }
        credit = c;
      } else if (c < MAX_CREDIT) {
        credit = c + 1;
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

  private boolean demote() {
    demoted = true;
    eligible = false;
    return true;
  }
}
