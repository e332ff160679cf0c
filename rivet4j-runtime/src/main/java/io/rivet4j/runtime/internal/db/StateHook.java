package io.rivet4j.runtime.internal.db;

/**
 * The actor whose state lives in its database ({@code Actor.stateInDatabase()}): transactions
 * write the state with their commit and put it back when they roll back. Called on the thread
 * that runs the transaction, which must be the actor's turn.
 */
public interface StateHook {
  /** The state to write with a commit. */
  record Pending(byte[] cbor, long version) {}

  /** The actor's state as it is now, to put back if the transaction (or savepoint) rolls back. */
  Object snapshot();

  void restore(Object snapshot);

  /** The state to write with this commit, or null when it has not changed since last written. */
  Pending pending();

  /** {@code version} of the state is on disk. */
  void committed(long version);
}
