package io.rivet4j.runtime.internal;

import io.rivet4j.api.ActorClient;
import io.rivet4j.api.Key;
import io.rivet4j.api.RivetError;
import io.rivet4j.runtime.Durability;
import io.rivet4j.runtime.Registry;
import io.rivet4j.runtime.RuntimeClock;
import io.rivet4j.runtime.RuntimeListener;
import io.rivet4j.runtime.spi.ActorRecord;
import io.rivet4j.runtime.spi.ActorStore;
import io.rivet4j.runtime.spi.Alarm;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The actor directory of one node: finds, creates, wakes and routes to actors.
 *
 * <p>Concurrency: thread-safe. {@code cells} holds at most one live generation per actor id
 * (replaced only through {@code compute}); creation of a name+key is serialized through {@code
 * creating}, so two callers never create the same key twice.
 *
 * <p>Lifecycle: open → closing (new calls fail with {@code registry.shut_down}; every actor
 * sleeps within its grace period) → closed (store closed).
 *
 * <p>Memory: an actor costs nothing here while asleep, except an alarm timer when it has a
 * pending schedule; its directory entry lives in the store.
 */
public final class Node {
  final Logger log = LoggerFactory.getLogger("io.rivet4j.runtime");
  final Registry registry;
  final ActorStore store;
  final RuntimeClock clock;
  final Durability durability;
  final Executor executor;
  final RuntimeListener listener;
  final ActorClient client;
  final io.rivet4j.runtime.internal.db.ActorDatabases databases;
  private final ConcurrentHashMap<String, ActorCell> cells = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, String> idsByKey = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, CompletableFuture<String>> creating =
      new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, RuntimeClock.Timer> alarms = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, List<LocalConn>> hibernated = new ConcurrentHashMap<>();
  private final Map<ActorTypeDef, Boolean> checkedHooks = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();
  private volatile boolean closing;
  private final Duration relaxedFlushWindow;
  private final java.util.concurrent.ConcurrentLinkedQueue<ActorCell> flushQueue =
      new java.util.concurrent.ConcurrentLinkedQueue<>();
  private final java.util.concurrent.atomic.AtomicBoolean flushTickArmed =
      new java.util.concurrent.atomic.AtomicBoolean();

  /**
   * Whether eligible actions may run on the delivering thread ({@link InlineProfile});
   * {@code RIVET_INLINE_TURNS=false} (or {@code -Drivet4j.inlineTurns=false}) turns it off.
   */
  final boolean inlineTurns = !"false".equalsIgnoreCase(System.getProperty("rivet4j.inlineTurns",
      System.getenv("RIVET_INLINE_TURNS")));

  /**
   * Marks the calling thread as one that may run short, non-blocking actions inline: an event
   * loop that would otherwise hand each action to a virtual thread and wait for it to come
   * back. Call it on the thread itself.
   */
  public static void allowInlineTurns() {
    ThreadMarks.get().inlineAllowed = true;
  }

  /** Undoes {@link #allowInlineTurns()} for the calling thread. */
  public static void disallowInlineTurns() {
    ThreadMarks.get().inlineAllowed = false;
  }

  /** How {@link #resolve} treats a missing or existing key. */
  public enum Mode { GET, GET_OR_CREATE, CREATE }

  public Node(Registry registry, ActorStore store, java.nio.file.Path dataDir, RuntimeClock clock,
      Durability durability, Duration relaxedFlushWindow, Optional<Executor> executor,
      RuntimeListener listener) {
    this.registry = registry;
    this.databases = new io.rivet4j.runtime.internal.db.ActorDatabases(dataDir.resolve("actors"),
        io.rivet4j.runtime.internal.db.DbOptions.defaults(), clock);
    this.relaxedFlushWindow = relaxedFlushWindow;
    this.store = store;
    this.clock = clock;
    this.durability = durability;
    this.executor = executor.orElseGet(() -> {
      var factory = Thread.ofVirtual().name("rivet4j-actor-", 0).factory();
      return r -> factory.newThread(r).start();
    });
    this.listener = listener;
    this.client = new LocalClient(this);
    for (Alarm a : store.alarms()) {
      if (registry.types().containsKey(a.name())) {
        armAlarm(a.actorId(), a.name(), a.wakeAtMillis());
      }
    }
  }

