package io.rivet4j.server.internal;

import io.netty.handler.codec.http.HttpHeaders;
import io.rivet4j.api.Request;
import io.rivet4j.api.RivetError;
import io.rivet4j.protocol.Encoding;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A raw request, {@code …/request/<path>} (client-protocol.md §6.1): handed to the actor's
 * {@code onRequest} with a connection for its duration; the actor's response goes back
 * unmodified. Errors (a refused connection, a failing hook) are JSON in RivetKit's shape.
 *
 * <p>Concurrency: {@link #serve} does not block (for an awake actor); the response is written
 * from whichever thread completes the request.
 */
final class RawRequestRoute {
  private RawRequestRoute() {}

  static void serve(ServerContext s, Exchange ex, ResolvedActor actor, String path) {
    Object params;
    try {
      params = ex.connParams();
    } catch (RivetError e) {
      Failures.LOG.debug("actor {}: x-rivet-conn-params is not JSON: {}", actor.actorId(),
          e.getMessage());
      ex.actorError(Failures.undecodable(), actor, Encoding.JSON);
      return;
    }
    Request request = request(ex.method.name(), path, ex.url, ex.headers, ex.body, ex.rayId);
    s.node.request(actor.actorId(), actor.name(), request, params).whenComplete((r, e) -> {
      if (e != null) {
        ex.actorError(Failures.forCaller(e, "onRequest"), actor, Encoding.JSON);
      } else {
        ex.respond(r, actor);
      }
    });
  }

  /** The request as the actor sees it: gateway parameters removed, the ray id added. */
  static Request request(String method, String path, UrlParts url, HttpHeaders headers,
      byte[] body, String rayId) {
    Map<String, List<String>> h = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : headers) {
      h.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue());
    }
    h.put("x-rivet-ray-id", List.of(rayId));
    return new Request(method, path, url.rawQueryWithout("rvt-"), h, body);
  }
}
