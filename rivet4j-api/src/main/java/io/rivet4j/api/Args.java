package io.rivet4j.api;

import java.util.List;

/** The arguments of an action call, for builder-form actions. */
public interface Args {
  int size();

  /** Argument {@code index}; a missing argument is a null value, as in JavaScript. */
  Value get(int index);

  default <T> T get(int index, Class<T> type) {
    return get(index).as(type);
  }

  /** The plain values (see {@link Value#raw()}). */
  List<Object> raw();
}
