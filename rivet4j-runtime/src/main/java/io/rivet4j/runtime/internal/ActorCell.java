package io.rivet4j.runtime.internal;

import io.rivet4j.api.Actor;
import io.rivet4j.api.ActorClient;
import io.rivet4j.api.ActorContext;
import io.rivet4j.api.ActorHooks;
import io.rivet4j.api.Conn;
import io.rivet4j.api.Event;
import io.rivet4j.api.Key;
import io.rivet4j.api.RivetError;
import io.rivet4j.api.Schedule;
import io.rivet4j.api.ScheduledFireInfo;
import io.rivet4j.runtime.Durability;
import io.rivet4j.runtime.RuntimeClock;
import io.rivet4j.runtime.spi.ActorRecord;
import io.rivet4j.runtime.spi.KvEntry;
import io.rivet4j.runtime.spi.WriteBatch;
import io.rivet4j.runtime.spi.WriteOp;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;

/**
 * One generation of one actor: its mailbox, state, schedules, connections and lifecycle.
 *
 * <p>Concurrency: tasks run one at a time, in FIFO order, on a drain of the mailbox (a virtual
 * thread by default). Fields marked [actor] are touched only by the running task; {@link
 * #enqueue} is thread-safe. A handler returning a {@code CompletionStage} ends its turn at once;
 * its completion comes back as a task, so other tasks run while it waits.
 *
 * <p>Lifecycle: STARTING → AWAKE → STOPPING → STOPPED. Actions run in AWAKE; an action that
 * reaches a STOPPING or STOPPED cell is handed back to the node, which gives it to the next
 * generation (or fails it when the actor is destroyed). A new generation starts only after the
 * previous one is STOPPED and its last commit is durable.
 *
 * <p>Persistence: the writes of a turn (state, schedules, ...) form one atomic store batch. The
 * turn's replies and events are released, in order, after that batch and every earlier batch of
 * this actor are durable; a turn without writes releases after the actor's last pending commit.
 * In relaxed durability replies are released at once; lifecycle steps still wait for the disk.
 */
final class ActorCell implements ActorContext<Object> {
  static final int STARTING = 0;
  static final int AWAKE = 1;
  static final int STOPPING = 2;
  static final int STOPPED = 3;

  static final byte[] STATE_KEY = {0x01};
  /** How many times the actor has started (RivetKit's generation): 8 bytes, big-endian. */
  static final byte[] GENERATION_KEY = {0x01, 0x01};
  static final byte[] SCHEDULE_PREFIX = {0x02};
  static final byte[] SCHEDULE_END = {0x03};
  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
  private static final int DRAIN_BATCH = 64;
  private static final VarHandle DRAINING;