  public ActorClient client() {
    return client;
  }

  ActorTypeDef type(String name) {
    ActorTypeDef t = registry.types().get(name);
    if (t == null) {
      throw new RivetError("actor", "not_found", "no actor type named '" + name
          + "' is registered; registered: " + registry.actorNames());
    }
    return t;
  }

  // ---------------------------------------------------------------- resolution

  /** A resolved actor: its id and whether this call created it. */
  public record Resolved(String actorId, boolean created) {}

  /** The actor id for {@code name}+{@code key}, creating the actor when {@code mode} allows. */
  public String resolve(String name, Key key, Mode mode, Object input) {
    return resolveDetailed(name, key, mode, input).actorId();
  }

  /** As {@link #resolve}, also telling whether this call created the actor. */
  public Resolved resolveDetailed(String name, Key key, Mode mode, Object input) {
    checkOpen();
    ActorTypeDef type = type(name);
    String serialized = checkKey(key);
    String nk = name + '\u0000' + serialized;
    String id = idsByKey.get(nk);
    if (id == null) {
      id = store.findByKey(name, serialized).map(ActorRecord::actorId).orElse(null);
    }
    if (id != null) {
      if (mode == Mode.CREATE) {
        throw duplicate(name, key, id);
      }
      return new Resolved(id, false);
    }
    if (mode == Mode.GET) {
      throw new RivetError("actor", "not_found", Errors.NOT_FOUND_MESSAGE);
    }
    CompletableFuture<String> mine = new CompletableFuture<>();
    CompletableFuture<String> other = creating.putIfAbsent(nk, mine);
    if (other != null) {
      String created;
      try {
        created = other.join();
      } catch (RuntimeException e) {
        throw (RuntimeException) Errors.unwrap(e);
      }
      if (mode == Mode.CREATE) {
        throw duplicate(name, key, created);
      }
      return new Resolved(created, false);
    }
    try {
      Optional<ActorRecord> again = store.findByKey(name, serialized);
      if (again.isPresent()) {
        mine.complete(again.get().actorId());
        if (mode == Mode.CREATE) {
          throw duplicate(name, key, again.get().actorId());
        }
        return new Resolved(again.get().actorId(), false);
      }
      byte[] inputBytes = input == null ? null : Values.toCbor(input);
      ActorRecord record = new ActorRecord(newActorId(), name, serialized, clock.millis(),
          inputBytes);
      ActorCell cell = new ActorCell(this, type, record, key, null);
      CompletableFuture<Void> started = new CompletableFuture<>();
      Object plainInput = inputBytes == null ? null : Values.fromCbor(inputBytes);
      cell.enqueue(new Task.Start(true, plainInput, started));
      cells.put(record.actorId(), cell);
      idsByKey.put(nk, record.actorId());
      try {
        started.join();
      } catch (RuntimeException e) {
        Throwable cause = Errors.unwrap(e);
        throw cause instanceof RivetError re ? re
            : Errors.forCaller(cause, log, record.actorId(), "create");
      }
      mine.complete(record.actorId());
      return new Resolved(record.actorId(), true);
    } catch (RuntimeException e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      creating.remove(nk, mine);
    }
  }

  private static RivetError duplicate(String name, Key key, String existing) {
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("existing_actor_id", existing);
    meta.put("key", key.serialize());
    return new RivetError("actor", "duplicate_key", "Actor key '" + key.serialize()
        + "' already in use for actor '" + existing + "'", meta);
  }

  static String checkKey(Key key) {
    for (int i = 0; i < key.parts().size(); i++) {
      if (key.parts().get(i).length() > Key.MAX_PART_LENGTH) {
        throw new RivetError("actor", "invalid_request", "key part " + (i + 1) + " has "
            + key.parts().get(i).length() + " characters; the limit is " + Key.MAX_PART_LENGTH);
      }
    }
    String s = key.serialize();
    if (s.getBytes(StandardCharsets.UTF_8).length > Key.MAX_SERIALIZED_BYTES) {
      throw new RivetError("actor", "invalid_request", "the key is longer than "
          + Key.MAX_SERIALIZED_BYTES + " bytes when serialized");
    }
    return s;
  }

