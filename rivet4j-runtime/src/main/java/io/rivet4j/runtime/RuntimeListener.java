package io.rivet4j.runtime;

import io.rivet4j.api.Key;

/**
 * Runtime events, called on runtime threads after the fact (must not block). The test kit waits
 * on them instead of sleeping.
 */
public interface RuntimeListener {
  RuntimeListener NONE = new RuntimeListener() {};

  /** The actor finished starting (create or wake) and accepts messages. */
  default void actorStarted(String name, Key key, String actorId, boolean created) {}

  /** The actor finished sleeping: its state is on disk and it holds no memory. */
  default void actorSlept(String name, Key key, String actorId) {}

  /** The actor was destroyed: its data is deleted and its key is free. */
  default void actorDestroyed(String name, Key key, String actorId) {}

  /** A schedule fired and its action finished (successfully or not). */
  default void scheduleFired(String actorId, String scheduleId, String action) {}
}
