package io.rivet4j.protocol;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/** Immutable copies of user-value lists, which may hold nulls (JavaScript {@code null}). */
final class Lists {
  private Lists() {}

  static List<Object> copyOf(List<?> values, String name) {
    Objects.requireNonNull(values, name);
    return Collections.unmodifiableList(new ArrayList<>(values));
  }
}
