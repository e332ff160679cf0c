package io.rivet4j.api;

import java.util.Optional;

/**
 * A serializable value received from outside the actor (action argument, creation input,
 * connection params), converted on demand to the type the actor wants.
 */
public interface Value {
  /** True when the value is absent or {@code null}. */
  boolean isNull();

  /**
   * This value as {@code type}: numbers widen or narrow when exact, maps become records.
   *
   * @throws RivetError {@code actor.validation_error} when the value does not fit {@code type}
   */
  <T> T as(Class<T> type);

  /** The plain value: {@code null}, Boolean, Number, String, byte[], List or Map, or as given in-process. */
  Optional<Object> raw();
}
