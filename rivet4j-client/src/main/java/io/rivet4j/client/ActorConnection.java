package io.rivet4j.client;

import io.rivet4j.api.Event;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * A stateful connection to one actor over a WebSocket ({@code …/connect}): actions, events and
 * automatic reconnection, as RivetKit's {@code ActorConn}.
 *
 * <p>Actions: {@link #actions()} is the contract (or, for untyped connections, an
 * {@link io.rivet4j.api.ActorHandle} whose calls use this socket). Action ids count up from 0
 * per connection and never reset. Actions issued while not connected are queued and sent, in
 * order, once the server's Init arrives; actions already sent when the socket closes fail with
 * the close error and are never re-sent (at most once). At most 16,384 actions may be queued or
 * awaiting results at once; more fail with {@code client.queue_full}.
 *
 * <p>Events: {@link #on} subscribes when the first listener of a name is added and unsubscribes
 * when the last is removed (a {@link #once} listener is removed when it fires; unlike RivetKit's,
 * that may unsubscribe); subscriptions are sent again on every (re)connect.
 *
 * <p>Reconnection: when the socket closes after Init, the connection reconnects at once, then
 * after 250 ms, doubling up to 30 s, until it succeeds or is disposed; every attempt resolves the
 * actor again and asks for fresh connection params. An attempt the server refuses for good (e.g.
 * {@code onBeforeConnect} threw) ends it: status {@link ConnectionStatus#IDLE}, queued actions
 * fail, {@link #onError} listeners are told.
 *
 * <p>Threads: listeners, status callbacks and action results run on one thread at a time per
 * connection, in the order the server sent them (an event broadcast by an action is seen before
 * that action's result). A listener must not block waiting for an action of the same connection
 * (the synchronous proxy methods detect this and throw); use the async forms there.
 *
 * @param <T> the contract, or {@link io.rivet4j.api.ActorHandle} for untyped connections
 */
public interface ActorConnection<T> extends AutoCloseable {
  /** The actor's actions over this connection. */
  T actions();

  /** Calls {@code action(args…)} over this connection and waits for its result. */
  <R> R action(String action, Class<R> resultType, Object... args);

  <R> CompletionStage<R> actionAsync(String action, Class<R> resultType, Object... args);

  /** Calls {@code listener} with the first argument of every {@code event}, as its type. */
  <E> Subscription on(Event<E> event, Consumer<? super E> listener);

  /** Calls {@code listener} with the arguments of every event named {@code eventName}. */
  Subscription on(String eventName, Consumer<List<Object>> listener);

  /** As {@link #on(Event, Consumer)}, for the next event only. */
  <E> Subscription once(Event<E> event, Consumer<? super E> listener);

  /** As {@link #on(String, Consumer)}, for the next event only. */
  Subscription once(String eventName, Consumer<List<Object>> listener);

  /** Called on every transition to {@link ConnectionStatus#CONNECTED} (at once if connected). */
  Subscription onOpen(Runnable listener);

  /** Called when a connected socket closes (before reconnecting) and on dispose. */
  Subscription onClose(Runnable listener);

  /**
   * Called with connection-level errors: refusals, structured close reasons, give-up. A listener
   * added after the connection gave up is told that error at once.
   */
  Subscription onError(Consumer<? super ActorError> listener);

  Subscription onStatusChange(Consumer<ConnectionStatus> listener);

  ConnectionStatus status();

  /** The id the server gave this connection in its latest Init. */
  Optional<String> connectionId();

  /** The actor's id, once known (at once for {@code getForId} handles, else from Init). */
  Optional<String> actorId();

  /** Completes when the connection first reaches {@link ConnectionStatus#CONNECTED}. */
  CompletionStage<Void> ready();

  /**
   * Closes the socket ({@code 1000 Disposed}) and stops reconnecting; pending and queued actions
   * fail with {@code client.connection_disposed}. Completes when the socket is closed.
   */
  CompletionStage<Void> dispose();

  /** {@link #dispose()} and waits (a few seconds at most) for the socket to close. */
  @Override
  void close();
}
