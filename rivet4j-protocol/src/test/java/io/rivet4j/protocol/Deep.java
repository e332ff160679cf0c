package io.rivet4j.protocol;

import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Exact structural equality for plain values and records: same Java types (Long is not Double),
 * same map key order, byte arrays by content, doubles bit for bit (−0 is not 0).
 */
final class Deep {
  private Deep() {}

  static void assertDeepEquals(Object expected, Object actual) {
    String difference = difference(expected, actual, "$");
    if (difference != null) {
      fail(difference + "\n  expected: " + show(expected) + "\n  actual:   " + show(actual));
    }
  }

  private static String difference(Object expected, Object actual, String path) {
    if (expected == null || actual == null) {
      return expected == actual ? null : path + ": one side is null";
    }
    if (expected.getClass().isRecord()) {
      if (expected.getClass() != actual.getClass()) {
        return path + ": " + expected.getClass() + " vs " + actual.getClass();
      }
      for (RecordComponent component : expected.getClass().getRecordComponents()) {
        String found = difference(read(component, expected), read(component, actual),
            path + "." + component.getName());
        if (found != null) {
          return found;
        }
      }
      return null;
    }
    if (expected instanceof Optional<?> e && actual instanceof Optional<?> a) {
      if (e.isPresent() != a.isPresent()) {
        return path + ": optional presence differs";
      }
      return e.isPresent() ? difference(e.get(), a.get(), path) : null;
    }
    if (expected instanceof byte[] e && actual instanceof byte[] a) {
      return Arrays.equals(e, a) ? null : path + ": bytes differ";
    }
    if (expected instanceof List<?> e && actual instanceof List<?> a) {
      if (e.size() != a.size()) {
        return path + ": list sizes " + e.size() + " vs " + a.size();
      }
      for (int i = 0; i < e.size(); i++) {
        String found = difference(e.get(i), a.get(i), path + "[" + i + "]");
        if (found != null) {
          return found;
        }
      }
      return null;
    }
    if (expected instanceof Map<?, ?> e && actual instanceof Map<?, ?> a) {
      if (!List.copyOf(e.keySet()).equals(List.copyOf(a.keySet()))) {
        return path + ": keys " + e.keySet() + " vs " + a.keySet();
      }
      for (Map.Entry<?, ?> entry : e.entrySet()) {
        String found = difference(entry.getValue(), a.get(entry.getKey()),
            path + "." + entry.getKey());
        if (found != null) {
          return found;
        }
      }
      return null;
    }
    if (expected instanceof Set<?> e && actual instanceof Set<?> a) {
      if (e.size() != a.size()) {
        return path + ": set sizes differ";
      }
      Iterator<?> actualItems = a.iterator();
      int index = 0;
      for (Object item : e) {
        String found = difference(item, actualItems.next(), path + "{" + index++ + "}");
        if (found != null) {
          return found;
        }
      }
      return null;
    }
    if (expected.getClass() != actual.getClass()) {
      return path + ": " + expected.getClass().getSimpleName() + " " + expected + " vs "
          + actual.getClass().getSimpleName() + " " + actual;
    }
    return expected.equals(actual) ? null : path + ": " + expected + " vs " + actual;
  }

  private static Object read(RecordComponent component, Object record) {
    try {
      return component.getAccessor().invoke(record);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  static String show(Object value) {
    if (value instanceof byte[] bytes) {
      return "byte[" + Hex.of(bytes) + "]";
    }
    if (value instanceof List<?> list) {
      return list.stream().map(Deep::show).toList().toString();
    }
    return String.valueOf(value);
  }
}
