package io.rivet4j.protocol.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.POJONode;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import io.rivet4j.protocol.ProtocolException;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalAmount;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Turns any Java value into the plain model of the package docs: null, Boolean, Long, BigInteger,
 * Double, String, byte[], Instant, List, Set and Map&lt;String, Object&gt; (insertion-ordered).
 * Records, POJOs and enums go through Jackson (records become maps of their components).
 */
public final class JavaValues {
  private static final ObjectMapper MAPPER = createMapper();

  private JavaValues() {}

  /** The plain form of {@code value}; containers are copied, leaves are shared. */
  public static Object normalize(Object value) {
    return normalize(value, 0);
  }

  static Object normalize(Object value, int depth) {
    if (depth > Limits.MAX_DEPTH) {
      throw tooDeep();
    }
    return switch (value) {
      case null -> null;
      case String s -> s;
      case Boolean b -> b;
      case Character c -> c.toString();
      case Long l -> l;
      case Integer i -> i.longValue();
      case Short s -> s.longValue();
      case Byte b -> b.longValue();
      case Double d -> d;
      case Float f -> f.doubleValue();
      case BigInteger b -> b;
      case BigDecimal b -> b.doubleValue();
      case byte[] b -> b;
      case ByteBuffer b -> bytes(b);
      case Instant t -> t;
      case Date d -> Instant.ofEpochMilli(d.getTime());
      case TemporalAccessor t -> t.toString();
      case TemporalAmount t -> t.toString();
      case Optional<?> o -> normalize(o.orElse(null), depth);
      case OptionalLong o -> o.isPresent() ? (Object) o.getAsLong() : null;
      case OptionalInt o -> o.isPresent() ? (Object) (long) o.getAsInt() : null;
      case OptionalDouble o -> o.isPresent() ? (Object) o.getAsDouble() : null;
      case Map<?, ?> m -> map(m, depth);
      case Set<?> s -> set(s.toArray(), depth);
      case Collection<?> c -> list(c.toArray(), depth);
      case Object[] a -> list(a.clone(), depth);
      case char[] a -> new String(a);
      case int[] a -> list(Arrays.stream(a).boxed().toArray(), depth);
      case long[] a -> list(Arrays.stream(a).boxed().toArray(), depth);
      case double[] a -> list(Arrays.stream(a).boxed().toArray(), depth);
      case short[] a -> list(boxed(a), depth);
      case float[] a -> list(boxed(a), depth);
      case boolean[] a -> list(boxed(a), depth);
      case JsonNode n -> fromTree(n, depth);
      default -> fromTree(toTree(value), depth);
    };
  }

  /** A map key as a JavaScript object key (strings as-is, numbers as JavaScript prints them). */
  static String key(Object key) {
    return switch (key) {
      case null -> throw new ProtocolException(ProtocolException.INVALID_VALUE,
          "A map key is null; JavaScript object keys are strings. Remove the null key.");
      case String s -> s;
      case Long l -> Long.toString(l);
      case Integer i -> Integer.toString(i);
      case Short s -> Short.toString(s);
      case Byte b -> Byte.toString(b);
      case Double d -> JsNumbers.toJsString(d);
      case Float f -> JsNumbers.toJsString(f);
      case Enum<?> e -> e.name();
      default -> key.toString();
    };
  }

  static ProtocolException tooDeep() {
    return new ProtocolException(ProtocolException.INVALID_VALUE, "Value is nested deeper than "
        + Limits.MAX_DEPTH + " levels (or contains itself); flatten it before sending it");
  }

  private static Map<String, Object> map(Map<?, ?> map, int depth) {
    Object[] entries = map.entrySet().toArray();
    Map<String, Object> plain = new LinkedHashMap<>(Math.max(4, entries.length * 2));
    for (Object item : entries) {
      Map.Entry<?, ?> entry = (Map.Entry<?, ?>) item;
      plain.put(key(entry.getKey()), normalize(entry.getValue(), depth + 1));
    }
    return plain;
  }

  private static Set<Object> set(Object[] items, int depth) {
    Set<Object> plain = new LinkedHashSet<>(Math.max(4, items.length * 2));
    for (Object item : items) {
      plain.add(normalize(item, depth + 1));
    }
    return plain;
  }

  private static List<Object> list(Object[] items, int depth) {
    List<Object> plain = new ArrayList<>(items.length);
    for (Object item : items) {
      plain.add(normalize(item, depth + 1));
    }
    return plain;
  }

  private static byte[] bytes(ByteBuffer buffer) {
    byte[] copy = new byte[buffer.remaining()];
    buffer.duplicate().get(copy);
    return copy;
  }

