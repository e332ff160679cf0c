package io.rivet4j.client.internal;

import io.rivet4j.api.Key;
import java.util.Objects;

/**
 * How a handle addresses its actor (RivetKit's {@code ActorQuery}): by id (getForId, and create
 * after the actor exists) or by name + key (get, getOrCreate), which the gateway resolves on
 * every request.
 */
sealed interface Target {
  String name();

  /** {@code getForId}: one attempt per call, the direct gateway form. */
  record ById(String name, String actorId) implements Target {
    public ById {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(actorId, "actorId");
      if (actorId.isEmpty()) {
        throw new IllegalArgumentException("actorId must not be empty");
      }
    }
  }

  /**
   * {@code get} ({@code create = false}) or {@code getOrCreate}; {@code inputCbor} is the
   * creation input as CBOR-compat bytes, {@code null} for none.
   */
  record ByKey(String name, Key key, boolean create, byte[] inputCbor) implements Target {
    public ByKey {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(key, "key");
    }
  }
}
