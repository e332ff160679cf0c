package io.rivet4j.runtime.internal;

import io.rivet4j.api.Conn;
import io.rivet4j.api.Event;
import io.rivet4j.api.Value;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A connection as the actor sees it. The transport (in-process listener today, WebSocket later)
 * receives events through {@link Sink}.
 *
 * <p>Concurrency: {@code state} is touched only by the actor's turns; subscriptions are a
 * concurrent set because transports read them when routing.
 */
public final class LocalConn implements Conn {
  /** Where events and the close notice for this connection go. */
  public interface Sink {
    void event(String name, List<Object> args);

    void closed(String reason);
  }

  private final String id = UUID.randomUUID().toString();
  private final Object params;
  private final Sink sink;
  final Set<String> subscriptions = ConcurrentHashMap.newKeySet();
  /** Kept across the actor's sleep (actor-connect sockets); raw sockets and requests are not. */
  final boolean hibernatable;
  /** The raw WebSocket this connection is, or null. */
  final RawSocket raw;
  private Object state;
  volatile ActorCell cell; // the generation currently serving this connection
  volatile boolean closed;

  public LocalConn(Object params, Sink sink) {
    this(params, sink, true, null);
  }

  LocalConn(Object params, Sink sink, boolean hibernatable, RawSocket raw) {
    this.params = params;
    this.sink = sink;
    this.hibernatable = hibernatable;
    this.raw = raw;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public Value params() {
    return PlainValue.of(params);
  }

  @Override
  public Optional<Object> state() {
    return Optional.ofNullable(state);
  }

  @Override
  public <T> T state(Class<T> type) {
    return Values.convert(state, type);
  }

  @Override
  public void setState(Object state) {
    this.state = state;
  }

  @Override
  public <T> void send(Event<T> event, T payload) {
    send(event.name(), payload);
  }

  @Override
  public void send(String event, Object... args) {
    ActorCell c = cell;
    if (c != null) {
      c.queueOutput(() -> deliver(event, Values.list(args)));
    }
  }

  void deliver(String event, List<Object> args) {
    if (!closed) {
      sink.event(event, args);
    }
  }

  @Override
  public void disconnect(String reason) {
    ActorCell c = cell;
    if (c != null) {
      if (raw != null) {
        raw.closedBy(1000, reason == null ? "" : reason);
      }
      c.enqueue(new Task.Disconnect(this));
      c.queueOutput(() -> notifyClosed(reason));
    }
  }

  void notifyClosed(String reason) {
    if (raw != null) {
      raw.closeTransport();
    } else {
      sink.closed(reason);
    }
  }
}
