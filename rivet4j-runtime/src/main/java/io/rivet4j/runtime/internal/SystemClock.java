package io.rivet4j.runtime.internal;

import io.rivet4j.runtime.RuntimeClock;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Wall-clock {@link RuntimeClock} backed by one daemon timer thread.
 *
 * <p>Concurrency: timer tasks run on the timer thread one at a time; they only enqueue work.
 */
public final class SystemClock implements RuntimeClock {
  private final ScheduledThreadPoolExecutor timer;

  public SystemClock() {
    timer = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "rivet4j-timer");
      t.setDaemon(true);
      return t;
    });
    timer.setRemoveOnCancelPolicy(true);
  }

  @Override
  public Instant instant() {
    return Instant.now();
  }

  @Override
  public long millis() {
    return System.currentTimeMillis();
  }

  @Override
  public Timer schedule(Instant at, Runnable task) {
    long delay = Math.max(0, at.toEpochMilli() - System.currentTimeMillis());
    ScheduledFuture<?> f = timer.schedule(task, delay, TimeUnit.MILLISECONDS);
    return () -> f.cancel(false);
  }
}
