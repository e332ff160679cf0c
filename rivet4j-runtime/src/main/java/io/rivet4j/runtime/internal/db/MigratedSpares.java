package io.rivet4j.runtime.internal.db;

import io.rivet4j.api.Actor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * Spare database files that already hold one actor type's migrated schema, so that creating an
 * actor of that type writes nothing to its database: its {@code onMigrate} still runs (on every
 * start, as always), finds everything in place and commits nothing, so no fsync is on the path.
 *
 * <p>Only for a <em>schema-only, reproducible</em> migration: its result holds no rows (tables,
 * indexes, views, triggers, pragmas only: a row could hold the time or a random value of the
 * template's making, even one that two runs happen to agree on), run on two empty databases it
 * gives the same bytes, and run again on its result it writes nothing. A migration that inserts
 * rows, writes on every run, or fails is left alone: that type keeps using empty spares, exactly
 * as without this class. The check runs once per type, in the background,
 * on databases under reserved actor ids ({@code __m…}: generated ids never contain {@code _}).
 *
 * <p>Durability: a claimed file's directory entry is not fsynced on the create path. If a crash
 * loses it before the actor's first commit (whose WAL sync covers the directory), the next start
 * finds no file and makes the same one again: the content is the migration's own result.
 *
 * <p>Concurrency: {@code state} and {@code spares} are guarded by {@code this}; the build runs
 * once, on its own virtual thread.
 */
final class MigratedSpares {
  /** The shard directory of the reserved ids' files. */
  static final String RESERVED_SHARD = "__";

  private enum State { NEW, BUILDING, READY, UNSUITABLE }

  private final ActorDatabases databases;
  private final String typeName;
  private final Actor.Migration migration;
  private final int index;
  private final Path dir;
  private final int target;
  private final Logger log;
  private final CompletableFuture<Void> checked = new CompletableFuture<>();
  private State state = State.NEW; // [this]
  private SpareFiles spares; // [this] set in READY
  private boolean closed; // [this]
  private int claimed; // [this]
  private Thread builder; // [this]

  MigratedSpares(ActorDatabases databases, String typeName, Actor.Migration migration, int index,
      Path dir, int target, Logger log) {
    this.databases = databases;
    this.typeName = typeName;
    this.migration = migration;
    this.index = index;
    this.dir = dir;
    this.target = target;
    this.log = log;
  }

  /**
   * Puts a migrated spare at {@code file} (which must not exist); false while none is ready or
   * the migration is not reproducible (the first call starts the check).
   */
  boolean claim(Path file) {
    SpareFiles s;
    synchronized (this) {
      if (state == State.NEW && !closed) {
        state = State.BUILDING;
        builder = Thread.ofVirtual().name("rivet4j-db-migrated-spares").start(this::build);
      }
      if (state != State.READY) {
        return false;
      }
      s = spares;
    }
    boolean got = s.claim(file);
    if (got) {
      synchronized (this) {
        claimed++;
      }
    }
    return got;
  }

  /** Files claimed so far (for tests). */
  synchronized int claimed() {
    return claimed;
  }

  /**
   * Waits (at most {@code timeout}) for the check to finish and, if the migration qualified, for
   * a first spare; true when one is ready (for tests).
   */
  boolean awaitSpare(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    checked.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    SpareFiles s;
    synchronized (this) {
      s = spares;
    }
    return s != null && s.awaitReady(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
  }

  /** True once migrated spares are being made (for tests). */
  synchronized boolean ready() {
    return state == State.READY;
  }

  /** True once the migration was found not reproducible (for tests). */
  synchronized boolean unsuitable() {
    return state == State.UNSUITABLE;
  }

  /** Stops making spares; waits (bounded) for a check in progress, so nothing is written after. */
  void close() {
    Thread b;
    synchronized (this) {
      closed = true;
      b = builder;
    }
    ActorDatabases.joinQuietly(b);
    SpareFiles s;
    synchronized (this) {
      s = spares;
      spares = null;
    }
    if (s != null) {
      s.close();
    }
  }

  private void build() {
    String why;
    byte[] bytes = null;
    try {
      byte[] first = migrated("a");
      byte[] second = migrated("b");
      if (!Arrays.equals(first, second)) {
        why = "two runs on empty databases gave different files";
      } else if (writesOnRerun(first)) {
        why = "it writes every time it runs";
      } else {
        why = null;
        bytes = first;
      }
    } catch (NotSchemaOnly e) {
      why = e.getMessage();
    } catch (Exception | AssertionError e) {
      why = "it failed on an empty database: " + e;
    }
    SpareFiles ready = null;
    synchronized (this) {
      if (why != null || closed) {
        state = State.UNSUITABLE;
      } else {
        byte[] template = bytes;
        ready = new SpareFiles(dir, target, () -> template, log);
        spares = ready;
        state = State.READY;
      }
    }
    if (ready != null) {
      ready.start();
      log.debug("actor type {}: new databases start from a migrated template ({} bytes)",
          typeName, bytes.length);
    } else if (why != null) {
      log.debug("actor type {}: new databases are migrated one by one: {}", typeName, why);
    }
    checked.complete(null);
  }

  /** Runs the migration on a fresh database and returns its file once closed (WAL folded in). */
  private byte[] migrated(String suffix) throws Exception {
    String id = reservedId(suffix);
    try {
      databases.migrate(id, migration);
      ActorDatabase db = databases.forActor(id);
      String table = aTableWithRows(db);
      db.close(); // closes the connection: the WAL is folded into the file
      if (table != null) {
        throw new NotSchemaOnly(table);
      }
      return Files.readAllBytes(databases.file(id));
    } finally {
      databases.delete(id);
    }
  }

  /** True when the migration, run on a file holding {@code bytes}, commits anything. */
  private boolean writesOnRerun(byte[] bytes) throws Exception {
    String id = reservedId("c");
    Path file = databases.file(id);
    try {
      Files.createDirectories(file.getParent());
      Files.write(file, bytes);
      databases.migrate(id, migration);
      Path wal = file.resolveSibling(file.getFileName() + "-wal");
      boolean wrote = Files.exists(wal) && Files.size(wal) > 0;
      databases.closeIdle(id);
      return wrote || !Arrays.equals(bytes, Files.readAllBytes(file));
    } catch (IOException e) {
      throw new IOException("cannot check the migration of " + typeName + ": " + e, e);
    } finally {
      databases.delete(id);
    }
  }

  /** The name of a table of {@code db} that holds a row, or null. */
  private static String aTableWithRows(ActorDatabase db) {
    for (String table : db.query(String.class, "SELECT name FROM sqlite_schema WHERE type ="
        + " 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")) {
      String quoted = '"' + table.replace("\"", "\"\"") + '"';
      if (!db.query(Long.class, "SELECT count(*) FROM (SELECT 1 FROM " + quoted + " LIMIT 1)")
          .equals(java.util.List.of(0L))) {
        return table;
      }
    }
    return null;
  }

  /** The migration left rows behind. */
  private static final class NotSchemaOnly extends Exception {
    NotSchemaOnly(String table) {
      super("it leaves rows (in table " + table + ")", null, false, false);
    }
  }

  private String reservedId(String suffix) {
    return RESERVED_SHARD + "m" + index + suffix;
  }
}
