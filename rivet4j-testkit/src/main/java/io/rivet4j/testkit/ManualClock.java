package io.rivet4j.testkit;

import io.rivet4j.runtime.RuntimeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;

/**
 * A clock that moves only when a test calls {@link #advance}. Timers due by then run on the
 * calling thread, in time order (ties in scheduling order); the runtime's timers only enqueue
 * work, so each {@code advance} is quick and deterministic.
 *
 * <p>Concurrency: thread-safe; timer tasks run outside the lock.
 */
public final class ManualClock implements RuntimeClock {
  private final PriorityQueue<Entry> timers = new PriorityQueue<>();
  private long nowMillis;
  private long seq;

  private static final class Entry implements Comparable<Entry>, Timer {
    final long at;
    final long seq;
    final Runnable task;
    volatile boolean cancelled;

    Entry(long at, long seq, Runnable task) {
      this.at = at;
      this.seq = seq;
      this.task = task;
    }

    @Override
    public int compareTo(Entry o) {
      int c = Long.compare(at, o.at);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }

    @Override
    public void cancel() {
      cancelled = true;
    }
  }

  /** Starts at 2026-01-01T00:00:00Z. */
  public ManualClock() {
    this(Instant.parse("2026-01-01T00:00:00Z"));
  }

  public ManualClock(Instant start) {
    this.nowMillis = start.toEpochMilli();
  }

  @Override
  public synchronized Instant instant() {
    return Instant.ofEpochMilli(nowMillis);
  }

  @Override
  public synchronized long millis() {
    return nowMillis;
  }

  @Override
  public Timer schedule(Instant at, Runnable task) {
    Entry e;
    synchronized (this) {
      e = new Entry(at.toEpochMilli(), seq++, task);
      if (e.at > nowMillis) {
        timers.add(e);
        return e;
      }
    }
    task.run(); // already due: run now, like a zero-delay timer
    return e;
  }

  /** Moves time forward by {@code d}, running every timer that falls due, in order. */
  public void advance(Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException("time cannot go backwards: " + d);
    }
    long target;
    synchronized (this) {
      target = nowMillis + d.toMillis();
    }
    for (;;) {
      Entry next;
      synchronized (this) {
        next = timers.peek();
        if (next == null || next.at > target) {
          nowMillis = target;
          return;
        }
        timers.poll();
        nowMillis = Math.max(nowMillis, next.at);
      }
      if (!next.cancelled) {
        next.task.run();
      }
    }
  }

  /** Number of timers not yet run or cancelled (for tests of the runtime itself). */
  public synchronized int pendingTimers() {
    return (int) timers.stream().filter(e -> !e.cancelled).count();
  }
}
