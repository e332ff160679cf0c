package io.rivet4j.runtime.store;

import java.time.Duration;
import java.util.Objects;

/**
 * Tuning of an {@link EmbeddedStore}. Start from {@link #defaults()} and change what you need.
 *
 * @param commitLinger how long the writer waits, after taking the first queued batch, for more
 *     batches to join the same transaction; {@link Duration#ZERO} (the default) commits at once.
 *     A few milliseconds trade latency for fewer fsyncs (the runtime's relaxed durability mode).
 * @param maxGroupOps a transaction stops taking batches once it holds this many ops (a single
 *     larger batch still commits, alone)
 * @param maxPendingBatches batches submitted but not yet completed; beyond this, {@code commit}
 *     fails at once with a {@code StoreException} instead of queueing without bound
 * @param readConnections size of the pool of read-only connections shared by all reading threads
 * @param busyTimeout how long a connection waits for a lock held by another process (for example a
 *     {@code sqlite3} shell left open on {@code catalog.db}) before the operation fails
 */
public record EmbeddedStoreOptions(
    Duration commitLinger,
    int maxGroupOps,
    int maxPendingBatches,
    int readConnections,
    Duration busyTimeout) {

  public EmbeddedStoreOptions {
    Objects.requireNonNull(commitLinger, "commitLinger");
    Objects.requireNonNull(busyTimeout, "busyTimeout");
    if (commitLinger.isNegative()) {
      throw new IllegalArgumentException("commitLinger must be ≥ 0, got " + commitLinger);
    }
    if (busyTimeout.isNegative() || busyTimeout.toMillis() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("busyTimeout must be ≥ 0 and fit in int millis");
    }
    if (maxGroupOps < 1) {
      throw new IllegalArgumentException("maxGroupOps must be ≥ 1, got " + maxGroupOps);
    }
    if (maxPendingBatches < 1) {
      throw new IllegalArgumentException("maxPendingBatches must be ≥ 1, got " + maxPendingBatches);
    }
    if (readConnections < 1) {
      throw new IllegalArgumentException("readConnections must be ≥ 1, got " + readConnections);
    }
  }

  /** No linger, 4096 ops per transaction, 65536 pending batches, 4 readers, 5 s busy timeout. */
  public static EmbeddedStoreOptions defaults() {
    return new EmbeddedStoreOptions(Duration.ZERO, 4096, 65_536, 4, Duration.ofSeconds(5));
  }

  public EmbeddedStoreOptions withCommitLinger(Duration value) {
    return new EmbeddedStoreOptions(
        value, maxGroupOps, maxPendingBatches, readConnections, busyTimeout);
  }

  public EmbeddedStoreOptions withMaxGroupOps(int value) {
    return new EmbeddedStoreOptions(
        commitLinger, value, maxPendingBatches, readConnections, busyTimeout);
  }

  public EmbeddedStoreOptions withMaxPendingBatches(int value) {
    return new EmbeddedStoreOptions(
        commitLinger, maxGroupOps, value, readConnections, busyTimeout);
  }

  public EmbeddedStoreOptions withReadConnections(int value) {
    return new EmbeddedStoreOptions(
        commitLinger, maxGroupOps, maxPendingBatches, value, busyTimeout);
  }

  public EmbeddedStoreOptions withBusyTimeout(Duration value) {
    return new EmbeddedStoreOptions(
        commitLinger, maxGroupOps, maxPendingBatches, readConnections, value);
  }
}
