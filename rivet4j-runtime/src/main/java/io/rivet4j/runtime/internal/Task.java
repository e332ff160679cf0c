package io.rivet4j.runtime.internal;

import io.rivet4j.api.ScheduledFireInfo;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A message in an actor's mailbox. Each task runs as one turn of the actor. */
sealed interface Task {
  /** First task of every generation: create (with input) or wake. */
  record Start(boolean create, Object input, CompletableFuture<Void> started) implements Task {}

  /** An action call; {@code reply} is null for scheduled actions. */
  final class Action implements Task {
    final String name;
    final List<Object> args;
    final CompletableFuture<Object> reply;
    final LocalConn conn;
    final ScheduledFireInfo fire;
    /** Runs instead of the action called {@code name} (a raw request's hook), or null. */
    final ActionInvoker hook;
    boolean settled; // [actor] reply produced or timed out; guards the in-flight count

    Action(String name, List<Object> args, CompletableFuture<Object> reply, LocalConn conn,
        ScheduledFireInfo fire) {
      this(name, args, reply, conn, fire, null);
    }

    Action(String name, List<Object> args, CompletableFuture<Object> reply, LocalConn conn,
        ScheduledFireInfo fire, ActionInvoker hook) {
      this.name = name;
      this.args = args;
      this.reply = reply;
      this.conn = conn;
      this.fire = fire;
      this.hook = hook;
    }
  }

  /** An asynchronous action finished. */
  record AsyncDone(Action action, Object output, Throwable error) implements Task {}

  /** An asynchronous action ran out of time. */
  record AsyncTimeout(Action action) implements Task {}

  /** A task submitted through {@code c.executor()} or by the runtime. */
  record Run(Runnable body) implements Task {}

  /** Check whether the actor has been idle long enough to sleep. */
  record SleepCheck() implements Task {}

  /** Run the schedules that are due. */
  record FireSchedules() implements Task {}

  /** Stop this generation (sleep or destroy). */
  record Stop(boolean destroy) implements Task {}

  /** The sleep grace period ran out. */
  record GraceTimeout() implements Task {}

  /** A connection opens. */
  record Connect(LocalConn conn, CompletableFuture<Void> opened) implements Task {}

  /** A connection closes. */
  record Disconnect(LocalConn conn) implements Task {}

  /** A raw HTTP request: connect hooks, {@code onRequest}, disconnect. */
  record RawRequest(LocalConn conn, io.rivet4j.api.Request request,
      CompletableFuture<io.rivet4j.api.Response> reply) implements Task {}

  /** A raw WebSocket opened: connect hooks, then {@code onWebSocket}. */
  record SocketOpen(RawSocket socket, CompletableFuture<Void> opened) implements Task {}

  /** A frame from a raw WebSocket's peer; {@code done} runs after the listeners. */
  record SocketMessage(RawSocket socket, io.rivet4j.api.RawWebSocket.Message message,
      Runnable done) implements Task {}

  /** A raw WebSocket closed (either side). */
  record SocketClosed(RawSocket socket, int code, String reason) implements Task {}

  /**
   * A client's queue send: connect hooks, {@code canPublish}, then the message is stored;
   * {@code reply} completes once it is durable, or (waiting) once a consumer completed it.
   *
   * @param timeoutMillis how long to wait for the completion, -1 for the action timeout
   */
  record QueueSend(LocalConn conn, String queue, Object body, boolean waitForCompletion,
      long timeoutMillis, CompletableFuture<io.rivet4j.api.QueueSendResult> reply)
      implements Task {}

  /** A connection changes a subscription. */
  record Subscribe(LocalConn conn, String event, boolean subscribe) implements Task {}
}
