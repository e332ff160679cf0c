package io.rivet4j.runtime.internal.db;

import io.rivet4j.api.Database;
import io.rivet4j.api.RivetError;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * One actor's database as its code sees it ({@code c.db()}): a light view that borrows the
 * actor's connection from {@link ActorDatabases} for each call. A view made by
 * {@link #transaction} runs its statements inside that transaction.
 *
 * <p>Concurrency: any thread may call a plain view; calls of one actor queue FIFO on its handle
 * (at most {@link DbOptions#maxQueuedOperations()} waiting). A transaction's view belongs to the
 * thread that runs the callback. Inside a callback, the outer view joins the running
 * transaction instead of deadlocking (RivetKit deadlocks until the timeout there).
 *
 * <p>Lifecycle: {@link #close()} (the runtime calls it when the actor stops) makes every later
 * call fail with {@code sqlite.closed} and closes the actor's connection if nothing uses it.
 *
 * <p>Persistence: outside a transaction each statement commits on its own; a commit returns only
 * after SQLite has fsynced the WAL ({@code synchronous=FULL}).
 *
 * <p>Transactions: {@code BEGIN IMMEDIATE} runs at the first statement (an empty transaction
 * touches nothing), {@code COMMIT} when the callback returns, {@code ROLLBACK} when it throws
 * (the exception is rethrown as it is) or when the timeout has passed ({@code
 * sqlite.transaction_expired}; checked before each statement and at commit, and a statement
 * still running at the deadline is interrupted). A transaction started inside another one is a
 * {@code SAVEPOINT}: its failure undoes only its own work, its timeout never outlasts the outer
 * one, and its work commits with the outer transaction.
 */
public final class ActorDatabase implements Database {
  private final ActorDatabases owner;
  private final String actorId;
  private final ActorDatabase root;
  private final TxState tx;
  private final StateHook state; // root views only; null unless the actor keeps state here
  private volatile boolean closed;
  private volatile boolean warnedManualTransaction;

  ActorDatabase(ActorDatabases owner, String actorId, StateHook state) {
    this.owner = owner;
    this.actorId = actorId;
    this.root = this;
    this.tx = null;
    this.state = state;
  }

  private ActorDatabase(ActorDatabase root, TxState tx) {
    this.owner = root.owner;
    this.actorId = root.actorId;
    this.root = root;
    this.tx = tx;
    this.state = null;
  }

  /** A statement body that may throw checked exceptions (migrations do). */
  @FunctionalInterface
  interface TxWork<T> {
    T run(Database db) throws Exception;
  }

  public String actorId() {
    return actorId;
  }

  /**
   * Ends this view, as RivetKit closes {@code c.db} when the actor stops: later calls on it (and
   * on transactions made from it) fail with {@code sqlite.closed}. The actor's connection is
   * closed too unless another call is using it (the WAL is checkpointed; a transaction begun
   * with {@code execute("BEGIN")} and never finished is rolled back). Idempotent.
   */
  public void close() {
    root.closed = true;
    owner.closeIdle(actorId, true);
  }

  /**
   * As {@link Database#execute}; as in RivetKit, a single {@code Map} argument binds by name,
   * and SQL of several statements runs them all (without arguments only) and returns the rows
   * of every one.
   */
  @Override
  public List<Map<String, Object>> execute(String sql, Object... args) {
    Objects.requireNonNull(sql, "sql");
    if (args != null && args.length == 1 && args[0] instanceof Map<?, ?> named) {
      return run(sql, Binder.named(named), false);
    }
    return run(sql, Binder.positional(args), false);
  }

  @Override
  public List<Map<String, Object>> executeNamed(String sql, Map<String, ?> params) {
    Objects.requireNonNull(sql, "sql");
    Objects.requireNonNull(params, "params");
    return run(sql, Binder.named(params), false);
  }

  @Override
  public <T> List<T> query(Class<T> rowType, String sql, Object... args) {
    Objects.requireNonNull(rowType, "rowType");
    return RowMapper.map(rowType, execute(sql, args), sql);
  }

  @Override
  public void executeScript(String sql) {
    Objects.requireNonNull(sql, "sql");
    run(sql, Binder.positional(Binder.NONE), true);
  }

  @Override
  public <T> T transaction(Function<Database, T> work) {
    return transaction(owner.options().transactionTimeout(), work);
  }

  @Override
  public <T> T transaction(Duration timeout, Function<Database, T> work) {
    Objects.requireNonNull(work, "work");
    try {
      return transact(timeout, work::apply);
    } catch (Exception e) {
      throw ActorDatabase.<RuntimeException>sneaky(e);
    }
  }

  // ---- statements ----

  private List<Map<String, Object>> run(String sql, Binder binder, boolean script) {
    io.rivet4j.runtime.internal.BlockingCalls.mark();
    ensureOpen();
    List<SqlScanner.Stmt> statements = SqlScanner.parse(sql).statements();
    if (statements.isEmpty()) {
      return List.of();
    }
    if (statements.size() > 1 && !binder.isEmpty()) {
      throw DbErrors.usage("bindings apply to one statement, but this SQL holds "
          + statements.size() + "; run them one at a time, or use executeScript without"
          + " bindings", sql);
    }
    boolean txControl = false;
    for (int i = 0; i < statements.size(); i++) {
      SqlScanner.Stmt s = statements.get(i);
      if (s.reservedName() != null) {
        throw DbErrors.reserved(s.reservedName(), s.sql());
      }
      if (script && (s.positional() || s.hasNamed())) {
        throw DbErrors.usage("executeScript takes no bindings, but statement " + (i + 1)
            + " has parameters; use execute(sql, args...) for it", s.sql());
      }
      txControl |= s.txControl();
    }
    boolean control = txControl;
    return withHandle(control, (h, t) -> {
      List<Map<String, Object>> rows = statements.size() == 1 ? null : new ArrayList<>();
      for (SqlScanner.Stmt s : statements) {
        List<Map<String, Object>> r = runOne(h, s, binder, t);
        if (rows == null) {
          return r;
        }
        rows.addAll(r);
      }
      return rows;
    });
  }

  private interface HandleWork {
    List<Map<String, Object>> run(DbHandle h, TxState t) throws SQLException;
  }

  /** Runs {@code work} on this actor's handle: the transaction's, or a borrowed one. */
  private List<Map<String, Object>> withHandle(boolean txControl, HandleWork work) {
    if (tx != null) {
      checkTransactionView();
      if (txControl) {
        throw transactionControlInside();
      }
      return inTransaction(tx, work);
    }
    DbHandle h = owner.acquire(actorId);
    try {
      TxState running = h.tx;
      if (running != null) {
        // this thread runs a transaction on this actor and used the outer view: join it
        if (txControl) {
          throw transactionControlInside();
        }
        return inTransaction(running, work);
      }
      try {
        return work.run(h, null);
      } catch (SQLException e) {
        throw DbErrors.of(e, null);
      } finally {
        if (txControl) {
          warnManualTransaction();
          probeManualTransaction(h);
        }
      }
    } finally {
      owner.release(h);
    }
  }

  /** After BEGIN/COMMIT/… ran through execute: is SQLite inside a transaction now? */
  private void probeManualTransaction(DbHandle h) {
    try {
      h.manualTransaction = h.isOpen() && h.inTransaction();
    } catch (SQLException e) {
      owner.log().warn("actor {}: cannot tell whether a transaction is open: {}", actorId,
          e.toString());
    }
  }

  private List<Map<String, Object>> inTransaction(TxState t, HandleWork work) {
    checkDeadline(t);
    begin(t.root());
    try {
      return work.run(t.handle, t);
    } catch (SQLException e) {
      throw translate(e, null, t);
    }
  }

  private List<Map<String, Object>> runOne(DbHandle h, SqlScanner.Stmt stmt, Binder binder,
      TxState t) throws SQLException {
    String text = binder.sqlOf(stmt);
    PreparedStatement ps = null;
    boolean failed = true;
    try {
      ps = h.prepare(text, stmt.cacheable());
      binder.bind(ps, stmt);
      List<Map<String, Object>> rows;
      if (ps.execute()) {
        try (ResultSet rs = ps.getResultSet()) {
          rows = read(rs);
        }
      } else {
        rows = List.of();
      }
      failed = false;
      return rows;
    } catch (SQLException e) {
      throw translate(e, stmt.sql(), t);
    } finally {
      if (ps != null) {
        h.done(text, ps, failed);
      }
    }
  }

  private static List<Map<String, Object>> read(ResultSet rs) throws SQLException {
    ResultSetMetaData md = rs.getMetaData();
    int n = md.getColumnCount();
    String[] names = new String[n];
    for (int i = 0; i < n; i++) {
      names[i] = md.getColumnLabel(i + 1);
    }
    List<Map<String, Object>> rows = new ArrayList<>();
    while (rs.next()) {
      Map<String, Object> row = new LinkedHashMap<>(n * 4 / 3 + 1);
      for (int i = 0; i < n; i++) {
        Object v = rs.getObject(i + 1);
        row.put(names[i], v instanceof Integer small ? Long.valueOf(small) : v);
      }
      rows.add(row);
    }
    return rows;
  }

  private RivetError translate(SQLException e, String sql, TxState t) {
    if (t != null && DbErrors.isInterrupt(e)) {
      TxState expired = t.expiredAt(owner.clock().millis());
      if (expired != null) {
        return DbErrors.expired(expired.timeout);
      }
    }
    return DbErrors.of(e, sql);
  }

  // ---- transactions ----

  /** Runs {@code work} in a transaction (or a savepoint when one is running on this thread). */
  <T> T transact(Duration timeout, TxWork<T> work) throws Exception {
    io.rivet4j.runtime.internal.BlockingCalls.mark();
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isZero() || timeout.isNegative()) {
      throw DbErrors.invalidArgument("db.transaction() timeout must be positive, got " + timeout);
    }
    ensureOpen();
    if (tx != null) {
      checkTransactionView();
      return nested(tx, timeout, work);
    }
    DbHandle h = owner.acquire(actorId);
    try {
      if (h.tx != null) {
        return nested(h.tx, timeout, work);
      }
      if (h.manualTransaction) {
        throw DbErrors.usage("a transaction begun with execute(\"BEGIN\") is still open on this"
            + " database; COMMIT or ROLLBACK it before calling transaction()", null);
      }
      return outermost(h, timeout, work);
    } finally {
      owner.release(h);
    }
  }

  private <T> T outermost(DbHandle h, Duration timeout, TxWork<T> work) throws Exception {
    TxState t = new TxState(h, null, timeout, owner.clock().millis(), null);
    StateHook hook = root.state;
    t.stateSnapshot = hook == null ? null : hook.snapshot();
    h.tx = t;
    h.deadlineMillis = t.deadlineMillis;
    try {
      T result;
      try {
        result = work.run(new ActorDatabase(root, t));
      } catch (Throwable e) {
        rollback(t, e);
        throw e;
      }
      TxState expired = t.expiredAt(owner.clock().millis());
      if (expired != null) {
        RivetError error = DbErrors.expired(expired.timeout);
        rollback(t, error);
        throw error;
      }
      StateHook.Pending pending = hook == null ? null : hook.pending();
      if (pending != null) {
        begin(t);
        try {
          writeState(h, pending.cbor());
        } catch (SQLException e) {
          RivetError error = translate(e, "saving the actor's state", t);
          rollback(t, error);
          throw error;
        }
      }
      if (t.begun) {
        try {
          h.exec("COMMIT");
        } catch (SQLException e) {
          RivetError error = translate(e, "COMMIT", t);
          rollback(t, error);
          throw error;
        }
      }
      if (pending != null) {
        hook.committed(pending.version());
      }
      return result;
    } finally {
      t.active = false;
      h.tx = null;
      h.deadlineMillis = Long.MAX_VALUE;
    }
  }

  private <T> T nested(TxState parent, Duration timeout, TxWork<T> work) throws Exception {
    checkDeadline(parent);
    DbHandle h = parent.handle;
    begin(parent.root());
    String savepoint = "rivet_tx_" + (parent.depth() + 1);
    try {
      h.exec("SAVEPOINT " + savepoint);
    } catch (SQLException e) {
      throw translate(e, "SAVEPOINT", parent);
    }
    TxState child = new TxState(h, parent, timeout, owner.clock().millis(), savepoint);
    child.stateSnapshot = root.state == null ? null : root.state.snapshot();
    TxState before = h.tx;
    long beforeDeadline = h.deadlineMillis;
    h.tx = child;
    h.deadlineMillis = child.deadlineMillis;
    try {
      T result;
      try {
        result = work.run(new ActorDatabase(root, child));
      } catch (Throwable e) {
        rollbackTo(child, e);
        throw e;
      }
      TxState expired = child.expiredAt(owner.clock().millis());
      if (expired != null) {
        RivetError error = DbErrors.expired(expired.timeout);
        rollbackTo(child, error);
        throw error;
      }
      try {
        h.exec("RELEASE " + savepoint);
      } catch (SQLException e) {
        RivetError error = translate(e, "RELEASE", child);
        rollbackTo(child, error);
        throw error;
      }
      return result;
    } finally {
      child.active = false;
      h.tx = before;
      h.deadlineMillis = beforeDeadline;
    }
  }

  /** Issues the outermost BEGIN at the first statement, so an empty transaction costs nothing. */
  private void begin(TxState root) {
    if (!root.begun) {
      try {
        root.handle.exec("BEGIN IMMEDIATE");
      } catch (SQLException e) {
        throw DbErrors.of(e, "BEGIN IMMEDIATE");
      }
      root.begun = true;
    }
  }

  private void rollback(TxState t, Throwable primary) {
    restoreState(t);
    if (!t.begun) {
      return;
    }
    try {
      t.handle.exec("ROLLBACK");
    } catch (SQLException e) {
      if (!DbErrors.sqliteMessage(e).contains("no transaction is active")) {
        primary.addSuppressed(DbErrors.of(e, "ROLLBACK"));
      }
    }
  }

  private void restoreState(TxState t) {
    if (root.state != null && t.stateSnapshot != null) {
      root.state.restore(t.stateSnapshot);
    }
  }

  private static final String STATE_TABLE = "CREATE TABLE IF NOT EXISTS _rivet_state"
      + " (id INTEGER PRIMARY KEY CHECK (id = 1), value BLOB NOT NULL)";

  private static void writeState(DbHandle h, byte[] cbor) throws SQLException {
    h.exec(STATE_TABLE);
    PreparedStatement ps = h.prepare("INSERT OR REPLACE INTO _rivet_state (id, value) VALUES (1, ?)",
        true);
    boolean failed = true;
    try {
      ps.setBytes(1, cbor);
      ps.executeUpdate();
      failed = false;
    } finally {
      h.done("INSERT OR REPLACE INTO _rivet_state (id, value) VALUES (1, ?)", ps, failed);
    }
  }

  /**
   * Writes the actor's state in its own transaction (the end of a turn that changed it, outside
   * any transaction); on disk when this returns.
   */
  public void saveState(byte[] cbor) {
    ensureOpen();
    DbHandle h = owner.acquire(actorId);
    try {
      if (h.tx != null || h.manualTransaction) {
        throw DbErrors.usage("the actor's state cannot be saved while a transaction is open on"
            + " its database", null);
      }
      boolean begun = false;
      try {
        h.exec("BEGIN IMMEDIATE");
        begun = true;
        writeState(h, cbor);
        h.exec("COMMIT");
      } catch (SQLException e) {
        if (begun) {
          try {
            h.exec("ROLLBACK");
          } catch (SQLException ignored) {
            // the first error is the one to report
          }
        }
        throw DbErrors.of(e, "saving the actor's state");
      }
    } finally {
      owner.release(h);
    }
  }

  /** The state written by {@link #saveState} or a transaction, or null when none was. */
  public byte[] loadState() {
    ensureOpen();
    DbHandle h = owner.acquire(actorId);
    try {
      PreparedStatement ps = h.prepare("SELECT value FROM _rivet_state WHERE id = 1", false);
      boolean failed = true;
      try (ResultSet rs = ps.executeQuery()) {
        byte[] out = rs.next() ? rs.getBytes(1) : null;
        failed = false;
        return out;
      } finally {
        h.done("SELECT value FROM _rivet_state WHERE id = 1", ps, failed);
      }
    } catch (SQLException e) {
      if (DbErrors.sqliteMessage(e).contains("no such table")) {
        return null;
      }
      throw DbErrors.of(e, "loading the actor's state");
    } finally {
      owner.release(h);
    }
  }

  private void rollbackTo(TxState child, Throwable primary) {
    restoreState(child);
    try {
      child.handle.exec("ROLLBACK TO " + child.savepoint);
      child.handle.exec("RELEASE " + child.savepoint);
    } catch (SQLException e) {
      String m = DbErrors.sqliteMessage(e);
      if (!m.contains("no such savepoint") && !m.contains("no transaction is active")) {
        primary.addSuppressed(DbErrors.of(e, "ROLLBACK TO"));
      }
    }
  }

  private void checkDeadline(TxState t) {
    TxState expired = t.expiredAt(owner.clock().millis());
    if (expired != null) {
      throw DbErrors.expired(expired.timeout);
    }
  }

  private void checkTransactionView() {
    ensureOpen();
    if (!tx.active) {
      throw DbErrors.transactionClosed();
    }
    if (Thread.currentThread() != tx.owner) {
      throw DbErrors.invalidArgument("a transaction's Database can only be used on the thread"
          + " that runs the transaction callback (" + tx.owner.getName() + ")");
    }
  }

  private static RivetError transactionControlInside() {
    return DbErrors.invalidArgument("BEGIN, COMMIT, ROLLBACK, SAVEPOINT and RELEASE are not"
        + " allowed inside db.transaction(); nest a db.transaction() call instead");
  }

  private void ensureOpen() {
    if (root.closed) {
      throw DbErrors.closed();
    }
  }

  private void warnManualTransaction() {
    if (!root.warnedManualTransaction) {
      root.warnedManualTransaction = true;
      owner.log().warn("actor {}: manual SQLite transactions (BEGIN/COMMIT via execute) can"
          + " interleave with other actor work; use db.transaction() for coordinated"
          + " transactions", actorId);
    }
  }

  @SuppressWarnings("unchecked")
  private static <E extends Throwable> E sneaky(Throwable e) throws E {
    throw (E) e;
  }
}
