package io.rivet4j.client.internal;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs tasks one at a time, in submission order, on a delegate executor: the callback lane of
 * one connection.
 *
 * <p>A socket's receiving thread may drain the lane itself instead of handing the drain to the
 * delegate (one thread hop less between a reply and the caller waiting for it): it calls
 * {@link #beginInline()}, submits (typically under its connection's lock), then
 * {@link #endInline()} once it holds no lock. A drain that became due meanwhile runs there, on
 * that thread; tasks other threads submit meanwhile wait for it, so the order stays the
 * submission order.
 *
 * <p>Concurrency: {@code queue}, {@code draining}, {@code inline} and {@code owed} are guarded by
 * {@code this}; at most one drain runs at any moment. A task that throws is logged and the lane
 * moves on. Tasks submitted after the delegate rejects work (the client is closing) are dropped.
 */
final class SerialExecutor implements Executor {
  private final Executor delegate;
  private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
  private boolean draining; // [this] a drain runs, is handed to the delegate, or is owed
  private Thread inline; // [this] the thread between beginInline and endInline
  private boolean owed; // [this] the drain is owed by {@code inline}
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
      if (inline == Thread.currentThread()) {
        owed = true;
        return;
      }
    }
    handOff();
  }

  /** The calling thread will drain what becomes due until {@link #endInline()}. */
  synchronized void beginInline() {
    inline = Thread.currentThread();
  }

  /** Runs the drain that became due since {@link #beginInline()}; call holding no lock. */
  void endInline() {
    boolean drain;
    synchronized (this) {
      inline = null;
      drain = owed;
      owed = false;
    }
    if (drain) {
      drain();
    }
  }

  /** True on the thread that is running one of this lane's tasks. */
  boolean inLane() {
    return current == Thread.currentThread();
  }

  private void handOff() {
    try {
      delegate.execute(this::drain);
    } catch (RejectedExecutionException e) {
      synchronized (this) {
        queue.clear();
        draining = false;
      }
    }
  }

  private void drain() {
    Thread previous = current;
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
      current = previous;
    }
  }
}
