package io.rivet4j.runtime.internal;

import io.rivet4j.api.Value;
import java.util.Optional;

/** A {@link Value} over a plain or in-process object. */
public record PlainValue(Object value) implements Value {
  public static final PlainValue NULL = new PlainValue(null);

  public static PlainValue of(Object value) {
    return value == null ? NULL : new PlainValue(value);
  }

  @Override
  public boolean isNull() {
    return value == null;
  }

  @Override
  public <T> T as(Class<T> type) {
    return Values.convert(value, type);
  }

  @Override
  public Optional<Object> raw() {
    return Optional.ofNullable(value);
  }
}
