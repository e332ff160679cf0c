package io.rivet4j.server.internal;

import io.rivet4j.runtime.internal.Errors;
import io.rivet4j.runtime.internal.Node;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns a {@link GatewayTarget} into an actor, through the node's directory.
 *
 * <p>Concurrency: thread-safe. {@link #tryFast} never blocks: it answers only for awake actors
 * whose id is known (a direct id, or a name + key seen before); everything else goes through
 * {@link #resolve}, which may read the store and wait for a creation, and so runs off the event
 * loop. The name + key → id cache is bounded (cleared when full); an entry is trusted only while
 * its actor is awake, so a stale entry costs one slow-path resolution, never a wrong answer.
 */
final class Resolver {
  private static final int MAX_CACHED = 65_536;

  private final Node node;
  private final ConcurrentHashMap<String, String> ids = new ConcurrentHashMap<>();

  Resolver(Node node) {
    this.node = node;
  }

  /** The actor when that is known without blocking; empty otherwise. */
  Optional<ResolvedActor> tryFast(GatewayTarget target) {
    String id = switch (target) {
      case GatewayTarget.ById b -> b.actorId();
      case GatewayTarget.ByKey k -> k.mode() == Node.Mode.CREATE ? null : ids.get(k.cacheKey());
    };
    if (id == null || !node.isAwake(id)) {
      return Optional.empty();
    }
    // Awake: the directory entry is in memory (a race with sleep costs one store read).
    return node.find(id).map(ResolvedActor::of);
  }

  /**
   * Resolves {@code target}, creating the actor when its method allows. May block.
   *
   * @throws io.rivet4j.api.RivetError {@code actor.not_found}, {@code actor.duplicate_key}, …
   */
  ResolvedActor resolve(GatewayTarget target) {
    return switch (target) {
      case GatewayTarget.ById b -> node.find(b.actorId()).map(ResolvedActor::of)
          .orElseThrow(() -> Errors.notFound(b.actorId()));
      case GatewayTarget.ByKey k -> {
        String id = node.resolve(k.name(), k.key(), k.mode(), k.input());
        remember(k.cacheKey(), id);
        yield node.find(id).map(ResolvedActor::of).orElseThrow(() -> Errors.notFound(id));
      }
    };
  }

  private void remember(String key, String id) {
    if (ids.size() >= MAX_CACHED) {
      ids.clear();
    }
    ids.put(key, id);
  }
}
