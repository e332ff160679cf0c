package io.rivet4j.client.internal;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs tasks one at a time, in submission order, on a delegate executor: the callback lane of
 * one connection.
 *
 * <p>Concurrency: {@code queue} and {@code draining} are guarded by {@code this}; at most one
 * drain runs at any moment. A task that throws is logged and the lane moves on. Tasks submitted
 * after the delegate rejects work (the client is closing) are dropped.
 */
final class SerialExecutor implements Executor {
  private final Executor delegate;
  private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
  private boolean draining; // [this]
  private volatile Thread current;

  SerialExecutor(Executor delegate) {
    this.delegate = delegate;
  }

  @Override
  public void execute(Runnable task) {
    synchronized (this) {
      queue.add(task);
      if (draining) {
        return;
      }
      draining = true;
    }
    try {
      delegate.execute(this::drain);
    } catch (RejectedExecutionException e) {
      synchronized (this) {
        queue.clear();
        draining = false;
      }
    }
  }

  /** True on the thread that is running one of this lane's tasks. */
  boolean inLane() {
    return current == Thread.currentThread();
  }

  private void drain() {
    current = Thread.currentThread();
    try {
      for (;;) {
        Runnable task;
        synchronized (this) {
          task = queue.poll();
          if (task == null) {
            draining = false;
            return;
          }
        }
        try {
          task.run();
        } catch (RuntimeException | Error e) {
          Errors.LOG.log(System.Logger.Level.ERROR, "error in a connection callback", e);
        }
      }
    } finally {
      current = null;
    }
  }
}
