package io.rivet4j.runtime.internal.db;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A lexical look at SQL text, enough to split scripts into statements (with SQLite's own rule,
 * {@code sqlite3_complete}, so trigger bodies stay whole), to find named parameters, to spot
 * transaction-control statements and to refuse DDL on reserved ({@code _rivet…}) names. It never
 * judges SQL validity: SQLite does that.
 */
final class SqlScanner {
  static final String RESERVED_PREFIX = "_rivet";
  private static final int CACHE_LIMIT = 1_024;
  private static final Map<String, Parsed> CACHE = new ConcurrentHashMap<>();
  private static final Set<String> TX_CONTROL =
      Set.of("BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE");
  private static final Set<String> CACHEABLE =
      Set.of("SELECT", "INSERT", "UPDATE", "DELETE", "REPLACE", "WITH", "VALUES");

  private SqlScanner() {}

  /** One statement of a SQL text. */
  record Stmt(
      String sql,
      String firstKeyword,
      String reservedName,
      boolean positional,
      List<String> names,
      String numberedSql) {

    boolean txControl() {
      return TX_CONTROL.contains(firstKeyword);
    }

    /** Worth a slot in the statement cache (DML and queries; not DDL, pragmas, scripts). */
    boolean cacheable() {
      return CACHEABLE.contains(firstKeyword);
    }

    boolean hasNamed() {
      return !names.isEmpty();
    }
  }

  /** The statements of a SQL text, in order; empty ones (only comments or ';') are dropped. */
  record Parsed(List<Stmt> statements) {}

  static Parsed parse(String sql) {
    Parsed p = CACHE.get(sql);
    if (p != null) {
      return p;
    }
    p = scan(sql);
    if (CACHE.size() >= CACHE_LIMIT) {
      CACHE.clear();
    }
    CACHE.put(sql, p);
    return p;
  }

  // ---- tokens ----

  private enum Kind { WORD, QUOTED, STRING, NUMBER, POSITIONAL, NAMED, SEMI, OTHER }

  /** {@code value}: keywords upper-cased, quoted names and strings unquoted. */
  private record Token(Kind kind, int start, int end, String value, String raw) {
    Token(Kind kind, int start, int end, String value) {
      this(kind, start, end, value, value);
    }

    boolean is(String keyword) {
      return kind == Kind.WORD && value.equals(keyword);
    }

    boolean isName() {
      return kind == Kind.WORD || kind == Kind.QUOTED || kind == Kind.STRING;
    }
  }

  private static List<Token> tokens(String s) {
    List<Token> out = new ArrayList<>();
    int n = s.length();
    int i = 0;
    while (i < n) {
      char c = s.charAt(i);
      int start = i;
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '-' && i + 1 < n && s.charAt(i + 1) == '-') {
        while (i < n && s.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
        int close = s.indexOf("*/", i + 2);
        i = close < 0 ? n : close + 2;
      } else if (c == '\'' || c == '"' || c == '`') {
        i = skipQuoted(s, i, c);
        String inner = s.substring(start + 1, Math.max(start + 1, i - 1))
            .replace(String.valueOf(c) + c, String.valueOf(c));
        out.add(new Token(c == '\'' ? Kind.STRING : Kind.QUOTED, start, i, inner));
      } else if (c == '[') {
        int close = s.indexOf(']', i + 1);
        i = close < 0 ? n : close + 1;
        String inner = s.substring(start + 1, Math.max(start + 1, i - 1));
        out.add(new Token(Kind.QUOTED, start, i, inner));
      } else if (c == ';') {
        i++;
        out.add(new Token(Kind.SEMI, start, i, ";"));
      } else if (c == '?') {
        i++;
        while (i < n && Character.isDigit(s.charAt(i))) {
          i++;
        }
        out.add(new Token(Kind.POSITIONAL, start, i, s.substring(start, i)));
      } else if ((c == ':' || c == '@' || c == '$') && i + 1 < n && isIdentPart(s.charAt(i + 1))) {
        i++;
        while (i < n && isIdentPart(s.charAt(i))) {
          i++;
        }
        out.add(new Token(Kind.NAMED, start, i, s.substring(start + 1, i)));
      } else if (Character.isDigit(c)
          || c == '.' && i + 1 < n && Character.isDigit(s.charAt(i + 1))) {
        i++;
        while (i < n && (isIdentPart(s.charAt(i)) || s.charAt(i) == '.'
            || (s.charAt(i) == '+' || s.charAt(i) == '-')
                && (s.charAt(i - 1) == 'e' || s.charAt(i - 1) == 'E'))) {
          i++;
        }
        out.add(new Token(Kind.NUMBER, start, i, s.substring(start, i)));
      } else if (isIdentStart(c)) {
        i++;
        while (i < n && (isIdentPart(s.charAt(i)) || s.charAt(i) == '$')) {
          i++;
        }
        String word = s.substring(start, i);
        out.add(new Token(Kind.WORD, start, i, word.toUpperCase(Locale.ROOT), word));
      } else {
        i++;
        out.add(new Token(Kind.OTHER, start, i, String.valueOf(c)));
      }
    }
    return out;
  }

