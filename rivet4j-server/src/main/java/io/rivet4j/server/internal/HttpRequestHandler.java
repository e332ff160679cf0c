package io.rivet4j.server.internal;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.rivet4j.api.RivetError;
import io.rivet4j.protocol.Encoding;
import io.rivet4j.protocol.UserValues;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP side of one connection: routes each request to the REST API, the gateway or the
 * actor routes, and upgrades {@code /connect} to a {@link WebSocketSession}.
 *
 * <p>Concurrency: all fields are touched on the channel's event loop only. Requests are served
 * one at a time per connection (HTTP/1.1 answers in order): while one is in flight reading
 * pauses, and pipelined requests already decoded wait in {@code queued} (bounded). Work that may
 * block (resolution, the REST API) runs on the blocking executor; the {@link Exchange} writes its
 * response back through the event loop.
 */
final class HttpRequestHandler extends ChannelInboundHandlerAdapter {
  private static final int MAX_QUEUED = 16;
  private static final String ACTOR_BANNER =
      "This is an RivetKit actor.\n\nLearn more at https://rivetkit.org";
  private static final String SERVER_BANNER =
      "This is a Rivet4j server (RivetKit 2.3.19 compatible).\n\nLearn more at https://rivet.dev";

  private final ServerContext s;
  private final ArrayDeque<FullHttpRequest> queued = new ArrayDeque<>();
  private ChannelHandlerContext ctx;
  private boolean busy;
  private boolean upgraded;

