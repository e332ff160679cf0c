package io.rivet4j.testkit;

import io.rivet4j.runtime.spi.ActorStore;
import io.rivet4j.runtime.spi.ForwardingStore;
import io.rivet4j.runtime.spi.StoreException;
import io.rivet4j.runtime.spi.WriteBatch;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Wraps a real store so tests can hold commits (to see what waits for the disk) or fail them.
 * A held commit is passed to the real store only when released, so its durability, ordering and
 * visibility are the real store's.
 *
 * <p>Concurrency: thread-safe; held commits are released in submission order.
 */
public final class FaultInjectingStore extends ForwardingStore {
  private record Held(WriteBatch batch, CompletableFuture<Void> done) {}

  private final ArrayDeque<Held> held = new ArrayDeque<>();
  private boolean holding;
  private int failNext;
  private boolean crashed;
  private long commits;

  public FaultInjectingStore(ActorStore delegate) {
    super(delegate);
  }

  /** From now on, commits wait until {@link #release()} or {@link #releaseAll()}. */
  public synchronized void hold() {
    holding = true;
  }

  /** Number of commits waiting. */
  public synchronized int heldCount() {
    return held.size();
  }

  /** Passes the oldest held commit to the real store; returns its future. */
  public CompletableFuture<Void> release() {
    Held h;
    synchronized (this) {
      h = held.poll();
    }
    if (h == null) {
      throw new IllegalStateException("no held commit");
    }
    forward(h);
    return h.done();
  }

  /** Stops holding and passes every held commit on, in order. */
  public void releaseAll() {
    List<Held> all;
    synchronized (this) {
      holding = false;
      all = new ArrayList<>(held);
      held.clear();
    }
    for (Held h : all) {
      forward(h);
    }
  }

  /** The next {@code n} commits fail with a {@link StoreException} and change nothing. */
  public synchronized void failNext(int n) {
    failNext = n;
  }

  /**
   * Simulates the death of the process: held commits are lost (they fail and never reach the
   * real store) and every later commit fails, so nothing more is written. Restart the registry
   * (its store wrapper makes a fresh one) to see what survived.
   */
  public void crash() {
    List<Held> lost;
    synchronized (this) {
      crashed = true;
      holding = false;
      lost = new ArrayList<>(held);
      held.clear();
    }
    for (Held h : lost) {
      h.done().completeExceptionally(new StoreException("lost in a simulated crash", null));
    }
  }

  /** Commits submitted so far. */
  public synchronized long commits() {
    return commits;
  }

  private void forward(Held h) {
    delegate.commit(h.batch()).whenComplete((v, e) -> {
      if (e != null) {
        h.done().completeExceptionally(e);
      } else {
        h.done().complete(null);
      }
    });
  }

  @Override
  public CompletableFuture<Void> commit(WriteBatch batch) {
    Held h = new Held(batch, new CompletableFuture<>());
    synchronized (this) {
      commits++;
      if (crashed) {
        return CompletableFuture.failedFuture(new StoreException("the process crashed"
            + " (simulated)", null));
      }
      if (failNext > 0) {
        failNext--;
        return CompletableFuture.failedFuture(new StoreException("injected commit failure", null));
      }
      if (holding) {
        held.add(h);
        return h.done();
      }
    }
    forward(h);
    return h.done();
  }

  @Override
  public void close() {
    releaseAll();
    delegate.close();
  }
}