  private static int skipQuoted(String s, int i, char q) {
    int n = s.length();
    i++;
    while (i < n) {
      if (s.charAt(i) == q) {
        if (i + 1 < n && s.charAt(i + 1) == q) {
          i += 2;
          continue;
        }
        return i + 1;
      }
      i++;
    }
    return n;
  }

  private static boolean isIdentStart(char c) {
    return c == '_' || Character.isLetter(c) || c >= 0x80;
  }

  private static boolean isIdentPart(char c) {
    return c == '_' || Character.isLetterOrDigit(c) || c >= 0x80;
  }

  // ---- statements ----

  /**
   * Splits with the state machine of SQLite's {@code sqlite3_complete}: a ';' ends a statement,
   * except inside {@code CREATE [TEMP] TRIGGER … BEGIN … END}, which ends at "; END ;".
   */
  private static Parsed scan(String sql) {
    List<Token> all = tokens(sql);
    List<Stmt> out = new ArrayList<>();
    int state = 1; // 1 START, 2 NORMAL, 3 EXPLAIN, 4 CREATE, 5 TRIGGER, 6 SEMI, 7 END
    List<Token> current = new ArrayList<>();
    for (Token t : all) {
      int token;
      if (t.kind == Kind.SEMI) {
        token = 0;
      } else if (t.is("EXPLAIN")) {
        token = 2;
      } else if (t.is("CREATE")) {
        token = 3;
      } else if (t.is("TEMP") || t.is("TEMPORARY")) {
        token = 4;
      } else if (t.is("TRIGGER")) {
        token = 5;
      } else if (t.is("END")) {
        token = 6;
      } else {
        token = 1;
      }
      state = TRANSITIONS[state][token];
      if (state == 1 && t.kind == Kind.SEMI) {
        if (!current.isEmpty()) {
          out.add(statement(sql, current));
          current = new ArrayList<>();
        }
      } else {
        current.add(t);
      }
    }
    if (!current.isEmpty()) {
      out.add(statement(sql, current));
    }
    return new Parsed(List.copyOf(out));
  }

  // rows: state 0..7; columns: SEMI, OTHER, EXPLAIN, CREATE, TEMP, TRIGGER, END
  private static final int[][] TRANSITIONS = {
      {1, 2, 3, 4, 2, 2, 2},
      {1, 2, 3, 4, 2, 2, 2},
      {1, 2, 2, 2, 2, 2, 2},
      {1, 3, 2, 4, 2, 2, 2},
      {1, 2, 2, 2, 4, 5, 2},
      {6, 5, 5, 5, 5, 5, 5},
      {6, 5, 5, 5, 5, 5, 7},
      {1, 5, 5, 5, 5, 5, 5},
  };