  private String newActorId() {
    // 30 lowercase base-36 characters, like Rivet Engine ids.
    char[] out = new char[30];
    String digits = "0123456789abcdefghijklmnopqrstuvwxyz";
    for (int i = 0; i < 28; i++) {
      out[i] = digits.charAt(random.nextInt(36));
    }
    out[28] = '0';
    out[29] = '0';
    return new String(out);
  }

  /** The directory entry of {@code actorId}, if the actor exists (does not wake it). */
  public Optional<ActorRecord> find(String actorId) {
    ActorCell c = cells.get(actorId);
    if (c != null && !c.destroying) {
      return Optional.of(c.record);
    }
    return store.findById(actorId);
  }

  /** The directory entry for {@code name}+{@code key}, if the actor exists (does not wake it). */
  public Optional<ActorRecord> findByKey(String name, Key key) {
    String serialized = checkKey(key);
    String id = idsByKey.get(name + '\u0000' + serialized);
    if (id != null) {
      Optional<ActorRecord> r = find(id);
      if (r.isPresent()) {
        return r;
      }
    }
    return store.findByKey(name, serialized);
  }

  /** The registered actor names. */
  public java.util.Set<String> actorNames() {
    return registry.actorNames();
  }

  /** True when the node serves actors named {@code name}. */
  public boolean hasActor(String name) {
    return registry.types().containsKey(name);
  }

  /** The live generation of {@code actorId}, woken if needed. */
  ActorCell cell(String actorId, String expectedName) {
    ActorCell c = cells.get(actorId);
    if (c != null && c.accepting()) {
      if (expectedName != null && !c.type.name().equals(expectedName)) {
        throw Errors.notFound(actorId);
      }
      return c;
    }
    checkOpen();
    if (c != null && c.destroying) {
      throw new RivetError("actor", "destroying", "actor " + actorId + " is being destroyed");
    }
    ActorRecord record = c != null ? c.record : store.findById(actorId).orElse(null);
    if (record == null || !registry.types().containsKey(record.name())
        || (expectedName != null && !record.name().equals(expectedName))) {
      throw Errors.notFound(actorId);
    }
    ActorTypeDef type = type(record.name());
    return cells.compute(actorId, (k, cur) -> {
      if (cur != null && cur.accepting()) {
        return cur;
      }
      ActorCell next = new ActorCell(this, type, record, Key.deserialize(record.key()), cur);
      next.enqueue(new Task.Start(false, null, new CompletableFuture<>()));
      idsByKey.put(record.name() + '\u0000' + record.key(), actorId);
      return next;
    });
  }

  /** Calls an action; the future completes with the output or a caller-facing RivetError. */
  public CompletableFuture<Object> call(String actorId, String expectedName, String action,
      List<Object> args, LocalConn conn) {
    CompletableFuture<Object> reply = new CompletableFuture<>();
    Task.Action task = new Task.Action(action, args, reply, conn, null);
    ActorCell awake = cells.get(actorId);
    if (awake != null && awake.accepting()
        && (expectedName == null || awake.type.name().equals(expectedName))) {
      awake.enqueueOrRun(task); // fast path: never blocks the caller (runs inline if short)
      return reply;
    }
    // Waking may read the store: do it off the caller's thread (e.g. a network event loop).
    executor.execute(() -> {
      try {
        cell(actorId, expectedName).enqueue(task);
      } catch (RuntimeException e) {
        reply.completeExceptionally(e);
      }
    });
    return reply;
  }

  /** The actor {@code actorId}'s running turn is blocked waiting for, or null. */
  String waitingOn(String actorId) {
    ActorCell c = cells.get(actorId);
    return c == null ? null : c.waitingOn;
  }