  private static Object[] boxed(short[] values) {
    Object[] boxed = new Object[values.length];
    for (int i = 0; i < values.length; i++) {
      boxed[i] = values[i];
    }
    return boxed;
  }

  private static Object[] boxed(float[] values) {
    Object[] boxed = new Object[values.length];
    for (int i = 0; i < values.length; i++) {
      boxed[i] = values[i];
    }
    return boxed;
  }

  private static Object[] boxed(boolean[] values) {
    Object[] boxed = new Object[values.length];
    for (int i = 0; i < values.length; i++) {
      boxed[i] = values[i];
    }
    return boxed;
  }

  private static JsonNode toTree(Object value) {
    try {
      return MAPPER.valueToTree(value);
    } catch (IllegalArgumentException e) {
      throw new ProtocolException(ProtocolException.INVALID_VALUE, "Cannot encode a "
          + value.getClass().getName() + " as a JavaScript value: " + e.getMessage()
          + ". Use records, maps, lists, strings, numbers, booleans, byte[] or Instant.", e);
    }
  }

  private static Object fromTree(JsonNode node, int depth) {
    if (depth > Limits.MAX_DEPTH) {
      throw tooDeep();
    }
    return switch (node.getNodeType()) {
      case ARRAY -> {
        List<Object> list = new ArrayList<>(node.size());
        for (JsonNode item : node) {
          list.add(fromTree(item, depth + 1));
        }
        yield list;
      }
      case OBJECT -> {
        Map<String, Object> map = new LinkedHashMap<>(Math.max(4, node.size() * 2));
        for (Map.Entry<String, JsonNode> field : node.properties()) {
          map.put(field.getKey(), fromTree(field.getValue(), depth + 1));
        }
        yield map;
      }
      case BINARY -> binary(node);
      case BOOLEAN -> node.booleanValue();
      case MISSING, NULL -> null;
      case NUMBER -> number(node);
      case POJO -> normalize(((POJONode) node).getPojo(), depth + 1);
      case STRING -> node.textValue();
    };
  }

  private static byte[] binary(JsonNode node) {
    try {
      return node.binaryValue();
    } catch (IOException e) {
      throw new ProtocolException(ProtocolException.INVALID_VALUE, "Unreadable binary value", e);
    }
  }

  private static Object number(JsonNode node) {
    if (node.isBigInteger()) {
      return node.bigIntegerValue();
    }
    if (node.isIntegralNumber()) {
      return node.longValue();
    }
    return node.doubleValue();
  }

  /**
   * Jackson as configured here: empty beans become {@code {}}, and values that need our own
   * handling (Instant, Date, Set) pass through the tree untouched, to be normalized above.
   */
  @SuppressWarnings({"rawtypes", "unchecked"})
  private static ObjectMapper createMapper() {
    SimpleModule module = new SimpleModule("rivet4j-user-values");
    module.addSerializer(Instant.class, new Embedded<>(Instant.class));
    module.addSerializer(Date.class, new Embedded<>(Date.class));
    module.addSerializer(Set.class, new Embedded<>((Class) Set.class));
    module.addSerializer(Optional.class, new OptionalSerializer());
    module.addSerializer(OptionalLong.class, new Embedded<>(OptionalLong.class));
    module.addSerializer(OptionalInt.class, new Embedded<>(OptionalInt.class));
    module.addSerializer(OptionalDouble.class, new Embedded<>(OptionalDouble.class));
    module.addSerializer(TemporalAccessor.class, ToStringSerializer.instance);
    module.addSerializer(TemporalAmount.class, ToStringSerializer.instance);
    return JsonMapper.builder()
        .addModule(module)
        .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
        .build();
  }

  /** Hands the value to the tree as an embedded object ({@link POJONode}). */
  private static final class Embedded<T> extends StdSerializer<T> {
    private static final long serialVersionUID = 1L;

    Embedded(Class<T> type) {
      super(type);
    }

    @Override
    public void serialize(T value, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      gen.writeEmbeddedObject(value); // not writePOJO: that would call back into this mapper
    }
  }

  /** {@code Optional.of(x)} is x, {@code Optional.empty()} is null. */
  @SuppressWarnings({"rawtypes", "unchecked"})
  private static final class OptionalSerializer extends StdSerializer<Optional> {
    private static final long serialVersionUID = 1L;

    OptionalSerializer() {
      super(Optional.class);
    }

    @Override
    public void serialize(Optional value, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      provider.defaultSerializeValue(value.orElse(null), gen);
    }
  }
}
