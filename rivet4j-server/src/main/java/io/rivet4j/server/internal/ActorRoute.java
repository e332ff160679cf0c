package io.rivet4j.server.internal;

import io.netty.handler.codec.http.HttpMethod;
import io.rivet4j.api.RivetError;

/**
 * What the actor router ({@code /action/:name}, {@code /connect}, …) makes of the path left
 * after the gateway prefix (client-protocol.md §4–§6).
 */
sealed interface ActorRoute {
  /** {@code GET /gateway/<actor>}: the banner text. */
  record Root() implements ActorRoute {}

  /** {@code POST /action/<name>}: a stateless action. */
  record Action(String name) implements ActorRoute {}

  /** {@code POST /queue/<name>}: a queue send. */
  record Queue(String name) implements ActorRoute {}

  /** {@code GET /connect} with a WebSocket upgrade. */
  record Connect() implements ActorRoute {}

  /**
   * {@code /request[/…]}: a raw request for {@code onRequest}.
   *
   * @param path what follows {@code /request}, {@code /} when nothing does
   */
  record RawRequest(String path) implements ActorRoute {}

  /** {@code GET /websocket[/…]} with an upgrade: a raw WebSocket for {@code onWebSocket}. */
  record RawSocket(String path) implements ActorRoute {}

  /** Anything else, answered with {@code error} once the actor is resolved. */
  record Failure(RivetError error) implements ActorRoute {}

  static ActorRoute parse(HttpMethod method, String rawPath, boolean upgrade) {
    if (rawPath.isEmpty() || rawPath.equals("/")) {
      return new Root();
    }
    for (String prefix : new String[] {"/action/", "/queue/"}) {
      if (!rawPath.startsWith(prefix)) {
        continue;
      }
      String segment = rawPath.substring(prefix.length());
      if (!segment.isEmpty() && segment.indexOf('/') < 0) {
        if (!method.equals(HttpMethod.POST)) {
          return new Failure(Failures.methodNotAllowed(method.name(), rawPath));
        }
        try {
          String name = UrlParts.decode(segment, false);
          return prefix.equals("/action/") ? new Action(name) : new Queue(name);
        } catch (IllegalArgumentException e) {
          return new Failure(Failures.routeNotFound(rawPath));
        }
      }
    }
    if (rawPath.equals("/connect") && upgrade && method.equals(HttpMethod.GET)) {
      return new Connect();
    }
    String raw = under(rawPath, "/request");
    if (raw != null) {
      return new RawRequest(raw);
    }
    raw = under(rawPath, "/websocket");
    if (raw != null && upgrade && method.equals(HttpMethod.GET)) {
      return new RawSocket(raw);
    }
    return new Failure(Failures.routeNotFound(rawPath));
  }

  /** The rest of {@code path} below {@code prefix} ({@code /} for none), or null. */
  private static String under(String path, String prefix) {
    if (!path.startsWith(prefix)) {
      return null;
    }
    String rest = path.substring(prefix.length());
    if (rest.isEmpty()) {
      return "/";
    }
    return rest.charAt(0) == '/' ? rest : null;
  }
}