  private static Stmt statement(String sql, List<Token> ts) {
    int from = ts.get(0).start;
    int to = ts.get(ts.size() - 1).end;
    String text = sql.substring(from, to);
    String first = ts.get(0).kind == Kind.WORD ? ts.get(0).value : "";
    boolean positional = false;
    Map<String, Integer> numbers = new LinkedHashMap<>();
    StringBuilder numbered = null;
    int copied = from;
    for (Token t : ts) {
      if (t.kind == Kind.POSITIONAL) {
        positional = true;
      } else if (t.kind == Kind.NAMED) {
        if (numbered == null) {
          numbered = new StringBuilder(text.length() + 8);
        }
        int number = numbers.computeIfAbsent(t.value, k -> numbers.size() + 1);
        numbered.append(sql, copied, t.start).append('?').append(number);
        copied = t.end;
      }
    }
    String numberedSql = text;
    if (numbered != null) {
      numbered.append(sql, copied, to);
      numberedSql = numbered.toString();
    }
    return new Stmt(text, first, reservedName(ts), positional, List.copyOf(numbers.keySet()),
        numberedSql);
  }

  /** The first {@code _rivet…} name that a CREATE, DROP or ALTER statement would touch. */
  private static String reservedName(List<Token> ts) {
    List<String> touched = new ArrayList<>();
    int i = 0;
    if (at(ts, i, "EXPLAIN")) {
      i++;
      if (at(ts, i, "QUERY") && at(ts, i + 1, "PLAN")) {
        i += 2;
      }
    }
    if (at(ts, i, "CREATE")) {
      i++;
      while (at(ts, i, "TEMP") || at(ts, i, "TEMPORARY") || at(ts, i, "UNIQUE")
          || at(ts, i, "VIRTUAL")) {
        i++;
      }
      if (!(at(ts, i, "TABLE") || at(ts, i, "INDEX") || at(ts, i, "VIEW")
          || at(ts, i, "TRIGGER"))) {
        return null;
      }
      boolean onTable = at(ts, i, "INDEX") || at(ts, i, "TRIGGER");
      i++;
      if (at(ts, i, "IF") && at(ts, i + 1, "NOT") && at(ts, i + 2, "EXISTS")) {
        i += 3;
      }
      i = qualifiedName(ts, i, touched);
      if (onTable) {
        while (i < ts.size() && !ts.get(i).is("ON")) {
          i++;
        }
        qualifiedName(ts, i + 1, touched);
      }
    } else if (at(ts, i, "DROP")) {
      i++;
      if (!(at(ts, i, "TABLE") || at(ts, i, "INDEX") || at(ts, i, "VIEW")
          || at(ts, i, "TRIGGER"))) {
        return null;
      }
      i++;
      if (at(ts, i, "IF") && at(ts, i + 1, "EXISTS")) {
        i += 2;
      }
      qualifiedName(ts, i, touched);
    } else if (at(ts, i, "ALTER") && at(ts, i + 1, "TABLE")) {
      i = qualifiedName(ts, i + 2, touched);
      for (; i + 2 < ts.size(); i++) {
        if (ts.get(i).is("RENAME") && ts.get(i + 1).is("TO")) {
          qualifiedName(ts, i + 2, touched);
          break;
        }
      }
    }
    for (String name : touched) {
      if (name.toLowerCase(Locale.ROOT).startsWith(RESERVED_PREFIX)) {
        return name;
      }
    }
    return null;
  }

  /** Reads {@code name} or {@code schema.name} at {@code i}; adds the last part to {@code out}. */
  private static int qualifiedName(List<Token> ts, int i, List<String> out) {
    if (i >= ts.size() || !ts.get(i).isName()) {
      return i;
    }
    String name = nameOf(ts.get(i));
    i++;
    if (i + 1 < ts.size() && ts.get(i).kind == Kind.OTHER && ts.get(i).value.equals(".")
        && ts.get(i + 1).isName()) {
      name = nameOf(ts.get(i + 1));
      i += 2;
    }
    out.add(name);
    return i;
  }

  private static String nameOf(Token t) {
    return t.raw;
  }

  private static boolean at(List<Token> ts, int i, String keyword) {
    return i < ts.size() && ts.get(i).is(keyword);
  }
}
