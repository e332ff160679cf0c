package io.rivet4j.client.internal;

import io.rivet4j.api.RivetError;
import io.rivet4j.client.ActorError;
import io.rivet4j.protocol.Encoding;
import io.rivet4j.protocol.HttpResponseError;
import io.rivet4j.protocol.ProtocolCodec;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads RivetKit's {@code HttpResponseError} from non-2xx responses (client-protocol.md §4.2):
 * JSON when the content type says so (the gateway always answers JSON), else the request's
 * encoding.
 */
public final class ErrorBodies {
  private static final int MAX_TEXT = 2000;

  private ErrorBodies() {}

  /** The error of a non-2xx answer to a request made in {@code encoding}; never null. */
  static ActorError decode(HttpResponse<byte[]> response, Encoding encoding) {
    Encoding actual = isJson(response) ? Encoding.JSON : encoding;
    Optional<ActorError> parsed = tryDecode(response, actual);
    if (parsed.isPresent()) {
      return parsed.get();
    }
    int status = response.statusCode();
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("status", status);
    meta.put("body", text(response.body()));
    return new ActorError(Errors.GROUP, "http_error", "HTTP " + status + " from "
        + response.uri() + ":\n" + text(response.body()), meta, rayId(response), null, null);
  }

  /** See {@link ActorError#fromResponse}. */
  public static Optional<ActorError> fromResponse(HttpResponse<byte[]> response) {
    int status = response.statusCode();
    if (status >= 200 && status < 300 || response.body() == null) {
      return Optional.empty();
    }
    if (isJson(response)) {
      return tryDecode(response, Encoding.JSON);
    }
    for (Encoding e : new Encoding[] {Encoding.BARE, Encoding.CBOR, Encoding.JSON}) {
      Optional<ActorError> parsed = tryDecode(response, e);
      if (parsed.isPresent()) {
        return parsed;
      }
    }
    return Optional.empty();
  }

  /** The error in a WebSocket handshake refusal's text body (JSON), if it is one. */
  static Optional<ActorError> fromText(String body, Optional<String> rayId) {
    if (body == null || body.isEmpty()) {
      return Optional.empty();
    }
    try {
      HttpResponseError e = ProtocolCodec.of(Encoding.JSON)
          .decodeHttpResponseError(body.getBytes(StandardCharsets.UTF_8));
      return Optional.of(of(e, rayId.orElse(null)));
    } catch (RivetError notAnError) {
      return Optional.empty();
    }
  }

  static String text(byte[] body) {
    if (body == null) {
      return "";
    }
    String s = new String(body, StandardCharsets.UTF_8);
    return s.length() > MAX_TEXT ? s.substring(0, MAX_TEXT) + "…" : s;
  }

  static Optional<String> rayIdHeader(HttpResponse<?> response) {
    return response.headers().firstValue("x-rivet-ray-id");
  }

  private static String rayId(HttpResponse<?> response) {
    return rayIdHeader(response).orElse(null);
  }

  private static Optional<ActorError> tryDecode(HttpResponse<byte[]> response, Encoding enc) {
    try {
      HttpResponseError e = ProtocolCodec.of(enc).decodeHttpResponseError(response.body());
      return Optional.of(of(e, rayId(response)));
    } catch (RivetError notAnError) {
      return Optional.empty();
    }
  }

  private static ActorError of(HttpResponseError e, String rayId) {
    return new ActorError(e.group(), e.code(), e.message(), e.metadata().orElse(null), rayId,
        e.actor().orElse(null), null);
  }

  private static boolean isJson(HttpResponse<?> response) {
    return response.headers().firstValue("content-type")
        .map(t -> t.contains("application/json")).orElse(false);
  }
}
