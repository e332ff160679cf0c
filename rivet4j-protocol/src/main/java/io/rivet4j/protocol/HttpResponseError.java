package io.rivet4j.protocol;

import io.rivet4j.api.RivetError;
import java.util.Objects;
import java.util.Optional;

/**
 * Body of every non-2xx actor response: {@code {group, code, message, metadata?, actor?}}.
 * {@code metadata} is a plain user value; a decoded {@code null} metadata reads as empty.
 */
public record HttpResponseError(
    String group,
    String code,
    String message,
    Optional<Object> metadata,
    Optional<ActorSpecifier> actor) {
  public HttpResponseError {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(metadata, "metadata");
    Objects.requireNonNull(actor, "actor");
  }

  /** {@code error}'s group, code, message and metadata, as given (no masking here). */
  public static HttpResponseError from(RivetError error, Optional<ActorSpecifier> actor) {
    return new HttpResponseError(error.group(), error.code(), error.getMessage(),
        error.metadata(), actor);
  }
}
