package io.rivet4j.protocol.internal;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a Java value the way RivetKit's {@code encodeJsonCompatValue} / {@code
 * jsonStringifyCompat} write the JavaScript value it stands for: bigints, byte arrays and sets
 * become {@code ["$BigInt", "…"]}, {@code ["$Uint8Array", "<base64>"]}, {@code ["$Set", […]]},
 * and a 2-element array whose first item is a string starting with {@code $} gets one more
 * {@code $}. Values outside the plain model (records, POJOs, enums, …) are normalized first.
 */
final class ValueWalker {
  static final String BIGINT = "$BigInt";
  static final String UINT8_ARRAY = "$Uint8Array";
  static final String ARRAY_BUFFER = "$ArrayBuffer";
  static final String UNDEFINED = "$Undefined";
  static final String SET = "$Set";

  private ValueWalker() {}

  static void walk(Object value, ValueVisitor out) {
    write(value, out, 0);
  }

  /** An unsigned 64-bit protocol id as a JSON-compat bigint: {@code ["$BigInt", "7"]}. */
  static void unsignedBigInt(long value, ValueVisitor out) {
    tagged(out, BIGINT, Long.toUnsignedString(value));
  }

  /** An unsigned 64-bit value as a plain value: Long when it fits, else BigInteger. */
  static Object unsigned(long value) {
    return value >= 0 ? (Object) value : new BigInteger(Long.toUnsignedString(value));
  }

  private static void write(Object value, ValueVisitor out, int depth) {
    if (depth > Limits.MAX_DEPTH) {
      throw JavaValues.tooDeep();
    }
    switch (value) {
      case null -> out.nul();
      case String s -> out.string(s);
      case Boolean b -> out.bool(b);
      case Long l -> integer(l, out);
      case Integer i -> out.number(i);
      case Short s -> out.number(s);
      case Byte b -> out.number(b);
      case Double d -> out.number(d);
      case Float f -> out.number(f);
      case BigInteger b -> tagged(out, BIGINT, b.toString());
      case byte[] b -> tagged(out, UINT8_ARRAY, Base64.getEncoder().encodeToString(b));
      case Instant t -> out.date(t);
      case Map<?, ?> m -> object(m, out, depth);
      case Set<?> s -> set(s, out, depth);
      case List<?> l -> array(l.toArray(), out, depth);
      default -> write(JavaValues.normalize(value, depth), out, depth);
    }
  }

  private static void integer(long value, ValueVisitor out) {
    if (JsNumbers.isSafeInteger(value)) {
      out.number(value);
    } else {
      tagged(out, BIGINT, Long.toString(value));
    }
  }

  private static void tagged(ValueVisitor out, String tag, String payload) {
    out.arrayStart(2);
    out.string(tag);
    out.string(payload);
    out.arrayEnd();
  }

  private static void object(Map<?, ?> map, ValueVisitor out, int depth) {
    Object[] entries = map.entrySet().toArray();
    out.objectStart(entries.length);
    for (Object item : entries) {
      Map.Entry<?, ?> entry = (Map.Entry<?, ?>) item;
      out.key(JavaValues.key(entry.getKey()));
      write(entry.getValue(), out, depth + 1);
    }
    out.objectEnd();
  }

  private static void set(Set<?> set, ValueVisitor out, int depth) {
    Object[] items = set.toArray();
    out.arrayStart(2);
    out.string(SET);
    out.arrayStart(items.length); // the items array itself is never $-escaped, as in RivetKit
    for (Object item : items) {
      write(item, out, depth + 2);
    }
    out.arrayEnd();
    out.arrayEnd();
  }

  private static void array(Object[] items, ValueVisitor out, int depth) {
    if (items.length == 2) {
      Object first = isDirect(items[0]) ? items[0] : JavaValues.normalize(items[0], depth + 1);
      items[0] = first instanceof String s && s.startsWith("$") ? "$" + s : first;
    }
    out.arrayStart(items.length);
    for (Object item : items) {
      write(item, out, depth + 1);
    }
    out.arrayEnd();
  }

  /** Values the switch above writes without normalizing; none of them but String is a string. */
  private static boolean isDirect(Object value) {
    return value == null || value instanceof String || value instanceof Boolean
        || value instanceof Number || value instanceof byte[] || value instanceof Instant
        || value instanceof Map || value instanceof Collection;
  }
}
