package io.rivet4j.runtime.internal.db;

import java.time.Duration;
import java.util.Objects;

/**
 * Tuning of {@link ActorDatabases}. Start from {@link #defaults()} and change what you need.
 *
 * @param maxOpen open SQLite connections kept at most (one per actor that used its database
 *     recently); beyond it the least recently used idle one is closed and reopened on demand. The
 *     effective cap may be lower when the process's file-descriptor limit cannot cover it.
 * @param pageCacheKiB page cache of each open connection ({@code PRAGMA cache_size=-N})
 * @param pageSize page size of newly created files (a power of two from 512 to 65536); existing
 *     files keep theirs. Smaller pages make each open connection smaller (SQLite reserves about 20
 *     pages up front), larger ones make big tables and scans faster.
 * @param statementCacheSize prepared statements kept per open connection
 * @param transactionTimeout default timeout of {@code transaction(work)} (RivetKit: 60 s)
 * @param migrationTimeout timeout of {@link ActorDatabases#migrate} (RivetKit's
 *     {@code onMigrateTimeout}: 30 s)
 * @param busyTimeout how long an operation waits for the file lock (held by another connection
 *     or process) before it fails with {@code sqlite.writer_busy}
 * @param maxQueuedOperations operations of one actor that may wait behind a running one (a
 *     transaction) before new ones fail with {@code sqlite.transaction_queue_full} (RivetKit: 128)
 * @param spareFiles empty database files kept written and fsynced ahead of time by a background
 *     thread, so that creating an actor's database is a rename instead of a write and an fsync;
 *     0 creates every file on the caller's thread
 */
public record DbOptions(
    int maxOpen,
    int pageCacheKiB,
    int pageSize,
    int statementCacheSize,
    Duration transactionTimeout,
    Duration migrationTimeout,
    Duration busyTimeout,
    int maxQueuedOperations,
    int spareFiles) {

  public DbOptions {
    Objects.requireNonNull(transactionTimeout, "transactionTimeout");
    Objects.requireNonNull(migrationTimeout, "migrationTimeout");
    Objects.requireNonNull(busyTimeout, "busyTimeout");
    if (maxOpen < 1) {
      throw new IllegalArgumentException("maxOpen must be ≥ 1, got " + maxOpen);
    }
    if (pageCacheKiB < 1) {
      throw new IllegalArgumentException("pageCacheKiB must be ≥ 1, got " + pageCacheKiB);
    }
    if (pageSize < 512 || pageSize > 65_536 || Integer.bitCount(pageSize) != 1) {
      throw new IllegalArgumentException(
          "pageSize must be a power of two from 512 to 65536, got " + pageSize);
    }
    if (statementCacheSize < 0) {
      throw new IllegalArgumentException(
          "statementCacheSize must be ≥ 0, got " + statementCacheSize);
    }
    positive(transactionTimeout, "transactionTimeout");
    positive(migrationTimeout, "migrationTimeout");
    if (busyTimeout.isNegative() || busyTimeout.toMillis() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("busyTimeout must be ≥ 0 and fit in int millis");
    }
    if (spareFiles < 0) {
      throw new IllegalArgumentException("spareFiles must be ≥ 0, got " + spareFiles);
    }
    if (maxQueuedOperations < 1) {
      throw new IllegalArgumentException(
          "maxQueuedOperations must be ≥ 1, got " + maxQueuedOperations);
    }
  }

  /**
   * 2,000 open connections, 64 KiB page cache each, 4 KiB pages, 8 cached statements, 60 s
   * transactions, 30 s migrations, 5 s busy timeout, 128 queued operations per actor, 8 spare
   * files.
   */
  public static DbOptions defaults() {
    return new DbOptions(2_000, 64, 4_096, 8, Duration.ofSeconds(60), Duration.ofSeconds(30),
        Duration.ofSeconds(5), 128, 8);
  }

  public DbOptions withMaxOpen(int value) {
    return new DbOptions(value, pageCacheKiB, pageSize, statementCacheSize, transactionTimeout,
        migrationTimeout, busyTimeout, maxQueuedOperations, spareFiles);
  }

  public DbOptions withPageCacheKiB(int value) {
    return new DbOptions(maxOpen, value, pageSize, statementCacheSize, transactionTimeout,
        migrationTimeout, busyTimeout, maxQueuedOperations, spareFiles);
  }

  public DbOptions withPageSize(int value) {
    return new DbOptions(maxOpen, pageCacheKiB, value, statementCacheSize, transactionTimeout,
        migrationTimeout, busyTimeout, maxQueuedOperations, spareFiles);
  }

  public DbOptions withStatementCacheSize(int value) {
    return new DbOptions(maxOpen, pageCacheKiB, pageSize, value, transactionTimeout,
        migrationTimeout, busyTimeout, maxQueuedOperations, spareFiles);
  }

  public DbOptions withTransactionTimeout(Duration value) {
    return new DbOptions(maxOpen, pageCacheKiB, pageSize, statementCacheSize, value,
        migrationTimeout, busyTimeout, maxQueuedOperations, spareFiles);
  }

  public DbOptions withMigrationTimeout(Duration value) {
    return new DbOptions(maxOpen, pageCacheKiB, pageSize, statementCacheSize, transactionTimeout,
        value, busyTimeout, maxQueuedOperations, spareFiles);
  }

  public DbOptions withBusyTimeout(Duration value) {
    return new DbOptions(maxOpen, pageCacheKiB, pageSize, statementCacheSize, transactionTimeout,
        migrationTimeout, value, maxQueuedOperations, spareFiles);
  }

  public DbOptions withMaxQueuedOperations(int value) {
    return new DbOptions(maxOpen, pageCacheKiB, pageSize, statementCacheSize, transactionTimeout,
        migrationTimeout, busyTimeout, value, spareFiles);
  }

  public DbOptions withSpareFiles(int value) {
    return new DbOptions(maxOpen, pageCacheKiB, pageSize, statementCacheSize, transactionTimeout,
        migrationTimeout, busyTimeout, maxQueuedOperations, value);
  }

  private static void positive(Duration d, String name) {
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(name + " must be > 0, got " + d);
    }
  }
}