  HttpRequestHandler(ServerContext s) {
    this.s = s;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof FullHttpRequest req)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (busy || upgraded) {
      if (upgraded || queued.size() >= MAX_QUEUED) {
        req.release();
        ctx.close();
        return;
      }
      queued.add(req);
      return;
    }
    handle(req);
  }

  private void handle(FullHttpRequest req) {
    busy = true;
    ctx.channel().config().setAutoRead(false);
    try {
      if (req.decoderResult().isFailure()) {
        // The decoder drops the rest of this connection after a failure: answer and close.
        Exchange ex = new Exchange(s.node, ctx, req.method(), UrlParts.parse(req.uri()),
            req.headers(), new byte[0], false, this::requestDone);
        ex.gatewayError(Failures.badRequest(String.valueOf(req.decoderResult().cause())));
        return;
      }
      route(req);
    } catch (Throwable t) {
      Failures.LOG.error("request {} {} failed", req.method(), req.uri(), t);
      exchange(req, false).gatewayError(Failures.forCaller(t, "request"));
    } finally {
      req.release();
    }
  }

  /** After a response is written (event loop): serve the next request or resume reading. */
  private void requestDone() {
    if (upgraded) {
      return;
    }
    busy = false;
    FullHttpRequest next = queued.poll();
    if (next != null) {
      handle(next);
    } else if (ctx.channel().isActive()) {
      ctx.channel().config().setAutoRead(true);
    }
  }

  private Exchange exchange(FullHttpRequest req, boolean withBody) {
    byte[] body = withBody ? ByteBufUtil.getBytes(req.content()) : new byte[0];
    return new Exchange(s.node, ctx, req.method(), UrlParts.parse(req.uri()), req.headers(),
        body, HttpUtil.isKeepAlive(req) && !s.closing, this::requestDone);
  }

  // ---------------------------------------------------------------- routing

  private void route(FullHttpRequest req) {
    Exchange ex = exchange(req, true);
    String path = ex.url.rawPath();
    HttpMethod method = req.method();
    if (method.equals(HttpMethod.OPTIONS)) {
      preflight(ex);
      return;
    }
    if (s.staticFiles != null && (method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD))
        && !isApiPath(path)
        && !"websocket".equalsIgnoreCase(req.headers().get(HttpHeaderNames.UPGRADE))
        && !req.headers().contains("x-rivet-target") && !req.headers().contains("x-rivet-actor")) {
      s.blocking.execute(() -> serveStatic(ex, path));
      return;
    }
    switch (path) {
      case "/" -> {
        ex.respondText(200, SERVER_BANNER);
        return;
      }
      case "/health" -> {
        ex.respondJson(200, Json.health());
        return;
      }
      case "/metadata" -> {
        ex.respondJson(200, Json.metadata(s.node.actorNames()));
        return;
      }
      case "/actors" -> {
        RestApi.serve(s, ex);
        return;
      }
      default -> { }
    }
    if (path.startsWith("/gateway/")) {
      gateway(req, ex);
      return;
    }
    if (path.startsWith("/actors/") && path.indexOf('/', "/actors/".length()) < 0
        && path.length() > "/actors/".length()) {
      String id;
      try {
        id = UrlParts.decode(path.substring("/actors/".length()), false);
      } catch (IllegalArgumentException e) {
        ex.gatewayError(Failures.apiNotFound());
        return;
      }
      RestApi.serveDelete(s, ex, id);
      return;
    }
    if (headerRouted(req, ex)) {
      return;
    }
    ex.gatewayError(Failures.apiNotFound());
  }

  private static boolean isApiPath(String path) {
    return path.startsWith("/gateway/") || path.equals("/actors") || path.startsWith("/actors/")
        || path.equals("/metadata") || path.equals("/health");
  }

  /** A static file, or what the path means without one (the banner, or not found). */
  private void serveStatic(Exchange ex, String rawPath) {
    java.util.Optional<io.rivet4j.server.StaticFiles.StaticFile> file;
    try {
      file = s.staticFiles.find(UrlParts.decode(rawPath, false));
    } catch (RuntimeException e) {
      file = java.util.Optional.empty();
    }
    if (file.isPresent()) {
      ex.respond(200, file.get().contentType(), file.get().content(), null, null);
    } else if (rawPath.equals("/")) {
      ex.respondText(200, SERVER_BANNER);
    } else {
      ex.gatewayError(Failures.apiNotFound());
    }
  }

  /** {@code /gateway/<id>[@token]<P>} or {@code /gateway/<name><P>?rvt-…}. */
  private void gateway(FullHttpRequest req, Exchange ex) {
    String rest = ex.url.rawPath().substring("/gateway/".length());
    int slash = rest.indexOf('/');
    String segment = slash < 0 ? rest : rest.substring(0, slash);
    String actorPath = slash < 0 ? "" : rest.substring(slash);
    boolean query = ex.url.query().containsKey("rvt-method")
        || ex.url.query().containsKey("rvt-namespace");
    GatewayTarget target;
    String urlToken = ex.url.first("rvt-token");
    try {
      if (query) {
        target = GatewayTarget.parseQuery(UrlParts.decode(segment, false), ex.url,
            s.config.namespace(), s.config.maxInputSize());
      } else {
        int at = segment.indexOf('@');
        String id = UrlParts.decode(at < 0 ? segment : segment.substring(0, at), false);
        if (at >= 0) {
          urlToken = UrlParts.decode(segment.substring(at + 1), false);
        }
        if (id.isEmpty()) {
          throw Failures.apiNotFound();
        }
        target = new GatewayTarget.ById(id);
      }
    } catch (IllegalArgumentException e) {
      refuse(req, ex, Failures.badRequest(e.getMessage()));
      return;
    } catch (RivetError e) {
      refuse(req, ex, e);
      return;
    }
    serveActor(req, ex, target, actorPath, urlToken);
  }

  /**
   * Root paths routed by headers ({@code x-rivet-target: actor}, {@code x-rivet-actor}) or, for
   * WebSockets, by the {@code rivet_target.actor} and {@code rivet_actor.<id>} subprotocols
   * (client-protocol.md §2.3 form 3).
   */
  private boolean headerRouted(FullHttpRequest req, Exchange ex) {
    String targetKind = req.headers().get("x-rivet-target");
    String id = req.headers().get("x-rivet-actor");
    if (isUpgrade(req)) {
      for (String p : subprotocols(req.headers())) {
        if (p.equals("rivet_target.actor")) {
          targetKind = "actor";
        } else if (p.startsWith("rivet_actor.")) {
          id = p.substring("rivet_actor.".length());
        }
      }
    }
    if (!"actor".equals(targetKind) || id == null || id.isEmpty()) {
      return false;
    }
    serveActor(req, ex, new GatewayTarget.ById(id), ex.url.rawPath(), null);
    return true;
  }

  private void serveActor(FullHttpRequest req, Exchange ex, GatewayTarget target,
      String actorPath, String urlToken) {
    boolean upgrade = isUpgrade(req);
    ActorRoute route = ActorRoute.parse(req.method(), actorPath, upgrade);
    if (route instanceof ActorRoute.Connect) {
      upgrade(req, target, null, urlToken, null);
      return;
    }
    if (route instanceof ActorRoute.RawSocket raw) {
      upgrade(req, target, null, urlToken, raw.path());
      return;
    }
    RivetError denied = s.checkToken(req.headers(), urlToken, List.of());
    if (denied != null) {
      ex.gatewayError(denied);
      return;
    }
    Optional<ResolvedActor> fast = s.resolver.tryFast(target);
    if (fast.isPresent()) {
      serveRoute(ex, fast.get(), route);
      return;
    }
    s.blocking.execute(() -> {
      ResolvedActor actor;
      try {
        actor = s.resolver.resolve(target);
      } catch (Throwable t) {
        ex.gatewayError(Failures.forCaller(t, "resolve"));
        return;
      }
      serveRoute(ex, actor, route);
    });
  }

  private void serveRoute(Exchange ex, ResolvedActor actor, ActorRoute route) {
    switch (route) {
      case ActorRoute.Root r ->
          ex.respond(200, "text/plain; charset=utf-8",
              ACTOR_BANNER.getBytes(java.nio.charset.StandardCharsets.UTF_8), actor, null);
      case ActorRoute.Action a -> ActionRoute.serve(s, ex, actor, a.name());
      case ActorRoute.Queue q -> QueueRoute.serve(s, ex, actor, q.name());
      case ActorRoute.Failure f -> ex.actorError(f.error(), actor, ex.encoding());
      case ActorRoute.RawRequest r -> RawRequestRoute.serve(s, ex, actor, r.path());
      case ActorRoute.Connect c -> ex.actorError(Failures.routeNotFound("/connect"), actor,
          ex.encoding());
      case ActorRoute.RawSocket r -> ex.actorError(Failures.routeNotFound("/websocket"), actor,
          ex.encoding());
    }
  }

  /** A gateway error: JSON over HTTP; for a WebSocket, upgrade and close 1011 with the code. */
  private void refuse(FullHttpRequest req, Exchange ex, RivetError e) {
    if (isUpgrade(req)) {
      upgrade(req, null, e, null, null);
    } else {
      ex.gatewayError(e);
    }
  }

  private void preflight(Exchange ex) {
    FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.NO_CONTENT, Unpooled.EMPTY_BUFFER);
    HttpHeaders h = res.headers();
    Exchange.cors(h, ex.headers);
    h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, "GET, POST, PUT, DELETE, OPTIONS, PATCH");
    String requested = ex.headers.get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_HEADERS);
    if (requested != null) {
      h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, requested);
    }
    h.set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, "86400");
    h.set("x-rivet-ray-id", ex.rayId);
    h.setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
    HttpUtil.setKeepAlive(res, ex.keepAlive);
    ctx.writeAndFlush(res).addListener(f -> requestDone());
  }

  // ---------------------------------------------------------------- WebSocket upgrade

  /**
   * Upgrades to an actor-connect socket, or with {@code rawPath} to a raw socket for
   * {@code onWebSocket}; a {@code rejection} is reported on the socket (close 1011).
   */
  private void upgrade(FullHttpRequest req, GatewayTarget target, RivetError rejection,
      String urlToken, String rawPath) {
    List<String> protocols = subprotocols(req.headers());
    Encoding encoding = Encoding.JSON;
    String rawParams = null;
    for (String p : protocols) {
      if (p.startsWith("rivet_encoding.")) {
        encoding = Encoding.lookup(p.substring("rivet_encoding.".length()))
            .orElse(Encoding.JSON);
      } else if (p.startsWith("rivet_conn_params.")) {
        rawParams = p.substring("rivet_conn_params.".length());
      }
    }
    if (rejection == null) {
      rejection = s.checkToken(req.headers(), urlToken, protocols);
    }
    Object params = null;
    if (rejection == null && rawParams != null) {
      try {
        params = UserValues.parseJson(UrlParts.decode(rawParams, false));
      } catch (RuntimeException e) {
        Failures.LOG.debug("rivet_conn_params is not JSON: {}", e.getMessage());
        // what the engine answers when the actor refuses such a socket (observed)
        rejection = new RivetError("guard", "websocket_closed_before_open",
            "the connection params (rivet_conn_params) are not valid JSON");
      }
    }
    // Raw frames are the actor's business: only the request-body cap applies to them.
    int maxFrame = rawPath != null ? s.config.maxRequestBodySize()
        : s.config.maxIncomingMessageSize();
    WebSocketServerHandshakerFactory factory = new WebSocketServerHandshakerFactory(
        "ws://" + req.headers().get(HttpHeaderNames.HOST, "localhost") + req.uri(), "rivet",
        NettyServer.decoderConfig(maxFrame));
    WebSocketServerHandshaker handshaker = factory.newHandshaker(req);
    if (handshaker == null) {
      WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel())
          .addListener(f -> requestDone());
      return;
    }
    WebSocketBase session = rawPath == null
        ? new WebSocketSession(s, ctx.channel(), encoding, params, target, rejection)
        : new RawWebSocketSession(s, ctx.channel(), target, params,
            RawRequestRoute.request("GET", rawPath, UrlParts.parse(req.uri()), req.headers(),
                new byte[0], RayIds.next()), rejection);
    upgraded = true;
    // The pipeline is switched before the handshake: its write may complete (and start the
    // session) before handshake() returns.
    ChannelPipeline p = ctx.pipeline();
    if (p.get("keepalive") != null) {
      p.remove("keepalive");
    }
    p.replace("idle", "idle", new IdleStateHandler(
        s.config.webSocketPingInterval().toMillis(), 0, 0, TimeUnit.MILLISECONDS));
    p.addBefore(ctx.name(), "ws-aggregator",
        new WebSocketFrameAggregator(maxFrame));
    p.replace(this, "ws", session);
    for (FullHttpRequest r : queued) {
      r.release();
    }
    queued.clear();
    handshaker.handshake(ctx.channel(), req).addListener(f -> {
      if (f.isSuccess()) {
        session.start();
      } else {
        ctx.close();
      }
    });
    ctx.channel().config().setAutoRead(true);
  }

  static boolean isUpgrade(FullHttpRequest req) {
    return req.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)
        && req.headers().contains(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
  }

  static List<String> subprotocols(HttpHeaders headers) {
    List<String> out = new ArrayList<>();
    for (String value : headers.getAll(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL)) {
      for (String p : value.split(",")) {
        String t = p.trim();
        if (!t.isEmpty()) {
          out.add(t);
        }
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- connection events

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent e && e.state() == IdleState.ALL_IDLE) {
      if (!busy) {
        ctx.close();
      }
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    for (FullHttpRequest r : queued) {
      r.release();
    }
    queued.clear();
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof IOException) {
      Failures.LOG.debug("connection {} failed: {}", ctx.channel().remoteAddress(),
          cause.toString());
    } else {
      Failures.LOG.warn("connection {} failed", ctx.channel().remoteAddress(), cause);
    }
    ctx.close();
  }
}
