package io.rivet4j.runtime.internal.db;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;

/**
 * Values bound to a statement's parameters: positional ({@code ?}, {@code ?NNN}) or by name
 * ({@code :name}, {@code @name}, {@code $name}; the map's keys may carry the prefix or not).
 *
 * <p>Accepted values: null; Boolean (1/0); Byte, Short, Integer, Long; Float, Double;
 * BigInteger and BigDecimal (INTEGER when integral and within 64 bits, else REAL when finite);
 * String and Character; byte[]; enums (their name). Anything else is refused with
 * {@code sqlite.invalid_bind_parameter}.
 */
sealed interface Binder {
  Object[] NONE = new Object[0];

  boolean isEmpty();

  /** Binds every parameter of {@code ps}; {@code stmt} is the statement being run. */
  void bind(PreparedStatement ps, SqlScanner.Stmt stmt) throws SQLException;

  /** The SQL to prepare for {@code stmt} (named parameters become {@code ?N}). */
  String sqlOf(SqlScanner.Stmt stmt);

  static Binder positional(Object[] args) {
    return new Positional(args == null ? NONE : args);
  }

  static Binder named(Map<?, ?> params) {
    return new Named(params);
  }

  record Positional(Object[] args) implements Binder {
    @Override
    public boolean isEmpty() {
      return args.length == 0;
    }

    @Override
    public String sqlOf(SqlScanner.Stmt stmt) {
      return stmt.sql();
    }

    @Override
    public void bind(PreparedStatement ps, SqlScanner.Stmt stmt) throws SQLException {
      int count = ps.getParameterMetaData().getParameterCount();
      if (count != args.length) {
        throw DbErrors.bind("the statement has " + count + " parameter" + (count == 1 ? "" : "s")
            + " but " + args.length + " value" + (args.length == 1 ? " was" : "s were")
            + " given");
      }
      for (int i = 0; i < args.length; i++) {
        set(ps, i + 1, args[i], "parameter " + (i + 1));
      }
    }
  }

  record Named(Map<?, ?> params) implements Binder {
    @Override
    public boolean isEmpty() {
      return params.isEmpty();
    }

    @Override
    public String sqlOf(SqlScanner.Stmt stmt) {
      return stmt.numberedSql();
    }

    @Override
    public void bind(PreparedStatement ps, SqlScanner.Stmt stmt) throws SQLException {
      if (stmt.positional()) {
        throw DbErrors.bind("the statement mixes positional '?' parameters with named bindings;"
            + " use :name placeholders only, or execute(sql, args...) for positional ones");
      }
      int count = ps.getParameterMetaData().getParameterCount();
      if (count != stmt.names().size()) {
        throw DbErrors.bind("expected " + stmt.names().size() + " named parameters, SQLite"
            + " found " + count);
      }
      for (int i = 0; i < stmt.names().size(); i++) {
        String name = stmt.names().get(i);
        set(ps, i + 1, lookup(name), ":" + name);
      }
    }

    private Object lookup(String name) {
      for (String key : new String[] {name, ":" + name, "@" + name, "$" + name}) {
        if (params.containsKey(key)) {
          return params.get(key);
        }
      }
      throw DbErrors.bind("no value for named parameter :" + name + " (the map has "
          + params.keySet() + ")");
    }
  }

  /** Binds one value, converting as the class comment says. */
  static void set(PreparedStatement ps, int index, Object v, String what) throws SQLException {
    switch (v) {
      case null -> ps.setNull(index, java.sql.Types.NULL);
      case Boolean b -> ps.setLong(index, b ? 1 : 0);
      case Long l -> ps.setLong(index, l);
      case Integer i -> ps.setLong(index, i);
      case Short s -> ps.setLong(index, s);
      case Byte b -> ps.setLong(index, b);
      case Double d -> ps.setDouble(index, d);
      case Float f -> ps.setDouble(index, f);
      case String s -> ps.setString(index, s);
      case Character c -> ps.setString(index, c.toString());
      case byte[] bytes -> ps.setBytes(index, bytes);
      case Enum<?> e -> ps.setString(index, e.name());
      case BigInteger bi -> {
        if (bi.bitLength() > 63) {
          throw DbErrors.bind(what + " (BigInteger " + bi + ") does not fit in SQLite's 64-bit"
              + " INTEGER; bind it as a String");
        }
        ps.setLong(index, bi.longValue());
      }
      case BigDecimal bd -> bindDecimal(ps, index, bd, what);
      default -> throw DbErrors.bind(what + " has type " + v.getClass().getName() + ", which"
          + " SQLite cannot store; bind null, Boolean, Byte/Short/Integer/Long, Float/Double,"
          + " BigInteger/BigDecimal, String, byte[] or an enum (convert other values first, e.g."
          + " instant.toEpochMilli() or uuid.toString())");
    }
  }

  private static void bindDecimal(PreparedStatement ps, int index, BigDecimal bd, String what)
      throws SQLException {
    BigDecimal stripped = bd.signum() == 0 ? BigDecimal.ZERO : bd.stripTrailingZeros();
    if (stripped.scale() <= 0 && stripped.precision() - stripped.scale() <= 19) {
      try {
        ps.setLong(index, stripped.longValueExact());
        return;
      } catch (ArithmeticException outOfRange) {
        // beyond 64 bits: stored as REAL below
      }
    }
    double d = bd.doubleValue();
    if (Double.isInfinite(d)) {
      throw DbErrors.bind(what + " (BigDecimal " + bd + ") is beyond the range of SQLite's REAL;"
          + " bind it as a String");
    }
    ps.setDouble(index, d);
  }
}
