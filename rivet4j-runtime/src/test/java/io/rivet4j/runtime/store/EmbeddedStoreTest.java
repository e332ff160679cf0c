package io.rivet4j.runtime.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.rivet4j.runtime.spi.ActorRecord;
import io.rivet4j.runtime.spi.DuplicateKeyException;
import io.rivet4j.runtime.spi.StoreException;
import io.rivet4j.runtime.spi.WriteBatch;
import io.rivet4j.runtime.spi.WriteOp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EmbeddedStoreTest {
  private static final Duration FOREVER = Duration.ofHours(1);

  @TempDir Path directory;
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    Collections.reverse(toClose);
    for (AutoCloseable c : toClose) {
      c.close();
    }
  }

  private EmbeddedStore open(EmbeddedStoreOptions options) {
    EmbeddedStore store = EmbeddedStore.open(directory, options);
    toClose.add(store);
    return store;
  }

  private Connection rawConnection() throws SQLException {
    Connection c = DriverManager.getConnection("jdbc:sqlite:" + directory.resolve("catalog.db"));
    toClose.add(c);
    return c;
  }

  // ---------------------------------------------------------------- files and schema

  @Test
  void createsTheDirectoryAndAVersionedWalCatalog() throws Exception {
    directory = directory.resolve("node/a");
    open(EmbeddedStoreOptions.defaults()).close();

    assertTrue(Files.isRegularFile(directory.resolve("catalog.db")));
    try (Statement s = rawConnection().createStatement()) {
      assertEquals("wal", scalar(s, "PRAGMA journal_mode"));
      assertEquals("1", scalar(s, "PRAGMA user_version"));
      assertTrue(scalar(s, "SELECT sql FROM sqlite_master WHERE name = 'kv'")
          .contains("WITHOUT ROWID"));
      assertTrue(scalar(s, "SELECT sql FROM sqlite_master WHERE name = 'actors'")
          .contains("UNIQUE (name, key)"));
      assertEquals("actors_alarm_at",
          scalar(s, "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'actors'"
              + " AND sql IS NOT NULL"));
    }
  }

  @Test
  void refusesACatalogWrittenByANewerSchema() throws Exception {
    try (Statement s = rawConnection().createStatement()) {
      s.execute("PRAGMA user_version = 2");
    }
    StoreException e = assertThrows(StoreException.class,
        () -> EmbeddedStore.open(directory, EmbeddedStoreOptions.defaults()));
    assertTrue(e.getMessage().contains("schema version 2"), e.getMessage());
  }

  @Test
  void aDirectoryIsUsedByOneStoreAtATime() {
    EmbeddedStore first = open(EmbeddedStoreOptions.defaults());
    StoreException e = assertThrows(StoreException.class,
        () -> EmbeddedStore.open(directory, EmbeddedStoreOptions.defaults()));
    assertTrue(e.getMessage().contains("already in use"), e.getMessage());
    first.close();
    open(EmbeddedStoreOptions.defaults()).close();
  }

  @Test
  void closeCheckpointsTheWal() throws Exception {
    EmbeddedStore store = open(EmbeddedStoreOptions.defaults());
    store.commit(WriteBatch.of(create("a"), put("a", "k", "v"))).get(30, TimeUnit.SECONDS);
    Path wal = directory.resolve("catalog.db-wal");
    assertTrue(Files.size(wal) > 0, "the commit went to the WAL");
    store.close();
    assertTrue(Files.notExists(wal) || Files.size(wal) == 0, "WAL left behind at close");
  }

  // ---------------------------------------------------------------- group commit

  @Test
  void commitOnlyEnqueues() throws Exception {
    EmbeddedStore store = open(EmbeddedStoreOptions.defaults().withCommitLinger(FOREVER));
    CompletableFuture<Void> f = store.commit(WriteBatch.of(create("a"), put("a", "k", "v")));
    assertFalse(f.isDone(), "commit() waited for the write");
    assertEquals(0, store.stats().transactions());

    store.close(); // ends the linger and commits the queue
    assertNull(f.getNow(null));
    assertEquals(new EmbeddedStore.Stats(1, 1, 0, 2), store.stats());
    try (EmbeddedStore again = EmbeddedStore.open(directory)) {
      assertEquals("v", new String(again.get("a", bytes("k")).orElseThrow(), UTF_8));
    }
  }

  @Test
  void aFullGroupCommitsAsOneTransactionWithoutWaitingForTheLinger() throws Exception {
    EmbeddedStore store = open(EmbeddedStoreOptions.defaults()
        .withCommitLinger(FOREVER).withMaxGroupOps(100));
    List<CompletableFuture<Void>> good = new ArrayList<>();
    good.add(store.commit(WriteBatch.of(create("a"))));
    for (int i = 0; i < 49; i++) {
      good.add(store.commit(WriteBatch.of(put("a", "k" + i, "v"))));
    }
    CompletableFuture<Void> bad = store.commit(WriteBatch.of(put("a", "bad", "v"), create("a")));
    for (int i = 49; i < 97; i++) {
      good.add(store.commit(WriteBatch.of(put("a", "k" + i, "v"))));
    } // 1 + 49 + 2 + 48 = 100 ops: the group is full

    for (CompletableFuture<Void> f : good) {
      assertNull(f.get(30, TimeUnit.SECONDS));
    }
    DuplicateKeyException dup =
        assertInstanceOf(DuplicateKeyException.class, failure(bad));
    assertEquals("a", dup.existingActorId());
    assertEquals(new EmbeddedStore.Stats(1, 98, 1, 98), store.stats());
    assertEquals(Optional.empty(), store.get("a", bytes("bad")));
    assertEquals(97, store.list("a", new byte[0], new byte[] {(byte) 0xff}, 1000, false).size());
  }

  @Test
  void aBatchLargerThanMaxGroupOpsCommitsAlone() throws Exception {
    EmbeddedStore store = open(EmbeddedStoreOptions.defaults().withMaxGroupOps(4));
    List<WriteOp> ops = new ArrayList<>(List.of(create("a")));
    for (int i = 0; i < 20; i++) {
      ops.add(put("a", "k" + i, "v"));
    }
    store.commit(new WriteBatch(ops)).get(30, TimeUnit.SECONDS);
    assertEquals(new EmbeddedStore.Stats(1, 1, 0, 21), store.stats());
  }

  @Test
  void lingerGathersBatchesIntoOneTransaction() throws Exception {
    Duration linger = Duration.ofMillis(300);
    EmbeddedStore store = open(EmbeddedStoreOptions.defaults().withCommitLinger(linger));
    long start = System.nanoTime();
    List<CompletableFuture<Void>> futures = new ArrayList<>();
    futures.add(store.commit(WriteBatch.of(create("a"))));
    for (int i = 0; i < 20; i++) {
      futures.add(store.commit(WriteBatch.of(put("a", "k" + i, "v"))));
    }
    for (CompletableFuture<Void> f : futures) {
      f.get(30, TimeUnit.SECONDS);
    }
    long elapsed = System.nanoTime() - start;
    assertTrue(elapsed >= linger.toNanos(), "committed after " + elapsed + " ns, before linger");
    assertEquals(new EmbeddedStore.Stats(1, 21, 0, 21), store.stats());
  }

  @Test
  void concurrentCommitsShareTransactions() throws Exception {
    EmbeddedStore store = open(EmbeddedStoreOptions.defaults());
    int threads = 8;
    int perThread = 500;
    store.commit(WriteBatch.of(create("a"))).get(30, TimeUnit.SECONDS);
    long before = store.stats().transactions();
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          start.await();
          List<CompletableFuture<Void>> fs = new ArrayList<>();
          for (int i = 0; i < perThread; i++) {
            fs.add(store.commit(WriteBatch.of(put("a", thread + "/" + i, "v"))));
          }
          for (CompletableFuture<Void> f : fs) {
            f.get(30, TimeUnit.SECONDS);
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    }
    long transactions = store.stats().transactions() - before;
    int batches = threads * perThread;
    assertTrue(transactions >= 1 && transactions <= batches / 4,
        batches + " batches took " + transactions + " transactions");
    assertEquals(batches + 1, store.stats().batchesCommitted());
  }

  @Test
  void futuresCompleteInSubmissionOrderOffTheWriterThread() throws Exception {
    EmbeddedStore store = open(EmbeddedStoreOptions.defaults());
    List<Integer> order = Collections.synchronizedList(new ArrayList<>());
    List<String> threads = Collections.synchronizedList(new ArrayList<>());
    List<CompletableFuture<Void>> futures = new ArrayList<>();
    futures.add(store.commit(WriteBatch.of(create("a"))));
    for (int i = 0; i < 1000; i++) {
      int n = i;
      CompletableFuture<Void> f = store.commit(WriteBatch.of(put("a", "k", "" + i)));
      futures.add(f.thenRun(() -> {
        order.add(n);
        threads.add(Thread.currentThread().getName());
      }));
    }
    for (CompletableFuture<Void> f : futures) {
      f.get(30, TimeUnit.SECONDS);
    }
    List<Integer> expected = Stream.iterate(0, i -> i + 1).limit(1000).toList();
    assertEquals(expected, order);
    for (String name : threads) {
      assertFalse(name.matches("rivet4j-store-writer-\\d+"), "continuation ran on " + name);
    }
  }

  // ---------------------------------------------------------------- failures

  @Test
  void theWriterSurvivesFailingBatches() throws Exception {
    EmbeddedStore store = open(EmbeddedStoreOptions.defaults());
    store.commit(WriteBatch.of(create("a"))).get(30, TimeUnit.SECONDS);
    for (int i = 0; i < 10; i++) {
      assertInstanceOf(DuplicateKeyException.class,
          failure(store.commit(WriteBatch.of(create("a")))));
      assertInstanceOf(StoreException.class,
          failure(store.commit(WriteBatch.of(put("ghost", "k", "v")))));
      store.commit(WriteBatch.of(put("a", "k" + i, "v"))).get(30, TimeUnit.SECONDS);
    }
    EmbeddedStore.Stats stats = store.stats();
    assertEquals(11, stats.batchesCommitted());
    assertEquals(20, stats.batchesFailed());
    assertEquals(10, store.list("a", new byte[0], new byte[] {(byte) 0xff}, 100, false).size());
  }

  @Test
  void aTransactionThatCannotStartFailsItsGroupAndTheWriterGoesOn() throws Exception {
    EmbeddedStore store = open(EmbeddedStoreOptions.defaults()
        .withBusyTimeout(Duration.ofMillis(50)));
    store.commit(WriteBatch.of(create("a"), put("a", "k", "before"))).get(30, TimeUnit.SECONDS);

    try (Statement other = rawConnection().createStatement()) {
      other.execute("BEGIN IMMEDIATE"); // another process holds the write lock
      Throwable error = failure(store.commit(WriteBatch.of(put("a", "k", "blocked"))));
      assertEquals(StoreException.class, error.getClass());
      assertInstanceOf(SQLException.class, error.getCause());
      assertEquals("before", new String(store.get("a", bytes("k")).orElseThrow(), UTF_8),
          "reads do not wait for the write lock");
      other.execute("ROLLBACK");
    }

    store.commit(WriteBatch.of(put("a", "k", "after"))).get(30, TimeUnit.SECONDS);
    assertEquals("after", new String(store.get("a", bytes("k")).orElseThrow(), UTF_8));
    assertEquals(1, store.stats().batchesFailed());
  }

  @Test
  void aFullQueueFailsFastWithAHint() throws Exception {
    EmbeddedStore store = open(EmbeddedStoreOptions.defaults()
        .withCommitLinger(FOREVER).withMaxPendingBatches(4));
    List<CompletableFuture<Void>> accepted = new ArrayList<>();
    accepted.add(store.commit(WriteBatch.of(create("a"))));
    for (int i = 0; i < 3; i++) {
      accepted.add(store.commit(WriteBatch.of(put("a", "k" + i, "v"))));
    }
    CompletableFuture<Void> rejected = store.commit(WriteBatch.of(put("a", "k9", "v")));
    assertTrue(rejected.isCompletedExceptionally(), "a full queue must fail at once");
    Throwable error = failure(rejected);
    assertEquals(StoreException.class, error.getClass());
    assertTrue(error.getMessage().contains("maxPendingBatches"), error.getMessage());

    store.close();
    for (CompletableFuture<Void> f : accepted) {
      assertNull(f.getNow(null));
    }
  }

  @Test
  void closeFromACommitContinuationDoesNotDeadlock() throws Exception {
    EmbeddedStore store = open(EmbeddedStoreOptions.defaults());
    CompletableFuture<Void> closedInside = store.commit(WriteBatch.of(create("a")))
        .thenRun(store::close);
    closedInside.get(30, TimeUnit.SECONDS);
    Throwable error = failure(store.commit(WriteBatch.of(put("a", "k", "v"))));
    assertEquals("store is closed", error.getMessage());
    store.close(); // returns once the first close finished
    try (EmbeddedStore again = EmbeddedStore.open(directory)) {
      assertEquals(1, again.actorCount());
    }
  }

  @Test
  void concurrentClosesAllReturnAfterTheStoreIsClosed() throws Exception {
    EmbeddedStore store = open(EmbeddedStoreOptions.defaults().withCommitLinger(FOREVER));
    CompletableFuture<Void> pending = store.commit(WriteBatch.of(create("a")));
    CountDownLatch start = new CountDownLatch(1);
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Boolean>> closers = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        closers.add(pool.submit(() -> {
          start.await();
          store.close();
          return pending.isDone();
        }));
      }
      start.countDown();
      for (Future<Boolean> c : closers) {
        assertTrue(c.get(30, TimeUnit.SECONDS), "close() returned before the store was closed");
      }
    }
    assertNull(pending.getNow(null));
  }

  // ---------------------------------------------------------------- fsync probe

  @Test
  void fsyncProbeMeasuresAndCleansUp() throws Exception {
    Path probeDir = directory.resolve("probe");
    FsyncProbe.Result r = FsyncProbe.measure(probeDir, 20);
    assertEquals(20, r.samples());
    assertTrue(r.p50Micros() > 0, r.toString());
    assertTrue(r.p50Micros() <= r.p99Micros() && r.p99Micros() <= r.maxMicros(), r.toString());
    try (Stream<Path> left = Files.list(probeDir)) {
      assertEquals(List.of(), left.toList());
    }
    assertThrows(IllegalArgumentException.class, () -> FsyncProbe.measure(probeDir, 0));
  }

  // ---------------------------------------------------------------- helpers

  private static String scalar(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      assertTrue(rs.next(), "no row for " + sql);
      return rs.getString(1);
    }
  }

  private static Throwable failure(CompletableFuture<?> future) {
    try {
      future.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError("commit did not complete", e);
    }
    return fail("the commit was expected to fail but succeeded");
  }

  private static WriteOp create(String id) {
    return new WriteOp.CreateActor(new ActorRecord(id, "counter", "key-" + id, 1L, null));
  }

  private static WriteOp put(String actorId, String key, String value) {
    return new WriteOp.Put(actorId, bytes(key), bytes(value));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }
}
