package io.rivet4j.api;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link ActorHooks#onRequest} answers. The status, headers and body reach the client
 * unmodified; the server adds its {@code x-rivet-actor*} and CORS headers and sets the length.
 *
 * <pre>{@code
 * return Response.text(200, "hello").withHeader("x-custom", "yes");
 * }</pre>
 *
 * @param headers names in lower case
 * @param body not copied, do not modify
 */
public record Response(int status, Map<String, List<String>> headers, byte[] body) {
  public Response {
    if (status < 200 || status > 599) {
      throw new IllegalArgumentException("status must be 200-599, was " + status);
    }
    Objects.requireNonNull(body, "body");
    LinkedHashMap<String, List<String>> h = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> e : headers.entrySet()) {
      h.computeIfAbsent(e.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
          .addAll(e.getValue());
    }
    h.replaceAll((k, v) -> List.copyOf(v));
    headers = java.util.Collections.unmodifiableMap(h);
  }

  /** A UTF-8 text body with {@code content-type: text/plain; charset=utf-8}. */
  public static Response text(int status, String text) {
    return of(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
  }

  /** A body with the given content type. */
  public static Response of(int status, String contentType, byte[] body) {
    return new Response(status, Map.of("content-type", List.of(contentType)), body);
  }

  /** No body and no headers. */
  public static Response status(int status) {
    return new Response(status, Map.of(), new byte[0]);
  }

  /** This response with one more header value. */
  public Response withHeader(String name, String value) {
    LinkedHashMap<String, List<String>> h = new LinkedHashMap<>(headers);
    List<String> values = new ArrayList<>(h.getOrDefault(name.toLowerCase(Locale.ROOT),
        List.of()));
    values.add(value);
    h.put(name.toLowerCase(Locale.ROOT), values);
    return new Response(status, h, body);
  }

  /** The first value of a header (name in any case), or null. */
  public String header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  @Override
  public String toString() {
    return "Response " + status + " (" + body.length + " bytes)";
  }
}
