package io.rivet4j.protocol;

import io.rivet4j.api.RivetError;

/**
 * The one exception this module throws: input that does not decode, an encoding name that is not
 * {@code json|cbor|bare}, or a Java value that has no JavaScript counterpart. Group is always
 * {@value #GROUP}; the code says which kind of input failed. Codes marked RivetKit are the ones
 * RivetKit 2.3.19 uses for the same failure; the others are Rivet4j's own.
 */
public final class ProtocolException extends RivetError {
  private static final long serialVersionUID = 1L;

  public static final String GROUP = "protocol";

  /** RivetKit: an encoding other than {@code json}, {@code cbor} or {@code bare}. */
  public static final String UNSUPPORTED_ENCODING = "unsupported_encoding";

  /** RivetKit: a client-to-server WebSocket frame ({@link ToServer}) that does not decode. */
  public static final String INVALID_ACTOR_CONNECT_REQUEST = "invalid_actor_connect_request";

  /** RivetKit: an HTTP request body (action, queue send) that does not decode. */
  public static final String INVALID_HTTP_REQUEST = "invalid_http_request";

  /** RivetKit: an HTTP response body (action output, queue result, error) that does not decode. */
  public static final String INVALID_HTTP_RESPONSE = "invalid_http_response";

  /** Rivet4j: a server-to-client WebSocket frame ({@link ToClient}) that does not decode. */
  public static final String INVALID_ACTOR_CONNECT_MESSAGE = "invalid_actor_connect_message";

  /** Rivet4j: a user value that does not decode, or a Java value JavaScript cannot represent. */
  public static final String INVALID_VALUE = "invalid_value";

  public ProtocolException(String code, String message) {
    super(GROUP, code, message);
  }

  public ProtocolException(String code, String message, Throwable cause) {
    super(GROUP, code, message, null, cause);
  }
}
