package io.rivet4j.benchmarks.jmh;

import io.rivet4j.runtime.spi.ActorRecord;
import io.rivet4j.runtime.spi.WriteBatch;
import io.rivet4j.runtime.spi.WriteOp;
import io.rivet4j.runtime.store.EmbeddedStore;
import io.rivet4j.runtime.store.EmbeddedStoreOptions;
import io.rivet4j.runtime.store.internal.Catalog;
import io.rivet4j.runtime.store.internal.GroupCommitWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The embedded store's commit path with N small writes per commit group (N = 1, 16, 256: one
 * method each), waiting until all are durable; the score is per write
 * ({@code @OperationsPerInvocation(N)}), so 1 vs 256 shows what group commit saves.
 *
 * <p>Each write is a turn's state write as the runtime makes it: a {@code Put} of the state key
 * ({@code 0x01}) with a 16-byte value, each for another actor (256 actors are created in the
 * set-up); the values change on every invocation.
 *
 * <p>{@code shape}: {@code turns} submits N one-write batches back to back, as N turns (of N
 * actors) do, and the writer groups what it finds queued into one transaction (with a savepoint
 * per batch); nothing forces them into one, so a group may take two transactions (the count is
 * printed at the end of each trial). {@code batch} submits one batch of N writes.
 *
 * <p>{@code sync}: {@code fsync} is {@link EmbeddedStore} as the runtime opens it
 * ({@code synchronous=FULL}: one WAL fsync per transaction). The store has no option to skip the
 * fsync, so {@code nosync} builds the same {@link GroupCommitWriter} over a catalog connection
 * with {@code synchronous=OFF}: the same SQL and grouping without the disk flush.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 4, time = 1)
@Fork(1)
public class StoreCommitBench {
  static final int ACTORS = 256;
  static final byte[] STATE_KEY = {0x01};
  static final int VALUE_BYTES = 16;

  @Param({"fsync", "nosync"})
  public String sync;

  @Param({"turns", "batch"})
  public String shape;

  Path dir;
  EmbeddedStore store; // sync = fsync
  GroupCommitWriter writer; // sync = nosync
  Connection connection; // sync = nosync
  Function<WriteBatch, CompletableFuture<Void>> commit;
  long transactionsBefore;

  private byte[][] values; // one per actor, rewritten in place before each invocation
  private WriteBatch[] turns; // turns[i]: actor i's state write alone
  private WriteBatch batch1;
  private WriteBatch batch16;
  private WriteBatch batch256;
  private final CompletableFuture<?>[] pending = new CompletableFuture<?>[ACTORS];
  private long version;
  private long groups;
  private long writes;

  @Setup(Level.Trial)
  public void open() throws SQLException {
    dir = Scratch.newDir("commit");
    switch (sync) {
      case "fsync" -> {
        store = EmbeddedStore.open(dir);
        commit = store::commit;
      }
      case "nosync" -> {
        Path file = dir.resolve(Catalog.FILE_NAME);
        EmbeddedStoreOptions o = EmbeddedStoreOptions.defaults();
        connection = Catalog.openWriter(file, o.busyTimeout());
        try (Statement s = connection.createStatement()) {
          s.execute("PRAGMA synchronous = OFF");
        }
        Catalog.migrate(connection, file);
        writer = new GroupCommitWriter(connection, "rivet4j-jmh-nosync-writer",
            o.commitLinger().toNanos(), o.maxGroupOps(), o.maxPendingBatches());
        writer.start();
        commit = writer::submit;
      }
      default -> throw new IllegalArgumentException("unknown sync '" + sync
          + "'; use fsync or nosync");
    }
    if (!shape.equals("turns") && !shape.equals("batch")) {
      throw new IllegalArgumentException("unknown shape '" + shape + "'; use turns or batch");
    }
    List<WriteOp> creates = new ArrayList<>();
    values = new byte[ACTORS][];
    turns = new WriteBatch[ACTORS];
    List<WriteOp> puts = new ArrayList<>();
    long now = System.currentTimeMillis();
    for (int i = 0; i < ACTORS; i++) {
      String id = String.format(Locale.ROOT, "jmh%013d", i);
      creates.add(new WriteOp.CreateActor(new ActorRecord(id, "counter", "[\"k" + i + "\"]",
          now, null)));
      values[i] = new byte[VALUE_BYTES];
      WriteOp.Put put = new WriteOp.Put(id, STATE_KEY, values[i]);
      puts.add(put);
      turns[i] = WriteBatch.of(put);
    }
    commit.apply(new WriteBatch(creates)).join();
    batch1 = new WriteBatch(puts.subList(0, 1));
    batch16 = new WriteBatch(puts.subList(0, 16));
    batch256 = new WriteBatch(puts);
    transactionsBefore = transactions();
  }

  @Benchmark
  @OperationsPerInvocation(1)
  public Object writes1() {
    return commitGroup(1, batch1);
  }

  @Benchmark
  @OperationsPerInvocation(16)
  public Object writes16() {
    return commitGroup(16, batch16);
  }

  @Benchmark
  @OperationsPerInvocation(256)
  public Object writes256() {
    return commitGroup(256, batch256);
  }

  /** N writes, submitted as {@code shape} says, all durable (or failed: join throws) on return. */
  Object commitGroup(int n, WriteBatch oneBatch) {
    version++;
    for (int i = 0; i < n; i++) {
      writeVersion(values[i], version);
    }
    groups++;
    writes += n;
    if (shape.equals("batch")) {
      return commit.apply(oneBatch).join();
    }
    for (int i = 0; i < n; i++) {
      pending[i] = commit.apply(turns[i]);
    }
    Object last = null;
    for (int i = 0; i < n; i++) {
      last = pending[i].join();
      pending[i] = null;
    }
    return last;
  }

  private static void writeVersion(byte[] value, long v) {
    for (int b = 0; b < 8; b++) {
      value[b] = (byte) (v >>> (56 - 8 * b));
    }
  }

  long transactions() {
    return store != null ? store.stats().transactions() : writer.transactions();
  }

  @TearDown(Level.Trial)
  public void close() {
    try {
      if (groups > 0) {
        long txns = transactions() - transactionsBefore;
        System.err.printf(Locale.ROOT, "%n# StoreCommitBench sync=%s shape=%s: %,d groups, %,d"
                + " writes, %,d transactions (%.2f per group, %.1f writes each)%n", sync, shape,
            groups, writes, txns, (double) txns / groups, (double) writes / Math.max(1, txns));
      }
      if (store != null) {
        store.close();
      }
      if (writer != null) {
        writer.shutdown();
        writer.checkpointAndClose();
      }
    } finally {
      Scratch.delete(dir);
    }
  }
}
