package io.rivet4j.server.internal;

import io.rivet4j.protocol.ActorSpecifier;
import io.rivet4j.runtime.spi.ActorRecord;

/**
 * An actor a request was routed to: id, type name and key in REST serialization.
 *
 * @param key the serialized key ({@code /} for the empty key)
 */
record ResolvedActor(String actorId, String name, String key) {

  static ResolvedActor of(ActorRecord r) {
    return new ResolvedActor(r.actorId(), r.name(), r.key());
  }

  /**
   * The key as the Rust core writes it in errors and {@code x-rivet-actor-key}: the empty key is
   * the empty string there (observed), not {@code /}.
   */
  String wireKey() {
    return key.equals("/") ? "" : key;
  }

  /** The {@code actor} field of errors, with the actor's current generation. */
  ActorSpecifier spec(io.rivet4j.runtime.internal.Node node) {
    return new ActorSpecifier(actorId, node.generation(actorId), wireKey());
  }
}
