package io.rivet4j.api;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A raw HTTP request to an actor ({@code handle.fetch(path, init)} in the JavaScript client,
 * routed to {@link ActorHooks#onRequest}), or the upgrade request of a raw WebSocket.
 *
 * @param method upper case, e.g. {@code GET}
 * @param path the path after the actor's prefix, always starting with {@code /} (the client's
 *     {@code fetch("/hello")} arrives as {@code /hello}); percent-encoding kept as sent
 * @param query the query string without the leading {@code ?} and without the gateway's own
 *     {@code rvt-*} parameters; empty when none
 * @param headers header names in lower case, values in the order received
 * @param body the request body (empty when none); not copied, do not modify
 */
public record Request(String method, String path, String query, Map<String, List<String>> headers,
    byte[] body) {
  public Request {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(body, "body");
    TreeMap<String, List<String>> h = new TreeMap<>();
    for (Map.Entry<String, List<String>> e : headers.entrySet()) {
      h.computeIfAbsent(e.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
          .addAll(e.getValue());
    }
    h.replaceAll((k, v) -> List.copyOf(v));
    headers = java.util.Collections.unmodifiableMap(h);
  }

  /** The first value of a header (name in any case). */
  public Optional<String> header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /** The body decoded as UTF-8. */
  public String text() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** As RivetKit shows it to {@code onRequest}: {@code http://actor/hello?x=1}. */
  public String url() {
    return "http://actor" + path + (query.isEmpty() ? "" : "?" + query);
  }

  @Override
  public String toString() {
    return method + " " + path + (query.isEmpty() ? "" : "?" + query) + " (" + body.length
        + " bytes)";
  }
}
