package io.rivet4j.testkit;

import io.rivet4j.api.Actor;
import io.rivet4j.api.ActorContext;
import io.rivet4j.api.ActorHooks;
import io.rivet4j.api.Conn;
import io.rivet4j.api.ScheduledEvent;
import io.rivet4j.api.ScheduledFireInfo;
import io.rivet4j.api.UserError;
import io.rivet4j.api.Value;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/** Implementation of {@link Probe}; records its hooks in {@link #LOG}. */
public final class ProbeActor implements Probe, ActorHooks<ProbeState> {
  /** Hook and action log shared with the test (in-process only). */
  public static final List<String> LOG = Collections.synchronizedList(new ArrayList<>());
  /** Gates the test opens. */
  public static final Map<String, CompletableFuture<Object>> GATES = new ConcurrentHashMap<>();
  /** Fire infos received by {@link #addScheduled}. */
  public static final List<ScheduledFireInfo> FIRES = Collections.synchronizedList(
      new ArrayList<>());

  private final ActorContext<ProbeState> c;

  public ProbeActor(ActorContext<ProbeState> c) {
    this.c = c;
    LOG.add("construct");
  }

  public static CompletableFuture<Object> gate(String name) {
    return GATES.computeIfAbsent(name, k -> new CompletableFuture<>());
  }

  public static Actor<ProbeState> definition() {
    return Actor.of(Probe.class, ProbeActor::new)
        .createState(ProbeState.class, (c, input) -> {
          LOG.add("createState " + input.raw().orElse("none"));
          return new ProbeState(input.isNull() ? 0 : input.as(Long.class));
        })
        .onCreate((c, input) -> LOG.add("onCreate"));
  }

  @Override
  public long add(long n) {
    long next = c.updateState(s -> new ProbeState(s.value() + n)).value();
    c.broadcast("added", next);
    return next;
  }

  @Override
  public long get() {
    return c.state().value();
  }

  @Override
  public CompletionStage<Long> getAfter(String gate) {
    return gate(gate).thenApplyAsync(v -> c.state().value(), c.executor());
  }

  @Override
  public CompletionStage<Long> addAfter(String gate, long n) {
    return gate(gate).thenApplyAsync(v -> add(n), c.executor());
  }

  @Override
  public String block(String gate) {
    gate(gate + "-started").complete("started");
    return String.valueOf(gate(gate).join());
  }

  @Override
  public void keepAwakeUntil(String gate) {
    c.keepAwake(gate(gate));
  }

  @Override
  public void sleepNow() {
    c.sleep();
  }

  @Override
  public void destroyNow() {
    c.destroy();
  }

  @Override
  public Object whoAmI() {
    return c.conn().flatMap(Conn::state).orElse(null);
  }

  @Override
  public void emit(String event, Object payload) {
    c.broadcast(event, payload);
  }

  @Override
  public void emitToCaller(String event, Object payload) {
    c.conn().orElseThrow().send(event, payload);
  }

  @Override
  public int connCount() {
    return c.conns().size();
  }

  @Override
  public String scheduleAdd(long delayMs, long n) {
    return c.schedule().after(Duration.ofMillis(delayMs), "addScheduled", n);
  }

  @Override
  public String scheduleMissing(long delayMs) {
    return c.schedule().after(Duration.ofMillis(delayMs), "noSuchAction");
  }

  @Override
  public boolean cancelSchedule(String id) {
    return c.schedule().cancel(id);
  }

  @Override
  public List<String> scheduleIds() {
    return c.schedule().list().stream().map(ScheduledEvent::id).toList();
  }

  @Override
  public long addScheduled(long n, ScheduledFireInfo fire) {
    FIRES.add(fire);
    return add(n);
  }

  @Override
  public void fail(String code, String message) {
    throw new UserError(code, message, Map.of("code", code));
  }

  @Override
  public void crash() {
    throw new IllegalStateException("secret internal detail: do not leak");
  }

  // ---- hooks

  @Override
  public void onWake() {
    LOG.add("onWake " + c.state().value());
  }

  @Override
  public void onSleep() {
    LOG.add("onSleep");
  }

  @Override
  public void onDestroy() {
    LOG.add("onDestroy");
  }

  @Override
  public void onStateChange(ProbeState newState) {
    LOG.add("onStateChange " + newState.value());
  }

  @Override
  public Object onBeforeActionResponse(String action, List<Object> args, Object output) {
    return action.equals("get") && output instanceof Long l && l == 1000 ? 999L : output;
  }

  @Override
  public void onBeforeConnect(Value params) {
    LOG.add("onBeforeConnect");
    if (params.raw().orElse(null) instanceof Map<?, ?> m && "bad".equals(m.get("token"))) {
      throw new UserError("forbidden", "connection rejected");
    }
  }

  @Override
  public Object createConnState(Value params) {
    Object name = params.raw().orElse(null) instanceof Map<?, ?> m ? m.get("name") : null;
    return Map.of("name", name == null ? "anonymous" : name);
  }

  @Override
  public void onConnect(Conn conn) {
    LOG.add("onConnect");
  }

  @Override
  public void onDisconnect(Conn conn) {
    LOG.add("onDisconnect");
  }
}
