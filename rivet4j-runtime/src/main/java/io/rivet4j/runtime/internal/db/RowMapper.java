package io.rivet4j.runtime.internal.db;

import io.rivet4j.api.RivetError;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns rows (column → value maps) into instances of a requested type, for
 * {@code Database.query}:
 *
 * <ul>
 *   <li>a record: each component takes the column of the same name (case-insensitive; underscores
 *       ignored as a fallback, so {@code created_at} fills {@code createdAt});
 *   <li>a class with a no-argument constructor: the same for its instance fields;
 *   <li>a single-column row into a value type ({@code Long}, {@code String}, {@code byte[]},
 *       an enum…), e.g. {@code query(Long.class, "SELECT count(*) FROM t")};
 *   <li>{@code Map}: the row itself.
 * </ul>
 *
 * Values convert when nothing is lost: INTEGER to any integral type that holds it, to
 * {@code double}/{@code float} when exact, to {@code boolean} when 0 or 1; REAL to
 * {@code float} when exact and to integral types when integral and in range; TEXT to enums by
 * name and to {@code char} when one character. Every other case is a {@code sqlite.error} that
 * names the column, the value and the target.
 */
final class RowMapper {
  private static final Set<Class<?>> VALUE_TYPES = Set.of(Long.class, Integer.class,
      Short.class, Byte.class, Double.class, Float.class, Boolean.class, Character.class,
      String.class, byte[].class, BigDecimal.class, BigInteger.class, Object.class,
      CharSequence.class, Number.class);

  private RowMapper() {}

  private sealed interface Shape {}

  private record AsMap() implements Shape {}

  private record AsValue(Class<?> type) implements Shape {}

  private record AsRecord(Constructor<?> constructor, String[] names, Class<?>[] types)
      implements Shape {}

  private record AsFields(Constructor<?> constructor, Field[] fields) implements Shape {}

  private static final ClassValue<Shape> SHAPES = new ClassValue<>() {
    @Override
    protected Shape computeValue(Class<?> type) {
      return shapeOf(type);
    }
  };

  @SuppressWarnings("unchecked")
  static <T> List<T> map(Class<T> type, List<Map<String, Object>> rows, String sql) {
    Shape shape = SHAPES.get(type);
    List<T> out = new ArrayList<>(rows.size());
    if (rows.isEmpty()) {
      return out;
    }
    switch (shape) {
      case AsMap m -> {
        for (Map<String, Object> row : rows) {
          out.add((T) row);
        }
      }
      case AsValue v -> {
        Map<String, Object> first = rows.get(0);
        if (first.size() != 1) {
          throw DbErrors.usage("query(" + type.getSimpleName() + ".class, …) needs rows of one"
              + " column, got " + first.keySet() + "; select one column or map to a record", sql);
        }
        String column = first.keySet().iterator().next();
        for (Map<String, Object> row : rows) {
          out.add((T) convert(row.get(column), v.type, column, type.getSimpleName(), sql));
        }
      }
      case AsRecord r -> {
        String[] columns = columnsFor(r.names, rows.get(0), type, sql);
        for (Map<String, Object> row : rows) {
          Object[] args = new Object[columns.length];
          for (int i = 0; i < columns.length; i++) {
            args[i] = convert(row.get(columns[i]), r.types[i], columns[i],
                type.getSimpleName() + "." + r.names[i], sql);
          }
          out.add((T) construct(r.constructor, args));
        }
      }
      case AsFields f -> {
        String[] names = new String[f.fields.length];
        for (int i = 0; i < names.length; i++) {
          names[i] = f.fields[i].getName();
        }
        String[] columns = columnsFor(names, rows.get(0), type, sql);
        for (Map<String, Object> row : rows) {
          Object instance = construct(f.constructor, new Object[0]);
          for (int i = 0; i < columns.length; i++) {
            Field field = f.fields[i];
            Object value = convert(row.get(columns[i]), field.getType(), columns[i],
                type.getSimpleName() + "." + field.getName(), sql);
            try {
              field.set(instance, value);
            } catch (IllegalAccessException e) {
              throw DbErrors.usage("cannot set " + field + ": " + e.getMessage(), sql);
            }
          }
          out.add((T) instance);
        }
      }
    }
    return out;
  }

