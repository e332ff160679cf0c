package io.rivet4j.runtime.internal;

import io.rivet4j.api.Args;
import io.rivet4j.api.Value;
import java.util.Collections;
import java.util.List;

/** {@link Args} over a list of plain or in-process values. */
public record PlainArgs(List<Object> values) implements Args {
  @Override
  public int size() {
    return values.size();
  }

  @Override
  public Value get(int index) {
    return index < values.size() ? PlainValue.of(values.get(index)) : PlainValue.NULL;
  }

  @Override
  public List<Object> raw() {
    return Collections.unmodifiableList(values);
  }
}
