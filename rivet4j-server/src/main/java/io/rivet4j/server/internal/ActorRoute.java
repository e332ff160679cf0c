package io.rivet4j.server.internal;

import io.netty.handler.codec.http.HttpMethod;
import io.rivet4j.api.RivetError;

/**
 * What the actor router ({@code /action/:name}, {@code /connect}, …) makes of the path left
 * after the gateway prefix (client-protocol.md §4–§6). Raw {@code /request/*},
 * {@code /websocket/*} and {@code /queue/*} have no Rivet4j API yet and answer the reference's
 * "route not found".
 */
sealed interface ActorRoute {
  /** {@code GET /gateway/<actor>}: the banner text. */
  record Root() implements ActorRoute {}

  /** {@code POST /action/<name>}: a stateless action. */
  record Action(String name) implements ActorRoute {}

  /** {@code GET /connect} with a WebSocket upgrade. */
  record Connect() implements ActorRoute {}

  /** Anything else, answered with {@code error} once the actor is resolved. */
  record Failure(RivetError error) implements ActorRoute {}

  static ActorRoute parse(HttpMethod method, String rawPath, boolean upgrade) {
    if (rawPath.isEmpty() || rawPath.equals("/")) {
      return new Root();
    }
    if (rawPath.startsWith("/action/")) {
      String segment = rawPath.substring("/action/".length());
      if (!segment.isEmpty() && segment.indexOf('/') < 0) {
        if (!method.equals(HttpMethod.POST)) {
          return new Failure(Failures.methodNotAllowed(method.name(), rawPath));
        }
        try {
          return new Action(UrlParts.decode(segment, false));
        } catch (IllegalArgumentException e) {
          return new Failure(Failures.routeNotFound(rawPath));
        }
      }
    }
    if (rawPath.equals("/connect") && upgrade && method.equals(HttpMethod.GET)) {
      return new Connect();
    }
    return new Failure(Failures.routeNotFound(rawPath));
  }
}