  /** A task reached a generation that no longer serves it: give it to the next one. */
  void redeliver(ActorCell from, Task task) {
    switch (task) {
      case Task.Action a -> {
        try {
          cell(from.record.actorId(), null).enqueue(a);
        } catch (RuntimeException e) {
          if (a.reply != null) {
            a.reply.completeExceptionally(e);
          }
        }
      }
      case Task.Connect c -> {
        try {
          cell(from.record.actorId(), null).enqueue(c);
        } catch (RuntimeException e) {
          c.opened().completeExceptionally(e);
        }
      }
      case Task.Disconnect d -> {
        List<LocalConn> list = hibernated.get(from.record.actorId());
        if (list != null) {
          synchronized (list) {
            list.remove(d.conn());
          }
        }
      }
      case Task.Subscribe s -> subscribeDetached(s);
      case Task.RawRequest r -> {
        try {
          cell(from.record.actorId(), null).enqueue(r);
        } catch (RuntimeException e) {
          r.reply().completeExceptionally(e);
        }
      }
      case Task.SocketOpen o -> {
        try {
          cell(from.record.actorId(), null).enqueue(o);
        } catch (RuntimeException e) {
          o.opened().completeExceptionally(e);
        }
      }
      case Task.QueueSend q -> {
        try {
          cell(from.record.actorId(), null).enqueue(q);
        } catch (RuntimeException e) {
          q.reply().completeExceptionally(e);
        }
      }
      case Task.SocketMessage m -> m.done().run();
      case Task.SocketClosed c -> { }
      case Task.Run r -> log.debug("actor {}: task after stop dropped", from.record.actorId());
      case Task.Start s -> s.started().completeExceptionally(Errors.notFound(
          from.record.actorId()));
      case Task.AsyncDone d -> {
        if (!d.action().settled && d.action().reply != null) {
          d.action().reply.completeExceptionally(new RivetError("actor", "stopping",
              "the actor stopped before the action finished"));
        }
      }
      case Task.AsyncTimeout t -> { }
      case Task.SleepCheck s -> { }
      case Task.FireSchedules f -> { }
      case Task.Stop s -> { }
      case Task.GraceTimeout g -> { }
    }
  }

  private static void subscribeDetached(Task.Subscribe s) {
    if (s.subscribe()) {
      s.conn().subscriptions.add(s.event());
    } else {
      s.conn().subscriptions.remove(s.event());
    }
  }

  /** A generation finished (slept, destroyed, or failed to start). */
  void stopped(ActorCell cell) {
    String id = cell.record.actorId();
    if (cells.remove(id, cell)) {
      idsByKey.remove(cell.record.name() + '\u0000' + cell.record.key(), id);
      store.forget(id);
    }
  }

  void checkHooks(ActorTypeDef type, Object instance) {
    if (instance == null || checkedHooks.containsKey(type)) {
      return;
    }
    List<String> problems = RegistryCompiler.hookProblems(type, instance.getClass());
    if (!problems.isEmpty()) {
      throw new IllegalStateException(String.join("; ", problems));
    }
    checkedHooks.put(type, Boolean.TRUE);
  }

  private final java.util.concurrent.atomic.AtomicLong lastThrottledLog =
      new java.util.concurrent.atomic.AtomicLong();
  private final java.util.concurrent.atomic.AtomicLong suppressedLogs =
      new java.util.concurrent.atomic.AtomicLong();

  /** Logs a repeated failure at most once a second, with the count of the ones left out. */
  void logThrottled(String what, String actorId, Throwable e) {
    long now = System.nanoTime();
    long last = lastThrottledLog.get();
    if (now - last >= 1_000_000_000L && lastThrottledLog.compareAndSet(last, now)) {
      log.error("actor {}: {} ({} similar messages left out in the last second)", actorId, what,
          suppressedLogs.getAndSet(0), e);
    } else {
      suppressedLogs.incrementAndGet();
    }
  }

  /**
   * Relaxed durability: flushes {@code cell}'s pending writes within the flush window. One timer
   * serves every cell that became dirty in the window.
   */
  void scheduleFlush(ActorCell cell) {
    flushQueue.offer(cell);
    if (flushTickArmed.compareAndSet(false, true)) {
      clock.schedule(Instant.ofEpochMilli(clock.millis() + relaxedFlushWindow.toMillis()),
          this::flushTick);
    }
  }

