package io.rivet4j.runtime.internal.db;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rivet4j.api.Database;
import io.rivet4j.api.RivetError;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ActorDatabasesTest {
  @TempDir Path directory;
  private final ManualClock clock = new ManualClock();
  private final List<ActorDatabases> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() {
    Collections.reverse(toClose);
    toClose.forEach(ActorDatabases::close);
  }

  private ActorDatabases open(DbOptions options) {
    ActorDatabases dbs = new ActorDatabases(directory, options, clock);
    toClose.add(dbs);
    return dbs;
  }

  private ActorDatabases open() {
    return open(DbOptions.defaults());
  }

  private static RivetError rivetError(String code, Executable call) {
    RivetError e = assertThrows(RivetError.class, call);
    assertEquals("sqlite." + code, e.qualifiedCode(), e.getMessage());
    return e;
  }

  private static Map<String, Object> row(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  enum Color { RED, GREEN }

  // ---- files ----

  @Test
  void createsTheFileAtTheFirstStatementOnly() throws Exception {
    ActorDatabases dbs = open();
    ActorDatabase db = dbs.forActor("ab0123");
    Path file = directory.resolve("ab").resolve("ab0123.db");
    assertEquals(file, dbs.file("ab0123"));
    assertFalse(dbs.exists("ab0123"));
    assertFalse(Files.exists(file.getParent()));
    assertEquals(0, dbs.openHandles());
    assertEquals(List.of(row("x", 1L)), db.execute("SELECT 1 AS x"));
    assertTrue(dbs.exists("ab0123"));
    assertTrue(Files.isRegularFile(file));
    assertEquals(1, dbs.openHandles());
    assertEquals(List.of(row("journal_mode", "wal")), db.execute("PRAGMA journal_mode"));
    assertEquals(List.of(row("synchronous", 2L)), db.execute("PRAGMA synchronous"));
    assertEquals(List.of(row("locking_mode", "exclusive")), db.execute("PRAGMA locking_mode"));
    assertEquals(List.of(row("cache_size", -64L)), db.execute("PRAGMA cache_size"));
    assertEquals(List.of(row("page_size", 4096L)), db.execute("PRAGMA page_size"));
    try (var listing = Files.list(file.getParent())) {
      assertEquals(List.of("ab0123.db"), listing.map(p -> p.getFileName().toString())
          .filter(n -> !n.endsWith("-wal")).toList());
    }
    assertFalse(Files.exists(file.resolveSibling("ab0123.db-shm")), "no shared-memory file");
  }

  @Test
  void createsFilesOnTheCallersThreadWithoutSpares() {
    ActorDatabases dbs = open(DbOptions.defaults().withSpareFiles(0));
    for (String id : List.of("ns0001", "ns0002", "x")) {
      ActorDatabase db = dbs.forActor(id);
      db.execute("CREATE TABLE t (v)");
      assertEquals(List.of(row("journal_mode", "wal")), db.execute("PRAGMA journal_mode"));
      assertTrue(dbs.exists(id));
    }
    assertTrue(Files.exists(directory.resolve("x").resolve("x.db")));
    assertFalse(Files.exists(directory.resolve(".spare")));
  }

  @Test
  void aSecondNodeOnTheSameDirectoryIsRefused() {
    DbOptions quick = DbOptions.defaults().withBusyTimeout(Duration.ofMillis(50));
    ActorDatabases first = open(quick);
    ActorDatabases second = open(quick);
    first.forActor("two001").execute("CREATE TABLE t (v)");
    RivetError e = rivetError("writer_busy",
        () -> second.forActor("two001").execute("SELECT * FROM t"));
    assertTrue(e.getMessage().contains("another connection or process"), e.getMessage());
    first.forActor("two001").close();
    assertEquals(List.of(), second.forActor("two001").execute("SELECT * FROM t"));
  }

  @Test
  void closingAViewClosesItsConnectionAndAbandonsAManualTransaction() {
    ActorDatabases dbs = open();
    ActorDatabase db = dbs.forActor("stop01");
    db.execute("CREATE TABLE t (v)");
    db.execute("BEGIN");
    db.execute("INSERT INTO t VALUES ('never committed')");
    assertEquals(1, dbs.openHandles());
    db.close();
    db.close();
    assertEquals(0, dbs.openHandles());
    assertEquals(List.of(0L), dbs.forActor("stop01").query(Long.class, "SELECT count(*) FROM t"));
  }

  @Test
  void anEmptyTransactionCreatesNothing() {
    ActorDatabases dbs = open();
    assertEquals("done", dbs.forActor("empty1").transaction(tx -> "done"));
    assertFalse(dbs.exists("empty1"));
    assertEquals(0, dbs.openHandles());
  }

  @Test
  void deleteRemovesTheFilesAndLaterUseStartsEmpty() throws Exception {
    ActorDatabases dbs = open();
    ActorDatabase db = dbs.forActor("del001");
    db.execute("CREATE TABLE t (v)");
    db.execute("INSERT INTO t VALUES (1)");
    Path file = dbs.file("del001");
    assertTrue(Files.exists(file));
    assertTrue(Files.exists(file.resolveSibling("del001.db-wal")));
    dbs.delete("del001");
    assertFalse(dbs.exists("del001"));
    for (String suffix : List.of("", "-wal", "-shm", "-journal", ".tmp")) {
      assertFalse(Files.exists(file.resolveSibling("del001.db" + suffix)), suffix);
    }
    assertEquals(0, dbs.openHandles());
    dbs.delete("del001"); // idempotent
    rivetError("error", () -> db.execute("SELECT * FROM t"));
    assertEquals(List.of(row("n", 0L)),
        db.execute("SELECT count(*) AS n FROM sqlite_schema"));
  }

  @Test
  void refusesActorIdsThatCannotNameAFile() {
    ActorDatabases dbs = open();
    for (String id : List.of("", "../x", "a/b", "a.b", "x".repeat(129))) {
      RivetError e = assertThrows(RivetError.class, () -> dbs.forActor(id));
      assertEquals("actor.invalid_request", e.qualifiedCode());
    }
  }

  @Test
  void theDatabaseSurvivesReopeningTheNode() {
    ActorDatabases first = open();
    first.forActor("re0001").execute("CREATE TABLE t (v)");
    first.forActor("re0001").execute("INSERT INTO t VALUES ('kept')");
    first.close();
    assertEquals(0, first.openHandles());
    rivetError("closed", () -> first.forActor("re0001").execute("SELECT 1"));
    ActorDatabases second = open();
    assertEquals(List.of(row("v", "kept")), second.forActor("re0001").execute("SELECT v FROM t"));
  }

  // ---- bindings ----

  @Test
  void bindsEveryPositionalType() {
    Database db = open().forActor("bind01");
    db.execute("CREATE TABLE t (i INTEGER PRIMARY KEY, v)");
    Object[] values = {null, true, false, (byte) -7, (short) 300, 70_000, 1L << 40, 1.5f, 2.25,
        new BigInteger("9223372036854775807"), new BigDecimal("12.000"), new BigDecimal("0.5"),
        "héllo", 'c', new byte[] {1, 2, 3}, Color.GREEN};
    for (Object v : values) {
      db.execute("INSERT INTO t (v) VALUES (?)", v);
    }
    List<Map<String, Object>> rows = db.execute("SELECT typeof(v) AS type, v FROM t ORDER BY i");
    Object[][] expected = {{"null", null}, {"integer", 1L}, {"integer", 0L}, {"integer", -7L},
        {"integer", 300L}, {"integer", 70_000L}, {"integer", 1L << 40}, {"real", 1.5},
        {"real", 2.25}, {"integer", Long.MAX_VALUE}, {"integer", 12L}, {"real", 0.5},
        {"text", "héllo"}, {"text", "c"}, {"blob", new byte[] {1, 2, 3}}, {"text", "GREEN"}};
    assertEquals(expected.length, rows.size());
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i][0], rows.get(i).get("type"), "row " + i);
      if (expected[i][1] instanceof byte[] bytes) {
        assertArrayEquals(bytes, (byte[]) rows.get(i).get("v"));
      } else {
        assertEquals(expected[i][1], rows.get(i).get("v"), "row " + i);
      }
    }
    assertEquals(List.of(row("b", 0L)),
        db.execute("SELECT length(?) AS b", (Object) new byte[0]));
  }

  @Test
  void refusesUnsupportedValuesAndWrongCounts() {
    Database db = open().forActor("bind02");
    RivetError e = rivetError("invalid_bind_parameter",
        () -> db.execute("SELECT ?", Instant.EPOCH));
    assertTrue(e.getMessage().contains("parameter 1 has type java.time.Instant"), e.getMessage());
    rivetError("invalid_bind_parameter", () -> db.execute("SELECT ?", List.of(1)));
    rivetError("invalid_bind_parameter", () -> db.execute("SELECT ?", new Object()));
    rivetError("invalid_bind_parameter",
        () -> db.execute("SELECT ?", new BigInteger("9223372036854775808")));
    RivetError count = rivetError("invalid_bind_parameter", () -> db.execute("SELECT ?, ?", 1));
    assertTrue(count.getMessage().contains("2 parameters but 1 value was given"),
        count.getMessage());
    rivetError("invalid_bind_parameter", () -> db.execute("SELECT ?"));
    rivetError("invalid_bind_parameter", () -> db.execute("SELECT 1", 1));
    // the connection is still usable afterwards
    assertEquals(List.of(row("?", 5L)), db.execute("SELECT ?", 5));
  }

  @Test
  void bindsNamedParametersWithEveryPrefix() {
    Database db = open().forActor("named1");
    db.execute("CREATE TABLE p (name TEXT, age INTEGER, note)");
    Map<String, Object> params = new HashMap<>();
    params.put("name", "ann");
    params.put("@age", 41);
    params.put("$note", null);
    db.executeNamed("INSERT INTO p VALUES (:name, @age, $note)", params);
    db.execute("INSERT INTO p VALUES (:name, :age, :name)", Map.of("name", "bob", "age", 7));
    assertEquals(List.of(row("name", "ann", "age", 41L, "note", null),
        row("name", "bob", "age", 7L, "note", "bob")), db.execute("SELECT * FROM p"));
    assertEquals(List.of(row("name", "bob")),
        db.executeNamed("SELECT name FROM p WHERE age < :max AND name <> ':max'",
            Map.of("max", 10)));
    RivetError missing = rivetError("invalid_bind_parameter",
        () -> db.executeNamed("SELECT :a, :b", Map.of("a", 1)));
    assertTrue(missing.getMessage().contains(":b"), missing.getMessage());
    rivetError("invalid_bind_parameter",
        () -> db.executeNamed("SELECT :a, ?", Map.of("a", 1)));
    rivetError("invalid_bind_parameter",
        () -> db.executeNamed("SELECT :a", Map.of("a", Instant.EPOCH)));
  }

  // ---- rows ----

  @Test
  void returnsRowsAsOrderedMapsOfSqliteValues() {
    Database db = open().forActor("rows01");
    List<Map<String, Object>> rows = db.execute("SELECT 3 AS z, 2.5 AS y, 'x' AS x,"
        + " x'00ff' AS w, NULL AS v, 9007199254740993 AS big");
    assertEquals(1, rows.size());
    Map<String, Object> r = rows.get(0);
    assertInstanceOf(LinkedHashMap.class, r);
    assertEquals(List.of("z", "y", "x", "w", "v", "big"), List.copyOf(r.keySet()));
    assertEquals(3L, r.get("z"));
    assertEquals(2.5, r.get("y"));
    assertEquals("x", r.get("x"));
    assertArrayEquals(new byte[] {0, (byte) 0xff}, (byte[]) r.get("w"));
    assertNull(r.get("v"));
    assertEquals(9007199254740993L, r.get("big"));
    assertEquals(List.of(), db.execute("SELECT 1 WHERE 0"));
    assertEquals(List.of(), db.execute("CREATE TABLE t (a)"));
    assertEquals(List.of(row("a", 1L)), db.execute("INSERT INTO t VALUES (1) RETURNING a"));
    assertEquals(List.of(), db.execute("  -- nothing to run\n"));
  }

  record Person(long id, String name, Integer age, double score, boolean active, Color color,
      byte[] avatar, String createdAt) {}

  static final class Pet {
    String name;
    int legs;
  }

  record Narrow(byte small) {}

  @Test
  void mapsRowsToRecordsClassesAndValues() {
    Database db = open().forActor("rec001");
    db.executeScript("""
        CREATE TABLE person (id INTEGER PRIMARY KEY, NAME TEXT, age INTEGER, score REAL,
          active INTEGER, color TEXT, avatar BLOB, created_at TEXT);
        INSERT INTO person VALUES (1, 'ann', 41, 3, 1, 'RED', x'01', '2024-01-01');
        INSERT INTO person VALUES (2, 'bob', NULL, 2.5, 0, 'GREEN', NULL, '2024-02-02');
        """);
    List<Person> people = db.query(Person.class, "SELECT * FROM person ORDER BY id");
    assertEquals(2, people.size());
    Person ann = people.get(0);
    assertEquals(1L, ann.id());
    assertEquals("ann", ann.name());
    assertEquals(41, ann.age());
    assertEquals(3.0, ann.score());
    assertTrue(ann.active());
    assertEquals(Color.RED, ann.color());
    assertArrayEquals(new byte[] {1}, ann.avatar());
    assertEquals("2024-01-01", ann.createdAt());
    Person bob = people.get(1);
    assertNull(bob.age());
    assertNull(bob.avatar());
    assertFalse(bob.active());
    assertEquals(Color.GREEN, bob.color());

    assertEquals(List.of(2L), db.query(Long.class, "SELECT count(*) FROM person"));
    assertEquals(List.of(2), db.query(int.class, "SELECT count(*) FROM person"));
    assertEquals(List.of("ann", "bob"),
        db.query(String.class, "SELECT name FROM person ORDER BY id"));
    db.execute("CREATE TABLE pet (name TEXT, legs INTEGER)");
    db.execute("INSERT INTO pet VALUES ('rex', 4)");
    Pet rex = db.query(Pet.class, "SELECT * FROM pet").get(0);
    assertEquals("rex", rex.name);
    assertEquals(4, rex.legs);

    RivetError missing = rivetError("error",
        () -> db.query(Person.class, "SELECT id, name FROM person"));
    assertTrue(missing.getMessage().contains("Person.age has no matching column"),
        missing.getMessage());
    RivetError nullPrimitive = rivetError("error",
        () -> db.query(Pet.class, "SELECT 'cat' AS name, NULL AS legs"));
    assertTrue(nullPrimitive.getMessage().contains("it is NULL"), nullPrimitive.getMessage());
    RivetError range = rivetError("error", () -> db.query(Narrow.class, "SELECT 300 AS small"));
    assertTrue(range.getMessage().contains("(Long 300) to Narrow.small of type byte"),
        range.getMessage());
    assertEquals(List.of(new Narrow((byte) -5)), db.query(Narrow.class, "SELECT -5.0 AS small"));
    rivetError("error", () -> db.query(Narrow.class, "SELECT 1.5 AS small"));
    rivetError("error", () -> db.query(Color.class, "SELECT 'BLUE'"));
    rivetError("error", () -> db.query(Long.class, "SELECT 1, 2"));
  }

  // ---- scripts and errors ----

  @Test
  void runsScriptsWithTriggersAndMultiStatementExecute() {
    Database db = open().forActor("script");
    db.executeScript("""
        CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER);
        CREATE TABLE log (id INTEGER, kind TEXT);
        -- a trigger body holds semicolons and CASE … END
        CREATE TRIGGER t_ins AFTER INSERT ON t BEGIN
          INSERT INTO log VALUES (new.id, CASE WHEN new.n > 0 THEN 'pos' ELSE 'neg' END);
        END;
        INSERT INTO t (n) VALUES (5), (-1);
        """);
    assertEquals(List.of(row("id", 1L, "kind", "pos"), row("id", 2L, "kind", "neg")),
        db.execute("SELECT * FROM log ORDER BY id"));
    assertEquals(List.of(row("a", 1L), row("b", 2L)),
        db.execute("SELECT 1 AS a; SELECT 2 AS b;"));
    rivetError("error", () -> db.execute("SELECT ?; SELECT 2", 1));
    rivetError("error", () -> db.executeScript("SELECT 1; SELECT ?"));
  }

  @Test
  void reportsSqlErrorsWithSqliteMessages() {
    Database db = open().forActor("errs01");
    RivetError syntax = rivetError("error", () -> db.execute("SELEC 1"));
    assertEquals("near \"SELEC\": syntax error", syntax.getMessage());
    assertEquals(Map.of("sql", "SELEC 1", "resultCode", "SQLITE_ERROR"),
        syntax.metadata().orElseThrow());
    db.execute("CREATE TABLE u (k TEXT UNIQUE)");
    db.execute("INSERT INTO u VALUES ('a')");
    RivetError unique = rivetError("error", () -> db.execute("INSERT INTO u VALUES (?)", "a"));
    assertEquals("UNIQUE constraint failed: u.k", unique.getMessage());
    assertEquals("SQLITE_CONSTRAINT_UNIQUE",
        ((Map<?, ?>) unique.metadata().orElseThrow()).get("resultCode"));
    rivetError("error", () -> db.execute("SELECT * FROM missing"));
    // the failed statement did not poison the cached one
    assertEquals(List.of(row("k", "a")), db.execute("SELECT k FROM u"));
  }

  @Test
  void refusesDdlOnReservedNames() {
    ActorDatabases dbs = open();
    Database db = dbs.forActor("rsv001");
    db.execute("CREATE TABLE t (a)");
    for (String sql : List.of("CREATE TABLE _rivet_state (a)",
        "CREATE TABLE IF NOT EXISTS \"_RIVET_X\" (a)", "CREATE INDEX i ON _rivet_t (a)",
        "DROP TABLE IF EXISTS main._rivet_q", "ALTER TABLE t RENAME TO _rivet_t",
        "CREATE VIEW _rivet_v AS SELECT 1")) {
      RivetError e = rivetError("reserved_name", () -> db.execute(sql));
      assertTrue(e.getMessage().contains("is reserved"), e.getMessage());
    }
    rivetError("reserved_name",
        () -> db.executeScript("CREATE TABLE ok1 (a); CREATE TABLE _rivet_late (a)"));
    assertEquals(List.of(row("name", "t")),
        db.execute("SELECT name FROM sqlite_schema WHERE type = 'table'"), "nothing ran");
    db.execute("CREATE TABLE rivet_ok (_rivet_column)");
  }

  // ---- transactions ----

  @Test
  void transactionCommitsOnReturnAndRollsBackOnThrow() {
    Database db = open().forActor("tx0001");
    db.execute("CREATE TABLE t (v)");
    String result = db.transaction(tx -> {
      tx.execute("INSERT INTO t VALUES (1)");
      tx.execute("INSERT INTO t VALUES (2)");
      return "ok";
    });
    assertEquals("ok", result);
    IllegalStateException boom = new IllegalStateException("boom");
    IllegalStateException thrown = assertThrows(IllegalStateException.class,
        () -> db.transaction(tx -> {
          tx.execute("INSERT INTO t VALUES (3)");
          tx.execute("DELETE FROM t WHERE v = 1");
          throw boom;
        }));
    assertSame(boom, thrown);
    RivetError sqlError = rivetError("error", () -> db.transaction(tx -> {
      tx.execute("INSERT INTO t VALUES (4)");
      return tx.execute("INSERT INTO nope VALUES (1)");
    }));
    assertTrue(sqlError.getMessage().contains("no such table: nope"));
    assertEquals(List.of(row("v", 1L), row("v", 2L)), db.execute("SELECT v FROM t ORDER BY v"));
  }

  @Test
  void nestedTransactionsAreSavepoints() {
    Database db = open().forActor("tx0002");
    db.execute("CREATE TABLE t (v)");
    db.transaction(tx -> {
      tx.execute("INSERT INTO t VALUES ('outer')");
      assertThrows(IllegalStateException.class, () -> tx.transaction(inner -> {
        inner.execute("INSERT INTO t VALUES ('inner-rolled-back')");
        throw new IllegalStateException("inner fails");
      }));
      tx.transaction(inner -> inner.execute("INSERT INTO t VALUES ('inner-kept')"));
      // the outer view used inside the callback joins the transaction
      db.execute("INSERT INTO t VALUES ('outer-view')");
      return null;
    });
    assertEquals(List.of("inner-kept", "outer", "outer-view"),
        db.query(String.class, "SELECT v FROM t ORDER BY v"));
    assertThrows(IllegalStateException.class, () -> db.transaction(tx -> {
      tx.transaction(inner -> inner.execute("INSERT INTO t VALUES ('discarded')"));
      db.transaction(viaOuter -> viaOuter.execute("INSERT INTO t VALUES ('discarded too')"));
      throw new IllegalStateException("outer fails");
    }));
    assertEquals(List.of(3L), db.query(Long.class, "SELECT count(*) FROM t"));
  }

  @Test
  void transactionExpiresAfterItsTimeout() {
    Database db = open().forActor("tx0003");
    db.execute("CREATE TABLE t (v)");
    RivetError e = rivetError("transaction_expired", () -> db.transaction(tx -> {
      tx.execute("INSERT INTO t VALUES (1)");
      clock.advance(Duration.ofSeconds(61));
      return tx.execute("INSERT INTO t VALUES (2)");
    }));
    assertTrue(e.getMessage().startsWith("SQLite transaction expired after 60000 ms and was"
        + " rolled back"), e.getMessage());
    // swallowing the error does not commit either
    rivetError("transaction_expired", () -> db.transaction(Duration.ofSeconds(5), tx -> {
      tx.execute("INSERT INTO t VALUES (3)");
      clock.advance(Duration.ofSeconds(6));
      assertThrows(RivetError.class, () -> tx.execute("INSERT INTO t VALUES (4)"));
      return null;
    }));
    assertEquals(List.of(0L), db.query(Long.class, "SELECT count(*) FROM t"));
    rivetError("transaction_invalid_argument",
        () -> db.transaction(Duration.ZERO, tx -> null));
  }

  @Test
  void aRunawayStatementIsInterruptedAtTheDeadline() {
    Database db = open().forActor("tx0004");
    db.execute("CREATE TABLE t (v)");
    clock.tickOnEveryRead(Duration.ofMillis(1));
    RivetError e = rivetError("transaction_expired", () -> db.transaction(
        Duration.ofMillis(500), tx -> {
          tx.execute("INSERT INTO t VALUES (1)");
          return tx.execute("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c)"
              + " SELECT count(*) FROM c");
        }));
    assertTrue(e.getMessage().contains("after 500 ms"), e.getMessage());
    clock.tickOnEveryRead(Duration.ZERO);
    assertEquals(List.of(0L), db.query(Long.class, "SELECT count(*) FROM t"));
  }

  @Test
  void transactionViewsAreBoundToTheirTransactionAndThread() throws Exception {
    Database db = open().forActor("tx0005");
    db.execute("CREATE TABLE t (v)");
    Database[] escaped = new Database[1];
    db.transaction(tx -> {
      escaped[0] = tx;
      CompletableFuture<RivetError> other = CompletableFuture.supplyAsync(() ->
          assertThrows(RivetError.class, () -> tx.execute("SELECT 1")));
      assertEquals("sqlite.transaction_invalid_argument", other.join().qualifiedCode());
      rivetError("transaction_invalid_argument", () -> tx.execute("COMMIT"));
      rivetError("transaction_invalid_argument", () -> db.execute("BEGIN"));
      return null;
    });
    rivetError("transaction_closed", () -> escaped[0].execute("SELECT 1"));
  }

  @Test
  void manualTransactionsWorkAndPinTheirConnection() {
    ActorDatabases dbs = open(DbOptions.defaults().withMaxOpen(2));
    Database db = dbs.forActor("manual");
    db.execute("CREATE TABLE t (v)");
    db.execute("BEGIN");
    db.execute("INSERT INTO t VALUES ('pending')");
    for (int i = 0; i < 5; i++) {
      dbs.forActor("other" + i).execute("SELECT 1");
    }
    rivetError("error", () -> db.transaction(tx -> tx.execute("SELECT 1")));
    db.execute("COMMIT");
    assertEquals(List.of("pending"), db.query(String.class, "SELECT v FROM t"));
    assertEquals(2, dbs.openHandles());
    assertEquals(1, db.transaction(tx -> tx.execute("SELECT 1 AS one")).size());
  }

  @Test
  void waitingOperationsAreBoundedPerActor() throws Exception {
    ActorDatabases dbs = open(DbOptions.defaults().withMaxQueuedOperations(2));
    Database db = dbs.forActor("queue1");
    db.execute("CREATE TABLE t (v)");
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      Future<?> holder = pool.submit(() -> db.transaction(tx -> {
        tx.execute("INSERT INTO t VALUES ('first')");
        inside.countDown();
        await(finish);
        return null;
      }));
      assertTrue(inside.await(30, TimeUnit.SECONDS));
      List<Future<?>> waiters = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        int n = i;
        waiters.add(pool.submit(() -> db.execute("INSERT INTO t VALUES (?)", "queued" + n)));
      }
      awaitCondition(() -> dbs.pins("queue1") == 3);
      rivetError("transaction_queue_full", () -> db.execute("SELECT 1"));
      finish.countDown();
      holder.get(30, TimeUnit.SECONDS);
      for (Future<?> w : waiters) {
        w.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(List.of(3L), db.query(Long.class, "SELECT count(*) FROM t"));
  }

  @Test
  void closedViewsFail() {
    ActorDatabases dbs = open();
    ActorDatabase db = dbs.forActor("closed");
    db.execute("SELECT 1");
    db.close();
    RivetError e = rivetError("closed", () -> db.execute("SELECT 1"));
    assertTrue(e.getMessage().startsWith("Database is closed"));
    rivetError("closed", () -> db.transaction(tx -> null));
    assertEquals(List.of(row("1", 1L)), dbs.forActor("closed").execute("SELECT 1"));
  }

  // ---- the LRU ----

  @Test
  void keepsAtMostTheCapOpenAndReopensOnDemand() {
    ActorDatabases dbs = open(DbOptions.defaults().withMaxOpen(8));
    assertEquals(8, dbs.maxOpen());
    List<Database> actors = new ArrayList<>();
    for (int a = 0; a < 50; a++) {
      Database db = dbs.forActor(String.format("lru%03d", a));
      actors.add(db);
      db.execute("CREATE TABLE t (round INTEGER, actor INTEGER)");
      assertTrue(dbs.openHandles() <= 8, "open " + dbs.openHandles());
    }
    for (int round = 0; round < 5; round++) {
      for (int a = 0; a < 50; a++) {
        int actor = (a * 7 + round * 13) % 50;
        actors.get(actor).execute("INSERT INTO t VALUES (?, ?)", round, actor);
        assertTrue(dbs.openHandles() <= 8, "open " + dbs.openHandles());
      }
    }
    for (int a = 0; a < 50; a++) {
      assertEquals(List.of(row("n", 5L, "rounds", 10L, "actors", 5L * a)),
          actors.get(a).execute("SELECT count(*) AS n, sum(round) AS rounds, sum(actor) AS actors"
              + " FROM t"));
    }
    assertEquals(8, dbs.openHandles());
  }

  @Test
  void concurrentUseOfManyActorsKeepsEveryRow() throws Exception {
    ActorDatabases dbs = open(DbOptions.defaults().withMaxOpen(8));
    int actors = 40;
    int threads = 4;
    int perThread = 100;
    for (int a = 0; a < actors; a++) {
      dbs.forActor("con" + a).execute("CREATE TABLE t (thread INTEGER, i INTEGER)");
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          for (int i = 0; i < perThread; i++) {
            int n = i;
            Database db = dbs.forActor("con" + ((i + thread * 11) % actors));
            if (i % 3 == 0) {
              db.transaction(tx -> tx.execute("INSERT INTO t VALUES (?, ?)", thread, n));
            } else {
              db.execute("INSERT INTO t VALUES (?, ?)", thread, n);
            }
          }
        }));
      }
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    long total = 0;
    for (int a = 0; a < actors; a++) {
      total += dbs.forActor("con" + a).query(Long.class, "SELECT count(*) FROM t").get(0);
    }
    assertEquals((long) threads * perThread, total);
    assertTrue(dbs.openHandles() <= 8, "open " + dbs.openHandles());
  }

  @Test
  void lowersTheCapToFitTheDescriptorLimit() {
    assertEquals(2_000, ActorDatabases.effectiveMaxOpen(2_000, 20_000));
    assertEquals(170, ActorDatabases.effectiveMaxOpen(2_000, 1_024));
    assertEquals(8, ActorDatabases.effectiveMaxOpen(2_000, 256));
    assertEquals(2_000, ActorDatabases.effectiveMaxOpen(2_000, -1));
    assertEquals(4, ActorDatabases.effectiveMaxOpen(4, 256));
    assertTrue(ActorDatabases.openFileLimit() > 0 || !Files.exists(Path.of("/proc/self/limits")));
  }

  // ---- migrations ----

  @Test
  void migrationsCreateThenUpgradeTheSchema() throws Exception {
    ActorDatabases v1 = open();
    v1.migrate("mig001", db -> db.executeScript("""
        CREATE TABLE IF NOT EXISTS items (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
        PRAGMA user_version = 1;
        """));
    v1.migrate("mig001", db -> db.execute("CREATE TABLE IF NOT EXISTS items (id, name)"));
    v1.forActor("mig001").execute("INSERT INTO items (name) VALUES ('old')");
    v1.close();

    ActorDatabases v2 = open();
    for (int start = 0; start < 2; start++) { // on every start; the second is a no-op
      v2.migrate("mig001", ActorDatabasesTest::upgradeToV2);
    }
    Database db = v2.forActor("mig001");
    assertEquals(List.of(2L), db.query(Long.class, "PRAGMA user_version"));
    assertEquals(List.of(row("id", 1L, "name", "old", "qty", 0L)),
        db.execute("SELECT * FROM items"));
    db.execute("INSERT INTO tags (item, tag) VALUES (1, 'x')");
    assertEquals(List.of("x"), db.query(String.class, "SELECT tag FROM tags"));
  }

  private static void upgradeToV2(Database db) {
    db.execute("CREATE TABLE IF NOT EXISTS items (id INTEGER PRIMARY KEY, name TEXT NOT NULL)");
    long version = db.query(Long.class, "PRAGMA user_version").get(0);
    if (version < 2) {
      db.execute("ALTER TABLE items ADD COLUMN qty INTEGER NOT NULL DEFAULT 0");
      db.execute("CREATE TABLE tags (item INTEGER, tag TEXT)");
      db.execute("PRAGMA user_version = 2");
    }
  }

  @Test
  void newActorsOfAReproducibleMigrationStartFromAMigratedSpare() throws Exception {
    ActorDatabases dbs = open();
    java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();
    io.rivet4j.api.Actor.Migration migration = db -> {
      runs.incrementAndGet();
      db.executeScript("""
          CREATE TABLE IF NOT EXISTS items (id INTEGER PRIMARY KEY, body TEXT NOT NULL);
          CREATE INDEX IF NOT EXISTS items_body ON items (body);
          """);
    };
    dbs.migrate("rep001", "items", migration); // the first create starts the check
    MigratedSpares spares = dbs.migratedSpares("items");
    assertTrue(spares.awaitSpare(Duration.ofSeconds(30)), "a migrated spare is ready");
    assertTrue(spares.ready());
    assertEquals(4, runs.get(), "rep001 + two runs on empty files + one rerun");

    dbs.migrate("rep002", "items", migration);
    assertEquals(1, spares.claimed());
    assertEquals(5, runs.get(), "the migration still runs on every start");
    Path wal = dbs.file("rep002").resolveSibling("rep002.db-wal");
    assertEquals(0, Files.exists(wal) ? Files.size(wal) : 0, "its migration wrote nothing");
    Database db = dbs.forActor("rep002");
    db.execute("INSERT INTO items (body) VALUES ('x')");
    assertEquals(List.of("x"), db.query(String.class, "SELECT body FROM items"));
    assertEquals(List.of("items_body"), db.query(String.class,
        "SELECT name FROM sqlite_schema WHERE type = 'index'"));
    dbs.close();
    try (var files = Files.list(directory.resolve("__"))) { // the check's files are gone
      assertEquals(List.of(), files.toList());
    }
    ActorDatabases again = open(); // and the row is on disk
    assertEquals(List.of("x"), again.forActor("rep002").query(String.class,
        "SELECT body FROM items"));
  }

  @Test
  void aMigrationThatLeavesRowsRunsOnEveryNewFile() throws Exception {
    ActorDatabases dbs = open();
    // the same rows in every run (within one day), but they must be of each actor's making
    io.rivet4j.api.Actor.Migration dated = db -> db.executeScript("""
        CREATE TABLE IF NOT EXISTS born ("on" TEXT NOT NULL);
        INSERT INTO born SELECT date('now') WHERE NOT EXISTS (SELECT 1 FROM born);
        """);
    dbs.migrate("dat001", "dated", dated);
    assertFalse(dbs.migratedSpares("dated").awaitSpare(Duration.ofSeconds(30)));
    assertTrue(dbs.migratedSpares("dated").unsuitable());
    dbs.migrate("dat002", "dated", dated);
    assertEquals(0, dbs.migratedSpares("dated").claimed());
    assertEquals(1, dbs.forActor("dat002").query(String.class, "SELECT \"on\" FROM born").size());
  }

  @Test
  void aMigrationThatIsNotReproducibleRunsOnEveryNewFile() throws Exception {
    ActorDatabases dbs = open();
    io.rivet4j.api.Actor.Migration seeded = db -> db.executeScript("""
        CREATE TABLE IF NOT EXISTS seed (v INTEGER NOT NULL);
        INSERT INTO seed SELECT random() WHERE NOT EXISTS (SELECT 1 FROM seed);
        """);
    io.rivet4j.api.Actor.Migration counted = db -> db.executeScript("""
        CREATE TABLE IF NOT EXISTS starts (n INTEGER PRIMARY KEY);
        INSERT INTO starts DEFAULT VALUES;
        """);
    io.rivet4j.api.Actor.Migration recreated = db -> db.executeScript("""
        DROP TABLE IF EXISTS scratch;
        CREATE TABLE scratch (x);
        """); // schema only and reproducible, but it writes on every run
    dbs.migrate("nrp001", "seeded", seeded);
    dbs.migrate("nrp101", "counted", counted);
    dbs.migrate("nrp201", "recreated", recreated);
    for (String type : List.of("seeded", "counted", "recreated")) {
      assertFalse(dbs.migratedSpares(type).awaitSpare(Duration.ofSeconds(30)), type);
      assertTrue(dbs.migratedSpares(type).unsuitable(), type);
    }
    dbs.migrate("nrp002", "seeded", seeded);
    dbs.migrate("nrp102", "counted", counted);
    assertEquals(0, dbs.migratedSpares("seeded").claimed());
    List<Long> a = dbs.forActor("nrp001").query(Long.class, "SELECT v FROM seed");
    List<Long> b = dbs.forActor("nrp002").query(Long.class, "SELECT v FROM seed");
    assertEquals(1, a.size());
    assertEquals(1, b.size());
    assertFalse(a.equals(b), "each actor has its own random seed");
    assertEquals(List.of(1L), dbs.forActor("nrp102").query(Long.class, "SELECT n FROM starts"));
    dbs.migrate("nrp102", "counted", counted); // a second start
    assertEquals(List.of(1L, 2L), dbs.forActor("nrp102").query(Long.class,
        "SELECT n FROM starts ORDER BY n"));
  }

  @Test
  void aFailingMigrationLeavesNothingBehind() throws Exception {
    ActorDatabases dbs = open();
    dbs.migrate("mig002", db -> db.execute("CREATE TABLE keep (v)"));
    Exception checked = new java.io.IOException("migration step failed");
    Exception thrown = assertThrows(Exception.class, () -> dbs.migrate("mig002", db -> {
      db.execute("CREATE TABLE half (v)");
      db.execute("INSERT INTO keep VALUES (1)");
      db.execute("PRAGMA user_version = 7");
      throw checked;
    }));
    assertSame(checked, thrown);
    Database db = dbs.forActor("mig002");
    assertEquals(List.of("keep"),
        db.query(String.class, "SELECT name FROM sqlite_schema WHERE type = 'table'"));
    assertEquals(List.of(0L), db.query(Long.class, "SELECT count(*) FROM keep"));
    assertEquals(List.of(0L), db.query(Long.class, "PRAGMA user_version"));
    RivetError late = rivetError("transaction_expired", () -> dbs.migrate("mig002", m -> {
      m.execute("CREATE TABLE slow (v)");
      clock.advance(Duration.ofSeconds(31));
    }));
    assertTrue(late.getMessage().contains("after 30000 ms"), late.getMessage());
    assertEquals(List.of(1L), db.query(Long.class,
        "SELECT count(*) FROM sqlite_schema WHERE type = 'table'"));
  }

  // ---- helpers ----

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(30, TimeUnit.SECONDS)) {
        throw new AssertionError("latch not released within 30 s");
      }
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  private static void awaitCondition(Supplier<Boolean> condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.get()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not reached within 30 s");
      }
      Thread.onSpinWait();
    }
  }
}
