package io.rivet4j.protocol;

import java.util.Objects;
import java.util.Optional;

/**
 * Which actor raised an error: its id, its generation (1 for a fresh actor; unsigned 64-bit) and
 * its key in REST serialization ({@code k-bare/a\/b}), when it has one.
 */
public record ActorSpecifier(String actorId, long generation, Optional<String> key) {
  public ActorSpecifier {
    Objects.requireNonNull(actorId, "actorId");
    Objects.requireNonNull(key, "key");
  }

  public ActorSpecifier(String actorId, long generation, String key) {
    this(actorId, generation, Optional.of(key));
  }
}