  private static Shape shapeOf(Class<?> type) {
    if (Map.class.isAssignableFrom(type) && type.isAssignableFrom(java.util.LinkedHashMap.class)) {
      return new AsMap();
    }
    if (type.isPrimitive() || VALUE_TYPES.contains(type) || type.isEnum()) {
      return new AsValue(type);
    }
    if (type.isRecord()) {
      RecordComponent[] components = type.getRecordComponents();
      String[] names = new String[components.length];
      Class<?>[] types = new Class<?>[components.length];
      for (int i = 0; i < components.length; i++) {
        names[i] = components[i].getName();
        types[i] = components[i].getType();
      }
      try {
        return new AsRecord(accessible(type.getDeclaredConstructor(types)), names, types);
      } catch (NoSuchMethodException e) {
        throw new IllegalStateException("record without canonical constructor: " + type, e);
      }
    }
    if (type.isInterface() || Modifier.isAbstract(type.getModifiers()) || type.isArray()) {
      throw DbErrors.usage("query cannot build " + type.getName() + ": use a record, a class with"
          + " a no-argument constructor, a value type such as Long or String, or Map", null);
    }
    Constructor<?> constructor;
    try {
      constructor = accessible(type.getDeclaredConstructor());
    } catch (NoSuchMethodException e) {
      throw DbErrors.usage("query cannot build " + type.getName() + ": it is not a record and"
          + " has no no-argument constructor", null);
    }
    List<Field> fields = new ArrayList<>();
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        int m = f.getModifiers();
        if (!Modifier.isStatic(m) && !Modifier.isTransient(m) && !f.isSynthetic()) {
          fields.add(accessible(f));
        }
      }
    }
    return new AsFields(constructor, fields.toArray(new Field[0]));
  }

  private static <A extends java.lang.reflect.AccessibleObject> A accessible(A member) {
    try {
      member.setAccessible(true);
    } catch (RuntimeException e) {
      throw DbErrors.usage("query cannot access " + member + " (" + e.getMessage() + "); make"
          + " the type public or open its package to io.rivet4j.runtime", null);
    }
    return member;
  }

  private static Object construct(Constructor<?> constructor, Object[] args) {
    try {
      return constructor.newInstance(args);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw DbErrors.usage("constructing " + constructor.getDeclaringClass().getSimpleName()
          + " failed: " + e.getCause(), null);
    } catch (ReflectiveOperationException e) {
      throw DbErrors.usage("cannot construct " + constructor.getDeclaringClass().getName()
          + ": " + e, null);
    }
  }

  /** The column feeding each name: case-insensitive, then ignoring underscores. */
  private static String[] columnsFor(String[] names, Map<String, Object> row, Class<?> type,
      String sql) {
    String[] out = new String[names.length];
    for (int i = 0; i < names.length; i++) {
      String exact = null;
      String loose = null;
      String want = loose(names[i]);
      for (String column : row.keySet()) {
        if (column.equalsIgnoreCase(names[i])) {
          exact = column;
          break;
        }
        if (loose == null && loose(column).equals(want)) {
          loose = column;
        }
      }
      out[i] = exact != null ? exact : loose;
      if (out[i] == null) {
        throw DbErrors.usage(type.getSimpleName() + "." + names[i] + " has no matching column;"
            + " the query returns " + row.keySet() + " (alias a column: SELECT x AS "
            + names[i] + ")", sql);
      }
    }
    return out;
  }

  private static String loose(String name) {
    return name.replace("_", "").toLowerCase(Locale.ROOT);
  }

  static Object convert(Object v, Class<?> target, String column, String where, String sql) {
    if (v == null) {
      if (target.isPrimitive()) {
        throw mismatch(v, target, column, where, sql, "it is NULL; use the boxed type");
      }
      return null;
    }
    Class<?> boxed = io.rivet4j.runtime.internal.Values.box(target);
    if (boxed.isInstance(v)) {
      return v;
    }
    switch (v) {
      case Long l -> {
        if (boxed == Integer.class && l == l.intValue()) {
          return l.intValue();
        }
        if (boxed == Short.class && l == l.shortValue()) {
          return l.shortValue();
        }
        if (boxed == Byte.class && l == l.byteValue()) {
          return l.byteValue();
        }
        if (boxed == Double.class && (long) l.doubleValue() == l
            && l != Long.MAX_VALUE) {
          return l.doubleValue();
        }
        if (boxed == Float.class && (long) l.floatValue() == l && l != Long.MAX_VALUE) {
          return l.floatValue();
        }
        if (boxed == Boolean.class && (l == 0 || l == 1)) {
          return l == 1;
        }
        if (boxed == BigInteger.class) {
          return BigInteger.valueOf(l);
        }
        if (boxed == BigDecimal.class) {
          return BigDecimal.valueOf(l);
        }
      }
      case Double d -> {
        boolean integral = d == Math.rint(d) && !Double.isInfinite(d);
        if (boxed == Float.class && ((double) d.floatValue() == d || d.isNaN())) {
          return d.floatValue();
        }
        if (boxed == Long.class && integral && d >= -0x1p63 && d < 0x1p63) {
          return d.longValue();
        }
        if (boxed == Integer.class && integral && d >= Integer.MIN_VALUE
            && d <= Integer.MAX_VALUE) {
          return d.intValue();
        }
        if (boxed == Short.class && integral && d >= Short.MIN_VALUE && d <= Short.MAX_VALUE) {
          return (short) d.intValue();
        }
        if (boxed == Byte.class && integral && d >= Byte.MIN_VALUE && d <= Byte.MAX_VALUE) {
          return (byte) d.intValue();
        }
        if (boxed == BigDecimal.class && !d.isNaN() && !d.isInfinite()) {
          return BigDecimal.valueOf(d);
        }
      }
      case String s -> {
        if (target.isEnum()) {
          for (Object constant : target.getEnumConstants()) {
            if (((Enum<?>) constant).name().equals(s)) {
              return constant;
            }
          }
          throw mismatch(v, target, column, where, sql, "no constant of that name");
        }
        if (boxed == Character.class && s.length() == 1) {
          return s.charAt(0);
        }
      }
      default -> { }
    }
    throw mismatch(v, target, column, where, sql, "no lossless conversion");
  }

  private static RivetError mismatch(Object v, Class<?> target, String column, String where,
      String sql, String why) {
    String shown = v == null ? "NULL" : v instanceof byte[] b ? "BLOB of " + b.length + " bytes"
        : v.getClass().getSimpleName() + " " + v;
    return DbErrors.usage("cannot map column '" + column + "' (" + shown + ") to " + where
        + " of type " + target.getSimpleName() + ": " + why, sql);
  }
}
