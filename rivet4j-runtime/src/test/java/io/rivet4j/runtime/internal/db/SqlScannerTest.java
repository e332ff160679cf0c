package io.rivet4j.runtime.internal.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SqlScannerTest {
  private static List<String> split(String sql) {
    return SqlScanner.parse(sql).statements().stream().map(SqlScanner.Stmt::sql).toList();
  }

  private static String reserved(String sql) {
    return SqlScanner.parse(sql).statements().get(0).reservedName();
  }

  @Test
  void splitsOnSemicolonsOutsideStringsCommentsAndQuotedNames() {
    assertEquals(List.of("SELECT 1", "SELECT 'a;b'", "SELECT \"x;y\" FROM [t;1]",
        "SELECT `q;` -- c;\n, 2", "SELECT /* ; */ 3"),
        split("SELECT 1; SELECT 'a;b';; SELECT \"x;y\" FROM [t;1];\n"
            + "SELECT `q;` -- c;\n, 2; SELECT /* ; */ 3;"));
    assertEquals(List.of(), split("  ;; -- only a comment\n /* and another */ "));
    assertEquals(List.of("SELECT 'it''s; fine'"), split("SELECT 'it''s; fine'"));
  }

  @Test
  void keepsTriggerBodiesWhole() {
    String trigger = "CREATE TEMP TRIGGER tr AFTER INSERT ON t BEGIN "
        + "UPDATE t SET n = CASE WHEN new.n > 0 THEN 1 ELSE 0 END; "
        + "INSERT INTO log VALUES (new.id); END";
    assertEquals(List.of("CREATE TABLE t (id, n)", trigger, "SELECT 2"),
        split("CREATE TABLE t (id, n); " + trigger + "; SELECT 2"));
  }

  @Test
  void numbersNamedParametersByFirstAppearance() {
    SqlScanner.Stmt s = SqlScanner.parse(
        "SELECT :a, @b, $c, :a, ':d' -- :e\n FROM t WHERE x = :a").statements().get(0);
    assertEquals(List.of("a", "b", "c"), s.names());
    assertEquals("SELECT ?1, ?2, ?3, ?1, ':d' -- :e\n FROM t WHERE x = ?1", s.numberedSql());
    assertFalse(s.positional());
    assertTrue(SqlScanner.parse("SELECT ?, ?2").statements().get(0).positional());
  }

  @Test
  void findsReservedNamesInDdl() {
    assertEquals("_rivet_x", reserved("CREATE TABLE _rivet_x (a)"));
    assertEquals("_RIVET_y", reserved("create table if not exists \"_RIVET_y\" (a)"));
    assertEquals("_rivet", reserved("CREATE TEMP TABLE main.[_rivet] (a)"));
    assertEquals("_rivet_v", reserved("CREATE VIEW `_rivet_v` AS SELECT 1"));
    assertEquals("_rivet_i", reserved("CREATE UNIQUE INDEX _rivet_i ON t (a)"));
    assertEquals("_rivet_t", reserved("CREATE INDEX i ON _rivet_t (a)"));
    assertEquals("_rivet_t", reserved("CREATE TRIGGER tr AFTER INSERT ON _rivet_t BEGIN"
        + " SELECT 1; END"));
    assertEquals("_rivet_q", reserved("DROP TABLE IF EXISTS main._rivet_q"));
    assertEquals("_rivetx", reserved("DROP INDEX _rivetx"));
    assertEquals("_rivet_a", reserved("ALTER TABLE _rivet_a ADD COLUMN b"));
    assertEquals("_rivet_b", reserved("ALTER TABLE t RENAME TO _rivet_b"));
    assertEquals("_rivet_c", reserved("CREATE VIRTUAL TABLE _rivet_c USING fts5(a)"));
    assertNull(reserved("CREATE TABLE rivet_x (a)"));
    assertNull(reserved("CREATE TABLE t (_rivet_col)"));
    assertNull(reserved("SELECT * FROM _rivet_anything"));
    assertNull(reserved("ALTER TABLE t RENAME COLUMN a TO _rivet_b"));
  }

  @Test
  void classifiesStatements() {
    for (String sql : List.of("BEGIN", "begin immediate", "COMMIT", "END", "ROLLBACK",
        "SAVEPOINT s", "RELEASE s")) {
      assertTrue(SqlScanner.parse(sql).statements().get(0).txControl(), sql);
    }
    assertFalse(SqlScanner.parse("SELECT 1").statements().get(0).txControl());
    assertTrue(SqlScanner.parse("insert into t values (1)").statements().get(0).cacheable());
    assertFalse(SqlScanner.parse("CREATE TABLE t (a)").statements().get(0).cacheable());
  }
}
