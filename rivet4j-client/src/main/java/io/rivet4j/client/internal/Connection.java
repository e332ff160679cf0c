package io.rivet4j.client.internal;

import io.rivet4j.api.ActorHandle;
import io.rivet4j.api.Event;
import io.rivet4j.api.RivetError;
import io.rivet4j.client.ActorConnection;
import io.rivet4j.client.ActorError;
import io.rivet4j.client.ConnectionStatus;
import io.rivet4j.client.Scheduler;
import io.rivet4j.client.Subscription;
import io.rivet4j.protocol.Encoding;
import io.rivet4j.protocol.ProtocolCodec;
import io.rivet4j.protocol.ToClient;
import io.rivet4j.protocol.ToServer;
import java.io.ByteArrayOutputStream;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One RivetKit connection ({@code client/actor-conn.ts}, client-protocol.md §5) over a
 * succession of WebSockets.
 *
 * <p>Concurrency: every mutable field is guarded by {@code this} (marked {@code [this]}).
 * Socket callbacks, user calls and timers take the lock briefly to decide; everything a user
 * sees (listeners, status callbacks, action results) is handed to {@code lane}, a serial
 * executor, under the lock, so it happens in the order decided and never under the lock (a
 * socket's receiving thread runs the lane itself when it is idle, after releasing the lock).
 * Frames leave through the current socket's send chain (the JDK allows one outstanding send),
 * in the order decided.
 *
 * <p>Lifecycle: IDLE → CONNECTING (an attempt: params, socket, wait for Init) → CONNECTED
 * (Init) → DISCONNECTED (socket gone; the next attempt is scheduled) → CONNECTING …. Dispose, or
 * a refusal that retrying cannot fix ({@code terminal}), ends in IDLE for good. At most one
 * socket is current ({@code socket}); callbacks of any other socket are ignored.
 *
 * <p>Delivery: an action waits in {@code queued} until Init, is then sent once on the socket
 * current at that time and waits in {@code inFlight} for its reply; if that socket closes
 * first, the action fails and is never sent again (at most once). Subscriptions are not queued:
 * every Init re-sends one per event name with listeners, before the queued actions.
 */
final class Connection<T> implements ActorConnection<T> {
  /** Actions queued or in flight at once; more fail with {@code client.queue_full}. */
  static final int MAX_PENDING = 16_384;
  /** Largest message accepted from the server (its own limit is 1 MiB by default). */
  static final int MAX_INBOUND_MESSAGE = 64 * 1024 * 1024;
  private static final Duration DISPOSE_WAIT = Duration.ofSeconds(2);

  private final NetworkClient client;
  private final NetworkHandle handle;
  private final Encoding encoding;
  private final ProtocolCodec codec;
  private final SerialExecutor lane;
  private final T actions;
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  private final CompletableFuture<Void> disposedFuture = new CompletableFuture<>();
  private final List<Runnable> openListeners = new CopyOnWriteArrayList<>();
  private final List<Runnable> closeListeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<? super ActorError>> errorListeners =
      new CopyOnWriteArrayList<>();
  private final List<Consumer<ConnectionStatus>> statusListeners = new CopyOnWriteArrayList<>();

  private ConnectionStatus status = ConnectionStatus.IDLE; // [this]
  private boolean disposed; // [this]
  private ActorError terminal; // [this] why the connection gave up
  private Socket socket; // [this] the current attempt or open socket
  private Socket closing; // [this] the socket dispose() is closing
  private int failures; // [this] failed attempts since the last Init
  private Scheduler.Cancellable retry; // [this]
  private long nextActionId; // [this]
  private final Map<Long, Pending> inFlight = new HashMap<>(); // [this]
  private final ArrayDeque<Pending> queued = new ArrayDeque<>(); // [this]
  private final Map<String, List<Listener>> listeners = new LinkedHashMap<>(); // [this]
  private String actorId; // [this]
  private String connectionId; // [this]

  /** An action between its call and its result. */
  private static final class Pending {
    final long id;
    final byte[] frame;
    final CompletableFuture<Object> result = new CompletableFuture<>();

    Pending(long id, byte[] frame) {
      this.id = id;
      this.frame = frame;
    }
  }

  /** An event listener; identity matters (the same consumer may be added twice). */
  private static final class Listener {
    final Consumer<List<Object>> consumer;
    final boolean once;

    Listener(Consumer<List<Object>> consumer, boolean once) {
      this.consumer = consumer;
      this.once = once;
    }
  }

  @SuppressWarnings("unchecked")
  private Connection(NetworkHandle handle, Class<T> contract) {
    this.client = handle.client();
    this.handle = handle;
    this.encoding = client.encoding();
    this.codec = ProtocolCodec.of(encoding);
    this.lane = new SerialExecutor(client.executor);
    if (handle.target() instanceof Target.ById t) {
      this.actorId = t.actorId();
    }
    this.actions = contract == null ? (T) new ConnectionHandle()
        : ContractProxy.create(contract, handle.name(), toString(), this::call, this::await);
  }

  /** A new connection, already attempting to connect. */
  static <T> Connection<T> open(NetworkHandle handle, Class<T> contract) {
    Connection<T> c = new Connection<>(handle, contract);
    if (handle.client().isClosed()) {
      synchronized (c) {
        c.giveUp(Errors.closed());
      }
      return c;
    }
    handle.client().track(c);
    c.attempt();
    return c;
  }

  // ---------------------------------------------------------------- attempts

  /** Opens a socket for this connection unless one is current, or it is over. */
  private void attempt() {
    Socket s;
    synchronized (this) {
      retry = null;
      if (disposed || terminal != null || socket != null) {
        return;
      }
      s = new Socket();
      socket = s;
      transition(ConnectionStatus.CONNECTING);
    }
    Object params;
    try {
      params = handle.connParams();
    } catch (RuntimeException e) {
      failed(s, Errors.getParamsFailed(e), true);
      return;
    }
    client.ready().thenCompose(cfg -> {
      String url = Urls.webSocket(Gateway.url(cfg, handle.target(), "/connect"));
      return NetworkHandle.openWebSocket(client, cfg, url, encoding, params, s);
    }).whenComplete((ws, error) -> {
      if (error != null) {
        ActorError e = Errors.actorError(error);
        failed(s, e, retryable(e));
      }
    });
  }

  /**
   * Whether an attempt that failed with {@code e} (before Init) should be retried: transport
   * failures (the server is down or restarting), RivetKit's lifecycle signals, and, for key
   * handles, an actor that is not found or not ready yet.
   */
  private boolean retryable(ActorError e) {
    if (e.group().equals(Errors.GROUP)) {
      return switch (e.code()) {
        case "unreachable", "timeout", "request_failed", "get_params_failed" -> true;
        case "http_error" -> e.metadata().orElse(null) instanceof Map<?, ?> m
            && m.get("status") instanceof Integer status && status >= 500;
        default -> false;
      };
    }
    return handle.dynamic() && Retries.stale(e) || Retries.reconnectSignal(e);
  }

  /** An attempt failed before Init: retry after the backoff, or give up. */
  private void failed(Socket s, ActorError error, boolean retryable) {
    WebSocket ws;
    synchronized (this) {
      if (socket != s || s.finished) {
        return;
      }
      ws = s.ws;
      failedLocked(s, error, retryable);
    }
    if (ws != null) {
      ws.abort();
    }
  }

  private void failedLocked(Socket s, ActorError error, boolean retryable) {
    s.finished = true;
    socket = null;
    failInFlight(error);
    if (retryable && !client.isClosed()) {
      failures++;
      Duration delay = Retries.backoff(failures);
      Errors.LOG.log(System.Logger.Level.DEBUG, "{0}: attempt {1} failed ({2}); next in {3} ms",
          this, failures, error.qualifiedCode(), delay.toMillis());
      transition(ConnectionStatus.DISCONNECTED);
      retry = client.schedule(delay, this::attempt);
    } else {
      giveUp(error);
    }
  }

  /** Ends the connection for good with {@code error}. */
  private void giveUp(ActorError error) {
    Errors.LOG.log(System.Logger.Level.DEBUG, "{0}: giving up: {1}", this, error);
    terminal = error;
    client.forget(this); // nothing left to release but the listeners
    transition(ConnectionStatus.IDLE);
    failInFlight(error);
    failQueued(error);
    lane.execute(() -> ready.completeExceptionally(error));
    dispatchError(error);
  }

  // ---------------------------------------------------------------- socket events

  /** A whole frame from socket {@code s}. */
  /**
   * One whole message from socket {@code s}, on its receiving thread: what it makes due on the
   * lane (a reply, listeners) runs right here when the lane is idle, sparing the waiting caller
   * a thread hop.
   */
  private void receive(Socket s, byte[] bytes) {
    lane.beginInline();
    try {
      frame(s, bytes);
    } finally {
      lane.endInline();
    }
  }

  private void frame(Socket s, byte[] bytes) {
    ToClient message;
    try {
      message = codec.decodeToClient(bytes);
    } catch (RivetError e) {
      ActorError error = Errors.protocolMismatch(client.endpoint(), "a WebSocket message ("
          + encoding.wireName() + ")", e);
      WebSocket ws;
      synchronized (this) {
        if (socket != s || s.finished) {
          return;
        }
        ws = s.ws;
        s.finished = true;
        socket = null;
        giveUp(error);
      }
      if (ws != null) {
        ws.abort();
      }
      return;
    }
    switch (message) {
      case ToClient.Init init -> init(s, init);
      case ToClient.Error error -> error(s, error);
      case ToClient.ActionResponse response -> response(response);
      case ToClient.Event event -> event(s, event);
    }
  }

  /** The server sent a message above {@link #MAX_INBOUND_MESSAGE}: give up. */
  private void tooLarge(Socket s, int size) {
    WebSocket ws;
    synchronized (this) {
      if (socket != s || s.finished) {
        return;
      }
      ws = s.ws;
      s.finished = true;
      socket = null;
      giveUp(new ActorError(Errors.GROUP, "protocol_mismatch", "The server at "
          + client.endpoint() + " sent a WebSocket message of more than " + size
          + " units; the limit is " + MAX_INBOUND_MESSAGE + " bytes"));
    }
    if (ws != null) {
      ws.abort();
    }
  }

  private void init(Socket s, ToClient.Init init) {
    synchronized (this) {
      if (socket != s || s.finished || s.open) {
        return;
      }
      s.open = true;
      actorId = init.actorId();
      connectionId = init.connectionId();
      failures = 0;
      transition(ConnectionStatus.CONNECTED);
      for (String name : listeners.keySet()) {
        send(s, new ToServer.SubscriptionRequest(name, true));
      }
      while (!queued.isEmpty()) {
        Pending p = queued.poll();
        if (!p.result.isDone()) {
          inFlight.put(p.id, p);
          send(s, p.frame);
        }
      }
      lane.execute(() -> ready.complete(null));
    }
  }

  private void error(Socket s, ToClient.Error frame) {
    ActorError error = new ActorError(frame.group(), frame.code(), frame.message(),
        frame.metadata().orElse(null), null, frame.actor().orElse(null), null);
    WebSocket abort = null;
    synchronized (this) {
      if (frame.actionId().isPresent()) {
        Pending p = inFlight.remove(frame.actionId().getAsLong());
        if (p == null) {
          Errors.LOG.log(System.Logger.Level.WARNING, "{0}: error for unknown action {1}: {2}",
              this, Long.toUnsignedString(frame.actionId().getAsLong()), error);
        } else {
          lane.execute(() -> p.result.completeExceptionally(error));
        }
        return;
      }
      if (socket != s || s.finished) {
        return;
      }
      if (!s.open) {
        abort = s.ws;
        failedLocked(s, error, retryable(error));
      } else {
        // The server closes the socket next; the close triggers the reconnect.
        failInFlight(error);
        dispatchError(error);
      }
    }
    if (abort != null) {
      abort.abort();
    }
  }

  private void response(ToClient.ActionResponse response) {
    synchronized (this) {
      Pending p = inFlight.remove(response.id());
      if (p == null) {
        Errors.LOG.log(System.Logger.Level.DEBUG, "{0}: no action in flight for response {1}"
            + " (cancelled?)", this, Long.toUnsignedString(response.id()));
        return;
      }
      lane.execute(() -> p.result.complete(response.output()));
    }
  }

  private void event(Socket s, ToClient.Event event) {
    synchronized (this) {
      if (socket != s) {
        return;
      }
      List<Listener> list = listeners.get(event.name());
      if (list == null) {
        return;
      }
      List<Listener> targets = List.copyOf(list);
      for (Listener l : targets) {
        if (l.once) {
          removeLocked(event.name(), l);
        }
      }
      List<Object> args = event.args();
      lane.execute(() -> {
        for (Listener l : targets) {
          try {
            l.consumer.accept(args);
          } catch (RuntimeException e) {
            Errors.LOG.log(System.Logger.Level.ERROR, "listener of event '" + event.name()
                + "' failed", e);
          }
        }
      });
    }
  }

  /** Socket {@code s} closed ({@code error} set when it broke without a close frame). */
  private void closed(Socket s, int code, String reason, Throwable error) {
    boolean reconnect;
    synchronized (this) {
      if (s == closing) {
        closing = null;
        disposedFuture.complete(null);
        return;
      }
      if (socket != s || s.finished) {
        return;
      }
      ActorError cause;
      boolean structured = false;
      if (error != null) {
        cause = Errors.connectionLost(error);
      } else {
        ActorError parsed = parseCloseReason(reason);
        structured = parsed != null;
        cause = structured ? parsed : Errors.connectionClosed(code, reason);
      }
      Errors.LOG.log(System.Logger.Level.DEBUG, "{0}: socket closed: {1}", this, cause);
      if (!s.open) {
        failedLocked(s, structured ? cause : error != null || code == 1006 ? cause
            : Errors.openFailed(cause), structured ? retryable(cause)
            : error != null || code == 1006);
        return;
      }
      s.finished = true;
      socket = null;
      failInFlight(cause);
      transition(ConnectionStatus.DISCONNECTED);
      if (structured) {
        dispatchError(cause);
      }
      reconnect = !disposed && terminal == null && !client.isClosed();
    }
    if (reconnect) {
      attempt(); // the first retry after a connected socket closes is immediate
    }
  }

  /** RivetKit's close reason {@code group.code[#rayId]}, or null for any other text. */
  static ActorError parseCloseReason(String reason) {
    String r = reason == null ? "" : reason;
    int hash = r.indexOf('#');
    String main = hash < 0 ? r : r.substring(0, hash);
    String rayId = hash < 0 ? null : r.substring(hash + 1);
    String[] parts = main.split("\\.", -1);
    if (parts.length < 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
      return null;
    }
    int nextHash = rayId == null ? -1 : rayId.indexOf('#');
    if (nextHash >= 0) {
      rayId = rayId.substring(0, nextHash);
    }
    return new ActorError(parts[0], parts[1], "Connection closed: " + r, null, rayId, null,
        null);
  }

  // ---------------------------------------------------------------- sending

  /** Sends {@code message} on {@code s} after the frames decided before it. [this] */
  private void send(Socket s, ToServer message) {
    send(s, codec.encode(message));
  }

  private void send(Socket s, byte[] frame) {
    WebSocket ws = s.ws;
    s.sendChain = s.sendChain.handle((v, e) -> null).thenCompose(v -> {
      try {
        return encoding.isBinary() ? ws.sendBinary(ByteBuffer.wrap(frame), true)
            : ws.sendText(new String(frame, StandardCharsets.UTF_8), true);
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e); // closing: the close handler fails actions
      }
    });
  }

  /** Sends or queues an action; the future holds the plain output. */
  CompletableFuture<Object> call(String action, List<Object> args) {
    Objects.requireNonNull(action, "action");
    long id;
    synchronized (this) {
      ActorError refused = refusal();
      if (refused != null) {
        return CompletableFuture.failedFuture(refused);
      }
      id = nextActionId++;
    }
    byte[] frame;
    try {
      frame = codec.encode(new ToServer.ActionRequest(id, action, args));
    } catch (RivetError e) {
      return CompletableFuture.failedFuture(
          Errors.invalidInput("The arguments of action '" + action + "' cannot be sent", e));
    }
    Pending p = new Pending(id, frame);
    synchronized (this) {
      ActorError refused = refusal();
      if (refused != null) {
        return CompletableFuture.failedFuture(refused);
      }
      if (queued.size() + inFlight.size() >= MAX_PENDING) {
        return CompletableFuture.failedFuture(Errors.queueFull(MAX_PENDING));
      }
      Socket s = socket;
      if (s != null && s.open) {
        inFlight.put(id, p);
        send(s, frame);
      } else {
        queued.add(p);
      }
    }
    p.result.whenComplete((v, e) -> {
      if (p.result.isCancelled()) {
        synchronized (this) {
          queued.remove(p); // not sent yet: now it never will be
          inFlight.remove(p.id, p);
        }
      }
    });
    return p.result;
  }

  /** Why no action can be sent any more, or null. [this] */
  private ActorError refusal() {
    if (disposed) {
      return Errors.disposed();
    }
    if (terminal != null) {
      return terminal;
    }
    return client.isClosed() ? Errors.closed() : null;
  }

  /**
   * A blocking call: refuses to run on this connection's callback thread (it would wait for
   * itself), waits at most the request timeout, and takes an unsent action back on timeout.
   */
  private Object await(Supplier<CompletableFuture<Object>> call, String action) {
    if (lane.inLane()) {
      throw new IllegalStateException("A blocking call of action '" + action + "' from a"
          + " listener of the same connection would wait for itself (listeners and results"
          + " share one thread). Use actionAsync or a contract method returning"
          + " CompletionStage.");
    }
    CompletableFuture<Object> reply = call.get();
    Duration timeout = client.requestTimeout();
    try {
      return reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw Errors.rethrowable(e);
    } catch (TimeoutException e) {
      reply.cancel(false);
      throw new ActorError(Errors.GROUP, "timeout", "Action '" + action + "' got no result"
          + " within " + timeout + " (status " + status() + "); if it was not sent yet it never"
          + " will be", null, null, null, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      reply.cancel(false);
      throw new ActorError(Errors.GROUP, "interrupted", "Interrupted while waiting for action '"
          + action + "'", null, null, null, e);
    }
  }

  // ---------------------------------------------------------------- bookkeeping [this]

  private void failInFlight(ActorError error) {
    for (Pending p : inFlight.values()) {
      lane.execute(() -> p.result.completeExceptionally(error));
    }
    inFlight.clear();
  }

  private void failQueued(ActorError error) {
    for (Pending p : queued) {
      lane.execute(() -> p.result.completeExceptionally(error));
    }
    queued.clear();
  }

  private void transition(ConnectionStatus next) {
    ConnectionStatus prev = status;
    if (prev == next) {
      return;
    }
    status = next;
    // Listeners as of this decision: one added later is not called for it (onOpen calls a
    // listener added while connected itself).
    List<Consumer<ConnectionStatus>> onStatus = List.copyOf(statusListeners);
    List<Runnable> onOpen = next == ConnectionStatus.CONNECTED ? List.copyOf(openListeners)
        : List.of();
    List<Runnable> onClose = (next == ConnectionStatus.DISCONNECTED
        || next == ConnectionStatus.IDLE) && prev == ConnectionStatus.CONNECTED
        ? List.copyOf(closeListeners) : List.of();
    lane.execute(() -> {
      for (Consumer<ConnectionStatus> l : onStatus) {
        run(() -> l.accept(next), "status");
      }
      for (Runnable l : onOpen) {
        run(l, "open");
      }
      for (Runnable l : onClose) {
        run(l, "close");
      }
    });
  }

  private void dispatchError(ActorError error) {
    List<Consumer<? super ActorError>> targets = List.copyOf(errorListeners);
    lane.execute(() -> {
      for (Consumer<? super ActorError> l : targets) {
        run(() -> l.accept(error), "error");
      }
    });
  }

  private static void run(Runnable listener, String kind) {
    try {
      listener.run();
    } catch (RuntimeException e) {
      Errors.LOG.log(System.Logger.Level.ERROR, "connection " + kind + " listener failed", e);
    }
  }

  private void removeLocked(String name, Listener l) {
    List<Listener> list = listeners.get(name);
    if (list == null || !list.remove(l)) {
      return;
    }
    if (list.isEmpty()) {
      listeners.remove(name);
      Socket s = socket;
      if (s != null && s.open) {
        send(s, new ToServer.SubscriptionRequest(name, false));
      }
    }
  }

  // ---------------------------------------------------------------- ActorConnection

  @Override
  public T actions() {
    return actions;
  }

  @Override
  public <R> R action(String action, Class<R> resultType, Object... args) {
    Object output = await(() -> call(action, NetworkHandle.list(args)), action);
    return cast(Conversions.convert(output, resultType, "the output of action '" + action
        + "'"));
  }

  @Override
  public <R> CompletionStage<R> actionAsync(String action, Class<R> resultType,
      Object... args) {
    return ContractProxy.cancellable(call(action, NetworkHandle.list(args)), output -> cast(
        Conversions.convert(output, resultType, "the output of action '" + action + "'")));
  }

  @Override
  public <E> Subscription on(Event<E> event, Consumer<? super E> listener) {
    return listen(event.name(), typed(event, listener), false);
  }

  @Override
  public Subscription on(String eventName, Consumer<List<Object>> listener) {
    return listen(eventName, listener, false);
  }

  @Override
  public <E> Subscription once(Event<E> event, Consumer<? super E> listener) {
    return listen(event.name(), typed(event, listener), true);
  }

  @Override
  public Subscription once(String eventName, Consumer<List<Object>> listener) {
    return listen(eventName, listener, true);
  }

  private static <E> Consumer<List<Object>> typed(Event<E> event, Consumer<? super E> listener) {
    Objects.requireNonNull(listener, "listener");
    String what = "the argument of event '" + event.name() + "'";
    return args -> listener.accept(Connection.<E>cast(
        Conversions.convert(args.isEmpty() ? null : args.get(0), event.type(), what)));
  }

  private Subscription listen(String name, Consumer<List<Object>> consumer, boolean once) {
    Objects.requireNonNull(name, "eventName");
    Objects.requireNonNull(consumer, "listener");
    Listener l = new Listener(consumer, once);
    synchronized (this) {
      List<Listener> list = listeners.computeIfAbsent(name, k -> new ArrayList<>());
      list.add(l);
      Socket s = socket;
      if (list.size() == 1 && s != null && s.open) {
        send(s, new ToServer.SubscriptionRequest(name, true));
      }
    }
    return () -> {
      synchronized (this) {
        removeLocked(name, l);
      }
    };
  }

  @Override
  public Subscription onOpen(Runnable listener) {
    Objects.requireNonNull(listener, "listener");
    synchronized (this) {
      openListeners.add(listener);
      if (status == ConnectionStatus.CONNECTED) {
        lane.execute(() -> {
          if (openListeners.contains(listener)) {
            run(listener, "open");
          }
        });
      }
    }
    return () -> openListeners.remove(listener);
  }

  @Override
  public synchronized Subscription onClose(Runnable listener) {
    closeListeners.add(Objects.requireNonNull(listener, "listener"));
    return () -> closeListeners.remove(listener);
  }

  @Override
  public synchronized Subscription onError(Consumer<? super ActorError> listener) {
    errorListeners.add(Objects.requireNonNull(listener, "listener"));
    ActorError gaveUp = terminal;
    if (gaveUp != null) { // like onOpen on an open connection: a late listener still learns why
      lane.execute(() -> {
        if (errorListeners.contains(listener)) {
          run(() -> listener.accept(gaveUp), "error");
        }
      });
    }
    return () -> errorListeners.remove(listener);
  }

  @Override
  public synchronized Subscription onStatusChange(Consumer<ConnectionStatus> listener) {
    statusListeners.add(Objects.requireNonNull(listener, "listener"));
    return () -> statusListeners.remove(listener);
  }

  @Override
  public synchronized ConnectionStatus status() {
    return status;
  }

  @Override
  public synchronized Optional<String> connectionId() {
    return Optional.ofNullable(connectionId);
  }

  @Override
  public synchronized Optional<String> actorId() {
    return Optional.ofNullable(actorId);
  }

  @Override
  public CompletionStage<Void> ready() {
    return ready.copy();
  }

  @Override
  public CompletableFuture<Void> dispose() {
    WebSocket ws = null;
    synchronized (this) {
      if (disposed) {
        return disposedFuture.copy();
      }
      disposed = true;
      if (retry != null) {
        retry.cancel();
        retry = null;
      }
      ActorError error = Errors.disposed();
      failInFlight(error);
      failQueued(error);
      lane.execute(() -> ready.completeExceptionally(error));
      transition(ConnectionStatus.IDLE);
      Socket s = socket;
      socket = null;
      if (s != null) {
        s.finished = true;
        closing = s;
        ws = s.ws;
        if (ws != null) {
          WebSocket w = ws;
          s.sendChain = s.sendChain.handle((v, e) -> null)
              .thenCompose(v -> w.sendClose(WebSocket.NORMAL_CLOSURE, "Disposed"));
        }
      }
      if (ws == null) {
        closing = null; // a socket still opening is closed by its onOpen
        disposedFuture.complete(null);
      }
    }
    client.forget(this);
    if (ws != null && !client.isClosed()) {
      client.schedule(DISPOSE_WAIT, this::abort);
    }
    return disposedFuture.copy();
  }

  /** Drops the socket dispose() is closing when the server does not answer the close. */
  void abort() {
    WebSocket ws = null;
    synchronized (this) {
      if (closing != null) {
        ws = closing.ws;
        closing = null;
      }
    }
    if (ws != null) {
      ws.abort();
    }
    disposedFuture.complete(null);
  }

  @Override
  public void close() {
    CompletableFuture<Void> done = dispose();
    try {
      done.get(DISPOSE_WAIT.toMillis() + 500, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      abort();
    } catch (ExecutionException | TimeoutException e) {
      abort();
    }
  }

  @Override
  public String toString() {
    Target t = handle.target();
    String which = t instanceof Target.ByKey k ? k.key().toString()
        : ((Target.ById) t).actorId();
    return "ActorConnection[" + t.name() + " " + which + "]";
  }

  @SuppressWarnings("unchecked")
  private static <R> R cast(Object value) {
    return (R) value;
  }

  // ---------------------------------------------------------------- the socket

  /** One attempt's WebSocket; its callbacks run one at a time (the JDK's guarantee). */
  private final class Socket implements WebSocket.Listener {
    private WebSocket ws; // [Connection.this]
    private boolean open; // [Connection.this] Init received
    private boolean finished; // [Connection.this] its end was handled
    private CompletableFuture<?> sendChain = CompletableFuture.completedFuture(null); // [C.this]
    private final StringBuilder text = new StringBuilder(); // callback thread only
    private final ByteArrayOutputStream binary = new ByteArrayOutputStream(); // callback thread

    @Override
    public void onOpen(WebSocket webSocket) {
      boolean current;
      synchronized (Connection.this) {
        ws = webSocket;
        current = socket == this;
      }
      if (!current) {
        // disposed (or given up) while opening
        webSocket.sendClose(WebSocket.NORMAL_CLOSURE, "Disposed");
      }
      webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      text.append(data);
      if (text.length() > MAX_INBOUND_MESSAGE / 4) {
        tooLarge(this, text.length());
        return null;
      }
      if (last) {
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        text.setLength(0);
        receive(this, bytes);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      byte[] chunk = new byte[data.remaining()];
      data.get(chunk);
      binary.writeBytes(chunk);
      if (binary.size() > MAX_INBOUND_MESSAGE) {
        tooLarge(this, binary.size());
        return null;
      }
      if (last) {
        byte[] bytes = binary.toByteArray();
        binary.reset();
        receive(this, bytes);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closed(this, statusCode, reason, null);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closed(this, 1006, "", error);
    }
  }

  /** The untyped view of {@code actions()}: an {@link ActorHandle} over this connection. */
  private final class ConnectionHandle implements ActorHandle {
    @Override
    public String resolve() {
      Optional<String> id = actorId();
      if (id.isPresent()) {
        return id.get();
      }
      try {
        ready.get(client.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        throw Errors.rethrowable(e);
      } catch (TimeoutException e) {
        throw new ActorError(Errors.GROUP, "timeout", "Not connected within "
            + client.requestTimeout(), null, null, null, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ActorError(Errors.GROUP, "interrupted", "Interrupted while connecting", null,
            null, null, e);
      }
      return actorId().orElseThrow();
    }

    @Override
    public <R> R action(String action, Class<R> resultType, Object... args) {
      return Connection.this.action(action, resultType, args);
    }

    @Override
    public <R> CompletionStage<R> actionAsync(String action, Class<R> resultType,
        Object... args) {
      return Connection.this.actionAsync(action, resultType, args);
    }

    @Override
    public io.rivet4j.api.QueueSendResult send(String queue, Object body,
        io.rivet4j.api.SendOptions options) {
      return handle.send(queue, body, options); // over HTTP, as the JavaScript client does
    }

    @Override
    public <C> C as(Class<C> contract) {
      return ContractProxy.create(contract, handle.name(), Connection.this.toString(),
          Connection.this::call, Connection.this::await);
    }

    @Override
    public String toString() {
      return Connection.this.toString();
    }
  }
}
