package io.rivet4j.client;

import io.rivet4j.api.ActorClient;
import io.rivet4j.api.ActorHandle;
import io.rivet4j.api.ActorTypes;
import io.rivet4j.api.Key;
import io.rivet4j.client.internal.ClientConfig;
import io.rivet4j.client.internal.NetworkClient;
import io.rivet4j.protocol.Encoding;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * A client of a Rivet server, speaking RivetKit 2.3.19's client protocol as
 * {@code rivetkit/client} does (same gateway URLs, REST calls, encodings, retries and
 * reconnection).
 *
 * <pre>{@code
 * try (RivetClient client = RivetClient.create("http://127.0.0.1:6420")) {
 *   Counter counter = client.getOrCreate(Counter.class, Key.of("my-counter"));
 *   counter.increment(5);
 * }
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} disposes every connection and releases the client's sockets
 * and threads; afterwards every call fails with {@code client.closed}.
 */
public interface RivetClient extends ActorClient, AutoCloseable {
  /**
   * A client of {@code $RIVET_ENDPOINT} (or {@code http://127.0.0.1:6420}), namespace
   * {@code $RIVET_NAMESPACE} (or {@code default}), token {@code $RIVET_TOKEN}.
   */
  static RivetClient create() {
    return builder().build();
  }

  /**
   * A client of {@code endpoint}, which may carry the namespace and token as user info:
   * {@code http://namespace:token@host:6420}.
   */
  static RivetClient create(String endpoint) {
    return builder().endpoint(endpoint).build();
  }

  static Builder builder() {
    return new Builder();
  }

  @Override
  RemoteActorHandle get(String name, Key key);

  @Override
  RemoteActorHandle getOrCreate(String name, Key key);

  @Override
  RemoteActorHandle getOrCreate(String name, Key key, Object input);

  /** Creates the actor now ({@code POST /actors}) and returns a handle to its id. */
  @Override
  RemoteActorHandle create(String name, Key key, Object input);

  @Override
  default RemoteActorHandle create(String name, Key key) {
    return create(name, key, null);
  }

  /** As {@link #create(String, Key, Object)}, without blocking. */
  CompletionStage<RemoteActorHandle> createAsync(String name, Key key, Object input);

  @Override
  RemoteActorHandle getForId(String name, String actorId);

  /** Connects to the actor with this key, creating it if needed. */
  default <T> ActorConnection<T> connect(Class<T> contract, Key key) {
    return getOrCreate(ActorTypes.nameOf(contract), key).connect(contract);
  }

  /** As {@link #connect(Class, Key)} with connection params. */
  default <T> ActorConnection<T> connect(Class<T> contract, Key key, Object params) {
    return getOrCreate(ActorTypes.nameOf(contract), key).withParams(params).connect(contract);
  }

  /** An untyped connection to the actor with this key, creating it if needed. */
  default ActorConnection<ActorHandle> connect(String name, Key key) {
    return getOrCreate(name, key).connect();
  }

  default ActorConnection<ActorHandle> connect(String name, Key key, Object params) {
    return getOrCreate(name, key).withParams(params).connect();
  }

  /** The endpoint, without user info (e.g. {@code http://127.0.0.1:6420}). */
  String endpoint();

  String namespace();

  Encoding encoding();

  /** Disposes every connection and releases sockets and threads. Idempotent. */
  @Override
  void close();

  /** Options of a {@link RivetClient}; unset options come from the environment or defaults. */
  final class Builder {
    private String endpoint;
    private String namespace;
    private String token;
    private String poolName;
    private Encoding encoding = Encoding.BARE;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private Duration connectTimeout = ClientConfig.DEFAULT_CONNECT_TIMEOUT;
    private Duration requestTimeout = ClientConfig.DEFAULT_REQUEST_TIMEOUT;
    private int maxInputSize = ClientConfig.DEFAULT_MAX_INPUT_SIZE;
    private boolean metadataLookup = true;
    private Executor executor;
    private Scheduler scheduler;

    Builder() {}

    /**
     * The server: {@code http(s)://[namespace[:token]@]host[:port][/base]}; default
     * {@code $RIVET_ENDPOINT}, else {@code http://127.0.0.1:6420}.
     */
    public Builder endpoint(String endpoint) {
      this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
      return this;
    }

    /** Default: the endpoint's user name, else {@code $RIVET_NAMESPACE}, else {@code default}. */
    public Builder namespace(String namespace) {
      this.namespace = Objects.requireNonNull(namespace, "namespace");
      return this;
    }

    /** Default: the endpoint's password, else {@code $RIVET_TOKEN}, else none. */
    public Builder token(String token) {
      this.token = Objects.requireNonNull(token, "token");
      return this;
    }

    /** The runner pool of getOrCreate/create ({@code rvt-runner}); default {@code $RIVET_POOL}. */
    public Builder poolName(String poolName) {
      this.poolName = Objects.requireNonNull(poolName, "poolName");
      return this;
    }

    /** The encoding of actor traffic: {@link Encoding#BARE} (default), CBOR or JSON. */
    public Builder encoding(Encoding encoding) {
      this.encoding = Objects.requireNonNull(encoding, "encoding");
      return this;
    }

    /** A header added to every API and gateway HTTP request. */
    public Builder header(String name, String value) {
      headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** How long opening a TCP connection may take (default 10 s). */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = ClientConfig.positive(timeout, "connectTimeout");
      return this;
    }

    /**
     * How long one HTTP request, and a blocking call on a connection, may wait for its answer
     * (default 2 min; the server's own action timeout is 60 s).
     */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = ClientConfig.positive(timeout, "requestTimeout");
      return this;
    }

    /** Largest creation input sent in a gateway URL ({@code rvt-input}), in CBOR bytes (4096). */
    public Builder maxInputSize(int bytes) {
      if (bytes <= 0) {
        throw new IllegalArgumentException("maxInputSize must be positive, got " + bytes);
      }
      this.maxInputSize = bytes;
      return this;
    }

    /**
     * Whether the first call reads {@code GET /metadata} (true, as RivetKit): it checks that the
     * endpoint is a Rivet server and follows a {@code clientEndpoint} redirect.
     */
    public Builder metadataLookup(boolean enabled) {
      this.metadataLookup = enabled;
      return this;
    }

    /**
     * Runs HTTP completions and connection callbacks (default: a virtual thread per task, shut
     * down by {@link RivetClient#close()}; a given executor is not shut down).
     */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /** Runs backoff and retry delays (default: one daemon timer thread). */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * A new client. Nothing is sent until the first call.
     *
     * @throws IllegalArgumentException for an endpoint that is not an http(s) URL, has a query
     *     or fragment, a token without namespace, or a namespace/token given twice
     */
    public RivetClient build() {
      ClientConfig config = ClientConfig.resolve(endpoint, namespace, token, poolName, encoding,
          headers, connectTimeout, requestTimeout, maxInputSize, metadataLookup,
          System.getenv());
      return new NetworkClient(config, executor, scheduler);
    }
  }
}
