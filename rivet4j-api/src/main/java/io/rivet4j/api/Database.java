package io.rivet4j.api;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The actor's own SQLite database ({@code c.db()}), as RivetKit's {@code c.db}. Created on first
 * use; its schema comes from the definition's {@code onMigrate}, which runs before any other hook
 * on every start. A statement or transaction that commits is on disk before the current action's
 * reply leaves. Tables whose names start with {@code _rivet} are reserved.
 *
 * <p>Errors surface as {@link RivetError}s of group {@code sqlite} (e.g. {@code sqlite.error}
 * with SQLite's message), which callers see masked unless the actor handles them.
 */
public interface Database {
  /**
   * Runs one statement with positional {@code ?} bindings; returns the rows (empty for
   * statements that return none), each a column → value map in column order. Values: null,
   * Long, Double, String, byte[].
   */
  List<Map<String, Object>> execute(String sql, Object... args);

  /** Runs one statement with named bindings ({@code :name}, {@code @name} or {@code $name}). */
  List<Map<String, Object>> executeNamed(String sql, Map<String, ?> params);

  /** Rows as records (or classes) whose components are named like the columns. */
  <T> List<T> query(Class<T> rowType, String sql, Object... args);

  /** Runs several statements separated by semicolons, without bindings. */
  void executeScript(String sql);

  /** Runs {@code work} in one transaction: commit on return, rollback on throw (60 s timeout). */
  <T> T transaction(Function<Database, T> work);

  /** As {@link #transaction(Function)} with an explicit timeout. */
  <T> T transaction(Duration timeout, Function<Database, T> work);
}
