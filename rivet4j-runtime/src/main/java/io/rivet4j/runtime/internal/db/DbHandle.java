package io.rivet4j.runtime.internal.db;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.InstantSource;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.sqlite.ProgressHandler;
import org.sqlite.SQLiteConnection;

/**
 * One actor's slot in {@link ActorDatabases}: at most one SQLite connection, its prepared
 * statements and the transaction running on it.
 *
 * <p>Concurrency: {@link #use} (fair, so waiters run FIFO like RivetKit's transaction queue)
 * serializes every operation; the connection, the statements and {@link #tx} are touched only
 * by its holder. {@link #pins}, {@link #retired} and {@link #closing} are guarded by the owner's
 * lock. {@link #deadlineMillis} and {@link #manualTransaction} are volatile: the first is read
 * by SQLite's progress callback, the second by the owner's eviction scan.
 *
 * <p>Lifecycle: created unopened; {@link #connection()} opens it (creating the file) on first
 * use; once retired (evicted, deleted or shut down) it is closed by whoever drops its last pin
 * and is never reopened; a newer handle of the same actor waits for {@link #predecessor} to be
 * closed before it opens, so one file never has two connections.
 */
final class DbHandle {
  private static final long NO_DEADLINE = Long.MAX_VALUE;
  /** SQLite virtual-machine steps between two deadline checks of a running statement. */
  private static final int PROGRESS_STEPS = 20_000;

  final String actorId;
  final Path file;
  final ReentrantLock use = new ReentrantLock(true);
  private final ActorDatabases owner;
  private final CountDownLatch closedSignal = new CountDownLatch(1);
  private DbHandle predecessor;

  // guarded by owner's lock
  int pins;
  boolean retired;
  boolean closing;

  volatile long deadlineMillis = NO_DEADLINE;
  volatile boolean manualTransaction;

  // guarded by use
  private SQLiteConnection conn;
  private Map<String, PreparedStatement> statements;
  /** The transaction running on this handle, if any (its owner thread holds {@link #use}). */
  TxState tx;

  DbHandle(ActorDatabases owner, String actorId, Path file, DbHandle predecessor) {
    this.owner = owner;
    this.actorId = actorId;
    this.file = file;
    this.predecessor = predecessor;
  }

  boolean isOpen() {
    return conn != null;
  }

  /** The connection, opened (and the file created) on first use. Caller holds {@link #use}. */
  SQLiteConnection connection() throws SQLException {
    if (conn == null) {
      DbHandle before = predecessor;
      if (before != null) {
        before.awaitClosed(owner.options().busyTimeout().toMillis() + 5_000);
        predecessor = null;
      }
      conn = owner.openConnection(this);
      owner.opened();
      statements = new LinkedHashMap<>(16, 0.75f, true);
      try {
        InstantSource clock = owner.clock();
        ProgressHandler.setHandler(conn, PROGRESS_STEPS, new ProgressHandler() {
          @Override
          protected int progress() {
            long d = deadlineMillis;
            return d != NO_DEADLINE && clock.millis() > d ? 1 : 0;
          }
        });
      } catch (SQLException | RuntimeException e) {
        closeQuietly();
        throw e;
      }
    }
    return conn;
  }

  /** A prepared statement for {@code sql}; cached ones are reused (caller holds {@link #use}). */
  PreparedStatement prepare(String sql, boolean cache) throws SQLException {
    SQLiteConnection c = connection();
    int capacity = owner.options().statementCacheSize();
    if (!cache || capacity == 0) {
      return c.prepareStatement(sql);
    }
    PreparedStatement ps = statements.get(sql);
    if (ps != null && !ps.isClosed()) {
      return ps;
    }
    ps = c.prepareStatement(sql);
    statements.put(sql, ps);
    if (statements.size() > capacity) {
      Iterator<PreparedStatement> it = statements.values().iterator();
      PreparedStatement eldest = it.next();
      it.remove();
      closeStatement(eldest);
    }
    return ps;
  }

  /** After a statement ran: closes it unless it sits in the cache. */
  void done(String sql, PreparedStatement ps, boolean failed) {
    PreparedStatement cached = statements == null ? null : statements.get(sql);
    if (cached == ps && !failed) {
      try {
        ps.clearParameters();
        return;
      } catch (SQLException e) {
        // fall through: drop it
      }
    }
    if (cached == ps) {
      statements.remove(sql);
    }
    closeStatement(ps);
  }

  /** Runs SQL that returns nothing (transaction control); caller holds {@link #use}. */
  void exec(String sql) throws SQLException {
    try (Statement s = connection().createStatement()) {
      s.execute(sql);
    }
  }

  /** True when SQLite has an open transaction (probed with a no-op BEGIN). */
  boolean inTransaction() throws SQLException {
    try (Statement s = connection().createStatement()) {
      try {
        s.execute("BEGIN DEFERRED");
      } catch (SQLException e) {
        if (DbErrors.sqliteMessage(e).contains("within a transaction")) {
          return true;
        }
        throw e;
      }
      s.execute("COMMIT");
      return false;
    }
  }

  /** Closes statements and connection; the file is checkpointed and its WAL removed. */
  void closeQuietly() {
    if (statements != null) {
      for (PreparedStatement ps : statements.values()) {
        closeStatement(ps);
      }
      statements = null;
    }
    if (conn != null) {
      try {
        conn.close();
      } catch (SQLException e) {
        owner.log().warn("closing the database of actor {} failed: {}", actorId, e.toString());
      }
      conn = null;
      owner.closed();
    }
    tx = null;
    manualTransaction = false;
  }

  /**
   * Closes a retired handle for good: after its predecessor (so releases happen in order), under
   * {@link #use} (so the connection written by other threads is seen), then wakes successors.
   */
  void retire(long waitMillis) {
    boolean locked = false;
    try {
      locked = use.tryLock(waitMillis, TimeUnit.MILLISECONDS);
      if (!locked) {
        owner.log().warn("closing the database of actor {}: still in use after {} ms; closing"
            + " anyway", actorId, waitMillis);
      }
      DbHandle before = predecessor;
      if (before != null) {
        before.awaitClosed(waitMillis);
        predecessor = null;
      }
      closeQuietly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closeQuietly();
    } finally {
      if (locked) {
        use.unlock();
      }
      closedSignal.countDown();
    }
  }

  /** Waits (bounded) for the handle this one replaces to close; true when it has. */
  boolean awaitPredecessor(long millis) {
    DbHandle before = predecessor;
    if (before == null) {
      return true;
    }
    try {
      return before.closedSignal.await(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw DbErrors.unavailable("interrupted while waiting for the database of actor "
          + actorId, e);
    }
  }

  void signalClosed() {
    closedSignal.countDown();
  }

  /** Waits (bounded) until this handle has released its file. */
  void awaitClosed(long millis) {
    try {
      if (!closedSignal.await(millis, TimeUnit.MILLISECONDS)) {
        owner.log().warn("the previous connection of actor {} did not close within {} ms",
            actorId, millis);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw DbErrors.unavailable("interrupted while waiting for the database of actor "
          + actorId, e);
    }
  }

  private static void closeStatement(PreparedStatement ps) {
    try {
      ps.close();
    } catch (SQLException ignored) {
      // the statement is dropped either way
    }
  }
}
