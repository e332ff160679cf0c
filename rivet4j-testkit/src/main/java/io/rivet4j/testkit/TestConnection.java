package io.rivet4j.testkit;

import io.rivet4j.api.Event;
import io.rivet4j.api.RivetError;
import io.rivet4j.runtime.internal.Errors;
import io.rivet4j.runtime.internal.LocalConn;
import io.rivet4j.runtime.internal.Node;
import io.rivet4j.runtime.internal.Values;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An in-process connection to an actor, as a client's {@code .connect()} would make: connect
 * hooks run, events it subscribed to arrive in order, actions carry the connection.
 *
 * <p>Concurrency: thread-safe; events are recorded by runtime threads and read by the test.
 */
public final class TestConnection implements AutoCloseable {
  /** An event as the connection received it. */
  public record Received(String name, List<Object> args) {}

  private final Node node;
  private final String actorId;
  private final String actorName;
  private final List<Received> events = new ArrayList<>();
  private String closeReason;
  private LocalConn conn;

  TestConnection(Node node, String actorId, String actorName) {
    this.node = node;
    this.actorId = actorId;
    this.actorName = actorName;
  }

  void open(Object params) {
    LocalConn.Sink sink = new LocalConn.Sink() {
      @Override
      public void event(String name, List<Object> args) {
        synchronized (TestConnection.this) {
          events.add(new Received(name, List.copyOf(args)));
          TestConnection.this.notifyAll();
        }
      }

      @Override
      public void closed(String reason) {
        synchronized (TestConnection.this) {
          closeReason = reason;
          TestConnection.this.notifyAll();
        }
      }
    };
    conn = await(node.connect(actorId, actorName, params, sink));
  }

  public String id() {
    return conn.id();
  }

  public void subscribe(String event) {
    node.subscribe(conn, event, true);
  }

  public void subscribe(Event<?> event) {
    subscribe(event.name());
  }

  public void unsubscribe(String event) {
    node.subscribe(conn, event, false);
  }

  /** Calls an action over this connection ({@code c.conn()} is this connection). */
  public <R> R action(String action, Class<R> type, Object... args) {
    Object out = await(node.call(actorId, actorName, action, Values.list(args), conn));
    return Values.convert(out, type);
  }

  /** Events received so far, oldest first. */
  public synchronized List<Received> events() {
    return List.copyOf(events);
  }

  /** Waits until at least {@code count} events arrived; returns all received. */
  public synchronized List<Received> awaitEvents(int count) {
    long deadline = System.nanoTime() + TestRegistry.EVENT_TIMEOUT.toNanos();
    while (events.size() < count) {
      waitUntil(deadline, "waiting for " + count + " events, got " + events);
    }
    return List.copyOf(events);
  }

  /** Waits until the actor closes this connection; returns the reason. */
  public synchronized String awaitClosed() {
    long deadline = System.nanoTime() + TestRegistry.EVENT_TIMEOUT.toNanos();
    while (closeReason == null) {
      waitUntil(deadline, "waiting for the connection to close");
    }
    return closeReason;
  }

  public synchronized Optional<String> closeReason() {
    return Optional.ofNullable(closeReason);
  }

  private void waitUntil(long deadline, String what) {
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      throw new AssertionError(what);
    }
    try {
      wait(Math.max(1, left / 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(what, e);
    }
  }

  static <T> T await(CompletableFuture<T> f) {
    Duration timeout = TestRegistry.EVENT_TIMEOUT;
    try {
      return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = Errors.unwrap(e);
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      throw new RivetError("rivetkit", "internal_error", Errors.INTERNAL_MESSAGE, null, cause);
    } catch (TimeoutException e) {
      throw new AssertionError("no answer within " + timeout.toSeconds() + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Closes the connection; {@code onDisconnect} runs on the actor. */
  @Override
  public void close() {
    if (conn != null) {
      node.disconnect(conn);
    }
  }
}
