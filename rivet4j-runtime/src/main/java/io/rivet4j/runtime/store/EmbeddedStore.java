package io.rivet4j.runtime.store;

import io.rivet4j.runtime.spi.ActorRecord;
import io.rivet4j.runtime.spi.ActorStore;
import io.rivet4j.runtime.spi.Alarm;
import io.rivet4j.runtime.spi.KvEntry;
import io.rivet4j.runtime.spi.StoreException;
import io.rivet4j.runtime.spi.WriteBatch;
import io.rivet4j.runtime.store.internal.Catalog;
import io.rivet4j.runtime.store.internal.GroupCommitWriter;
import io.rivet4j.runtime.store.internal.ReadPool;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The default {@link ActorStore}: one SQLite file, {@code catalog.db}, in a node directory.
 *
 * <p>Writes go through one writer thread with group commit: {@link #commit} only enqueues; the
 * writer applies everything queued in one transaction (a savepoint per batch, so a failing batch
 * fails alone) and fsyncs once for the whole group. Reads use a small pool of read-only WAL
 * connections and never wait for the writer.
 *
 * <pre>{@code
 * try (EmbeddedStore store = EmbeddedStore.open(Path.of("data"))) {
 *   store.commit(WriteBatch.of(new WriteOp.CreateActor(record))).join();
 * }
 * }</pre>
 *
 * <p>Commit futures complete on one dedicated thread, in submission order. A continuation must
 * not block on another commit future ({@code commit(a).thenRun(() -> commit(b).join())} waits
 * forever: b can only complete once the continuation returns); compose instead
 * ({@code thenCompose}) or hop to another executor ({@code thenRunAsync}).
 *
 * <p>A directory is used by one store at a time (a {@code catalog.lock} file guards it).
 */
public final class EmbeddedStore implements ActorStore {
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  /**
   * Counters since open, for metrics and tests.
   *
   * @param transactions committed SQLite transactions: one WAL fsync each
   * @param batchesCommitted batches whose future completed normally
   * @param batchesFailed batches whose future failed
   * @param opsCommitted ops of the committed batches
   */
  public record Stats(
      long transactions, long batchesCommitted, long batchesFailed, long opsCommitted) {}

  private final Path directory;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final GroupCommitWriter writer;
  private final ReadPool reads;
  private final AtomicBoolean closing = new AtomicBoolean();
  private final CountDownLatch closed = new CountDownLatch(1);

  private EmbeddedStore(Path directory, FileChannel lockChannel, FileLock lock,
      GroupCommitWriter writer, ReadPool reads) {
    this.directory = directory;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.writer = writer;
    this.reads = reads;
  }

  /** Opens (creating if needed) the store in {@code directory} with default options. */
  public static EmbeddedStore open(Path directory) {
    return open(directory, EmbeddedStoreOptions.defaults());
  }

  /**
   * Opens (creating the directory and the catalog if needed) the store in {@code directory}.
   *
   * @throws StoreException if the directory cannot be created, is in use by another store, or holds
   *     a catalog this build cannot read
   */
  public static EmbeddedStore open(Path directory, EmbeddedStoreOptions options) {
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(options, "options");
    FileChannel lockChannel = null;
    FileLock lock = null;
    Connection connection = null;
    GroupCommitWriter writer = null;
    try {
      Files.createDirectories(directory);
      lockChannel = FileChannel.open(directory.resolve("catalog.lock"),
          StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      try {
        lock = lockChannel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        throw new StoreException(directory + " is already in use by another store (in this or"
            + " another process); close it first or give each node its own directory", null);
      }
      Path file = directory.resolve(Catalog.FILE_NAME);
      connection = Catalog.openWriter(file, options.busyTimeout());
      Catalog.migrate(connection, file);
      writer = new GroupCommitWriter(connection,
          "rivet4j-store-writer-" + INSTANCES.incrementAndGet(),
          options.commitLinger().toNanos(), options.maxGroupOps(), options.maxPendingBatches());
      ReadPool reads = ReadPool.open(file, options.readConnections(), options.busyTimeout());
      writer.start();
      return new EmbeddedStore(directory, lockChannel, lock, writer, reads);
    } catch (IOException | SQLException | RuntimeException e) {
      if (writer != null) {
        writer.checkpointAndClose();
      } else if (connection != null) {
        closeQuietly(connection);
      }
      closeQuietly(lock);
      closeQuietly(lockChannel);
      if (e instanceof StoreException se) {
        throw se;
      }
      throw new StoreException("could not open the store in " + directory + ": " + e, e);
    }
  }

  /** The node directory this store lives in. */
  public Path directory() {
    return directory;
  }

  @Override
  public Optional<ActorRecord> findById(String actorId) {
    Objects.requireNonNull(actorId, "actorId");
    return reads.findById(actorId);
  }

  @Override
  public Optional<ActorRecord> findByKey(String name, String key) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(key, "key");
    return reads.findByKey(name, key);
  }

  @Override
  public Optional<byte[]> get(String actorId, byte[] key) {
    Objects.requireNonNull(actorId, "actorId");
    Objects.requireNonNull(key, "key");
    return reads.get(actorId, key);
  }

  @Override
  public List<KvEntry> list(String actorId, byte[] start, byte[] end, int limit, boolean reverse) {
    Objects.requireNonNull(actorId, "actorId");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be ≥ 0, got " + limit);
    }
    if (limit == 0) {
      return List.of();
    }
    return reads.list(actorId, start, end, limit, reverse);
  }

  @Override
  public CompletableFuture<Void> commit(WriteBatch batch) {
    Objects.requireNonNull(batch, "batch");
    return writer.submit(batch);
  }

  @Override
  public void forget(String actorId) {
    writer.forget(actorId);
  }

  @Override
  public List<Alarm> alarms() {
    return reads.alarms();
  }

  @Override
  public long actorCount() {
    return reads.actorCount();
  }

  public Stats stats() {
    return new Stats(writer.transactions(), writer.batchesCommitted(), writer.batchesFailed(),
        writer.opsCommitted());
  }

  /**
   * Stops accepting commits (later ones fail with "store is closed"), commits what was queued,
   * checkpoints the WAL into {@code catalog.db} and closes the files. Idempotent; a concurrent
   * caller waits for the first one to finish.
   */
  @Override
  public void close() {
    if (!closing.compareAndSet(false, true)) {
      if (!writer.onCompleterThread()) { // a continuation cannot wait for the close it blocks
        awaitClosed();
      }
      return;
    }
    try {
      writer.shutdown();
      reads.close();
      writer.checkpointAndClose();
      closeQuietly(lock);
      closeQuietly(lockChannel);
    } finally {
      closed.countDown();
    }
  }

  private void awaitClosed() {
    boolean interrupted = false;
    while (true) {
      try {
        closed.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception ignored) {
      // already failing or closing; nothing useful to do with a second error
    }
  }
}
