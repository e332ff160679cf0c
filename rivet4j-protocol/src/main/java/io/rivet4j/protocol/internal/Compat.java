package io.rivet4j.protocol.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * RivetKit's {@code reviveJsonCompatValue}, top-down over a freshly decoded tree (which it may
 * change in place): {@code ["$BigInt","n"]} → BigInteger, {@code ["$Uint8Array",b64]} and
 * {@code ["$ArrayBuffer",b64]} → byte[], {@code ["$Undefined",x]} → null, {@code ["$Set",[…]]} →
 * Set, {@code ["$$x",v]} → {@code ["$x",v]}; any other {@code ["$x",v]} pair is malformed.
 */
final class Compat {
  private static final Pattern DECIMAL = Pattern.compile("[+-]?[0-9]+");

  private Compat() {}

  static Object revive(Object value) {
    return revive(value, 0);
  }

  private static Object revive(Object value, int depth) {
    if (depth > Limits.MAX_DEPTH) {
      throw new MalformedException("value nested deeper than " + Limits.MAX_DEPTH + " levels");
    }
    if (value instanceof List<?> list) {
      @SuppressWarnings("unchecked")
      List<Object> items = (List<Object>) list;
      if (items.size() == 2 && items.get(0) instanceof String tag && tag.startsWith("$")) {
        return tagged(tag, items.get(1), depth);
      }
      for (int i = 0; i < items.size(); i++) {
        items.set(i, revive(items.get(i), depth + 1));
      }
      return items;
    }
    if (value instanceof Map<?, ?> map) {
      @SuppressWarnings("unchecked")
      Map<String, Object> object = (Map<String, Object>) map;
      for (Map.Entry<String, Object> entry : object.entrySet()) {
        entry.setValue(revive(entry.getValue(), depth + 1));
      }
      return object;
    }
    return value; // native Sets are left as they are, as in RivetKit
  }

  private static Object tagged(String tag, Object payload, int depth) {
    return switch (tag) {
      case ValueWalker.BIGINT -> bigint(payload);
      case ValueWalker.UINT8_ARRAY, ValueWalker.ARRAY_BUFFER -> base64(tag, payload);
      case ValueWalker.UNDEFINED -> null;
      case ValueWalker.SET -> set(payload, depth);
      default -> {
        if (!tag.startsWith("$$")) {
          throw new MalformedException("unknown JSON-compat tag '" + tag + "'");
        }
        List<Object> escaped = new ArrayList<>(2);
        escaped.add(tag.substring(1));
        escaped.add(revive(payload, depth + 1));
        yield escaped;
      }
    };
  }

  /** JavaScript {@code BigInt(x)} for the payloads RivetKit writes (decimal text). */
  private static BigInteger bigint(Object payload) {
    return switch (payload) {
      case String text -> {
        String trimmed = text.strip();
        if (trimmed.length() > Limits.MAX_BIGINT_CHARS) {
          throw new MalformedException("$BigInt longer than " + Limits.MAX_BIGINT_CHARS
              + " characters");
        }
        if (trimmed.isEmpty()) {
          yield BigInteger.ZERO;
        }
        if (!DECIMAL.matcher(trimmed).matches()) {
          throw new MalformedException("$BigInt payload is not a decimal integer");
        }
        yield new BigInteger(trimmed);
      }
      case Long l -> BigInteger.valueOf(l);
      case BigInteger b -> b;
      case Double d when Double.isFinite(d) && d == Math.rint(d) ->
          new BigDecimal(d).toBigIntegerExact();
      case Boolean b -> b ? BigInteger.ONE : BigInteger.ZERO;
      case null, default -> throw new MalformedException("$BigInt payload is not an integer");
    };
  }

  private static byte[] base64(String tag, Object payload) {
    if (!(payload instanceof String text)) {
      throw new MalformedException(tag + " payload is not a base64 string");
    }
    try {
      return Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException standard) {
      try {
        return Base64.getUrlDecoder().decode(text);
      } catch (IllegalArgumentException url) {
        try {
          return Base64.getMimeDecoder().decode(text); // skips stray characters, as Node does
        } catch (IllegalArgumentException mime) {
          throw new MalformedException(tag + " payload is not base64");
        }
      }
    }
  }

  private static Set<Object> set(Object payload, int depth) {
    if (!(payload instanceof List<?> items)) {
      throw new MalformedException("$Set payload is not an array");
    }
    Set<Object> set = new LinkedHashSet<>(Math.max(4, items.size() * 2));
    for (Object item : items) {
      set.add(revive(item, depth + 1));
    }
    return set;
  }
}
