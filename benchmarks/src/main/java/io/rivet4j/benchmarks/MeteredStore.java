package io.rivet4j.benchmarks;

import io.rivet4j.runtime.spi.ForwardingStore;
import io.rivet4j.runtime.spi.WriteBatch;
import io.rivet4j.runtime.store.EmbeddedStore;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * An {@link EmbeddedStore} that counts commits: submitted, failed, and how many were outstanding
 * (submitted, not yet durable) at most. In relaxed durability replies do not wait for commits, so
 * a store that falls behind (or refuses batches) is only visible here.
 *
 * <p>Concurrency: thread-safe; adds one completion callback per commit.
 */
final class MeteredStore extends ForwardingStore {
  private final EmbeddedStore store;
  private final LongAdder submitted = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final AtomicLong outstanding = new AtomicLong();
  private final AtomicLong maxOutstanding = new AtomicLong();
  private final AtomicReference<Throwable> firstFailure = new AtomicReference<>();

  MeteredStore(EmbeddedStore store) {
    super(store);
    this.store = store;
  }

  /** A snapshot of the counters. */
  record Counters(long submitted, long failed, long maxOutstanding, long transactions,
      long batchesCommitted) {}

  Counters counters() {
    EmbeddedStore.Stats s = store.stats();
    return new Counters(submitted.sum(), failed.sum(), maxOutstanding.get(), s.transactions(),
        s.batchesCommitted());
  }

  /** Forgets the outstanding maximum (at the start of a measurement). */
  void resetMaxOutstanding() {
    maxOutstanding.set(outstanding.get());
  }

  /** Commits submitted and not yet completed. */
  long outstanding() {
    return outstanding.get();
  }

  Optional<Throwable> firstFailure() {
    return Optional.ofNullable(firstFailure.get());
  }

  @Override
  public CompletableFuture<Void> commit(WriteBatch batch) {
    submitted.increment();
    long now = outstanding.incrementAndGet();
    long max = maxOutstanding.get();
    while (now > max && !maxOutstanding.compareAndSet(max, now)) {
      max = maxOutstanding.get();
    }
    CompletableFuture<Void> f = store.commit(batch);
    f.whenComplete((v, e) -> {
      outstanding.decrementAndGet();
      if (e != null) {
        failed.increment();
        firstFailure.compareAndSet(null, e);
      }
    });
    return f;
  }
}