  static {
    try {
      DRAINING = MethodHandles.lookup().findVarHandle(ActorCell.class, "draining", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final Node node;
  final ActorTypeDef type;
  final ActorRecord record;
  final Key key;
  private final ActorCell previous;
  private final ConcurrentLinkedQueue<Task> mailbox = new ConcurrentLinkedQueue<>();
  final CompletableFuture<Void> terminated = new CompletableFuture<>();
  @SuppressWarnings("unused") // accessed through DRAINING
  private volatile int draining;
  volatile int phase = STARTING;
  volatile boolean destroying;
  private volatile Task.Action current;
  private volatile long currentStartedAt;
  private volatile Thread drainThread;
  private volatile boolean watchdogArmed;
  private volatile RuntimeClock.Timer watchdogTimer;

  // [actor] fields
  private Object state;
  private boolean dirty; // changed in the current turn (onStateChange pending)
  private boolean unsaved; // changed since the state was last put into a batch
  private boolean flushQueued; // relaxed mode: a flush of pending writes is scheduled
  private boolean inStateChange;
  private Object instance;
  private ActorHooks<Object> hooks = ActorTypeDef.NO_HOOKS;
  private ArrayList<WriteOp> writes;
  private ArrayList<Output> outputs;
  private CompletableFuture<Void> lastCommit = DONE;
  private CompletableFuture<Void> released = DONE; // all earlier turns' outputs released
  private ArrayList<Scheduled> schedules;
  private long alarmAt = -1;
  private RuntimeClock.Timer scheduleTimer;
  private long scheduleTimerAt = -1;
  private RuntimeClock.Timer sleepTimer;
  private RuntimeClock.Timer graceTimer;
  private Map<String, LocalConn> conns;
  private int inflight;
  private ArrayList<Task.Action> asyncPending;
  private int keepAwake;
  private long lastActivity;
  private boolean sleepRequested;
  private boolean destroyRequested;
  private boolean stopDestroy;
  private boolean stopHooksDone;
  private LocalConn currentConn;
  private boolean inlineTurn; // the running turn runs on a delivering thread, not a drain
  // Actor.stateInDatabase(): the state lives in the actor's SQLite file, not in the store
  private final boolean stateInDb;
  private long stateVersion; // [actor] bumped by every setState
  private long dbStateVersion; // [actor] the version on disk in the actor's database
  private boolean blockingUsed; // the running action used a blocking context method
  private ScheduleView scheduleView;
  private ActorKv kv;
  private ActorQueue queue;
  private long storedAlarm = -1; // the alarm as this generation last wrote (or found) it
  private io.rivet4j.runtime.internal.db.ActorDatabase database;
  private long commitSeq; // batches this generation submitted
  /** This start's number, 1 for the first; written with the next commit (or at stop). */
  volatile long generation;
  private boolean generationUnsaved; // [actor]

  /** A reply or event of a turn, released after the turn's commit. */
  interface Output {
    void release();

    default void fail(Throwable error) {}
  }

  /** One pending one-shot schedule. */
  record Scheduled(String id, long at, String action, List<Object> args) {}

  ActorCell(Node node, ActorTypeDef type, ActorRecord record, Key key, ActorCell previous) {
    this.node = node;
    this.type = type;
    this.record = record;
    this.key = key;
    this.previous = previous;
    this.stateInDb = type.definition().storesStateInDatabase();
  }

  // ---------------------------------------------------------------- mailbox

  boolean accepting() {
    return phase < STOPPING && !destroying;
  }

  void enqueue(Task task) {
    mailbox.offer(task);
    if ((int) DRAINING.getVolatile(this) == 0 && DRAINING.compareAndSet(this, 0, 1)) {
      node.executor.execute(this::drain);
    }
  }

  /**
   * As {@link #enqueue}, but runs the action right here when the thread allows it, the action is
   * {@linkplain InlineProfile eligible}, and nothing else is queued or running (so FIFO order
   * holds).
   */
  void enqueueOrRun(Task.Action a) {
    ThreadMarks marks;
    if (node.inlineTurns && a.hook == null && (marks = ThreadMarks.get()).inlineAllowed
        && marks.current == null) {
      InlineProfile p = type.inline().get(a.name);
      if (p != null && p.eligible() && phase == AWAKE
          && DRAINING.compareAndSet(this, 0, 1)) {
        if (mailbox.isEmpty()) {
          runInline(a, marks);
        } else {
          mailbox.offer(a); // earlier tasks first: drain them all on a virtual thread
          node.executor.execute(this::drain);
        }
        return;
      }
    }
    enqueue(a);
  }

  /**
   * The relaxed flush tick's turn: runs {@link #flushNow} on the calling thread when the actor is
   * idle (nothing queued or running) and its flush does no blocking work (its state is not in its
   * own database); otherwise queues it as a turn of its own. The flush runs no user code: the
   * turn that changed the state already ran {@code onStateChange}.
   */
  void flushFromTick() {
    Task.Run flush = new Task.Run(this::flushNow);
    if (!stateInDb && DRAINING.compareAndSet(this, 0, 1)) {
      if (mailbox.isEmpty()) {
        runInline(flush, ThreadMarks.get());
      } else {
        mailbox.offer(flush); // earlier tasks first
        node.executor.execute(this::drain);
      }
      return;
    }
    enqueue(flush);
  }

  /** One task on the calling thread, holding the drain flag; the rest goes to a drain. */
  private void runInline(Task t, ThreadMarks marks) {
    drainThread = Thread.currentThread();
    ActorCell outer = marks.current;
    marks.current = this;
    inlineTurn = true;
    armWatchdog();
    try {
      runTask(t);
    } finally {
      inlineTurn = false;
      drainThread = null;
      marks.current = outer;
    }
    DRAINING.setVolatile(this, 0);
    if (!mailbox.isEmpty() && DRAINING.compareAndSet(this, 0, 1)) {
      node.executor.execute(this::drain);
    }
  }

  private void drain() {
    drainThread = Thread.currentThread();
    ThreadMarks marks = ThreadMarks.get();
    ActorCell outer = marks.current; // set when an executor runs the drain on a turn's thread
    marks.current = this;
    armWatchdog();
    try {
      for (;;) {
        Task t;
        int n = 0;
        while ((t = mailbox.poll()) != null) {
          runTask(t);
          if (++n % DRAIN_BATCH == 0) {
            Thread.yield();
          }
        }
        // A volatile (not release) store: it must be ordered before the emptiness check, or an
        // enqueue that saw draining == 1 could be left in the mailbox with no drain scheduled.
        DRAINING.setVolatile(this, 0);
        if (mailbox.isEmpty() || !DRAINING.compareAndSet(this, 0, 1)) {
          return;
        }
      }
    } finally {
      drainThread = null;
      marks.current = outer;
    }
  }

  /** The actor whose turn runs on this thread, if any. */
  static ActorCell current() {
    return ThreadMarks.get().current;
  }

  /** The actor this actor's running turn is blocked waiting for (a call cycle check). */
  volatile String waitingOn;

  private void runTask(Task task) {
    if (phase == STOPPED) {
      node.redeliver(this, task);
      return;
    }
    try {
      switch (task) {
        case Task.Start s -> start(s);
        case Task.Action a -> {
          if (phase == AWAKE && !destroyRequested && !sleepRequested) {
            runAction(a);
          } else {
            node.redeliver(this, a);
          }
        }
        case Task.AsyncDone d -> asyncDone(d);
        case Task.AsyncTimeout t -> asyncTimeout(t);
        case Task.Run r -> r.body().run();
        case Task.SleepCheck s -> sleepCheck();
        case Task.FireSchedules f -> fireSchedules();
        case Task.Stop s -> beginStop(s.destroy());
        case Task.GraceTimeout g -> graceTimeout();
        case Task.Connect c -> connect(c);
        case Task.Disconnect d -> disconnect(d.conn());
        case Task.Subscribe s -> subscribe(s);
        case Task.QueueSend q -> queueSend(q);
        case Task.RawRequest r -> rawRequest(r);
        case Task.SocketOpen o -> socketOpen(o);
        case Task.SocketMessage m -> socketMessage(m);
        case Task.SocketClosed c -> socketClosed(c);
      }
    } catch (Throwable e) {
      node.log.error("actor {} ({}): task {} failed", record.actorId(), type.name(),
          task.getClass().getSimpleName(), e);
    } finally {
      currentConn = null;
    }
    if (phase == STARTING || phase == STOPPED) {
      return;
    }
    endTurn();
    if (phase == AWAKE && (sleepRequested || destroyRequested)) {
      beginStop(destroyRequested);
      endTurn();
    }
    if (phase == STOPPING) {
      tryFinishStop();
    }
    if (queue != null) {
      queue.maybeDispatch();
    }
  }

  // ---------------------------------------------------------------- start

  private void start(Task.Start s) {
    try {
      if (previous != null) {
        previous.terminated.join();
      }
      List<KvEntry> entries = List.of();
      if (type.definition().onMigrateFn().isPresent()) { // first, on every start
        Actor.Migration migration = type.definition().onMigrateFn().get();
        if (type.definition().usesMigrationTemplate()) {
          node.databases.migrate(record.actorId(), type.name(), migration);
        } else {
          node.databases.migrate(record.actorId(), migration);
        }
      }
      if (s.create()) {
        Object input = s.input();
        PlainValue inputValue = PlainValue.of(input);
        if (type.definition().createStateFn().isPresent()) {
          state = type.definition().createStateFn().get().create(this, inputValue);
        } else {
          state = type.definition().initialState().orElse(null);
        }
        if (type.definition().onCreateFn().isPresent()) {
          type.definition().onCreateFn().get().onCreate(this, inputValue);
        }
        ArrayList<WriteOp> create = new ArrayList<>();
        create.add(new WriteOp.CreateActor(record));
        generation = 1;
        create.add(new WriteOp.Put(record.actorId(), GENERATION_KEY, longBytes(1)));
        if (state != null && stateInDb) {
          actorDb().saveState(Values.toCbor(state)); // before the actor exists: no state lost
          dbStateVersion = stateVersion;
        } else if (state != null) {
          create.add(new WriteOp.Put(record.actorId(), STATE_KEY, Values.toCbor(state)));
        }
        if (writes != null) { // schedules created in createState/onCreate
          create.addAll(writes);
          writes = null;
        }
        dirty = false;
        node.store.commit(new WriteBatch(create)).join();
      } else {
        if (previous != null && node.store.findById(record.actorId()).isEmpty()) {
          throw Errors.notFound(record.actorId());
        }
        entries = node.store.list(record.actorId(), STATE_KEY, SCHEDULE_END, Integer.MAX_VALUE,
            false);
      }
      for (KvEntry e : entries) {
        if (java.util.Arrays.equals(e.key(), GENERATION_KEY)) {
          generation = java.nio.ByteBuffer.wrap(e.value()).getLong();
        } else if (e.key().length == 1 && e.key()[0] == STATE_KEY[0]) {
          state = type.stateType().isPresent()
              ? Values.fromCbor(e.value(), type.stateType().get())
              : Values.fromCbor(e.value());
        } else if (e.key()[0] == SCHEDULE_PREFIX[0]) {
          schedules().add(ScheduleCodec.decode(e.value()));
        }
      }
      if (!s.create()) {
        generation = Math.max(generation, 1) + 1; // actors from before generations count as 1
        generationUnsaved = true;
      }
      if (stateInDb && !s.create()) {
        byte[] saved = actorDb().loadState(); // wins over a store copy from before the option
        if (saved != null) {
          state = type.stateType().isPresent()
              ? Values.fromCbor(saved, type.stateType().get())
              : Values.fromCbor(saved);
        }
      }
      if (schedules != null) {
        schedules.sort(java.util.Comparator.comparingLong(Scheduled::at));
        alarmAt = schedules.isEmpty() ? -1 : schedules.get(0).at();
      }
      if (type.declaresQueues()) {
        queue().load();
      }
      if (!s.create()) {
        storedAlarm = wantedAlarm(); // what the last generation left in the store
      }
      node.cancelAlarm(record.actorId());
      for (LocalConn c : node.takeHibernated(record.actorId())) {
        attach(c);
      }
      if (type.factory().isPresent()) {
        instance = type.factory().get().apply(this);
        node.checkHooks(type, instance);
        hooks = ActorTypeDef.hooksOf(instance);
      }
      hooks.onWake();
    } catch (Throwable e) {
      failStart(s, e);
      return;
    }
    phase = AWAKE;
    lastActivity = node.clock.millis();
    endTurn(); // onWake may have changed state
    s.started().complete(null);
    node.listener.actorStarted(type.name(), key, record.actorId(), s.create());
    armSleepTimer(lastActivity + type.options().sleepTimeout().toMillis());
    rearmScheduleTimer();
  }

  private void failStart(Task.Start s, Throwable e) {
    Throwable cause = Errors.unwrap(e);
    if (!(cause instanceof RivetError re && re.code().equals("not_found"))) {
      node.log.error("actor {} ({}) failed to start", record.actorId(), type.name(), cause);
    }
    phase = STOPPED;
    if (s.create()) {
      try {
        node.databases.delete(record.actorId()); // a migration may have created it
      } catch (RuntimeException ignored) {
        // best effort: the actor was never created
      }
    }
    s.started().completeExceptionally(cause);
    RivetError toCaller = Errors.forCaller(cause, node.log, record.actorId(), "start");
    node.stopped(this);
    terminated.complete(null);
    Task t;
    while ((t = mailbox.poll()) != null) {
      if (t instanceof Task.Action a && a.reply != null) {
        a.reply.completeExceptionally(toCaller);
      } else if (t instanceof Task.Connect c) {
        c.opened().completeExceptionally(toCaller);
      }
    }
  }

  // ---------------------------------------------------------------- actions

  private void runAction(Task.Action a) {
    ActionInvoker invoker = a.hook != null ? a.hook : type.actions().get(a.name);
    lastActivity = node.clock.millis();
    if (invoker == null) {
      RivetError err = Errors.actionNotFound(type.name(), a.name);
      if (a.reply == null) {
        node.log.error("actor {}: scheduled action '{}' does not exist", record.actorId(), a.name);
        node.listener.scheduleFired(record.actorId(), a.fire.id(), a.name);
      } else {
        a.reply.completeExceptionally(err);
      }
      return;
    }
    currentConn = a.conn;
    current = a;
    currentStartedAt = node.clock.millis();
    InlineProfile profile = a.hook == null && a.reply != null ? type.inline().get(a.name) : null;
    blockingUsed = false;
    long t0 = profile != null ? System.nanoTime() : 0;
    Object out;
    try {
      out = invoker.invoke(this, instance, a.args, a.fire);
    } catch (Throwable e) {
      current = null;
      profiled(profile, a.name, t0);
      finishAction(a, null, Errors.unwrap(e));
      return;
    }
    current = null;
    profiled(profile, a.name, t0);
    if (out instanceof CompletionStage<?> stage) {
      inflight++;
      if (asyncPending == null) {
        asyncPending = new ArrayList<>(2);
      }
      asyncPending.add(a);
      long timeout = type.options().actionTimeout().toMillis();
      RuntimeClock.Timer timer = node.clock.schedule(
          Instant.ofEpochMilli(node.clock.millis() + timeout),
          () -> enqueue(new Task.AsyncTimeout(a)));
      stage.whenComplete((v, e) -> {
        timer.cancel();
        enqueue(new Task.AsyncDone(a, v, e == null ? null : Errors.unwrap(e)));
      });
      return;
    }
    finishAction(a, out, null);
  }

  private static byte[] longBytes(long v) {
    return java.nio.ByteBuffer.allocate(8).putLong(v).array();
  }

  void markBlocking() {
    blockingUsed = true;
  }

  private void profiled(InlineProfile profile, String action, long t0) {
    if (profile != null && profile.observed(System.nanoTime() - t0, blockingUsed, inlineTurn)) {
      node.log.debug("actor type {}: action '{}' runs on virtual threads from now on ({})",
          type.name(), action, blockingUsed ? "it used a blocking context method"
              : "an inline run took over " + InlineProfile.DEMOTE_NANOS / 1000 + " µs");
    }
  }

  private void asyncDone(Task.AsyncDone d) {
    Task.Action a = d.action();
    if (a.settled) {
      return;
    }
    inflight--;
    asyncPending.remove(a);
    lastActivity = node.clock.millis();
    currentConn = a.conn;
    finishAction(a, d.output(), d.error());
  }

  private void asyncTimeout(Task.AsyncTimeout t) {
    Task.Action a = t.action();
    if (a.settled) {
      return;
    }
    a.settled = true;
    inflight--;
    asyncPending.remove(a);
    RivetError err = Errors.actionTimedOut(a.name, type.options().actionTimeout());
    if (a.hook instanceof ActionInvoker.Consume k) {
      k.queue().consumed(k.message(), null, err);
      return;
    }
    if (a.reply != null) {
      a.reply.completeExceptionally(err);
    } else {
      node.log.warn("actor {}: scheduled action '{}' timed out", record.actorId(), a.name);
    }
  }

  private void finishAction(Task.Action a, Object out, Throwable error) {
    a.settled = true;
    if (a.hook instanceof ActionInvoker.Consume k) {
      k.queue().consumed(k.message(), out, error);
      return;
    }
    if (error == null && a.hook == null) {
      try {
        out = hooks.onBeforeActionResponse(a.name, a.args, out);
      } catch (Throwable e) {
        error = Errors.unwrap(e);
      }
    }
    if (a.reply == null) {
      if (error != null) {
        node.log.error("actor {}: scheduled action '{}' failed", record.actorId(), a.name, error);
      }
      String id = a.fire.id();
      queueOutput(() -> node.listener.scheduleFired(record.actorId(), id, a.name));
      return;
    }
    if (error != null) {
      RivetError toCaller = Errors.forCaller(error, node.log, record.actorId(), a.name);
      queueOutput(new Output() {
        @Override
        public void release() {
          a.reply.completeExceptionally(toCaller);
        }

        @Override
        public void fail(Throwable e) {
          a.reply.completeExceptionally(toCaller);
        }
      });
      return;
    }
    Object result = out;
    queueOutput(new Output() {
      @Override
      public void release() {
        a.reply.complete(result);
      }

      @Override
      public void fail(Throwable e) {
        a.reply.completeExceptionally(Errors.forCaller(e, node.log, record.actorId(), a.name));
      }
    });
  }

  /** Watches for a turn that runs longer than the action timeout; armed once per drain. */
  private void armWatchdog() {
    if (watchdogArmed) {
      return;
    }
    watchdogArmed = true;
    long timeout = type.options().actionTimeout().toMillis();
    watchdogTimer = node.clock.schedule(Instant.ofEpochMilli(node.clock.millis() + timeout), () -> {
      watchdogArmed = false;
      Task.Action a = current;
      if (a != null && node.clock.millis() - currentStartedAt >= timeout && a.reply != null) {
        a.reply.completeExceptionally(Errors.actionTimedOut(a.name, type.options()
            .actionTimeout()));
      }
      if (drainThread != null && phase != STOPPED) {
        armWatchdog();
      }
    });
  }

  // ---------------------------------------------------------------- end of turn

  void queueOutput(Output o) {
    if (outputs == null) {
      outputs = new ArrayList<>(2);
    }
    outputs.add(o);
  }

  /** The sequence number the current turn's batch will get. */
  long nextCommitSeq() {
    return commitSeq + 1;
  }

  void addWrite(WriteOp op) {
    checkActorThread();
    writes().add(op);
  }

  private ArrayList<WriteOp> writes() {
    if (writes == null) {
      writes = new ArrayList<>(2);
    }
    return writes;
  }

  /** Ends a turn: durable mode commits its writes now; relaxed mode schedules a flush. */
  private void endTurn() {
    endTurn(node.durability == Durability.DURABLE);
  }

  /** Relaxed mode's periodic flush of the writes of earlier turns. */
  void flushNow() {
    flushQueued = false;
    if (phase == STOPPED) {
      return;
    }
    if (!lastCommit.isDone()) { // at most one flush in flight per actor: wait for the next tick
      flushQueued = true;
      node.scheduleFlush(this);
      return;
    }
    endTurn(true);
  }

  /** Commits (or schedules) the turn's writes and releases its outputs after the commit. */
  private void endTurn(boolean commitNow) {
    if (dirty) {
      dirty = false;
      unsaved = true;
      if (!inStateChange) {
        inStateChange = true;
        try {
          hooks.onStateChange(state);
        } catch (Throwable e) {
          node.log.error("actor {}: onStateChange failed", record.actorId(), e);
        } finally {
          inStateChange = false;
        }
      }
    }
    CompletableFuture<Void> dbFailure = null;
    if (stateInDb) {
      unsaved = false; // never written to the store
      if (commitNow && stateVersion != dbStateVersion) {
        long v = stateVersion;
        try {
          actorDb().saveState(Values.toCbor(state));
          dbStateVersion = v;
        } catch (Throwable e) {
          node.logThrottled("saving state to the actor's database failed; retrying",
              record.actorId(), e);
          dbFailure = CompletableFuture.failedFuture(e);
        }
      }
    }
    boolean pending = unsaved || (writes != null && !writes.isEmpty())
        || (stateInDb && stateVersion != dbStateVersion && dbFailure == null);
    CompletableFuture<Void> barrier;
    if (pending && commitNow) {
      if (generationUnsaved) {
        generationUnsaved = false;
        writes().add(new WriteOp.Put(record.actorId(), GENERATION_KEY, longBytes(generation)));
      }
      if (unsaved) {
        unsaved = false;
        writes().add(new WriteOp.Put(record.actorId(), STATE_KEY, Values.toCbor(state)));
      }
      CompletableFuture<Void> commit = node.store.commit(new WriteBatch(writes));
      writes = null;
      long seq = ++commitSeq;
      ActorKv k = kv;
      if (k != null && k.hasPending(seq)) {
        commit.whenComplete((v, e) -> {
          if (e == null) {
            k.durable(seq);
          } else {
            enqueue(new Task.Run(() -> k.failed(seq)));
          }
        });
      }
      ActorQueue q = queue != null && queue.hasPending(seq) ? queue : null;
      if (state != null || q != null) {
        boolean hasState = state != null;
        commit.whenComplete((v, e) -> {
          if (e == null) {
            if (q != null) {
              q.durable(seq);
            }
            return;
          }
          node.logThrottled("saving state failed; retrying", record.actorId(), e);
          enqueue(new Task.Run(() -> { // one retry batch: the state with the queue's changes
            dirty = dirty || hasState;
            if (q != null) {
              q.failed(seq);
              writes().add(new WriteOp.SetAlarm(record.actorId(), storedAlarm));
            }
          }));
        });
      }
      lastCommit = commit;
      barrier = node.durability == Durability.DURABLE ? commit : DONE;
    } else {
      if (pending && !flushQueued) {
        flushQueued = true;
        node.scheduleFlush(this);
      }
      if (lastCommit != DONE && lastCommit.isDone()) {
        lastCommit = DONE;
      }
      barrier = node.durability == Durability.DURABLE ? lastCommit : DONE;
    }
    if (dbFailure != null) {
      barrier = dbFailure;
    }
    if (outputs == null) {
      return;
    }
    ArrayList<Output> outs = outputs;
    outputs = null;
    if (released != DONE && released.isDone()) {
      released = DONE;
    }
    if (released == DONE && barrier.isDone() && !barrier.isCompletedExceptionally()) {
      release(outs, null);
      return;
    }
    // Outputs leave in turn order: after this turn's barrier and after every earlier turn's
    // outputs (dependents of one future run in no particular order, so chain them).
    CompletableFuture<Void> previousRelease = released;
    CompletableFuture<Void> mine = new CompletableFuture<>();
    released = mine;
    barrier.whenComplete((v, e) -> previousRelease.whenComplete((v2, e2) -> {
      release(outs, e);
      mine.complete(null);
    }));
  }

  private void release(List<Output> outs, Throwable commitError) {
    for (Output o : outs) {
      try {
        if (commitError == null) {
          o.release();
        } else {
          o.fail(Errors.unwrap(commitError));
        }
      } catch (Throwable e) {
        node.log.error("actor {}: releasing a reply failed", record.actorId(), e);
      }
    }
  }

  /** Commits pending writes now and waits until they (and all earlier ones) are durable. */
  private void flushAndWait() {
    endTurn(true);
    lastCommit.join();
  }

  // ---------------------------------------------------------------- sleep and stop

  private void armSleepTimer(long atMillis) {
    if (type.options().noSleep()) {
      return;
    }
    if (sleepTimer != null) {
      sleepTimer.cancel();
    }
    sleepTimer = node.clock.schedule(Instant.ofEpochMilli(atMillis),
        () -> enqueue(new Task.SleepCheck()));
  }

  private boolean busy() {
    return inflight > 0 || keepAwake > 0 || (conns != null && !conns.isEmpty())
        || (queue != null && queue.hasConsumerWork());
  }

  private void sleepCheck() {
    if (phase != AWAKE) {
      return;
    }
    long now = node.clock.millis();
    long timeout = type.options().sleepTimeout().toMillis();
    if (busy()) {
      armSleepTimer(now + timeout);
    } else if (now >= lastActivity + timeout) {
      sleepRequested = true;
    } else {
      armSleepTimer(lastActivity + timeout);
    }
  }

  private void beginStop(boolean destroy) {
    if (phase != AWAKE) {
      if (destroy && phase == STOPPING && !stopDestroy) {
        stopDestroy = true; // destroy() after sleep() escalates
        destroying = true;
      }
      return;
    }
    phase = STOPPING;
    stopDestroy = destroy;
    destroying = destroy;
    cancelTimers();
    long grace = type.options().sleepGracePeriod().toMillis();
    graceTimer = node.clock.schedule(Instant.ofEpochMilli(node.clock.millis() + grace),
        () -> enqueue(new Task.GraceTimeout()));
    if (queue != null) {
      queue.abortReceivers();
    }
    try {
      if (destroy) {
        hooks.onDestroy();
      } else {
        hooks.onSleep();
      }
    } catch (Throwable e) {
      node.log.error("actor {}: {} failed", record.actorId(), destroy ? "onDestroy" : "onSleep",
          e);
    }
    stopHooksDone = true;
  }

  private void tryFinishStop() {
    if (phase == STOPPING && stopHooksDone && inflight == 0 && keepAwake == 0) {
      finishStop();
    }
  }

  private void graceTimeout() {
    if (phase != STOPPING) {
      return;
    }
    node.log.warn("actor {}: sleep grace period ran out with {} action(s) in flight",
        record.actorId(), inflight);
    if (asyncPending != null) {
      for (Task.Action a : asyncPending) {
        a.settled = true;
        if (a.reply != null) {
          a.reply.completeExceptionally(new RivetError("actor", "stopping", "actor "
              + record.actorId() + " stopped before action '" + a.name + "' finished"));
        }
      }
      asyncPending = null;
    }
    inflight = 0;
    keepAwake = 0;
    finishStop();
  }

  private void finishStop() {
    if (graceTimer != null) {
      graceTimer.cancel();
    }
    boolean destroy = stopDestroy;
    if (queue != null) {
      queue.dropWaiters();
    }
    if (conns != null) {
      for (LocalConn c : new ArrayList<>(conns.values())) {
        if (destroy || !c.hibernatable) {
          String reason = destroy ? "actor.destroyed" : "actor.stopping";
          if (c.raw != null) {
            c.raw.closedBy(1001, reason);
          }
          disconnect(c);
          queueOutput(() -> c.notifyClosed(reason));
        } else {
          node.hibernate(record.actorId(), c);
        }
      }
    }
    if (!destroy && generationUnsaved) {
      generationUnsaved = false;
      writes().add(new WriteOp.Put(record.actorId(), GENERATION_KEY, longBytes(generation)));
    }
    if (destroy) {
      writes = null;
      dirty = false;
      unsaved = false;
      writes().add(new WriteOp.DestroyActor(record.actorId()));
    }
    try {
      flushAndWait();
    } catch (Throwable e) {
      node.log.error("actor {}: final save failed", record.actorId(), e);
    }
    phase = STOPPED;
    cancelTimers();
    instance = null;
    try {
      if (destroy) {
        node.databases.delete(record.actorId());
      } else {
        node.databases.closeIdle(record.actorId());
      }
    } catch (RuntimeException e) {
      node.log.error("actor {}: closing its database failed", record.actorId(), e);
    }
    node.stopped(this);
    if (!destroy && storedAlarm >= 0) {
      node.armAlarm(record.actorId(), type.name(), storedAlarm);
    }
    terminated.complete(null);
    if (destroy) {
      node.listener.actorDestroyed(type.name(), key, record.actorId());
    } else {
      node.listener.actorSlept(type.name(), key, record.actorId());
    }
  }

  private void cancelTimers() {
    RuntimeClock.Timer w = watchdogTimer;
    if (w != null) {
      w.cancel();
    }
    if (sleepTimer != null) {
      sleepTimer.cancel();
      sleepTimer = null;
    }
    if (scheduleTimer != null) {
      scheduleTimer.cancel();
      scheduleTimer = null;
      scheduleTimerAt = -1;
    }
  }

  // ---------------------------------------------------------------- schedules

  private ArrayList<Scheduled> schedules() {
    if (schedules == null) {
      schedules = new ArrayList<>(2);
    }
    return schedules;
  }

  String addSchedule(long at, String action, List<Object> args) {
    checkActorThread();
    if (schedules != null && schedules.size() >= type.options().maxSchedules()) {
      throw new RivetError("schedule", "max_schedules_exceeded", "actor " + record.actorId()
          + " already has " + schedules.size() + " pending schedules (maxSchedules = "
          + type.options().maxSchedules() + "); cancel some or raise maxSchedules");
    }
    Scheduled s = new Scheduled(java.util.UUID.randomUUID().toString(), at, action,
        List.copyOf(new ArrayList<>(args)) );
    byte[] value = ScheduleCodec.encode(s);
    ArrayList<Scheduled> list = schedules();
    int i = 0;
    while (i < list.size() && list.get(i).at() <= at) {
      i++;
    }
    list.add(i, s);
    writes().add(new WriteOp.Put(record.actorId(), ScheduleCodec.key(s.id()), value));
    updateAlarm();
    return s.id();
  }

  boolean cancelSchedule(String id) {
    checkActorThread();
    if (schedules == null) {
      return false;
    }
    for (int i = 0; i < schedules.size(); i++) {
      if (schedules.get(i).id().equals(id)) {
        schedules.remove(i);
        writes().add(new WriteOp.Delete(record.actorId(), ScheduleCodec.key(id)));
        updateAlarm();
        return true;
      }
    }
    return false;
  }

  List<Scheduled> scheduleList() {
    return schedules == null ? List.of() : List.copyOf(schedules);
  }

  /**
   * Brings the stored alarm up to date with the next schedule and the queue: an actor holding
   * messages for its consumer handlers asks to be woken at once (after a crash or a sleep).
   */
  void updateAlarm() {
    alarmAt = schedules == null || schedules.isEmpty() ? -1 : schedules.get(0).at();
    long wanted = wantedAlarm();
    if (wanted != storedAlarm) {
      storedAlarm = wanted;
      writes().add(new WriteOp.SetAlarm(record.actorId(), wanted));
    }
    if (phase == AWAKE) {
      rearmScheduleTimer();
    }
  }

  private long wantedAlarm() {
    return queue != null && queue.hasConsumerWork() ? 0 : alarmAt;
  }

  private void rearmScheduleTimer() {
    if (alarmAt == scheduleTimerAt) {
      return;
    }
    if (scheduleTimer != null) {
      scheduleTimer.cancel();
      scheduleTimer = null;
    }
    scheduleTimerAt = alarmAt;
    if (alarmAt >= 0) {
      scheduleTimer = node.clock.schedule(Instant.ofEpochMilli(alarmAt), () -> {
        enqueue(new Task.FireSchedules());
      });
    }
  }

  private void fireSchedules() {
    if (phase != AWAKE) {
      return;
    }
    scheduleTimer = null;
    scheduleTimerAt = -1;
    long now = node.clock.millis();
    List<Scheduled> due = new ArrayList<>();
    while (schedules != null && !schedules.isEmpty() && schedules.get(0).at() <= now) {
      Scheduled s = schedules.remove(0);
      due.add(s);
      writes().add(new WriteOp.Delete(record.actorId(), ScheduleCodec.key(s.id())));
    }
    updateAlarm();
    if (due.isEmpty()) {
      return;
    }
    flushAndWait(); // at most once: the claim is durable before any action runs
    for (Scheduled s : due) {
      ScheduledFireInfo info = new ScheduledFireInfo("at", s.id(), Instant.ofEpochMilli(s.at()),
          Instant.ofEpochMilli(now));
      runAction(new Task.Action(s.action(), new ArrayList<>(s.args()), null, null, info));
      endTurn();
    }
  }

  // ---------------------------------------------------------------- connections

  private void connect(Task.Connect c) {
    if (phase != AWAKE || destroyRequested || sleepRequested) {
      node.redeliver(this, c);
      return;
    }
    RivetError refused = runConnectHooks(c.conn());
    if (refused != null) {
      c.opened().completeExceptionally(refused);
      return;
    }
    queueOutput(() -> c.opened().complete(null));
  }

  /**
   * onBeforeConnect, createConnState, attach, onConnect; null when the connection is in
   * {@code c.conns()}, else why it was refused (already caller-facing).
   */
  private RivetError runConnectHooks(LocalConn conn) {
    try {
      currentConn = conn;
      hooks.onBeforeConnect(conn.params());
      Object connState = hooks.createConnState(conn.params());
      if (connState != null) {
        conn.setState(connState);
      }
    } catch (Throwable e) {
      return Errors.forCaller(Errors.unwrap(e), node.log, record.actorId(), "connect");
    }
    attach(conn);
    try {
      hooks.onConnect(conn);
    } catch (Throwable e) {
      conns.remove(conn.id());
      conn.cell = null;
      return Errors.forCaller(Errors.unwrap(e), node.log, record.actorId(), "connect");
    }
    return null;
  }

  boolean serving() {
    return phase == AWAKE && !destroyRequested && !sleepRequested;
  }

  /** Connect hooks, then the message is stored (see {@link ActorQueue#publish}). */
  private void queueSend(Task.QueueSend q) {
    if (!serving()) {
      node.redeliver(this, q);
      return;
    }
    lastActivity = node.clock.millis();
    RivetError refused = runConnectHooks(q.conn());
    if (refused != null) {
      queueOutput(() -> q.reply().completeExceptionally(refused));
      return;
    }
    currentConn = q.conn();
    try {
      queue().publish(q);
    } catch (Throwable e) {
      RivetError toCaller = Errors.forCaller(Errors.unwrap(e), node.log, record.actorId(),
          "queue send");
      queueOutput(() -> q.reply().completeExceptionally(toCaller));
    }
  }

  /** Runs a queue consumer handler on one message, as an action without a caller. */
  void consume(ActionInvoker.Consume k) {
    runAction(new Task.Action(k.message().name, List.of(), new CompletableFuture<>(), null, null,
        k));
  }

  /** Connect hooks, then {@code onRequest} as an action; the connection ends with the reply. */
  private void rawRequest(Task.RawRequest r) {
    if (!serving()) {
      node.redeliver(this, r);
      return;
    }
    lastActivity = node.clock.millis();
    if (!ActorTypeDef.handles(ActorTypeDef.HANDLES_REQUESTS, instance)) {
      queueOutput(() -> r.reply().complete(io.rivet4j.api.Response.status(404)));
      return;
    }
    LocalConn conn = r.conn();
    RivetError refused = runConnectHooks(conn);
    if (refused != null) {
      queueOutput(() -> r.reply().completeExceptionally(refused));
      return;
    }
    CompletableFuture<Object> done = new CompletableFuture<>();
    done.whenComplete((out, e) -> {
      enqueue(new Task.Disconnect(conn));
      if (e != null) {
        r.reply().completeExceptionally(e);
      } else {
        r.reply().complete((io.rivet4j.api.Response) out);
      }
    });
    runAction(new Task.Action("onRequest", List.of(), done, conn, null,
        new ActionInvoker.OnRequest(r.request())));
  }

  private void socketOpen(Task.SocketOpen o) {
    if (!serving()) {
      node.redeliver(this, o);
      return;
    }
    lastActivity = node.clock.millis();
    RawSocket socket = o.socket();
    RivetError refused = runConnectHooks(socket.conn);
    if (refused != null) {
      o.opened().completeExceptionally(refused);
      return;
    }
    if (socket.conn.closed) { // the peer left while the hooks ran
      socket.closedBy(1006, "");
      disconnect(socket.conn);
      o.opened().completeExceptionally(new RivetError("actor", "connection_closed",
          "the WebSocket closed before it opened"));
      return;
    }
    queueOutput(() -> o.opened().complete(null));
    try {
      hooks.onWebSocket(socket);
    } catch (Throwable e) {
      node.log.error("actor {}: onWebSocket failed", record.actorId(), Errors.unwrap(e));
      if (socket.isOpen()) {
        socket.closedBy(1011, "rivetkit.internal_error");
        queueOutput(() -> socket.conn.notifyClosed(null));
      }
    }
  }

  private void socketMessage(Task.SocketMessage m) {
    try {
      RawSocket socket = m.socket();
      if (conns == null || conns.get(socket.conn.id()) != socket.conn || !socket.isOpen()) {
        return;
      }
      lastActivity = node.clock.millis();
      currentConn = socket.conn;
      socket.fireMessage(m.message(), node.log, record.actorId());
    } finally {
      m.done().run();
    }
  }

  private void socketClosed(Task.SocketClosed c) {
    c.socket().closedBy(c.code(), c.reason());
    disconnect(c.socket().conn);
  }

  /** Adds a connection without hooks (new, or restored after sleep). */
  void attach(LocalConn conn) {
    if (conns == null) {
      conns = new LinkedHashMap<>();
    }
    conns.put(conn.id(), conn);
    conn.cell = this;
    lastActivity = node.clock.millis();
  }

  private void disconnect(LocalConn conn) {
    if (conns == null || conns.remove(conn.id()) == null) {
      return;
    }
    conn.closed = true;
    conn.cell = null;
    lastActivity = node.clock.millis();
    if (conn.raw != null) {
      currentConn = conn;
      conn.raw.fireClose(node.log, record.actorId());
    }
    try {
      hooks.onDisconnect(conn);
    } catch (Throwable e) {
      node.log.error("actor {}: onDisconnect failed", record.actorId(), e);
    }
    if (phase == AWAKE && !busy()) {
      armSleepTimer(lastActivity + type.options().sleepTimeout().toMillis());
    }
  }

  private void subscribe(Task.Subscribe s) {
    if (s.subscribe()) {
      s.conn().subscriptions.add(s.event());
    } else {
      s.conn().subscriptions.remove(s.event());
    }
  }

  // ---------------------------------------------------------------- ActorContext

  void checkActorThread() {
    if (phase == STOPPED) {
      throw new RivetError("actor", "stopping", "actor " + record.actorId()
          + " has stopped; its context cannot be used any more");
    }
  }

  @Override
  public String actorId() {
    return record.actorId();
  }

  @Override
  public String name() {
    return type.name();
  }

  @Override
  public Key key() {
    return key;
  }

  @Override
  public Optional<String> region() {
    return Optional.empty();
  }

  @Override
  public Object state() {
    if (type.stateType().isEmpty() && state == null) {
      throw new RivetError("actor", "state_not_enabled", "actor '" + type.name()
          + "' has no state: declare initialState(...) or createState(...) on its definition");
    }
    return state;
  }

  @Override
  public void setState(Object newState) {
    if (inStateChange) {
      throw new RivetError("actor", "state_mutation_reentrant",
          "state cannot be changed inside onStateChange");
    }
    if (type.stateType().isEmpty()) {
      state();
    }
    state = newState;
    dirty = true;
    stateVersion++;
  }

  @Override
  public void saveState() {
    if (inStateChange) {
      throw new RivetError("actor", "state_mutation_reentrant",
          "state cannot be saved inside onStateChange");
    }
    dirty = true;
    blockingUsed = true;
    flushAndWait();
  }

  @Override
  public <T> void broadcast(Event<T> event, T payload) {
    broadcast(event.name(), payload);
  }

  @Override
  public void broadcast(String event, Object... args) {
    List<Object> list = Values.list(args);
    if (conns != null) {
      for (LocalConn c : conns.values()) {
        if (c.subscriptions.contains(event)) {
          queueOutput(() -> c.deliver(event, list));
        }
      }
    }
  }

  @Override
  public Collection<Conn> conns() {
    return conns == null ? List.of() : Collections.unmodifiableCollection(conns.values());
  }

  @Override
  public Optional<Conn> conn() {
    return Optional.ofNullable(currentConn);
  }

  @Override
  public Schedule schedule() {
    if (scheduleView == null) {
      scheduleView = new ScheduleView(this);
    }
    return scheduleView;
  }

  @Override
  public io.rivet4j.api.Kv kv() {
    if (kv == null) {
      kv = new ActorKv(this);
    }
    return kv;
  }

  @Override
  public ActorQueue queue() {
    if (queue == null) {
      queue = new ActorQueue(this);
    }
    queue.load();
    return queue;
  }

  @Override
  public io.rivet4j.api.Database db() {
    return actorDb();
  }

  private io.rivet4j.runtime.internal.db.ActorDatabase actorDb() {
    if (database == null) {
      database = node.databases.forActor(record.actorId(), stateInDb ? stateHook : null);
    }
    return database;
  }

  /** Transactions of an actor whose state lives in its database carry the state. */
  private final io.rivet4j.runtime.internal.db.StateHook stateHook =
      new io.rivet4j.runtime.internal.db.StateHook() {
        private void onActor() {
          if (ActorCell.current() != ActorCell.this) {
            throw new RivetError("sqlite", "invalid_usage", "actor " + record.actorId()
                + " keeps its state in its database: run transactions in its own turns (an"
                + " action, a hook, or a task of c.executor())");
          }
        }

        @Override
        public Object snapshot() {
          onActor();
          return new Object[] {state, stateVersion, dirty};
        }

        @Override
        public void restore(Object snapshot) {
          Object[] s = (Object[]) snapshot;
          state = s[0];
          stateVersion = (Long) s[1];
          dirty = (Boolean) s[2];
        }

        @Override
        public Pending pending() {
          onActor();
          return stateVersion == dbStateVersion ? null
              : new Pending(Values.toCbor(state), stateVersion);
        }

        @Override
        public void committed(long version) {
          dbStateVersion = Math.max(dbStateVersion, version);
        }
      };

  @Override
  public ActorClient client() {
    return node.client;
  }

  @Override
  public void sleep() {
    if (phase == STARTING) {
      throw new RivetError("actor", "starting", "sleep() cannot be called before the actor"
          + " has started (e.g. in createState or onCreate)");
    }
    sleepRequested = true;
  }

  @Override
  public void destroy() {
    if (phase == STARTING) {
      throw new RivetError("actor", "starting", "destroy() cannot be called before the actor"
          + " has started (e.g. in createState or onCreate)");
    }
    if (destroyRequested) {
      throw new RivetError("actor", "stopping", "destroy() was already called");
    }
    destroyRequested = true;
    destroying = true;
  }

  @Override
  public <T> CompletionStage<T> keepAwake(CompletionStage<T> work) {
    keepAwake++;
    work.whenComplete((v, e) -> enqueue(new Task.Run(() -> {
      keepAwake--;
      lastActivity = node.clock.millis();
    })));
    return work;
  }

  @Override
  public Executor executor() {
    return r -> enqueue(new Task.Run(r));
  }

  @Override
  public boolean aborted() {
    return phase >= STOPPING;
  }

  @Override
  public System.Logger log() {
    return System.getLogger("io.rivet4j.actor." + type.name());
  }

  @Override
  public InstantSource clock() {
    return node.clock;
  }
}
