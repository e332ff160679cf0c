package io.rivet4j.examples.conformance;

import io.rivet4j.api.Actor;
import io.rivet4j.api.ActorContext;
import io.rivet4j.api.ActorHooks;
import io.rivet4j.api.Args;
import io.rivet4j.api.Conn;
import io.rivet4j.api.RawWebSocket;
import io.rivet4j.api.Request;
import io.rivet4j.api.Response;
import io.rivet4j.api.UserError;
import io.rivet4j.api.Value;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The {@code conformance} actor of spec/conformance-actors.md §4: typed actions from
 * {@link Conformance}, builder actions for the JavaScript-style dynamic ones, hooks for every
 * lifecycle step the client can observe. An instance is built on every start, so {@link #nonce}
 * is RivetKit's {@code vars.nonce}.
 */
public final class ConformanceActor implements Conformance, ActorHooks<ConformanceState> {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final ActorContext<ConformanceState> c;
  private final String nonce = randomHex(12); // createVars: new on every start

  public ConformanceActor(ActorContext<ConformanceState> c) {
    this.c = c;
  }

  /** The definition to register. */
  public static Actor<ConformanceState> definition() {
    return Actor.of(Conformance.class, ConformanceActor::new)
        .createState(ConformanceState.class,
            (c, input) -> new ConformanceState(input.raw().orElse(null), 0, 0))
        .action("echo", (c, args) -> args.get(0).raw().orElse(null))
        .action("increment", ConformanceActor::increment)
        .action("throwUserError", ConformanceActor::throwUserError)
        .action("emit", ConformanceActor::emit)
        .action("emitToCaller", ConformanceActor::emitToCaller)
        .action("scheduleIncrement", ConformanceActor::scheduleIncrement)
        .action("slowEcho", ConformanceActor::slowEcho);
  }

  // ---------------------------------------------------------------- hooks

  @Override
  public void onWake() {
    c.updateState(s -> new ConformanceState(s.input(), s.count(), s.wakes() + 1));
  }

  @Override
  public void onBeforeConnect(Value params) {
    if (params.raw().orElse(null) instanceof Map<?, ?> p && "bad".equals(p.get("token"))) {
      throw new UserError("forbidden", "connection rejected");
    }
  }

  @Override
  public Object createConnState(Value params) {
    Object name = params.raw().orElse(null) instanceof Map<?, ?> p ? p.get("name") : null;
    Map<String, Object> state = new LinkedHashMap<>(2);
    state.put("name", name != null ? name : "anonymous");
    return state;
  }

  /** conformance-actors.md §4.3: {@code GET /hello}, {@code POST /echo}, else 404. */
  @Override
  public Response onRequest(Request request) {
    if (request.method().equals("GET") && request.path().equals("/hello")) {
      return Response.text(200, "hello " + String.join(",", c.key().parts()));
    }
    if (request.method().equals("POST") && request.path().equals("/echo")) {
      return Response.of(200, request.header("content-type").orElse("application/octet-stream"),
          request.body());
    }
    return Response.text(404, "not found");
  }

  /** conformance-actors.md §4.4: {@code welcome}, then every frame echoed as it came. */
  @Override
  public void onWebSocket(RawWebSocket socket) {
    socket.send("welcome");
    socket.onMessage(socket::send);
  }

  // ---------------------------------------------------------------- typed actions

  @Override
  public Object getInput() {
    return c.state().input();
  }

  @Override
  public List<String> getKey() {
    return c.key().parts();
  }

  @Override
  public String getActorId() {
    return c.actorId();
  }

  @Override
  public double getCount() {
    return c.state().count();
  }

  @Override
  public Object throwInternal() {
    throw new IllegalStateException("secret internal detail: do not leak");
  }

  @Override
  public Object whoAmI() {
    return c.conn().flatMap(Conn::state).orElse(null);
  }

  @Override
  public int connCount() {
    return c.conns().size();
  }

  @Override
  public long getWakes() {
    return c.state().wakes();
  }

  @Override
  public String getVarsNonce() {
    return nonce;
  }

  @Override
  public Object goToSleep() {
    c.sleep();
    return null;
  }

  @Override
  public Object destroySelf() {
    c.destroy();
    return null;
  }

  // ---------------------------------------------------------------- builder actions

  /** {@code count += typeof n === "number" ? n : 1}. */
  static double increment(ActorContext<ConformanceState> c, Args args) {
    Object n = args.get(0).raw().orElse(null);
    double add = isJsNumber(n) ? ((Number) n).doubleValue() : 1;
    return c.updateState(s -> new ConformanceState(s.input(), s.count() + add, s.wakes()))
        .count();
  }

  /** {@code throw new UserError(message, {code, metadata})}; no metadata when not given. */
  static Object throwUserError(ActorContext<ConformanceState> c, Args args) {
    Object code = args.get(0).raw().orElse(null);
    Object message = args.get(1).raw().orElse(null);
    String codeText = code == null ? UserError.DEFAULT_CODE : String.valueOf(code);
    String messageText = message == null ? "" : String.valueOf(message);
    Object metadata = args.size() > 2 ? args.get(2).raw().orElse(null) : null;
    throw new UserError(codeText, messageText, metadata);
  }

  /** Broadcasts {@code eventName(payload)} to its subscribers; returns {@code null}. */
  static Object emit(ActorContext<ConformanceState> c, Args args) {
    c.broadcast(eventName(args), args.get(1).raw().orElse(null));
    return null;
  }

  /** Sends {@code eventName(payload)} to the calling connection only; returns {@code null}. */
  static Object emitToCaller(ActorContext<ConformanceState> c, Args args) {
    String name = eventName(args);
    Object payload = args.get(1).raw().orElse(null);
    c.conn().ifPresent(conn -> conn.send(name, payload));
    return null;
  }

  /**
   * Durably schedules {@code increment(n)} after {@code delayMs}; returns {@code null}. A delay
   * that is not a number ≥ 0 is a bug in the caller (RivetKit's {@code schedule.after} throws), so
   * it surfaces as a masked internal error.
   */
  static Object scheduleIncrement(ActorContext<ConformanceState> c, Args args) {
    Object delay = args.get(0).raw().orElse(null);
    if (!isJsNumber(delay) || !(((Number) delay).doubleValue() >= 0)
        || Double.isInfinite(((Number) delay).doubleValue())) {
      throw new IllegalArgumentException("delayMs must be a finite number >= 0, got " + delay);
    }
    long delayMs = millis(args.get(0));
    c.schedule().after(Duration.ofMillis(delayMs), "increment", args.get(1).raw().orElse(null));
    return null;
  }

  /** Returns {@code value} after {@code ms} without holding up the actor's other actions. */
  static CompletionStage<Object> slowEcho(ActorContext<ConformanceState> c, Args args) {
    long ms = millis(args.get(0));
    Object value = args.get(1).raw().orElse(null);
    return CompletableFuture.supplyAsync(() -> value,
        CompletableFuture.delayedExecutor(ms, TimeUnit.MILLISECONDS));
  }

  // ---------------------------------------------------------------- helpers

  /** JavaScript {@code typeof v === "number"}: bigints ({@code BigInteger}) are not numbers. */
  private static boolean isJsNumber(Object v) {
    return v instanceof Long || v instanceof Double || v instanceof Integer
        || v instanceof Short || v instanceof Byte || v instanceof Float;
  }

  private static String eventName(Args args) {
    Object name = args.get(0).raw().orElse(null);
    if (!(name instanceof String s)) {
      // RivetKit's c.broadcast throws a plain error here: callers see a masked internal error
      throw new IllegalArgumentException("eventName must be a string, got " + name);
    }
    return s;
  }

  /** A delay in milliseconds, as {@code setTimeout} reads it: not a number or negative is 0. */
  private static long millis(Value v) {
    Object raw = v.raw().orElse(null);
    if (!isJsNumber(raw)) {
      return 0;
    }
    double d = ((Number) raw).doubleValue();
    return Double.isNaN(d) || d < 0 ? 0 : (long) Math.min(d, Long.MAX_VALUE / 2);
  }

  private static String randomHex(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
