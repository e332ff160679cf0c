package io.rivet4j.client;

import io.rivet4j.api.ActorHandle;
import io.rivet4j.api.Key;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * A handle of a {@link RivetClient}: stateless calls over HTTP, as RivetKit's
 * {@code ActorHandle}. Handles from {@code get}/{@code getOrCreate} address the actor by name and
 * key on every call (the gateway resolves it; transient "not found"/"starting" answers are
 * retried as RivetKit does); handles from {@code getForId}/{@code create} address it by id.
 * Handles are immutable and thread-safe; {@link #withParams} returns a copy.
 */
public interface RemoteActorHandle extends ActorHandle {
  /** The actor name. */
  String name();

  /** The key, for {@code get}/{@code getOrCreate} handles. */
  Optional<Key> key();

  /**
   * A copy of this handle that sends connection params: as the {@code x-rivet-conn-params}
   * header on actions and raw requests, and in the {@code rivet_conn_params.*} subprotocol of
   * connections and raw WebSockets. {@code null} for none.
   */
  RemoteActorHandle withParams(Object params);

  /**
   * A copy of this handle whose connections and raw WebSockets ask {@code params} for fresh
   * connection params on every (re)connect (RivetKit's {@code getParams}). Stateless actions keep
   * the params of {@link #withParams}.
   */
  RemoteActorHandle withParamsSupplier(Supplier<?> params);

  /** As {@link #resolve()}, without blocking. */
  CompletionStage<String> resolveAsync();

  /** As {@link #send(String, Object, io.rivet4j.api.SendOptions)}, without blocking. */
  CompletionStage<io.rivet4j.api.QueueSendResult> sendAsync(String queue, Object body,
      io.rivet4j.api.SendOptions options);

  /** Opens an untyped connection; its {@code actions()} call over the socket. */
  ActorConnection<ActorHandle> connect();

  /** Opens a connection typed by {@code contract}. */
  <T> ActorConnection<T> connect(Class<T> contract);

  /** {@code GET} of {@code path} on the actor's {@code onRequest} route ({@code /request/…}). */
  HttpResponse<byte[]> fetch(String path);

  /**
   * Sends {@code request} (method, headers, body; its URI is ignored) to {@code path} on the
   * actor's {@code onRequest} route and returns the actor's response unchanged, whatever its
   * status ({@link ActorError#fromResponse} reads an error body).
   *
   * @throws ActorError when the request cannot be sent or the actor cannot be reached
   */
  HttpResponse<byte[]> fetch(String path, HttpRequest.Builder request);

  CompletionStage<HttpResponse<byte[]>> fetchAsync(String path, HttpRequest.Builder request);

  /**
   * Opens a raw WebSocket to the actor's {@code onWebSocket} route ({@code /websocket/…});
   * frames pass through unchanged. Completes exceptionally with an {@link ActorError} when the
   * server refuses the upgrade.
   */
  CompletionStage<WebSocket> webSocket(String path, WebSocket.Listener listener);

  /**
   * The URL that routes to this actor through the gateway (RivetKit's {@code getGatewayUrl}):
   * {@code …/gateway/<id>} for id handles, the query form for key handles.
   */
  String gatewayUrl();
}
