package io.rivet4j.api;

import java.util.Objects;
import java.util.Optional;

/**
 * The one error type that crosses Rivet4j boundaries, in RivetKit's shape: {@code group} and
 * {@code code} identify it (written {@code group.code}, e.g. {@code actor.not_found}), the message
 * says how to fix it, and {@code metadata} carries structured detail (any serializable value).
 */
public class RivetError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String group;
  private final String code;
  private final transient Object metadata;

  public RivetError(String group, String code, String message) {
    this(group, code, message, null, null);
  }

  public RivetError(String group, String code, String message, Object metadata) {
    this(group, code, message, metadata, null);
  }

  public RivetError(String group, String code, String message, Object metadata, Throwable cause) {
    super(Objects.requireNonNull(message, "message"), cause);
    this.group = Objects.requireNonNull(group, "group");
    this.code = Objects.requireNonNull(code, "code");
    this.metadata = metadata;
  }

  public String group() {
    return group;
  }

  public String code() {
    return code;
  }

  public Optional<Object> metadata() {
    return Optional.ofNullable(metadata);
  }

  /** {@code group.code}, as close reasons and the {@code x-rivet-error} header write it. */
  public String qualifiedCode() {
    return group + "." + code;
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + qualifiedCode() + "]: " + getMessage();
  }
}
