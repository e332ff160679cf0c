package io.rivet4j.server.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rivet4j.runtime.spi.ActorRecord;
import java.util.Set;
import java.util.TreeSet;

/** The REST API's JSON (plain JSON, no compat tags: the engine writes it with serde). */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  static byte[] bytes(Object tree) {
    try {
      return MAPPER.writeValueAsBytes(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code GET /health}, as the engine answers it, naming Rivet4j. */
  static byte[] health() {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("runtime", "rivet4j");
    n.put("status", "ok");
    n.put("version", NettyServer.VERSION);
    return bytes(n);
  }

  /**
   * {@code GET /metadata}: the client needs {@code runtime} and {@code version} (it only logs
   * them) and would follow {@code clientEndpoint} if present, which Rivet4j never sends.
   */
  static byte[] metadata(Set<String> actorNames) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("runtime", "rivet4j");
    n.put("version", NettyServer.VERSION);
    ObjectNode names = n.putObject("actorNames");
    for (String name : new TreeSet<>(actorNames)) {
      names.putObject(name).putObject("metadata");
    }
    return bytes(n);
  }

  /** An Actor object of the REST API with the fields the client reads (§2.5). */
  static ObjectNode actor(ActorRecord r, String namespaceId) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("actor_id", r.actorId());
    n.put("name", r.name());
    n.put("key", r.key());
    n.put("namespace_id", namespaceId);
    n.put("datacenter", "default");
    n.put("runner_name_selector", "default");
    n.put("crash_policy", "sleep");
    n.put("create_ts", r.createdAtMillis());
    n.put("start_ts", r.createdAtMillis());
    n.putNull("pending_allocation_ts");
    n.put("connectable_ts", r.createdAtMillis());
    n.putNull("sleep_ts");
    n.putNull("reschedule_ts");
    n.putNull("destroy_ts");
    return n;
  }
}
