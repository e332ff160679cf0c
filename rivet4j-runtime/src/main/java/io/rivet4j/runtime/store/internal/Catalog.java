package io.rivet4j.runtime.store.internal;

import io.rivet4j.runtime.spi.StoreException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

/**
 * The node catalog file ({@code catalog.db}): how its connections are opened and its schema.
 *
 * <p>Schema version 1:
 * <ul>
 *   <li>{@code actors}: the directory, unique by id and by (name, key), with the actor's alarm;
 *   <li>{@code kv}: every actor's KV space; keys are BLOBs, which SQLite orders with memcmp, i.e.
 *       in unsigned byte order (shorter first when one key is a prefix of the other).
 * </ul>
 * The version lives in {@code PRAGMA user_version}; {@link #migrate} upgrades older files step by
 * step and refuses files written by a newer build.
 */
public final class Catalog {
  public static final String FILE_NAME = "catalog.db";
  public static final int SCHEMA_VERSION = 1;

  /** MIGRATIONS.get(v) upgrades a file from version v to v + 1. */
  private static final List<List<String>> MIGRATIONS = List.of(
      List.of(
          """
          CREATE TABLE actors (
            actor_id   TEXT    NOT NULL PRIMARY KEY,
            name       TEXT    NOT NULL,
            key        TEXT    NOT NULL,
            created_at INTEGER NOT NULL,
            input      BLOB,
            alarm_at   INTEGER,
            UNIQUE (name, key)
          )""",
          "CREATE INDEX actors_alarm_at ON actors (alarm_at) WHERE alarm_at IS NOT NULL",
          """
          CREATE TABLE kv (
            actor_id TEXT NOT NULL,
            k        BLOB NOT NULL,
            v        BLOB NOT NULL,
            PRIMARY KEY (actor_id, k)
          ) WITHOUT ROWID"""));

  private Catalog() {}

  /**
   * Opens the single write connection: WAL journal, {@code synchronous=FULL} (each COMMIT fsyncs
   * the WAL), autocommit on so that transactions are driven by explicit SQL.
   */
  public static Connection openWriter(Path file, Duration busyTimeout) throws SQLException {
    Connection c = DriverManager.getConnection(url(file), properties(busyTimeout, false));
    try (Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("PRAGMA journal_mode = WAL")) {
        String mode = rs.next() ? rs.getString(1) : "";
        if (!"wal".equalsIgnoreCase(mode)) {
          throw new SQLException("could not switch " + file + " to WAL mode (got " + mode + ")");
        }
      }
      s.execute("PRAGMA synchronous = FULL");
      s.execute("PRAGMA foreign_keys = OFF");
      s.execute("PRAGMA temp_store = MEMORY");
      s.execute("PRAGMA journal_size_limit = 67108864");
    } catch (SQLException | RuntimeException e) {
      closeQuietly(c);
      throw e;
    }
    return c;
  }

  /** Opens a read-only connection; in WAL mode it reads the last committed state without locks. */
  public static Connection openReader(Path file, Duration busyTimeout) throws SQLException {
    Connection c = DriverManager.getConnection(url(file), properties(busyTimeout, true));
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA query_only = ON");
      s.execute("PRAGMA temp_store = MEMORY");
    } catch (SQLException | RuntimeException e) {
      closeQuietly(c);
      throw e;
    }
    return c;
  }

  /** Brings the schema of {@code writer}'s file to {@link #SCHEMA_VERSION}. */
  public static void migrate(Connection writer, Path file) throws SQLException {
    int version = userVersion(writer);
    if (version > SCHEMA_VERSION) {
      throw new StoreException(file + " has schema version " + version + " but this build of"
          + " Rivet4j understands up to " + SCHEMA_VERSION + "; run a newer Rivet4j", null);
    }
    if (version == SCHEMA_VERSION) {
      return;
    }
    try (Statement s = writer.createStatement()) {
      s.execute("BEGIN IMMEDIATE");
      try {
        for (int v = version; v < SCHEMA_VERSION; v++) {
          for (String ddl : MIGRATIONS.get(v)) {
            s.execute(ddl);
          }
        }
        s.execute("PRAGMA user_version = " + SCHEMA_VERSION);
        s.execute("COMMIT");
      } catch (SQLException | RuntimeException e) {
        try {
          s.execute("ROLLBACK");
        } catch (SQLException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      }
    }
  }

  public static int userVersion(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA user_version")) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }

  static void closeQuietly(AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception ignored) {
      // closing after a failure: the first error is the one worth reporting
    }
  }

  private static String url(Path file) {
    return "jdbc:sqlite:" + file.toAbsolutePath();
  }

  private static Properties properties(Duration busyTimeout, boolean readOnly) {
    org.sqlite.SQLiteConfig config = new org.sqlite.SQLiteConfig();
    config.setBusyTimeout((int) busyTimeout.toMillis());
    config.setReadOnly(readOnly);
    // the driver otherwise runs a regex and a "SELECT last_insert_rowid()" after every statement
    config.setGetGeneratedKeys(false);
    return config.toProperties();
  }
}
