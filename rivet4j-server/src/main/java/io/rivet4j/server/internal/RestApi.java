package io.rivet4j.server.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpMethod;
import io.rivet4j.api.Key;
import io.rivet4j.api.RivetError;
import io.rivet4j.protocol.UserValues;
import io.rivet4j.runtime.internal.Node;
import io.rivet4j.runtime.spi.ActorRecord;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The engine REST API the client uses to resolve actors (client-protocol.md §2.5):
 * {@code GET /actors} by ids or by name + key, {@code PUT /actors} (get-or-create),
 * {@code POST /actors} (create) and {@code DELETE /actors/<id>} (destroy). JSON only;
 * {@code ?namespace=} is required, as on the engine.
 *
 * <p>Concurrency: stateless; every call runs on the blocking executor (directory reads and
 * creations may wait for the store).
 */
final class RestApi {
  private RestApi() {}

  static void serve(ServerContext s, Exchange ex) {
    if (!admitted(s, ex)) {
      return;
    }
    HttpMethod m = ex.method;
    if (!m.equals(HttpMethod.GET) && !m.equals(HttpMethod.PUT) && !m.equals(HttpMethod.POST)) {
      ex.gatewayError(Failures.apiNotFound());
      return;
    }
    s.blocking.execute(() -> {
      try {
        ObjectNode out;
        if (m.equals(HttpMethod.GET)) {
          out = list(s, ex);
        } else {
          out = create(s, ex, m.equals(HttpMethod.PUT));
        }
        ex.respondJson(200, Json.bytes(out));
      } catch (Throwable t) {
        ex.gatewayError(Failures.forCaller(t, "REST " + m + " /actors"));
      }
    });
  }

  /** {@code DELETE /actors/<id>}: destroys the actor, answers {@code {}} once it is gone. */
  static void serveDelete(ServerContext s, Exchange ex, String actorId) {
    if (!admitted(s, ex)) {
      return;
    }
    if (!ex.method.equals(HttpMethod.DELETE)) {
      ex.gatewayError(Failures.apiNotFound());
      return;
    }
    s.blocking.execute(() -> {
      try {
        s.node.destroy(actorId).whenComplete((v, e) -> {
          if (e != null) {
            ex.gatewayError(Failures.forCaller(e, "REST DELETE /actors"));
          } else {
            ex.respondJson(200, Json.bytes(Json.MAPPER.createObjectNode()));
          }
        });
      } catch (Throwable t) {
        ex.gatewayError(Failures.forCaller(t, "REST DELETE /actors"));
      }
    });
  }

  /** Token and namespace checks; false when the error was answered. */
  private static boolean admitted(ServerContext s, Exchange ex) {
    RivetError denied = s.checkToken(ex.headers, null, List.of());
    if (denied != null) {
      ex.gatewayError(denied);
      return false;
    }
    String ns = ex.url.first("namespace");
    if (ns == null) {
      ex.gatewayError(Failures.badRequest(
          "Failed to deserialize query string: missing field `namespace`"));
      return false;
    }
    if (!ns.equals(s.config.namespace())) {
      ex.gatewayError(Failures.namespaceNotFound());
      return false;
    }
    return true;
  }

  private static ObjectNode list(ServerContext s, Exchange ex) {
    List<ActorRecord> found = new ArrayList<>();
    String ids = ex.url.first("actor_ids");
    String name = ex.url.first("name");
    if (ids != null && !ids.isEmpty()) {
      Set<String> unique = new LinkedHashSet<>(List.of(ids.split(",")));
      for (String id : unique) {
        if (!id.isEmpty()) {
          s.node.find(id.trim()).ifPresent(found::add);
        }
      }
    } else if (name != null && !name.isEmpty()) {
      String key = ex.url.first("key");
      if (key == null) {
        throw Failures.badRequest("listing every actor of a name is not supported by Rivet4j"
            + " yet; pass key=<serialized key> or actor_ids=<id,…>");
      }
      s.node.findByKey(name, Key.deserialize(key)).ifPresent(found::add);
    } else {
      String why = "Name is required when not using actor_ids.";
      throw new RivetError("validation", "invalid_input", why, java.util.Map.of("message", why));
    }
    ObjectNode out = Json.MAPPER.createObjectNode();
    ArrayNode actors = out.putArray("actors");
    for (ActorRecord r : found) {
      actors.add(Json.actor(r, s.namespaceId));
    }
    out.putObject("pagination").putNull("cursor");
    return out;
  }

  /** {@code PUT} (get-or-create, reports {@code created}) or {@code POST} (create). */
  private static ObjectNode create(ServerContext s, Exchange ex, boolean getOrCreate) {
    JsonNode body;
    try {
      body = Json.MAPPER.readTree(ex.body);
    } catch (java.io.IOException e) {
      String detail = e instanceof JsonProcessingException j ? j.getOriginalMessage()
          : e.getMessage();
      throw Failures.badRequest("Failed to parse the request body as JSON: " + detail);
    }
    if (body == null || !body.isObject()) {
      throw Failures.badRequest("Failed to parse the request body as JSON: expected an object");
    }
    JsonNode nameNode = body.get("name");
    if (nameNode == null || !nameNode.isTextual()) {
      throw Failures.badRequest("Failed to parse the request body as JSON: missing field `name`");
    }
    String name = nameNode.asText();
    JsonNode keyNode = body.get("key");
    Key key = keyNode == null || keyNode.isNull() ? Key.of() : Key.deserialize(keyNode.asText());
    Object input = null;
    JsonNode inputNode = body.get("input");
    if (inputNode != null && inputNode.isTextual()) {
      byte[] cbor;
      try {
        cbor = Base64.getDecoder().decode(inputNode.asText());
      } catch (IllegalArgumentException e) {
        throw Failures.badRequest("input is not base64: " + e.getMessage());
      }
      try {
        input = UserValues.decodeCbor(cbor);
      } catch (RivetError e) {
        throw Failures.badRequest("input is not CBOR: " + e.getMessage());
      }
    }
    Node.Resolved resolved = s.node.resolveDetailed(name, key,
        getOrCreate ? Node.Mode.GET_OR_CREATE : Node.Mode.CREATE, input);
    String id = resolved.actorId();
    boolean created = resolved.created();
    ActorRecord record = s.node.find(id).orElseThrow(
        () -> io.rivet4j.runtime.internal.Errors.notFound(id));
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.set("actor", Json.actor(record, s.namespaceId));
    if (getOrCreate) {
      out.put("created", created);
    }
    return out;
  }
}
