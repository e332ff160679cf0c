package io.rivet4j.client.internal;

import io.rivet4j.api.ActorHandle;
import io.rivet4j.api.Key;
import io.rivet4j.api.QueueSendResult;
import io.rivet4j.api.SendOptions;
import io.rivet4j.api.Value;
import io.rivet4j.api.RivetError;
import io.rivet4j.client.ActorConnection;
import io.rivet4j.client.ActorError;
import io.rivet4j.client.RemoteActorHandle;
import io.rivet4j.protocol.Encoding;
import io.rivet4j.protocol.HttpActionRequest;
import io.rivet4j.protocol.HttpQueueSendRequest;
import io.rivet4j.protocol.HttpQueueSendResponse;
import io.rivet4j.protocol.ProtocolCodec;
import io.rivet4j.protocol.UserValues;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A stateless handle (RivetKit's {@code ActorHandleRaw}): every call is one HTTP request
 * through the gateway, retried as the JavaScript client retries it.
 *
 * <p>Concurrency: immutable; thread-safe.
 *
 * <p>Retries: key handles ({@code get}/{@code getOrCreate}) retry a call up to 24/60 times,
 * 100 ms apart, while the gateway answers that the actor is not found, starting, stopping or
 * being destroyed, or cannot schedule it; id handles try once. Around that, every action but
 * {@code destroy} is retried up to 5 times (25·2ⁿ ≤ 200 ms apart) on lifecycle boundaries
 * ({@code actor.restarting}, retryable {@code guard.*}).
 */
final class NetworkHandle implements RemoteActorHandle {
  private final NetworkClient client;
  private final Target target;
  private final Object params;
  private final Supplier<?> paramsSupplier;

  NetworkHandle(NetworkClient client, Target target, Object params, Supplier<?> paramsSupplier) {
    this.client = client;
    this.target = target;
    this.params = params;
    this.paramsSupplier = paramsSupplier;
  }

  Target target() {
    return target;
  }

  NetworkClient client() {
    return client;
  }

  boolean dynamic() {
    return target instanceof Target.ByKey;
  }

  /** The params of a (re)connect: the supplier's fresh value, else the handle's params. */
  Object connParams() {
    return paramsSupplier != null ? paramsSupplier.get() : params;
  }

  @Override
  public String name() {
    return target.name();
  }

  @Override
  public Optional<Key> key() {
    return target instanceof Target.ByKey k ? Optional.of(k.key()) : Optional.empty();
  }

  @Override
  public RemoteActorHandle withParams(Object newParams) {
    return new NetworkHandle(client, target, newParams, paramsSupplier);
  }

  @Override
  public RemoteActorHandle withParamsSupplier(Supplier<?> supplier) {
    return new NetworkHandle(client, target, params, Objects.requireNonNull(supplier, "params"));
  }

  @Override
  public String toString() {
    return switch (target) {
      case Target.ById t -> "ActorHandle[" + t.name() + " " + t.actorId() + "]";
      case Target.ByKey t -> "ActorHandle[" + t.name() + " " + t.key()
          + (t.create() ? " getOrCreate" : " get") + "]";
    };
  }

  // ---------------------------------------------------------------- resolve

  @Override
  public String resolve() {
    return await(resolveAsync().toCompletableFuture());
  }

  @Override
  public CompletableFuture<String> resolveAsync() {
    return switch (target) {
      case Target.ById t -> client.isClosed() ? CompletableFuture.failedFuture(Errors.closed())
          : CompletableFuture.completedFuture(t.actorId());
      case Target.ByKey t when t.create() -> client.ready().thenCompose(cfg ->
          RestApi.getOrCreate(client, cfg, t.name(), t.key(), t.inputCbor()));
      case Target.ByKey t -> client.ready().thenCompose(cfg ->
          RestApi.getWithKey(client, cfg, t.name(), t.key())).thenApply(id -> id.orElseThrow(
              () -> new ActorError("actor", "not_found", "Actor not found: " + t.name() + ":"
                  + UserValues.encodeJson(t.key().parts())
                  + " (https://www.rivet.dev/docs/clients/javascript)")));
    };
  }

  // ---------------------------------------------------------------- actions

  @Override
  public <R> R action(String action, Class<R> resultType, Object... args) {
    Object output = await(call(action, list(args)));
    return cast(resultType, Conversions.convert(output, resultType,
        "the output of action '" + action + "'"));
  }

  @Override
  public <R> CompletionStage<R> actionAsync(String action, Class<R> resultType,
      Object... args) {
    return ContractProxy.cancellable(call(action, list(args)), output -> cast(resultType,
        Conversions.convert(output, resultType, "the output of action '" + action + "'")));
  }

  @Override
  public <T> T as(Class<T> contract) {
    return ContractProxy.create(contract, target.name(), toString(), this::call,
        (call, action) -> await(call.get()));
  }

  /** Calls {@code action}; the future holds the plain output. */
  CompletableFuture<Object> call(String action, List<Object> args) {
    Objects.requireNonNull(action, "action");
    byte[] body;
    Encoding encoding = client.encoding();
    try {
      body = ProtocolCodec.of(encoding).encode(new HttpActionRequest(args));
    } catch (RivetError e) {
      return CompletableFuture.failedFuture(
          Errors.invalidInput("The arguments of action '" + action + "' cannot be sent", e));
    }
    boolean destroy = action.equals("destroy");
    Function<ClientConfig, CompletableFuture<Object>> send = cfg -> sendAction(cfg, action, body);
    if (destroy) {
      return attempts(send, true, 0);
    }
    return lifecycleRetries(() -> attempts(send, false, 0), 0);
  }

  /** {@code retryOnLifecycleBoundary}. */
  private <T> CompletableFuture<T> lifecycleRetries(Supplier<CompletableFuture<T>> run,
      int attempt) {
    return run.get().exceptionallyCompose(error -> {
      ActorError e = Errors.actorError(error);
      if (!Retries.lifecycleRequest(e) || attempt >= Retries.LIFECYCLE_ATTEMPTS - 1
          || client.isClosed()) {
        return CompletableFuture.failedFuture(e);
      }
      return client.delay(Retries.lifecycleDelay(attempt))
          .thenCompose(v -> lifecycleRetries(run, attempt + 1));
    });
  }

  private int maxAttempts() {
    return switch (target) {
      case Target.ById t -> 1;
      case Target.ByKey t -> t.create() ? Retries.GET_OR_CREATE_ATTEMPTS : Retries.GET_ATTEMPTS;
    };
  }

  /**
   * {@code #sendActionAttempts} (and the queue send's loop): key handles retry while the gateway
   * cannot reach the actor yet.
   */
  private <T> CompletableFuture<T> attempts(Function<ClientConfig, CompletableFuture<T>> send,
      boolean destroy, int attempt) {
    return client.ready().thenCompose(send)
        .exceptionallyCompose(error -> {
          ActorError e = Errors.actorError(error);
          if (dynamic() && attempt < maxAttempts() - 1 && !client.isClosed()
              && (Retries.scheduling(e) || !destroy && Retries.dynamicRetry(e))) {
            return client.delay(Retries.RETRY_WINDOW)
                .thenCompose(v -> attempts(send, destroy, attempt + 1));
          }
          if (!dynamic() && e.group().equals("actor")
              && e.code().equals("destroyed_while_waiting_for_ready")) {
            return CompletableFuture.failedFuture(new ActorError("actor", "not_found",
                "The actor does not exist or was destroyed.", e.metadata().orElse(null),
                e.rayId().orElse(null), e.actor().orElse(null), e));
          }
          return CompletableFuture.failedFuture(e);
        });
  }

  /** A POST to the actor route {@code path} in the handle's encoding, params and token. */
  private CompletableFuture<HttpResponse<byte[]>> post(ClientConfig cfg, String path,
      byte[] body) {
    Encoding encoding = cfg.encoding();
    HttpRequest.Builder b = client.request(cfg, Gateway.url(cfg, target, path))
        .header("x-rivet-encoding", encoding.wireName())
        .header("Content-Type", encoding.contentType())
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (params != null) {
      b.header("x-rivet-conn-params", headerJson(params));
    }
    cfg.token().ifPresent(t -> b.header("x-rivet-token", t));
    return client.send(cfg, b.build());
  }

  private CompletableFuture<Object> sendAction(ClientConfig cfg, String action, byte[] body) {
    Encoding encoding = cfg.encoding();
    return post(cfg, "/action/" + Urls.component(action), body).thenApply(response -> {
      if (response.statusCode() < 200 || response.statusCode() >= 300) {
        throw ErrorBodies.decode(response, encoding);
      }
      try {
        return ProtocolCodec.of(encoding).decodeHttpActionResponse(response.body()).output();
      } catch (RivetError e) {
        throw Errors.protocolMismatch(cfg.endpoint(), "an answer to action '" + action + "'",
            e);
      }
    });
  }

  // ---------------------------------------------------------------- queue sends

  @Override
  public QueueSendResult send(String queue, Object body, SendOptions options) {
    return await(sendAsync(queue, body, options));
  }

  @Override
  public CompletableFuture<QueueSendResult> sendAsync(String queue, Object body,
      SendOptions options) {
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(options, "options");
    byte[] request;
    Encoding encoding = client.encoding();
    try {
      request = ProtocolCodec.of(encoding).encode(new HttpQueueSendRequest(body,
          Optional.of(queue), Optional.of(options.waitForCompletion()),
          options.timeout().map(d -> OptionalLong.of(d.toMillis())).orElse(OptionalLong.empty())));
    } catch (RivetError e) {
      return CompletableFuture.failedFuture(Errors.invalidInput(
          "The body of a message for queue '" + queue + "' cannot be sent", e));
    }
    return attempts(cfg -> sendToQueue(cfg, queue, request), false, 0);
  }

  private CompletableFuture<QueueSendResult> sendToQueue(ClientConfig cfg, String queue,
      byte[] request) {
    Encoding encoding = cfg.encoding();
    return post(cfg, "/queue/" + Urls.component(queue), request).thenApply(response -> {
      if (response.statusCode() < 200 || response.statusCode() >= 300) {
        throw ErrorBodies.decode(response, encoding);
      }
      HttpQueueSendResponse r;
      try {
        r = ProtocolCodec.of(encoding).decodeHttpQueueSendResponse(response.body());
      } catch (RivetError e) {
        throw Errors.protocolMismatch(cfg.endpoint(), "an answer to a send to queue '" + queue
            + "'", e);
      }
      return new QueueSendResult(r.status(), r.response().map(v -> (Value) new PlainValue(v)));
    });
  }

  /** A value received from the server, converted on demand as action outputs are. */
  private record PlainValue(Object value) implements Value {
    @Override
    public boolean isNull() {
      return value == null;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T as(Class<T> type) {
      return (T) Conversions.convert(value, type, "the queue response");
    }

    @Override
    public Optional<Object> raw() {
      return Optional.ofNullable(value);
    }
  }

  // ---------------------------------------------------------------- connections

  @Override
  public ActorConnection<ActorHandle> connect() {
    return Connection.open(this, null);
  }

  @Override
  public <T> ActorConnection<T> connect(Class<T> contract) {
    return Connection.open(this, Objects.requireNonNull(contract, "contract"));
  }

  // ---------------------------------------------------------------- raw access

  @Override
  public HttpResponse<byte[]> fetch(String path) {
    return fetch(path, HttpRequest.newBuilder().GET());
  }

  @Override
  public HttpResponse<byte[]> fetch(String path, HttpRequest.Builder request) {
    return await(fetchAsync(path, request).toCompletableFuture());
  }

  @Override
  public CompletableFuture<HttpResponse<byte[]>> fetchAsync(String path,
      HttpRequest.Builder request) {
    Objects.requireNonNull(path, "path");
    HttpRequest template;
    try {
      template = request.copy().uri(URI.create("http://actor/")).build();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(Errors.invalidInput("Invalid request", e));
    }
    String normalized = path.startsWith("/") ? path.substring(1) : path;
    String actorPath = "/request/" + Urls.lenient(normalized);
    return lifecycleRetries(() -> fetchAttempts(actorPath, template, 0), 0);
  }

  /** {@code #fetchWithResolvedActor}: a non-2xx answer is read as an error only to retry. */
  private CompletableFuture<HttpResponse<byte[]>> fetchAttempts(String actorPath,
      HttpRequest template, int attempt) {
    return client.ready().thenCompose(cfg -> sendRaw(cfg, actorPath, template))
        .thenCompose(response -> {
          if (response.statusCode() >= 200 && response.statusCode() < 300 || !dynamic()
              || attempt >= maxAttempts() - 1 || client.isClosed()) {
            return CompletableFuture.completedFuture(response);
          }
          Optional<ActorError> error = ErrorBodies.fromResponse(response);
          if (error.isPresent() && (Retries.scheduling(error.get())
              || Retries.dynamicRetry(error.get()))) {
            return client.delay(Retries.RETRY_WINDOW)
                .thenCompose(v -> fetchAttempts(actorPath, template, attempt + 1));
          }
          return CompletableFuture.completedFuture(response);
        });
  }

  private CompletableFuture<HttpResponse<byte[]>> sendRaw(ClientConfig cfg, String actorPath,
      HttpRequest template) {
    String url = Gateway.url(cfg, target, actorPath);
    HttpRequest.Builder b = client.request(cfg, url);
    template.timeout().ifPresent(b::timeout);
    b.expectContinue(template.expectContinue());
    HttpHeaders headers = template.headers();
    for (Map.Entry<String, List<String>> h : headers.map().entrySet()) {
      if (h.getKey().equalsIgnoreCase("user-agent")) {
        b.setHeader("User-Agent", h.getValue().get(0));
        continue;
      }
      for (String v : h.getValue()) {
        b.header(h.getKey(), v);
      }
    }
    if (truthy(params)) {
      b.setHeader("x-rivet-conn-params", headerJson(params));
    }
    cfg.token().ifPresent(t -> b.setHeader("x-rivet-token", t));
    b.method(template.method(),
        template.bodyPublisher().orElse(HttpRequest.BodyPublishers.noBody()));
    return client.send(cfg, b.build());
  }

  @Override
  public CompletableFuture<WebSocket> webSocket(String path, WebSocket.Listener listener) {
    Objects.requireNonNull(listener, "listener");
    String p = path == null ? "" : path;
    int q = p.indexOf('?');
    String pathPart = q < 0 ? p : p.substring(0, q);
    String query = q < 0 ? "" : p.substring(q);
    if (pathPart.startsWith("/")) {
      pathPart = pathPart.substring(1);
    }
    String actorPath = "/websocket/" + Urls.lenient(pathPart) + Urls.lenient(query);
    Object wsParams;
    try {
      wsParams = connParams();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(Errors.getParamsFailed(e));
    }
    return client.ready().thenCompose(cfg -> {
      String url = Urls.webSocket(Gateway.url(cfg, target, actorPath));
      return openWebSocket(client, cfg, url, Encoding.BARE, wsParams, listener);
    });
  }

  /**
   * Opens a WebSocket offering RivetKit's subprotocols ({@code rivet},
   * {@code rivet_encoding.<enc>}, {@code rivet_conn_params.<json>}); a refused upgrade fails
   * with the error in its body, a transport failure with a message naming the server.
   */
  static CompletableFuture<WebSocket> openWebSocket(NetworkClient client, ClientConfig cfg,
      String url, Encoding encoding, Object params, WebSocket.Listener listener) {
    if (client.isClosed()) {
      return CompletableFuture.failedFuture(Errors.closed());
    }
    List<String> protocols = new ArrayList<>();
    protocols.add("rivet_encoding." + encoding.wireName());
    if (truthy(params)) {
      protocols.add("rivet_conn_params." + Urls.component(UserValues.encodeJson(params)));
    }
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(Errors.invalidInput("Not a valid URL: " + url, e));
    }
    CompletableFuture<WebSocket> opening;
    try {
      opening = client.http.newWebSocketBuilder()
          .connectTimeout(cfg.connectTimeout())
          .subprotocols("rivet", protocols.toArray(String[]::new))
          .buildAsync(uri, listener);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(client.isClosed() ? Errors.closed()
          : Errors.transport(e, url, cfg.endpoint(), cfg.requestTimeout()));
    }
    return opening.handle((ws, error) -> {
      if (error == null) {
        return ws;
      }
      Throwable cause = Errors.unwrap(error);
      if (cause instanceof WebSocketHandshakeException h && h.getResponse() != null) {
        HttpResponse<?> r = h.getResponse();
        String body = r.body() instanceof String s ? s : "";
        throw ErrorBodies.fromText(body, ErrorBodies.rayIdHeader(r)).orElseGet(() ->
            new ActorError(Errors.GROUP, "http_error", "The WebSocket upgrade to " + url
                + " was refused: HTTP " + r.statusCode() + (body.isEmpty() ? "" : ":\n" + body),
                Map.of("status", r.statusCode(), "body", body), null, null, cause));
      }
      throw client.isClosed() ? Errors.closed()
          : Errors.transport(cause, url, cfg.endpoint(), cfg.requestTimeout());
    });
  }

  @Override
  public String gatewayUrl() {
    return await(client.ready().thenApply(cfg -> Gateway.url(cfg, target, "")));
  }

  // ---------------------------------------------------------------- helpers

  /** {@code JSON.stringify(value)} with non-ASCII escaped, so it fits an HTTP header. */
  static String headerJson(Object value) {
    String json = UserValues.encodeJson(value);
    StringBuilder out = null;
    for (int i = 0; i < json.length(); i++) {
      char c = json.charAt(i);
      if (c >= 0x7f) {
        if (out == null) {
          out = new StringBuilder(json.length() + 16).append(json, 0, i);
        }
        out.append(String.format("\\u%04x", (int) c));
      } else if (out != null) {
        out.append(c);
      }
    }
    return out == null ? json : out.toString();
  }

  /** JavaScript truthiness of a params value: null, false, 0, NaN and "" are falsy. */
  static boolean truthy(Object v) {
    return switch (v) {
      case null -> false;
      case Boolean b -> b;
      case String s -> !s.isEmpty();
      case Double d -> d != 0 && !d.isNaN();
      case Float f -> f != 0 && !f.isNaN();
      case BigDecimal d -> d.signum() != 0;
      case Number n -> n.longValue() != 0 || n.doubleValue() != 0;
      default -> true;
    };
  }

  static List<Object> list(Object[] args) {
    return args == null ? List.of() : new ArrayList<>(Arrays.asList(args));
  }

  @SuppressWarnings("unchecked")
  private static <R> R cast(Class<R> type, Object value) {
    return (R) value;
  }

  /** Waits for {@code future}; an error is rethrown with the caller's stack. */
  static <T> T await(CompletableFuture<T> future) {
    try {
      return future.get();
    } catch (ExecutionException e) {
      throw Errors.rethrowable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.cancel(false);
      throw new ActorError(Errors.GROUP, "interrupted", "Interrupted while waiting", null, null,
          null, e);
    }
  }
}