  private void flushTick() {
    flushTickArmed.set(false);
    if (flushQueue.isEmpty()) {
      return;
    }
    // One thread for the window's flushes: with many actors each flush is a separate turn, and
    // a thread of its own per actor cost more than the flush itself (state to CBOR, a batch to
    // the store writer). Busy actors and those whose flush blocks get a queued turn instead.
    executor.execute(() -> {
      ActorCell c;
      while ((c = flushQueue.poll()) != null) {
        c.flushFromTick();
      }
    });
  }

  // ---------------------------------------------------------------- alarms and connections

  void armAlarm(String actorId, String name, long atMillis) {
    RuntimeClock.Timer t = clock.schedule(Instant.ofEpochMilli(atMillis), () -> {
      alarms.remove(actorId);
      if (closing) {
        return;
      }
      try {
        cell(actorId, name).enqueue(new Task.FireSchedules());
      } catch (RuntimeException e) {
        log.warn("alarm for actor {} could not wake it: {}", actorId, e.toString());
      }
    });
    RuntimeClock.Timer old = alarms.put(actorId, t);
    if (old != null) {
      old.cancel();
    }
  }

  void cancelAlarm(String actorId) {
    RuntimeClock.Timer t = alarms.remove(actorId);
    if (t != null) {
      t.cancel();
    }
  }

  /** Keeps a connection across the actor's sleep; the next generation re-attaches it. */
  void hibernate(String actorId, LocalConn conn) {
    conn.cell = null;
    List<LocalConn> list = hibernated.computeIfAbsent(actorId, k -> new ArrayList<>());
    synchronized (list) {
      list.add(conn);
    }
  }

  List<LocalConn> takeHibernated(String actorId) {
    List<LocalConn> list = hibernated.remove(actorId);
    if (list == null) {
      return List.of();
    }
    synchronized (list) {
      list.removeIf(c -> c.closed);
      return new ArrayList<>(list);
    }
  }

  /** Opens an in-process connection: runs the connect hooks, then delivers events to sink. */
  public CompletableFuture<LocalConn> connect(String actorId, String name, Object params,
      LocalConn.Sink sink) {
    LocalConn conn = new LocalConn(params, sink);
    CompletableFuture<Void> opened = new CompletableFuture<>();
    submit(actorId, name, new Task.Connect(conn, opened), opened);
    return opened.thenApply(v -> conn);
  }

  /**
   * A raw HTTP request: the connect hooks with {@code params}, then {@code onRequest}; completes
   * with its response (404 when the actor has no {@code onRequest}) or a caller-facing error.
   */
  public CompletableFuture<io.rivet4j.api.Response> request(String actorId, String name,
      io.rivet4j.api.Request request, Object params) {
    CompletableFuture<io.rivet4j.api.Response> reply = new CompletableFuture<>();
    submit(actorId, name, new Task.RawRequest(new LocalConn(params, NO_SINK, false, null),
        request, reply), reply);
    return reply;
  }

  /**
   * A client's message for the actor's queue {@code queue}, sent through a throw-away connection
   * with {@code params} (connect hooks and {@code canPublish} run first). Completes once the
   * message is durable, or with {@code waitForCompletion} once a consumer completed it ({@code
   * timedOut} after {@code timeoutMillis}, -1 meaning the action timeout); fails with a
   * caller-facing error.
   */
  public CompletableFuture<io.rivet4j.api.QueueSendResult> queueSend(String actorId, String name,
      String queue, Object body, Object params, boolean waitForCompletion, long timeoutMillis) {
    CompletableFuture<io.rivet4j.api.QueueSendResult> reply = new CompletableFuture<>();
    LocalConn conn = new LocalConn(params, NO_SINK, false, null);
    reply.whenComplete((v, e) -> disconnect(conn));
    submit(actorId, name, new Task.QueueSend(conn, queue, body, waitForCompletion, timeoutMillis,
        reply), reply);
    return reply;
  }

  /**
   * A raw WebSocket was opened (handshake done): the connect hooks, then {@code onWebSocket}.
   * Fails with a caller-facing error when refused.
   */
  public CompletableFuture<Void> openSocket(String actorId, String name, RawSocket socket) {
    CompletableFuture<Void> opened = new CompletableFuture<>();
    submit(actorId, name, new Task.SocketOpen(socket, opened), opened);
    return opened;
  }

