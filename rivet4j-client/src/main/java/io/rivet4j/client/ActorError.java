package io.rivet4j.client;

import io.rivet4j.api.RivetError;
import io.rivet4j.client.internal.ErrorBodies;
import io.rivet4j.protocol.ActorSpecifier;
import java.net.http.HttpResponse;
import java.util.Optional;

/**
 * Every failure the client reports, in RivetKit's shape ({@code ActorError} of
 * {@code rivetkit/client}): {@code group.code}, message and metadata as the server sent them,
 * plus the server's ray id and the actor that raised it when known.
 *
 * <p>Errors raised by the client itself use group {@code client}: {@code unreachable} (no
 * server at the endpoint), {@code timeout}, {@code request_failed}, {@code protocol_mismatch}
 * (an answer this client cannot decode), {@code closed} (the client), {@code
 * connection_disposed}, {@code connection_closed} (a socket closed without a RivetKit reason),
 * {@code connection_open_failed}, {@code get_params_failed}, {@code queue_full},
 * {@code invalid_output} (a result that does not fit the declared type) and
 * {@code invalid_input}, {@code http_error} (a non-2xx answer without a RivetKit error body;
 * metadata {@code status} and {@code body}) and {@code interrupted}.
 */
public class ActorError extends RivetError {
  private static final long serialVersionUID = 1L;

  private final String rayId;
  private final transient ActorSpecifier actor;

  public ActorError(String group, String code, String message) {
    this(group, code, message, null, null, null, null);
  }

  public ActorError(String group, String code, String message, Object metadata, String rayId,
      ActorSpecifier actor, Throwable cause) {
    super(group, code, message, metadata, cause);
    this.rayId = rayId;
    this.actor = actor;
  }

  /** The server's {@code x-rivet-ray-id} (or the {@code #ray} part of a close reason). */
  public Optional<String> rayId() {
    return Optional.ofNullable(rayId);
  }

  /** The actor that raised the error, when the server named it. */
  public Optional<ActorSpecifier> actor() {
    return Optional.ofNullable(actor);
  }

  /**
   * The error a non-2xx response carries (a raw {@code fetch} answer, for example): its body
   * decoded as RivetKit's {@code HttpResponseError} in JSON (when the content type says so) or
   * else in the binary encodings. Empty for 2xx responses and bodies that are not such an error.
   */
  public static Optional<ActorError> fromResponse(HttpResponse<byte[]> response) {
    return ErrorBodies.fromResponse(response);
  }
}
