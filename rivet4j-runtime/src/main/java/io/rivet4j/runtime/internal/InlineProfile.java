package io.rivet4j.runtime.internal;

/**
 * Whether one action of one actor type may run inline on the thread that delivers it (a
 * server event loop) instead of on a virtual thread: the hand-off to a virtual thread and back
 * is most of an action's latency over a socket. An action earns it: it starts on virtual
 * threads and becomes eligible after {@value #RUNS_TO_PROMOTE} runs in a row that each took
 * less than {@value #FAST_NANOS} ns and used no blocking context method ({@code db()},
 * {@code client()}, {@code saveState()}). It loses it for good when it uses one of those, or
 * when its inline runs are too often slower than {@value #DEMOTE_NANOS} ns.
 *
 * <p>"Too often": each slow inline run costs {@value #SLOW_RUN_COST} credits, each fast one
 * earns one (up to {@value #MAX_CREDIT}), and the action is demoted when the credit goes below
 * zero; it starts with {@value #INITIAL_CREDIT}. So an action that is slow every time is demoted
 * at its third inline run, one slow in fewer than ~{@value #SLOW_RUN_COST} runs soon after, but
 * not one whose run was merely preempted: on a busy machine the scheduler takes the core away
 * in the middle of a microsecond-long run now and then (a wall-clock millisecond, or a GC pause),
 * and demoting for good on the first such run put the busiest actions back on virtual threads
 * (seen under load: the counter's {@code increment} demoted within seconds).
 *
 * <p>Concurrency: turns of any actor of the type update it and dispatching threads read it; the
 * fields are volatile and the counters' races only delay a promotion or a demotion. A fast run
 * writes nothing once the credit is full, so eligible actions share no written cache line.
 */
final class InlineProfile {
  static final int RUNS_TO_PROMOTE = 32;
  static final long FAST_NANOS = 200_000;
  static final long DEMOTE_NANOS = 1_000_000;
  static final int SLOW_RUN_COST = 100;
  static final int MAX_CREDIT = 1_000;
  static final int INITIAL_CREDIT = 2 * SLOW_RUN_COST;

  private volatile int fastRuns;
  private volatile int credit = INITIAL_CREDIT;
  private volatile boolean eligible;
  private volatile boolean demoted;

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
        c -= SLOW_RUN_COST;
        credit = c;
        if (c < 0) {
          return demote();
        }
      } else if (c < MAX_CREDIT) {
        credit = c + 1;
      }
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
