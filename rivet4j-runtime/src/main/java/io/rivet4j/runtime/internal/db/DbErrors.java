package io.rivet4j.runtime.internal.db;

import io.rivet4j.api.RivetError;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The {@code sqlite.*} errors of {@code c.db()}, with RivetKit's codes where RivetKit has one.
 * No {@link SQLException} leaves this package.
 *
 * <ul>
 *   <li>{@code sqlite.error}: SQLite rejected the statement (syntax, constraint, missing table…),
 *       or the call did not fit the API (bindings with several statements, a row that does not
 *       map to the requested type); the message is SQLite's own, metadata holds the SQL;
 *   <li>{@code sqlite.invalid_bind_parameter}: a value that SQLite cannot store, or bindings that
 *       do not match the statement's parameters;
 *   <li>{@code sqlite.reserved_name}: DDL on a table, index, view or trigger named
 *       {@code _rivet…};
 *   <li>{@code sqlite.transaction_expired}: the transaction outlived its timeout; rolled back;
 *   <li>{@code sqlite.transaction_queue_full}: too many operations wait for one actor's database;
 *   <li>{@code sqlite.transaction_closed}: a transaction's {@code Database} used after it ended;
 *   <li>{@code sqlite.transaction_invalid_argument}: a bad timeout, transaction control inside
 *       {@code transaction}, or a transaction's {@code Database} used from another thread;
 *   <li>{@code sqlite.writer_busy}: the file is locked by another connection or process;
 *   <li>{@code sqlite.closed}: the actor stopped (its view was closed) or the node shut down;
 *   <li>{@code sqlite.unavailable}: the file cannot be created, opened, read or written (I/O
 *       error, disk full, corrupt file).
 * </ul>
 */
final class DbErrors {
  static final String GROUP = "sqlite";
  private static final int SQL_IN_METADATA = 1_024;

  private DbErrors() {}

  /** {@code e} as the caller sees it; {@code sql} (may be null) goes into the metadata. */
  static RivetError of(SQLException e, String sql) {
    String message = sqliteMessage(e);
    Map<String, Object> meta = new LinkedHashMap<>();
    if (sql != null) {
      meta.put("sql",
          sql.length() > SQL_IN_METADATA ? sql.substring(0, SQL_IN_METADATA) + "…" : sql);
    }
    String code = "error";
    if (e instanceof SQLiteException se) {
      SQLiteErrorCode rc = se.getResultCode();
      meta.put("resultCode", rc.name());
      switch (rc.code & 0xff) {
        case 5, 6 -> {
          code = "writer_busy";
          message = "SQLite writer is busy (" + message + "): another connection or process holds"
              + " this actor's database file; make sure only one Rivet4j node uses the directory";
        }
        case 7, 10, 11, 13, 14, 15, 26 -> code = "unavailable";
        default -> { }
      }
    }
    return new RivetError(GROUP, code, message, meta, e);
  }

  /** SQLite's own text ("no such table: t") without the driver's "[SQLITE_ERROR] …" wrapper. */
  static String sqliteMessage(SQLException e) {
    String m = e.getMessage() == null ? "" : e.getMessage();
    if (e instanceof SQLiteException se && m.startsWith("[")) {
      String prefix = "[" + se.getResultCode().name() + "] " + se.getResultCode().message + " (";
      if (m.startsWith(prefix) && m.endsWith(")")) {
        return m.substring(prefix.length(), m.length() - 1);
      }
    }
    return m;
  }

  static boolean isInterrupt(SQLException e) {
    return e instanceof SQLiteException se && (se.getResultCode().code & 0xff) == 9;
  }

  static RivetError usage(String message, String sql) {
    return new RivetError(GROUP, "error", message, sql == null ? null : Map.of("sql", sql));
  }

  static RivetError bind(String message) {
    return new RivetError(GROUP, "invalid_bind_parameter", "Invalid SQLite bind parameter: "
        + message);
  }

  static RivetError reserved(String name, String sql) {
    return new RivetError(GROUP, "reserved_name", "'" + name + "' is reserved: names starting"
        + " with " + SqlScanner.RESERVED_PREFIX + " belong to the runtime; pick another name",
        Map.of("sql", sql, "name", name));
  }

  static RivetError expired(Duration timeout) {
    return new RivetError(GROUP, "transaction_expired", "SQLite transaction expired after "
        + timeout.toMillis() + " ms and was rolled back. This timeout is a deadlock-safety"
        + " backstop; increase the db.transaction() timeout if the transaction legitimately needs"
        + " longer.", Map.of("timeoutMs", timeout.toMillis()));
  }

  static RivetError queueFull(String actorId, int limit) {
    return new RivetError(GROUP, "transaction_queue_full", "SQLite transaction queue is full: "
        + limit + " operations already wait for the database of actor " + actorId
        + " (a long transaction holds it)");
  }

  static RivetError transactionClosed() {
    return new RivetError(GROUP, "transaction_closed", "SQLite transaction is closed: this"
        + " Database belongs to a transaction that has already committed or rolled back; use"
        + " c.db() outside the transaction callback");
  }

  static RivetError invalidArgument(String message) {
    return new RivetError(GROUP, "transaction_invalid_argument", message);
  }

  static RivetError closed() {
    return new RivetError(GROUP, "closed", "Database is closed. This usually means a timer, a"
        + " thread or a stray future is still using c.db() after the actor stopped; cancel"
        + " background work before the actor shuts down.");
  }

  static RivetError busy(String actorId, Duration waited) {
    return new RivetError(GROUP, "writer_busy", "SQLite writer is busy: the database of actor "
        + actorId + " stayed in use by another operation for " + waited.toMillis() + " ms");
  }

  static RivetError unavailable(String message, Throwable cause) {
    return new RivetError(GROUP, "unavailable", message, null, cause);
  }
}
