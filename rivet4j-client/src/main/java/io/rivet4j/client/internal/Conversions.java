package io.rivet4j.client.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Converts decoded plain values (null, Boolean, Long, BigInteger, Double, String, byte[],
 * Instant, List, Set, Map) to the types callers declare. Exact numbers narrow when they fit;
 * maps become records and beans through Jackson (unknown properties ignored).
 */
final class Conversions {
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  private Conversions() {}

  /**
   * {@code value} as {@code type}.
   *
   * @throws io.rivet4j.client.ActorError {@code client.invalid_output} when it does not fit
   */
  static Object convert(Object value, Type type, String what) {
    if (type == void.class || type == Void.class) {
      return null;
    }
    if (type instanceof ParameterizedType p && p.getRawType() == Optional.class) {
      return Optional.ofNullable(convert(value, p.getActualTypeArguments()[0], what));
    }
    if (type instanceof Class<?> c) {
      Object special = special(value, c, what);
      if (special != NO_MATCH) {
        return special;
      }
    }
    if (value == null) {
      return null;
    }
    try {
      JavaType jt = MAPPER.getTypeFactory().constructType(type);
      return MAPPER.convertValue(value, jt);
    } catch (IllegalArgumentException e) {
      throw Errors.invalidOutput(what + " does not fit " + type.getTypeName() + ": "
          + firstLine(e.getMessage()), e);
    }
  }

  private static final Object NO_MATCH = new Object();

  private static Object special(Object value, Class<?> c, String what) {
    if (c == Optional.class) {
      return Optional.ofNullable(value);
    }
    if (c == OptionalLong.class) {
      return value == null ? OptionalLong.empty()
          : OptionalLong.of((Long) convert(value, Long.class, what));
    }
    if (c == OptionalInt.class) {
      return value == null ? OptionalInt.empty()
          : OptionalInt.of((Integer) convert(value, Integer.class, what));
    }
    if (c == OptionalDouble.class) {
      return value == null ? OptionalDouble.empty()
          : OptionalDouble.of((Double) convert(value, Double.class, what));
    }
    if (value == null) {
      if (c.isPrimitive()) {
        throw Errors.invalidOutput(what + " is null, which does not fit " + c.getName()
            + " (declare " + box(c).getSimpleName() + " to accept null)", null);
      }
      return null;
    }
    Class<?> boxed = box(c);
    if (boxed.isInstance(value)) {
      return value;
    }
    if (value instanceof Long || value instanceof BigInteger) {
      Number n = (Number) value;
      BigInteger big = n instanceof BigInteger b ? b : BigInteger.valueOf(n.longValue());
      if (boxed == Long.class && big.bitLength() < 64) {
        return big.longValue();
      }
      if (boxed == Integer.class && big.bitLength() < 32) {
        return big.intValue();
      }
      if (boxed == Short.class && big.bitLength() < 16) {
        return big.shortValue();
      }
      if (boxed == Byte.class && big.bitLength() < 8) {
        return big.byteValue();
      }
      if (boxed == Double.class) {
        return big.doubleValue();
      }
      if (boxed == Float.class) {
        return big.floatValue();
      }
      if (boxed == BigInteger.class) {
        return big;
      }
      if (boxed == Long.class || boxed == Integer.class || boxed == Short.class
          || boxed == Byte.class) {
        throw Errors.invalidOutput(what + " is " + big + ", which does not fit "
            + c.getSimpleName(), null);
      }
    }
    if (value instanceof Double d) {
      if (boxed == Float.class) {
        return d.floatValue();
      }
      if ((boxed == Long.class || boxed == Integer.class) && d == Math.rint(d)
          && !Double.isInfinite(d)) {
        return convert((long) (double) d, c, what);
      }
    }
    if (value instanceof String s && boxed == Instant.class) {
      try {
        return Instant.parse(s);
      } catch (DateTimeParseException e) {
        throw Errors.invalidOutput(what + " is not an ISO instant: " + s, e);
      }
    }
    if (value instanceof String s && boxed == Character.class && s.length() == 1) {
      return s.charAt(0);
    }
    return NO_MATCH;
  }

  static Class<?> box(Class<?> c) {
    if (!c.isPrimitive()) {
      return c;
    }
    if (c == long.class) {
      return Long.class;
    }
    if (c == int.class) {
      return Integer.class;
    }
    if (c == boolean.class) {
      return Boolean.class;
    }
    if (c == double.class) {
      return Double.class;
    }
    if (c == float.class) {
      return Float.class;
    }
    if (c == short.class) {
      return Short.class;
    }
    if (c == byte.class) {
      return Byte.class;
    }
    if (c == char.class) {
      return Character.class;
    }
    return Void.class;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "not convertible";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
