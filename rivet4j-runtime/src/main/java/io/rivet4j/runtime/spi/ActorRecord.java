package io.rivet4j.runtime.spi;

import java.util.Objects;

/**
 * A directory entry: one actor, unique by {@code actorId} and by ({@code name}, {@code key}).
 *
 * @param key the serialized key ({@code io.rivet4j.api.Key#serialize()})
 * @param input the creation input as CBOR, or {@code null} when the actor was created without one
 */
public record ActorRecord(String actorId, String name, String key, long createdAtMillis, byte[] input) {
  public ActorRecord {
    Objects.requireNonNull(actorId, "actorId");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(key, "key");
  }
}
