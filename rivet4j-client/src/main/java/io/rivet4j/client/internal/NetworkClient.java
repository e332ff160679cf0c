package io.rivet4j.client.internal;

import io.rivet4j.api.Key;
import io.rivet4j.client.ActorError;
import io.rivet4j.client.RemoteActorHandle;
import io.rivet4j.client.RivetClient;
import io.rivet4j.client.Scheduler;
import io.rivet4j.protocol.Encoding;
import io.rivet4j.protocol.UserValues;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The {@link RivetClient} over the JDK's {@link HttpClient} (HTTP/1.1 and WebSocket).
 *
 * <p>Concurrency: thread-safe. {@code resolved} (the metadata lookup, which every call awaits)
 * is replaced under {@code this} only after it failed, so concurrent first calls share one
 * lookup and a failed one is retried by the next call. {@code connections} is a concurrent set
 * of the connections not yet disposed.
 *
 * <p>Lifecycle: open → closed ({@link #close()}: connections disposed, then the HTTP client, the
 * owned executor and the owned timer stopped). After close every call fails with
 * {@code client.closed}.
 */
public final class NetworkClient implements RivetClient {
  /** Sent as {@code User-Agent} on API calls and actions, as {@code RivetKit/2.3.19} does. */
  static final String USER_AGENT = "Rivet4j (RivetKit/2.3.19)";
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(3);

  private final ClientConfig config;
  final HttpClient http;
  final Executor executor;
  final Scheduler scheduler;
  private final ExecutorService ownedExecutor;
  private final SystemScheduler ownedScheduler;
  private final Set<Connection<?>> connections = ConcurrentHashMap.newKeySet();
  private CompletableFuture<ClientConfig> resolved; // [this]
  private volatile boolean closed;

  /**
   * @param executor {@code null} for a virtual thread per task, owned by this client
   * @param scheduler {@code null} for a daemon timer thread, owned by this client
   */
  public NetworkClient(ClientConfig config, Executor executor, Scheduler scheduler) {
    this.config = Objects.requireNonNull(config, "config");
    if (executor == null) {
      ownedExecutor = Executors.newThreadPerTaskExecutor(
          Thread.ofVirtual().name("rivet4j-client-", 0).factory());
      this.executor = ownedExecutor;
    } else {
      ownedExecutor = null;
      this.executor = executor;
    }
    if (scheduler == null) {
      ownedScheduler = new SystemScheduler();
      this.scheduler = ownedScheduler;
    } else {
      ownedScheduler = null;
      this.scheduler = scheduler;
    }
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(config.connectTimeout())
        .followRedirects(HttpClient.Redirect.NEVER)
        .executor(this.executor)
        .build();
  }

  // ---------------------------------------------------------------- handles

  @Override
  public RemoteActorHandle get(String name, Key key) {
    return new NetworkHandle(this, new Target.ByKey(name, key, false, null), null, null);
  }

  @Override
  public RemoteActorHandle getOrCreate(String name, Key key) {
    return new NetworkHandle(this, new Target.ByKey(name, key, true, null), null, null);
  }

  @Override
  public RemoteActorHandle getOrCreate(String name, Key key, Object input) {
    return new NetworkHandle(this, new Target.ByKey(name, key, true, cbor(input)), null, null);
  }

  @Override
  public RemoteActorHandle create(String name, Key key, Object input) {
    return NetworkHandle.await(createAsync(name, key, input).toCompletableFuture());
  }

  @Override
  public CompletionStage<RemoteActorHandle> createAsync(String name, Key key, Object input) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(key, "key");
    byte[] inputCbor = cbor(input);
    return ready().thenCompose(cfg -> RestApi.create(this, cfg, name, key, inputCbor))
        .thenApply(id -> new NetworkHandle(this, new Target.ById(name, id), null, null));
  }

  @Override
  public RemoteActorHandle getForId(String name, String actorId) {
    return new NetworkHandle(this, new Target.ById(name, actorId), null, null);
  }

  @Override
  public String endpoint() {
    return config.endpoint();
  }

  @Override
  public String namespace() {
    return config.namespace();
  }

  @Override
  public Encoding encoding() {
    return config.encoding();
  }

  @Override
  public String toString() {
    return "RivetClient[" + config.endpoint() + ", namespace " + config.namespace() + ", "
        + config.encoding().wireName() + "]";
  }

  // ---------------------------------------------------------------- plumbing for handles

  /**
   * The config every request uses, after the one-time {@code /metadata} lookup; fails with
   * {@code client.closed} once closed.
   */
  CompletableFuture<ClientConfig> ready() {
    if (closed) {
      return CompletableFuture.failedFuture(Errors.closed());
    }
    if (!config.metadataLookup()) {
      return CompletableFuture.completedFuture(config);
    }
    synchronized (this) {
      if (resolved == null || resolved.isCompletedExceptionally()) {
        resolved = RestApi.metadata(this, config);
      }
      return resolved;
    }
  }

  /** A request to {@code url} with the configured headers, user agent and timeout. */
  HttpRequest.Builder request(ClientConfig cfg, String url) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw Errors.invalidInput("Not a valid URL: " + url, e);
    }
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(cfg.requestTimeout());
    cfg.headers().forEach(b::header);
    b.header("User-Agent", USER_AGENT);
    return b;
  }

  /** Sends {@code request}; transport failures become {@link ActorError}s naming the server. */
  CompletableFuture<HttpResponse<byte[]>> send(ClientConfig cfg, HttpRequest request) {
    if (closed) {
      return CompletableFuture.failedFuture(Errors.closed());
    }
    CompletableFuture<HttpResponse<byte[]>> sent;
    try {
      sent = http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(closed ? Errors.closed()
          : Errors.transport(e, request.uri().toString(), cfg.endpoint(),
              cfg.requestTimeout()));
    }
    return sent.handle((response, error) -> {
      if (error != null) {
        throw closed ? Errors.closed() : Errors.transport(error, request.uri().toString(),
            cfg.endpoint(), cfg.requestTimeout());
      }
      return response;
    });
  }

  /** Runs {@code task} on the executor after {@code delay} (through the scheduler). */
  Scheduler.Cancellable schedule(Duration delay, Runnable task) {
    return scheduler.schedule(delay, () -> {
      try {
        executor.execute(task);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // closing
      }
    });
  }

  /** Completes after {@code delay}. */
  CompletableFuture<Void> delay(Duration delay) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    schedule(delay, () -> done.complete(null));
    return done;
  }

  Duration requestTimeout() {
    return config.requestTimeout();
  }

  boolean isClosed() {
    return closed;
  }

  void track(Connection<?> c) {
    connections.add(c);
    if (closed) {
      c.dispose();
    }
  }

  void forget(Connection<?> c) {
    connections.remove(c);
  }

  static byte[] cbor(Object input) {
    if (input == null) {
      return null;
    }
    try {
      return UserValues.encodeCbor(input);
    } catch (RuntimeException e) {
      throw Errors.invalidInput("The creation input cannot be sent", e);
    }
  }

  // ---------------------------------------------------------------- close

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    List<CompletableFuture<Void>> disposing = new ArrayList<>();
    for (Connection<?> c : List.copyOf(connections)) {
      disposing.add(c.dispose().toCompletableFuture());
    }
    try {
      CompletableFuture.allOf(disposing.toArray(CompletableFuture[]::new))
          .get(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      Errors.LOG.log(System.Logger.Level.DEBUG, "connections did not close in time: {0}",
          e.toString());
    }
    for (Connection<?> c : List.copyOf(connections)) {
      c.abort();
    }
    http.shutdownNow();
    try {
      http.awaitTermination(CLOSE_WAIT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (ownedScheduler != null) {
      ownedScheduler.shutdown();
    }
    if (ownedExecutor != null) {
      ownedExecutor.shutdownNow();
    }
  }

  /** True once {@link #close()} released the HTTP client and the owned threads (for tests). */
  public boolean isTerminated() {
    return closed && http.isTerminated()
        && (ownedScheduler == null || ownedScheduler.isTerminated())
        && (ownedExecutor == null || ownedExecutor.isShutdown());
  }
}
