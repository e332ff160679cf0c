package io.rivet4j.runtime.internal;

import io.rivet4j.api.Actor;
import io.rivet4j.api.Queue;
import io.rivet4j.api.QueueMessage;
import io.rivet4j.api.QueueSendResult;
import io.rivet4j.api.RivetError;
import io.rivet4j.api.Value;
import io.rivet4j.runtime.RuntimeClock;
import io.rivet4j.runtime.spi.KvEntry;
import io.rivet4j.runtime.spi.WriteOp;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One generation's view of the actor's durable queue: {@code c.queue()}, the consumer handlers
 * of the definition, waits for messages ({@code next}) and client sends that wait for completion.
 *
 * <p>Storage: message {@code id} under {@code 0x05 ‖ id} (8 bytes, big-endian), value CBOR
 * {@code {name, body (the body's CBOR bytes), createdAt}}; the next id under {@code 0x05}. Every
 * change joins the current turn's batch, so it commits atomically with the turn's state.
 *
 * <p>Concurrency: used only from the actor's turns; timers and completions come back as tasks of
 * the actor. {@link #durable} is the exception: the store's completion thread calls it, and it
 * only publishes a sequence number.
 *
 * <p>Invariants: {@code messages} mirrors the stored messages (a failed batch writes its queue
 * changes again). A stored message is either free, or taken: in flight to its consumer handler
 * or received completable and not yet completed; taken messages are hidden from receives until
 * the next generation. At most one message is in flight to the consumer handlers at a time, and
 * they get messages in id order. {@code consumerStored} counts stored messages of queues with a
 * handler; while it is positive the actor's alarm is set (so a crash or a sleep is followed by a
 * wake) and the actor does not sleep when idle.
 */
final class ActorQueue implements Queue {
  static final byte PREFIX = 0x05;
  private static final byte[] META_KEY = {PREFIX};
  private static final byte[] END = {PREFIX + 1};
  private static final QueueSendResult COMPLETED =
      new QueueSendResult(QueueSendResult.COMPLETED, Optional.empty());
  private static final QueueSendResult TIMED_OUT =
      new QueueSendResult(QueueSendResult.TIMED_OUT, Optional.empty());

  /** A stored message. */
  static final class Msg {
    final long id;
    final String name;
    final byte[] body; // CBOR
    final long createdAt;
    boolean taken;
    SendWaiter waiter; // a client waiting for its completion, or null

    Msg(long id, String name, byte[] body, long createdAt) {
      this.id = id;
      this.name = name;
      this.body = body;
      this.createdAt = createdAt;
    }
  }

  /** A client send waiting for the message's completion. */
  private static final class SendWaiter {
    final CompletableFuture<QueueSendResult> reply;
    RuntimeClock.Timer timer; // null until scheduled

    SendWaiter(CompletableFuture<QueueSendResult> reply) {
      this.reply = reply;
    }

    void cancelTimer() {
      if (timer != null) {
        timer.cancel();
      }
    }
  }

  /** A {@code next()} waiting for a message. */
  private static final class Receiver {
    final Set<String> names; // null: any queue
    final boolean completable;
    final CompletableFuture<Optional<QueueMessage>> result = new CompletableFuture<>();
    RuntimeClock.Timer timer;
    boolean scheduled; // a task to serve it is in the mailbox

    Receiver(Set<String> names, boolean completable) {
      this.names = names;
      this.completable = completable;
    }
  }

  /** A queue write of a batch not yet known durable: {@code id} -1 is the next-id entry. */
  private record Pending(long seq, long id, boolean delete) {}

  private final ActorCell cell;
  private final TreeMap<Long, Msg> messages = new TreeMap<>();
  private final ArrayList<Pending> pending = new ArrayList<>();
  private final ArrayList<Receiver> receivers = new ArrayList<>();
  private final Set<Long> outstanding = new HashSet<>(); // received completable, not completed
  private final Completable completableView = new Completable();
  private volatile long durableSeq;
  private long nextId = 1;
  private boolean loaded;
  private int consumerStored;
  private Msg consuming;
  private boolean dispatchQueued;

  ActorQueue(ActorCell cell) {
    this.cell = cell;
  }

  /** Reads the stored messages (once per generation). */
  void load() {
    if (loaded) {
      return;
    }
    loaded = true;
    for (KvEntry e : cell.node.store.list(cell.record.actorId(), META_KEY, END,
        Integer.MAX_VALUE, false)) {
      if (e.key().length == 1) {
        nextId = ByteBuffer.wrap(e.value()).getLong();
        continue;
      }
      long id = ByteBuffer.wrap(e.key(), 1, 8).getLong();
      Map<?, ?> m = (Map<?, ?>) Values.fromCbor(e.value());
      Msg msg = new Msg(id, (String) m.get("name"), (byte[]) m.get("body"),
          ((Number) m.get("createdAt")).longValue());
      messages.put(id, msg);
      if (cell.type.consumes(msg.name)) {
        consumerStored++;
      }
      nextId = Math.max(nextId, id + 1);
    }
  }

  /** True while a message for a consumer handler is stored (so the actor should not sleep). */
  boolean hasConsumerWork() {
    return consumerStored > 0;
  }

  // ---------------------------------------------------------------- writes and their fate

  private static byte[] key(long id) {
    return ByteBuffer.allocate(9).put(PREFIX).putLong(id).array();
  }

  private void prune() {
    long d = durableSeq;
    pending.removeIf(p -> p.seq() <= d);
  }

  private void write(long id, boolean delete) {
    prune();
    String actorId = cell.record.actorId();
    WriteOp op;
    if (id < 0) {
      op = new WriteOp.Put(actorId, META_KEY, ByteBuffer.allocate(8).putLong(nextId).array());
    } else if (delete) {
      op = new WriteOp.Delete(actorId, key(id));
    } else {
      Msg m = messages.get(id);
      Map<String, Object> v = new LinkedHashMap<>();
      v.put("name", m.name);
      v.put("body", m.body);
      v.put("createdAt", m.createdAt);
      op = new WriteOp.Put(actorId, key(id), Values.toCbor(v));
    }
    cell.addWrite(op);
    pending.add(new Pending(cell.nextCommitSeq(), id, delete));
  }

  boolean hasPending(long seq) {
    prune();
    for (Pending p : pending) {
      if (p.seq() == seq) {
        return true;
      }
    }
    return false;
  }

  /** The batch with sequence {@code seq} (and all before it) is durable. */
  void durable(long seq) {
    if (seq > durableSeq) {
      durableSeq = seq;
    }
  }

  /** The batch {@code seq} failed: write its queue changes again in the current turn. */
  void failed(long seq) {
    List<Pending> lost = new ArrayList<>();
    for (Pending p : pending) {
      if (p.seq() == seq) {
        lost.add(p);
      }
    }
    pending.removeIf(p -> p.seq() == seq);
    for (Pending p : lost) {
      if (p.delete() || p.id() < 0 || messages.containsKey(p.id())) {
        write(p.id(), p.delete()); // a put whose message is gone since needs no retry
      }
    }
  }

  // ---------------------------------------------------------------- send

  @Override
  public QueueMessage send(String name, Object body) {
    Msg m = add(name, body);
    return new Received(m, false);
  }

  private Msg add(String name, Object body) {
    cell.checkActorThread();
    load();
    if (name == null || name.isEmpty()) {
      throw Values.validation("a queue message needs a queue name");
    }
    byte[] bytes;
    try {
      bytes = Values.toCbor(body);
    } catch (IllegalArgumentException e) {
      throw Values.validation("the body of a message for queue '" + name
          + "' is not serializable: " + e.getMessage());
    }
    int limit = cell.type.options().maxQueueMessageSize();
    if (bytes.length > limit) {
      throw new RivetError("queue", "message_too_large", "Queue message too large ("
          + bytes.length + " bytes). Limit is " + limit + " bytes.");
    }
    int max = cell.type.options().maxQueueSize();
    if (messages.size() >= max) {
      throw new RivetError("queue", "full", "Queue is full. Limit is " + max + " messages.");
    }
    Msg m = new Msg(nextId++, name, bytes, cell.node.clock.millis());
    messages.put(m.id, m);
    write(-1, false);
    write(m.id, false);
    if (cell.type.consumes(name) && ++consumerStored == 1) {
      cell.updateAlarm();
    }
    offer(m);
    return m;
  }

  /** A client send ({@code POST …/queue/<name>}): the connect hooks have run. */
  void publish(Task.QueueSend q) throws Exception {
    Optional<Actor.QueueDeclaration<Object>> declared = cell.type.queue(q.queue());
    if (declared.isEmpty()) { // RivetKit acknowledges and drops undeclared names
      cell.queueOutput(() -> q.reply().complete(COMPLETED));
      return;
    }
    if (declared.get().canPublish().isPresent()
        && !declared.get().canPublish().get().canPublish(cell)) {
      throw new RivetError("auth", "forbidden", "Forbidden");
    }
    Msg m = add(q.queue(), q.body());
    if (!q.waitForCompletion()) {
      cell.queueOutput(() -> q.reply().complete(COMPLETED));
      return;
    }
    // The wait is bounded by the action timeout, as RivetKit bounds HTTP queue handling.
    long actionTimeout = cell.type.options().actionTimeout().toMillis();
    boolean own = q.timeoutMillis() >= 0 && q.timeoutMillis() <= actionTimeout;
    long after = own ? q.timeoutMillis() : actionTimeout;
    SendWaiter w = new SendWaiter(q.reply());
    m.waiter = w;
    w.timer = cell.node.clock.schedule(Instant.ofEpochMilli(cell.node.clock.millis() + after),
        () -> cell.enqueue(new Task.Run(() -> {
          if (m.waiter != w) {
            return;
          }
          m.waiter = null;
          cell.queueOutput(own ? () -> w.reply.complete(TIMED_OUT)
              : () -> w.reply.completeExceptionally(Errors.actionTimedOut("queue send",
                  cell.type.options().actionTimeout())));
        })));
  }

  /** Ends the wait of a client for {@code m}: with a response, or with {@code error}. */
  private void settleWaiter(Msg m, Object response, Throwable error) {
    SendWaiter w = m.waiter;
    if (w == null) {
      return;
    }
    m.waiter = null;
    w.cancelTimer();
    if (error != null) {
      RivetError toCaller = Errors.forCaller(error, cell.node.log, cell.record.actorId(),
          "queue '" + m.name + "'");
      cell.queueOutput(() -> w.reply.completeExceptionally(toCaller));
      return;
    }
    QueueSendResult result = response == null ? COMPLETED
        : new QueueSendResult(QueueSendResult.COMPLETED, Optional.of(PlainValue.of(response)));
    cell.queueOutput(() -> w.reply.complete(result));
  }

  /** The generation ends: clients still waiting for a completion get an error. */
  void dropWaiters() {
    for (Msg m : messages.values()) {
      SendWaiter w = m.waiter;
      if (w != null) {
        m.waiter = null;
        w.cancelTimer();
        w.reply.completeExceptionally(new RivetError("queue", "completion_waiter_dropped",
            "Queue completion waiter dropped before response"));
      }
    }
  }

  // ---------------------------------------------------------------- receive

  @Override
  public Optional<QueueMessage> tryNext(String... names) {
    return take(names, 1, false).stream().findFirst();
  }

  @Override
  public List<QueueMessage> tryNextBatch(int count, String... names) {
    return take(names, count, false);
  }

  @Override
  public CompletionStage<Optional<QueueMessage>> next(Duration timeout, String... names) {
    return next(timeout, names, false);
  }

  @Override
  public Queue completable() {
    return completableView;
  }

  @Override
  public int size() {
    cell.checkActorThread();
    load();
    return messages.size();
  }

  private static Set<String> filter(String[] names) {
    return names == null || names.length == 0 ? null : new HashSet<>(Arrays.asList(names));
  }

  private boolean receivable(Msg m, Set<String> names) {
    return !m.taken && !cell.type.consumes(m.name) && (names == null || names.contains(m.name));
  }

  private List<QueueMessage> take(String[] names, int count, boolean completable) {
    cell.checkActorThread();
    if (count < 1) {
      throw new IllegalArgumentException("count must be at least 1, got " + count);
    }
    load();
    if (!outstanding.isEmpty()) {
      throw new RivetError("queue", "previous_message_not_completed", "Previous completable"
          + " queue message is not completed. Call `message.complete(...)` before receiving the"
          + " next message.");
    }
    Set<String> wanted = filter(names);
    List<Msg> found = new ArrayList<>();
    for (Msg m : messages.values()) {
      if (found.size() == count) {
        break;
      }
      if (receivable(m, wanted)) {
        found.add(m);
      }
    }
    List<QueueMessage> out = new ArrayList<>(found.size());
    for (Msg m : found) {
      if (completable) {
        m.taken = true;
        outstanding.add(m.id);
      } else {
        remove(m);
        settleWaiter(m, null, null);
      }
      out.add(new Received(m, completable));
    }
    return out;
  }

  private void remove(Msg m) {
    messages.remove(m.id);
    write(m.id, true);
    if (cell.type.consumes(m.name) && --consumerStored == 0) {
      cell.updateAlarm();
    }
  }

  private CompletionStage<Optional<QueueMessage>> next(Duration timeout, String[] names,
      boolean completable) {
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must not be negative, got " + timeout);
    }
    List<QueueMessage> now = take(names, 1, completable);
    if (!now.isEmpty() || timeout.isZero()) {
      return CompletableFuture.completedFuture(now.stream().findFirst());
    }
    Receiver r = new Receiver(filter(names), completable);
    receivers.add(r);
    long at = cell.node.clock.millis() + Math.min(timeout.toMillis(), Long.MAX_VALUE / 4);
    r.timer = cell.node.clock.schedule(Instant.ofEpochMilli(at),
        () -> cell.enqueue(new Task.Run(() -> {
          if (receivers.remove(r)) {
            r.result.complete(Optional.empty());
          }
        })));
    return r.result.minimalCompletionStage();
  }

  /** A message arrived: the first receiver it suits takes it in a task of its own. */
  private void offer(Msg m) {
    for (Receiver r : receivers) {
      if (!r.scheduled && receivable(m, r.names)) {
        r.scheduled = true;
        cell.enqueue(new Task.Run(() -> serve(r)));
        return;
      }
    }
  }

  private void serve(Receiver r) {
    r.scheduled = false;
    if (!receivers.contains(r)) {
      return; // timed out or aborted meanwhile
    }
    List<QueueMessage> got;
    try {
      got = take(r.names == null ? null : r.names.toArray(String[]::new), 1, r.completable);
    } catch (RuntimeException e) {
      receivers.remove(r);
      r.timer.cancel();
      r.result.completeExceptionally(e);
      return;
    }
    if (!got.isEmpty()) { // else someone else took it first: keep waiting
      receivers.remove(r);
      r.timer.cancel();
      r.result.complete(Optional.of(got.get(0)));
    }
  }

  /** The actor starts to stop: every wait fails with {@code actor.aborted}. */
  void abortReceivers() {
    for (Receiver r : receivers) {
      r.timer.cancel();
      r.result.completeExceptionally(new RivetError("actor", "aborted", "Actor aborted"));
    }
    receivers.clear();
  }

  private void complete(Msg m, Object response) {
    cell.checkActorThread();
    if (!outstanding.remove(m.id)) {
      throw new RivetError("queue", "already_completed", "Queue message was already completed.");
    }
    Object plain;
    try {
      plain = response == null ? null : Values.fromCbor(Values.toCbor(response));
    } catch (IllegalArgumentException e) {
      outstanding.add(m.id);
      throw Values.validation("the response to queue message " + m.id
          + " is not serializable: " + e.getMessage());
    }
    remove(m);
    settleWaiter(m, plain, null);
  }

  // ---------------------------------------------------------------- consumer handlers

  /** Hands the oldest message of a consumer queue to its handler, unless one is in flight. */
  void maybeDispatch() {
    if (consuming == null && !dispatchQueued && consumerStored > 0 && cell.serving()) {
      dispatchQueued = true;
      cell.enqueue(new Task.Run(this::dispatch));
    }
  }

  private void dispatch() {
    dispatchQueued = false;
    if (consuming != null || !cell.serving()) {
      return;
    }
    for (Msg m : messages.values()) {
      if (!m.taken && cell.type.consumes(m.name)) {
        m.taken = true;
        consuming = m;
        cell.consume(new ActionInvoker.Consume(this, m, cell.type.queue(m.name).orElseThrow()));
        return;
      }
    }
  }

  /**
   * The handler for {@code m} finished (in the current turn): the message is deleted with the
   * turn's changes and a waiting client gets the output or the error.
   */
  void consumed(Msg m, Object output, Throwable error) {
    if (consuming == m) {
      consuming = null;
    }
    if (error != null) {
      cell.node.log.error("actor {}: the handler of queue '{}' failed on message {}",
          cell.record.actorId(), m.name, m.id, error);
    }
    if (messages.get(m.id) == m) {
      remove(m);
    }
    if (error != null || m.waiter == null) {
      settleWaiter(m, null, error);
      return;
    }
    Object plain;
    try {
      plain = output == null ? null : Values.fromCbor(Values.toCbor(output));
    } catch (IllegalArgumentException e) {
      settleWaiter(m, null, new IllegalStateException("the handler of queue '" + m.name
          + "' returned a value that cannot be serialized: " + e.getMessage(), e));
      return;
    }
    settleWaiter(m, plain, null);
  }

  /** The body a consumer handler declared: the message itself or its converted body. */
  Object handlerArgument(Msg m, Class<?> type) {
    if (type == QueueMessage.class) {
      return new Received(m, false);
    }
    return Values.convert(Values.fromCbor(m.body), type, "the body of a message for queue '"
        + m.name + "'");
  }

  // ---------------------------------------------------------------- views

  /** A received (or sent) message as the actor sees it. */
  private final class Received implements QueueMessage {
    private final Msg m;
    private final boolean completable;
    private Value body;

    Received(Msg m, boolean completable) {
      this.m = m;
      this.completable = completable;
    }

    @Override
    public long id() {
      return m.id;
    }

    @Override
    public String name() {
      return m.name;
    }

    @Override
    public Value body() {
      if (body == null) {
        body = PlainValue.of(Values.fromCbor(m.body));
      }
      return body;
    }

    @Override
    public Instant createdAt() {
      return Instant.ofEpochMilli(m.createdAt);
    }

    @Override
    public boolean completable() {
      return completable;
    }

    @Override
    public void complete(Object response) {
      if (!completable) {
        throw new RivetError("queue", "complete_not_configured", "Queue message " + m.id
            + " was not received as completable; receive with c.queue().completable() to"
            + " complete it");
      }
      ActorQueue.this.complete(m, response);
    }

    @Override
    public String toString() {
      return "QueueMessage[" + m.id + " " + m.name + "]";
    }
  }

  /** {@link #completable()}: the same queue, with completable receives. */
  private final class Completable implements Queue {
    @Override
    public QueueMessage send(String name, Object body) {
      return ActorQueue.this.send(name, body);
    }

    @Override
    public Optional<QueueMessage> tryNext(String... names) {
      return take(names, 1, true).stream().findFirst();
    }

    @Override
    public List<QueueMessage> tryNextBatch(int count, String... names) {
      return take(names, count, true);
    }

    @Override
    public CompletionStage<Optional<QueueMessage>> next(Duration timeout, String... names) {
      return ActorQueue.this.next(timeout, names, true);
    }

    @Override
    public Queue completable() {
      return this;
    }

    @Override
    public int size() {
      return ActorQueue.this.size();
    }
  }
}
