package io.rivet4j.server.internal;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.rivet4j.api.RivetError;
import io.rivet4j.protocol.Encoding;
import io.rivet4j.protocol.HttpResponseError;
import io.rivet4j.protocol.ProtocolCodec;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One HTTP request and its one response.
 *
 * <p>Concurrency: the request fields are immutable copies. A {@code respond…} method may be
 * called from any thread, and only the first call counts; the write itself happens on the
 * channel's event loop, after which the owning handler moves on to the next request.
 */
final class Exchange {
  final ChannelHandlerContext ctx;
  final HttpMethod method;
  final UrlParts url;
  final HttpHeaders headers;
  final byte[] body;
  final boolean keepAlive;
  final String rayId = RayIds.next();
  private final io.rivet4j.runtime.internal.Node node;
  private final Runnable onDone;
  private final AtomicBoolean responded = new AtomicBoolean();

  Exchange(io.rivet4j.runtime.internal.Node node, ChannelHandlerContext ctx, HttpMethod method,
      UrlParts url, HttpHeaders headers, byte[] body, boolean keepAlive, Runnable onDone) {
    this.node = node;
    this.ctx = ctx;
    this.method = method;
    this.url = url;
    this.headers = headers;
    this.body = body;
    this.keepAlive = keepAlive;
    this.onDone = onDone;
  }

  /**
   * The {@code x-rivet-conn-params} header as a value, or null when absent.
   *
   * @throws io.rivet4j.api.RivetError when it is not JSON
   */
  Object connParams() {
    String raw = headers.get("x-rivet-conn-params");
    return raw == null ? null : io.rivet4j.protocol.UserValues.parseJson(raw);
  }

  /** The request's {@code x-rivet-encoding}; missing or unknown means JSON, as the reference. */
  Encoding encoding() {
    String h = headers.get("x-rivet-encoding");
    return h == null ? Encoding.JSON : Encoding.lookup(h.trim()).orElse(Encoding.JSON);
  }

  void respond(int status, String contentType, byte[] content, ResolvedActor actor,
      String error) {
    respond(status, contentType, content, actor, error, java.util.Map.of());
  }

  /** An actor's own response to a raw request: its status, headers and body unmodified. */
  void respond(io.rivet4j.api.Response r, ResolvedActor actor) {
    respond(r.status(), null, r.body(), actor, null, r.headers());
  }

  private void respond(int status, String contentType, byte[] content, ResolvedActor actor,
      String error, java.util.Map<String, java.util.List<String>> own) {
    if (!responded.compareAndSet(false, true)) {
      return;
    }
    if (ctx.executor().inEventLoop()) {
      write(status, contentType, content, actor, error, own);
    } else {
      ctx.executor().execute(() -> write(status, contentType, content, actor, error, own));
    }
  }

  void respondText(int status, String text) {
    respond(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8), null,
        null);
  }

  void respondJson(int status, byte[] json) {
    respond(status, "application/json", json, null, null);
  }

  /** A REST API or gateway error: always JSON, with {@code x-rivet-error} (the engine's shape). */
  void gatewayError(RivetError e) {
    byte[] json = encode(Encoding.JSON, new HttpResponseError(e.group(), e.code(),
        e.getMessage(), e.metadata(), Optional.empty()));
    respond(Failures.gatewayStatus(e), "application/json", json, null, e.qualifiedCode());
  }

  /** An actor-route error, in the request's encoding, naming the actor (RivetKit's shape). */
  void actorError(RivetError e, ResolvedActor actor, Encoding encoding) {
    byte[] bytes = encode(encoding, HttpResponseError.from(e, Optional.of(actor.spec(node))));
    respond(Failures.actorStatus(e), encoding.contentType(), bytes, actor, null);
  }

  /** The error body; metadata JavaScript cannot represent is left out (and logged). */
  private static byte[] encode(Encoding encoding, HttpResponseError body) {
    try {
      return ProtocolCodec.of(encoding).encode(body);
    } catch (RuntimeException e) {
      Failures.LOG.warn("error {}.{} cannot be sent with its metadata: {}", body.group(),
          body.code(), e.getMessage());
      return ProtocolCodec.of(encoding).encode(new HttpResponseError(body.group(), body.code(),
          body.message(), Optional.empty(), body.actor()));
    }
  }

  private void write(int status, String contentType, byte[] content, ResolvedActor actor,
      String error, java.util.Map<String, java.util.List<String>> own) {
    FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.valueOf(status), Unpooled.wrappedBuffer(content));
    HttpHeaders h = res.headers();
    for (var e : own.entrySet()) {
      if (!HOP_BY_HOP.contains(e.getKey())) {
        try {
          h.add(e.getKey(), e.getValue());
        } catch (IllegalArgumentException bad) {
          Failures.LOG.warn("actor {}: response header '{}' is not valid HTTP and was left out",
              actor == null ? "-" : actor.actorId(), e.getKey());
        }
      }
    }
    if (contentType != null) {
      h.set(HttpHeaderNames.CONTENT_TYPE, contentType);
    }
    h.setInt(HttpHeaderNames.CONTENT_LENGTH, content.length);
    if (actor != null) {
      h.set("x-rivet-actor", actor.actorId());
      h.set("x-rivet-actor-generation", Long.toString(node.generation(actor.actorId())));
      h.set("x-rivet-actor-key", headerSafe(actor.wireKey()));
    }
    if (error != null) {
      h.set("x-rivet-error", error);
    }
    h.set("x-rivet-ray-id", rayId);
    cors(h, headers);
    HttpUtil.setKeepAlive(res, keepAlive);
    ctx.writeAndFlush(res).addListener(f -> onDone.run());
  }

  /** Framing headers the server sets itself, whatever a raw response says. */
  private static final java.util.Set<String> HOP_BY_HOP = java.util.Set.of("content-length",
      "transfer-encoding", "connection", "keep-alive", "upgrade", "te", "trailer");

  /** CORS as the engine answers: the caller's origin (or *), credentials, all headers exposed. */
  static void cors(HttpHeaders out, HttpHeaders request) {
    String origin = request.get(HttpHeaderNames.ORIGIN);
    out.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin != null ? origin : "*");
    out.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
    out.set(HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, "*");
    if (origin != null) {
      out.set(HttpHeaderNames.VARY, "Origin");
    }
  }

  /** Header values must be ASCII without controls; keys with other characters are escaped. */
  private static String headerSafe(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
      }
    }
    return s;
  }
}
