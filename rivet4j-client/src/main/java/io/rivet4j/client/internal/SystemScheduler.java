package io.rivet4j.client.internal;

import io.rivet4j.client.Scheduler;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** The default {@link Scheduler}: one daemon timer thread, stopped by {@link #shutdown()}. */
final class SystemScheduler implements Scheduler {
  private final ScheduledThreadPoolExecutor timer;

  SystemScheduler() {
    timer = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "rivet4j-client-timer");
      t.setDaemon(true);
      return t;
    });
    timer.setRemoveOnCancelPolicy(true);
    timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    ScheduledFuture<?> f = timer.schedule(task, Math.max(0, delay.toNanos()),
        TimeUnit.NANOSECONDS);
    return () -> f.cancel(false);
  }

  void shutdown() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  boolean isTerminated() {
    return timer.isTerminated();
  }
}
