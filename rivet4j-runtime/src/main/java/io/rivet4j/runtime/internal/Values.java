package io.rivet4j.runtime.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import io.rivet4j.api.RivetError;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;

/**
 * Value conversion and CBOR encoding for state, inputs, arguments and outputs. In-process values
 * that already have the wanted type pass through untouched; others are converted by Jackson.
 */
public final class Values {
  public static final ObjectMapper JSON = configure(new ObjectMapper(
      com.fasterxml.jackson.core.JsonFactory.builder()
          .recyclerPool(com.fasterxml.jackson.core.util.JsonRecyclerPools
              .sharedConcurrentDequePool())
          .build()));
  /**
   * A shared buffer pool: Jackson's default pool is thread-local, and actors run on short-lived
   * virtual threads, so every encode would otherwise allocate fresh buffers (~1.3 µs each).
   */
  public static final ObjectMapper CBOR = configure(new ObjectMapper(CBORFactory.builder()
      .recyclerPool(com.fasterxml.jackson.core.util.JsonRecyclerPools.sharedConcurrentDequePool())
      .build()));

  private Values() {}

  private static ObjectMapper configure(ObjectMapper m) {
    m.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    m.disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    return m;
  }

  /** Converts {@code value} to {@code type}, or throws {@code actor.validation_error}. */
  public static Object convert(Object value, Type type, String what) {
    if (value == null) {
      if (type instanceof Class<?> c && c.isPrimitive()) {
        throw validation(what + " must be " + c.getName() + ", got null");
      }
      return null;
    }
    if (type instanceof Class<?> c) {
      Class<?> boxed = box(c);
      if (boxed.isInstance(value)) {
        return value;
      }
      Object fast = fastNumber(value, boxed);
      if (fast != null) {
        return fast;
      }
    }
    try {
      JavaType jt = JSON.getTypeFactory().constructType(type);
      return JSON.convertValue(value, jt);
    } catch (IllegalArgumentException e) {
      throw validation(what + " must be " + type.getTypeName() + ": " + firstLine(e.getMessage()));
    }
  }

  @SuppressWarnings("unchecked")
  public static <T> T convert(Object value, Class<T> type) {
    return (T) convert(value, (Type) type, "value");
  }

  private static Object fastNumber(Object value, Class<?> boxed) {
    if (!(value instanceof Number n) || !(value instanceof Integer || value instanceof Long
        || value instanceof Short || value instanceof Byte)) {
      return null;
    }
    long l = n.longValue();
    if (boxed == Long.class) {
      return l;
    }
    if (boxed == Integer.class && l == (int) l) {
      return (int) l;
    }
    if (boxed == Double.class) {
      return (double) l;
    }
    return null;
  }

  public static Class<?> box(Class<?> c) {
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

  public static byte[] toCbor(Object value) {
    try {
      return CBOR.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new IllegalArgumentException("value is not serializable: " + e.getMessage(), e);
    }
  }

  public static <T> T fromCbor(byte[] bytes, Class<T> type) {
    try {
      return CBOR.readValue(bytes, type);
    } catch (IOException e) {
      throw new IllegalStateException("stored value does not decode as " + type.getName()
          + ": " + e.getMessage(), e);
    }
  }

  /** Decodes CBOR into plain values (null, Boolean, Number, String, byte[], List, Map). */
  public static Object fromCbor(byte[] bytes) {
    return bytes == null ? null : fromCbor(bytes, Object.class);
  }

  /** Plain values of {@code args} as a fresh list (null entries allowed). */
  public static List<Object> list(Object[] args) {
    List<Object> out = new ArrayList<>(args == null ? 0 : args.length);
    if (args != null) {
      for (Object a : args) {
        out.add(a);
      }
    }
    return out;
  }

  public static RivetError validation(String message) {
    return new RivetError("actor", "validation_error", message);
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "not convertible";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
