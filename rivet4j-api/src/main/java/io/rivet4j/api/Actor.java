package io.rivet4j.api;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * An actor definition: the typed form ({@link #of}) maps the methods of a contract interface to
 * actions; the builder form ({@link #builder}) names actions one by one. Both end up in a
 * {@code Registry}, which validates them.
 *
 * <pre>{@code
 * Actor.of(Counter.class, CounterActor::new).initialState(new CounterState(0))
 * Actor.<Long>builder("counter").initialState(0L).action("get", (c, args) -> c.state())
 * }</pre>
 *
 * @param <S> the durable state type
 */
public final class Actor<S> {
  /** Computes the initial state on first creation from the creation input. */
  @FunctionalInterface
  public interface CreateState<S> {
    S create(ActorContext<S> c, Value input) throws Exception;
  }

  /** Runs once, on first creation, after the initial state exists. */
  @FunctionalInterface
  public interface OnCreate<S> {
    void onCreate(ActorContext<S> c, Value input) throws Exception;
  }

  /**
   * Decides whether a client's queue send may publish (RivetKit's {@code canPublish}); {@code
   * c.conn()} is the sender's connection. False refuses it with {@code auth.forbidden}.
   */
  @FunctionalInterface
  public interface CanPublish<S> {
    boolean canPublish(ActorContext<S> c) throws Exception;
  }

  /** A declared queue: its name, and its consumer handler and publish check, if any. */
  public static final class QueueDeclaration<S> {
    private final String name;
    private final Class<?> bodyType;
    private final QueueHandler<S, ?> handler;
    private CanPublish<S> canPublish;

    private QueueDeclaration(String name, Class<?> bodyType, QueueHandler<S, ?> handler) {
      this.name = name;
      this.bodyType = bodyType;
      this.handler = handler;
    }

    public String name() {
      return name;
    }

    /** The body type the handler takes, when there is a handler. */
    public Optional<Class<?>> bodyType() {
      return Optional.ofNullable(bodyType);
    }

    public Optional<QueueHandler<S, ?>> handler() {
      return Optional.ofNullable(handler);
    }

    public Optional<CanPublish<S>> canPublish() {
      return Optional.ofNullable(canPublish);
    }
  }

  /** Brings the actor's database schema up to date; runs before any other hook on every start. */
  @FunctionalInterface
  public interface Migration {
    void migrate(Database db) throws Exception;
  }

  private final String name;
  private final Class<?> contract;
  private final Function<ActorContext<S>, ?> factory;
  private final Map<String, ActionHandler<S>> actions = new LinkedHashMap<>();
  private final java.util.List<String> duplicateActions = new java.util.ArrayList<>();
  private final Map<String, QueueDeclaration<S>> queues = new LinkedHashMap<>();
  private final java.util.List<String> problems = new java.util.ArrayList<>();
  private Class<S> stateType;
  private S initialState;
  private CreateState<S> createState;
  private OnCreate<S> onCreate;
  private Migration onMigrate;
  private boolean stateInDatabase;
  private boolean migrationTemplate = true;
  private ActorOptions options = ActorOptions.DEFAULTS;

  private Actor(String name, Class<?> contract, Function<ActorContext<S>, ?> factory) {
    this.name = name;
    this.contract = contract;
    this.factory = factory;
  }

  /**
   * The typed form: every method of {@code contract} is an action implemented by the instance
   * {@code factory} builds on each start. The instance may implement {@link ActorHooks}.
   */
  public static <T, S> Actor<S> of(Class<T> contract, Function<ActorContext<S>, ? extends T> factory) {
    Objects.requireNonNull(factory, "factory");
    return new Actor<>(ActorTypes.nameOf(contract), contract, factory);
  }

  /** The builder form: actions are added with {@link #action}. */
  public static <S> Actor<S> builder(String name) {
    return new Actor<>(Objects.requireNonNull(name, "name"), null, null);
  }

  /**
   * The builder form with an instance built on every start: its fields are the vars, and it may
   * implement {@link ActorHooks}.
   */
  public static <S> Actor<S> builder(String name, Function<ActorContext<S>, ?> instance) {
    return new Actor<>(Objects.requireNonNull(name, "name"), null, Objects.requireNonNull(instance));
  }

  /** Static initial state, used on first creation. Immutable values (records) are shared as is. */
  @SuppressWarnings("unchecked")
  public Actor<S> initialState(S state) {
    Objects.requireNonNull(state, "state");
    this.initialState = state;
    if (stateType == null) {
      this.stateType = (Class<S>) state.getClass();
    }
    return this;
  }

  /** Initial state computed from the creation input, once, on first creation. */
  public Actor<S> createState(Class<S> type, CreateState<S> createState) {
    this.stateType = Objects.requireNonNull(type, "type");
    this.createState = Objects.requireNonNull(createState, "createState");
    return this;
  }

  /** Declares the state type explicitly (needed when the initial state's class is a subtype). */
  public Actor<S> stateType(Class<S> type) {
    this.stateType = Objects.requireNonNull(type, "type");
    return this;
  }

  public Actor<S> onCreate(OnCreate<S> onCreate) {
    this.onCreate = Objects.requireNonNull(onCreate, "onCreate");
    return this;
  }

  /**
   * Declares the database schema step: {@code migration} runs in one transaction before any
   * other hook on every start (so it must be repeatable, e.g. {@code CREATE TABLE IF NOT
   * EXISTS}).
   *
   * <p>New actors' databases are made ahead of time from a template: the runtime runs {@code
   * migration} on blank databases (up to three times per actor type and node, in the
   * background) and, if it only makes schema (no rows), gives the same file twice and writes
   * nothing when run again, new actors start from copies of its result, so their first start
   * commits nothing (no fsync). So the migration should depend on its database only; if it has
   * other effects, or to migrate every new database on its own, use {@link
   * #noMigrationTemplate()}.
   */
  public Actor<S> onMigrate(Migration migration) {
    this.onMigrate = Objects.requireNonNull(migration, "migration");
    return this;
  }

  /**
   * Keeps the actor's state in its own SQLite database ({@code c.db()}) instead of the node's
   * store, so that a {@link Database#transaction} that changes the state commits both together:
   * the SQL and the state are on disk both or neither, and when the transaction rolls back the
   * state is put back as it was when it began (so keep the state immutable, e.g. records, and
   * change it with {@code setState}/{@code updateState}). Outside transactions the state is
   * written to the database at the end of each turn that changed it, before the turn's replies
   * leave (one SQLite commit per such turn instead of the store's group commit). KV entries, queue
   * messages and schedules stay in the store and commit with the turn as usual. Transactions that change the
   * state must run in the actor's turns.
   */
  public Actor<S> stateInDatabase() {
    this.stateInDatabase = true;
    return this;
  }

  /**
   * Turns off the migration template of {@link #onMigrate}: {@code migration} runs only on this
   * type's actors' own databases (a new actor's first start then commits its schema itself).
   */
  public Actor<S> noMigrationTemplate() {
    this.migrationTemplate = false;
    return this;
  }

  /** Adds a builder-form action. */
  public Actor<S> action(String actionName, ActionHandler<S> handler) {
    Objects.requireNonNull(actionName, "actionName");
    Objects.requireNonNull(handler, "handler");
    if (actions.putIfAbsent(actionName, handler) != null) {
      duplicateActions.add(actionName);
    }
    return this;
  }

  /**
   * Declares a queue that clients may send to ({@code handle.send(name, body)}); the actor
   * receives its messages with {@code c.queue()}. Sends from clients to undeclared names are
   * acknowledged and dropped, as RivetKit does.
   */
  public Actor<S> queue(String queueName) {
    return declare(new QueueDeclaration<>(Objects.requireNonNull(queueName, "queueName"), null,
        null));
  }

  /**
   * Declares a queue whose messages the runtime hands to {@code handler}, one turn per message
   * in FIFO order (see {@link QueueHandler}); {@code bodyType} is {@link QueueMessage} to receive
   * the whole message. An actor with undelivered messages for a handler is woken to process them.
   */
  public <T> Actor<S> queue(String queueName, Class<T> bodyType, QueueHandler<S, T> handler) {
    return declare(new QueueDeclaration<>(Objects.requireNonNull(queueName, "queueName"),
        Objects.requireNonNull(bodyType, "bodyType"), Objects.requireNonNull(handler,
            "handler")));
  }

  /** Checks client sends to the declared queue {@code queueName} (RivetKit's canPublish). */
  public Actor<S> canPublish(String queueName, CanPublish<S> check) {
    Objects.requireNonNull(check, "check");
    QueueDeclaration<S> q = queues.get(queueName);
    if (q == null) {
      problems.add("canPublish(\"" + queueName + "\", ...) names a queue that is not declared:"
          + " declare it with queue(\"" + queueName + "\") first");
    } else {
      q.canPublish = check;
    }
    return this;
  }

  private Actor<S> declare(QueueDeclaration<S> q) {
    if (queues.putIfAbsent(q.name, q) != null) {
      problems.add("queue '" + q.name + "' is declared more than once");
    }
    return this;
  }

  public Actor<S> options(UnaryOperator<ActorOptions> change) {
    this.options = Objects.requireNonNull(change.apply(options), "options");
    return this;
  }

  public Actor<S> sleepTimeout(Duration d) {
    return options(o -> o.withSleepTimeout(d));
  }

  public Actor<S> actionTimeout(Duration d) {
    return options(o -> o.withActionTimeout(d));
  }

  public Actor<S> sleepGracePeriod(Duration d) {
    return options(o -> o.withSleepGracePeriod(d));
  }

  // ---- read by the runtime ----

  public String name() {
    return name;
  }

  public Optional<Class<?>> contract() {
    return Optional.ofNullable(contract);
  }

  public Optional<Function<ActorContext<S>, ?>> factory() {
    return Optional.ofNullable(factory);
  }

  public Map<String, ActionHandler<S>> actions() {
    return Collections.unmodifiableMap(actions);
  }

  /** The declared queues, in declaration order. */
  public Map<String, QueueDeclaration<S>> queues() {
    return Collections.unmodifiableMap(queues);
  }

  /** Mistakes in the queue declarations, for the registry to report. */
  public java.util.List<String> queueProblems() {
    return java.util.List.copyOf(problems);
  }

  /** Action names added more than once with {@link #action}. */
  public java.util.List<String> duplicateActions() {
    return java.util.List.copyOf(duplicateActions);
  }

  public Optional<Class<S>> stateType() {
    return Optional.ofNullable(stateType);
  }

  public Optional<S> initialState() {
    return Optional.ofNullable(initialState);
  }

  public Optional<CreateState<S>> createStateFn() {
    return Optional.ofNullable(createState);
  }

  public Optional<OnCreate<S>> onCreateFn() {
    return Optional.ofNullable(onCreate);
  }

  public ActorOptions options() {
    return options;
  }

  public Optional<Migration> onMigrateFn() {
    return Optional.ofNullable(onMigrate);
  }

  /** See {@link #noMigrationTemplate()}. */
  public boolean usesMigrationTemplate() {
    return migrationTemplate;
  }

  /** See {@link #stateInDatabase()}. */
  public boolean storesStateInDatabase() {
    return stateInDatabase;
  }
}
