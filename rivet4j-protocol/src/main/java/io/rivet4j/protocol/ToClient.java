package io.rivet4j.protocol;

import io.rivet4j.api.RivetError;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/** A WebSocket message from the actor to the client ({@code /connect}, client protocol v4). */
public sealed interface ToClient {

  /** First message of every connection; the client is connected once it arrives. */
  record Init(String actorId, String connectionId) implements ToClient {
    public Init {
      Objects.requireNonNull(actorId, "actorId");
      Objects.requireNonNull(connectionId, "connectionId");
    }
  }

  /**
   * An error. With {@code actionId} it fails that action only; without it fails the connection
   * (the server then closes the socket). {@code metadata} is a plain user value; a decoded
   * {@code null} metadata reads as empty. {@code actionId} is unsigned 64-bit.
   */
  record Error(
      String group,
      String code,
      String message,
      Optional<Object> metadata,
      OptionalLong actionId,
      Optional<ActorSpecifier> actor)
      implements ToClient {
    public Error {
      Objects.requireNonNull(group, "group");
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(message, "message");
      Objects.requireNonNull(metadata, "metadata");
      Objects.requireNonNull(actionId, "actionId");
      Objects.requireNonNull(actor, "actor");
    }

    /** A connection-level error without metadata or actor. */
    public static Error of(String group, String code, String message) {
      return new Error(group, code, message, Optional.empty(), OptionalLong.empty(),
          Optional.empty());
    }

    /** {@code error}'s group, code, message and metadata, as given (no masking here). */
    public static Error from(
        RivetError error, OptionalLong actionId, Optional<ActorSpecifier> actor) {
      return new Error(error.group(), error.code(), error.getMessage(), error.metadata(),
          actionId, actor);
    }
  }

  /** The result of action {@code id}; {@code output} is a plain user value (null is JS null). */
  record ActionResponse(long id, Object output) implements ToClient {}

  /** An event: a broadcast the client subscribed to, or a message sent to this connection. */
  record Event(String name, List<Object> args) implements ToClient {
    public Event {
      Objects.requireNonNull(name, "name");
      args = Lists.copyOf(args, "args");
    }
  }
}
