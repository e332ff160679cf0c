package io.rivet4j.runtime.internal;

import io.rivet4j.api.ActorClient;
import io.rivet4j.api.ActorHandle;
import io.rivet4j.api.Key;

/** The in-process {@link ActorClient}: calls go straight to the node's mailboxes. */
final class LocalClient implements ActorClient {
  private final Node node;

  LocalClient(Node node) {
    this.node = node;
  }

  @Override
  public ActorHandle get(String name, Key key) {
    node.type(name);
    return new LocalHandle(node, name, key, Node.Mode.GET, null, null);
  }

  @Override
  public ActorHandle getOrCreate(String name, Key key) {
    return getOrCreate(name, key, null);
  }

  @Override
  public ActorHandle getOrCreate(String name, Key key, Object input) {
    node.type(name);
    return new LocalHandle(node, name, key, Node.Mode.GET_OR_CREATE, input, null);
  }

  @Override
  public ActorHandle create(String name, Key key, Object input) {
    String id = node.resolve(name, key, Node.Mode.CREATE, input);
    return new LocalHandle(node, name, key, Node.Mode.GET, null, id);
  }

  @Override
  public ActorHandle getForId(String name, String actorId) {
    node.type(name);
    return new LocalHandle(node, name, null, Node.Mode.GET, null, actorId);
  }
}
