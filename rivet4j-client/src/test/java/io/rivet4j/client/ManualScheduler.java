package io.rivet4j.client;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Scheduler} moved by the test: every scheduled task is recorded with its delay and
 * runs only when the test says so ({@link #next()}), or at once when {@code immediate}.
 */
final class ManualScheduler implements Scheduler {
  /** A scheduled task. */
  record Task(Duration delay, Runnable run) {}

  private final boolean immediate;
  private final BlockingQueue<Task> pending = new LinkedBlockingQueue<>();
  private final List<Duration> delays = new CopyOnWriteArrayList<>();

  private ManualScheduler(boolean immediate) {
    this.immediate = immediate;
  }

  /** Tasks wait for {@link #next()}. */
  static ManualScheduler manual() {
    return new ManualScheduler(false);
  }

  /** Tasks run at once on the scheduling thread; only their delays are recorded. */
  static ManualScheduler immediate() {
    return new ManualScheduler(true);
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    delays.add(delay);
    if (immediate) {
      task.run();
      return () -> { };
    }
    Task t = new Task(delay, task);
    pending.add(t);
    return () -> pending.remove(t);
  }

  /** The next scheduled task (waiting up to 20 s for one). */
  Task next() throws InterruptedException {
    Task t = pending.poll(20, TimeUnit.SECONDS);
    assertNotNull(t, "no task was scheduled within 20 s");
    return t;
  }

  /** Every delay asked for so far, in order. */
  List<Duration> delays() {
    return List.copyOf(delays);
  }
}
