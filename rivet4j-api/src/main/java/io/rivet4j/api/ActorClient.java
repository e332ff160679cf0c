package io.rivet4j.api;

/**
 * Finds and calls actors. The same interface serves in-process callers ({@code c.client()}, the
 * test kit) and the network client.
 *
 * <p>Typed methods take a contract interface annotated with {@link ActorType} and return a proxy
 * whose methods are the actor's actions; a method returning {@code CompletionStage} is async.
 */
public interface ActorClient {
  /** A handle to the existing actor with this key; calls fail with {@code actor.not_found} if none. */
  ActorHandle get(String name, Key key);

  /** A handle that creates the actor on first use if the key is free. */
  ActorHandle getOrCreate(String name, Key key);

  /** As {@link #getOrCreate(String, Key)}, with creation input (used only if it creates). */
  ActorHandle getOrCreate(String name, Key key, Object input);

  /** Creates the actor now; fails with {@code actor.duplicate_key} if the key is taken. */
  ActorHandle create(String name, Key key, Object input);

  default ActorHandle create(String name, Key key) {
    return create(name, key, null);
  }

  /** A handle to the actor with this id; calls fail with {@code actor.not_found} if none. */
  ActorHandle getForId(String name, String actorId);

  default <T> T get(Class<T> contract, Key key) {
    return get(ActorTypes.nameOf(contract), key).as(contract);
  }

  default <T> T getOrCreate(Class<T> contract, Key key) {
    return getOrCreate(ActorTypes.nameOf(contract), key).as(contract);
  }

  default <T> T getOrCreate(Class<T> contract, Key key, Object input) {
    return getOrCreate(ActorTypes.nameOf(contract), key, input).as(contract);
  }

  default <T> T create(Class<T> contract, Key key) {
    return create(ActorTypes.nameOf(contract), key, null).as(contract);
  }

  default <T> T create(Class<T> contract, Key key, Object input) {
    return create(ActorTypes.nameOf(contract), key, input).as(contract);
  }

  default <T> T getForId(Class<T> contract, String actorId) {
    return getForId(ActorTypes.nameOf(contract), actorId).as(contract);
  }
}