  /** A frame from a raw WebSocket's peer; {@code done} runs once the actor handled it. */
  public void socketMessage(RawSocket socket, io.rivet4j.api.RawWebSocket.Message message,
      Runnable done) {
    ActorCell c = socket.conn.cell;
    if (c == null) {
      done.run();
      return;
    }
    c.enqueue(new Task.SocketMessage(socket, message, done));
  }

  /** A raw WebSocket closed: its close listeners and {@code onDisconnect} run. */
  public void socketClosed(RawSocket socket, int code, String reason) {
    socket.conn.closed = true; // before reading cell: the actor attaches, then checks closed
    ActorCell c = socket.conn.cell;
    if (c != null) {
      c.enqueue(new Task.SocketClosed(socket, code, reason));
    }
  }

  private static final LocalConn.Sink NO_SINK = new LocalConn.Sink() {
    @Override
    public void event(String name, List<Object> args) {}

    @Override
    public void closed(String reason) {}
  };

  /** Enqueues on the awake actor, or wakes it off the caller's thread first. */
  private void submit(String actorId, String name, Task task, CompletableFuture<?> failure) {
    ActorCell awake = cells.get(actorId);
    if (awake != null && awake.accepting() && awake.type.name().equals(name)) {
      awake.enqueue(task);
      return;
    }
    executor.execute(() -> {
      try {
        cell(actorId, name).enqueue(task);
      } catch (RuntimeException e) {
        failure.completeExceptionally(e);
      }
    });
  }

  /** Client side of a connection: subscribe or unsubscribe to an event. */
  public void subscribe(LocalConn conn, String event, boolean subscribe) {
    ActorCell c = conn.cell;
    Task.Subscribe task = new Task.Subscribe(conn, event, subscribe);
    if (c != null) {
      c.enqueue(task);
    } else {
      subscribeDetached(task);
    }
  }

  /** Client side of a connection: close it. */
  public void disconnect(LocalConn conn) {
    ActorCell c = conn.cell;
    conn.closed = true;
    if (c != null) {
      c.enqueue(new Task.Disconnect(conn));
    }
  }

  // ---------------------------------------------------------------- lifecycle

  private void checkOpen() {
    if (closing) {
      throw new RivetError("registry", "shut_down", "the runtime is shutting down");
    }
  }

  /**
   * Destroys an actor from outside (the REST API's {@code DELETE /actors/<id>}): wakes it if it
   * sleeps, runs {@code onDestroy}, deletes its data. Completes when it is gone.
   *
   * @throws RivetError {@code actor.not_found} when there is no such actor
   */
  public CompletableFuture<Void> destroy(String actorId) {
    ActorCell c = cell(actorId, null);
    c.enqueue(new Task.Stop(true));
    return c.terminated;
  }

  /**
   * The actor's generation as RivetKit numbers it (its starts so far: 1 when created, +1 per
   * wake) while it is awake; 1 when it is not.
   */
  public long generation(String actorId) {
    ActorCell c = cells.get(actorId);
    long g = c == null ? 0 : c.generation;
    return g > 0 ? g : 1;
  }

  /** Asks an actor to sleep now (tests and operators); no-op when it is not awake. */
  public void requestSleep(String actorId) {
    ActorCell c = cells.get(actorId);
    if (c != null && c.phase == ActorCell.AWAKE) {
      c.enqueue(new Task.Stop(false));
    }
  }

  /** Number of awake generations (diagnostics). */
  public int awakeCount() {
    return cells.size();
  }

  public boolean isAwake(String actorId) {
    ActorCell c = cells.get(actorId);
    return c != null && c.phase == ActorCell.AWAKE;
  }

  /** Sleeps every actor (waiting at most {@code grace}), then closes the store. */
  public void shutdown(Duration grace) {
    closing = true;
    for (RuntimeClock.Timer t : alarms.values()) {
      t.cancel();
    }
    alarms.clear();
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (ActorCell c : cells.values()) {
      c.enqueue(new Task.Stop(false));
      all.add(c.terminated);
    }
    try {
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
          .get(grace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      log.warn("{} actor(s) did not sleep within {} ms", cells.size(), grace.toMillis());
    } catch (Exception e) {
      log.warn("shutdown interrupted", e);
    }
    store.close();
    databases.close();
  }
}
