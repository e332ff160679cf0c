package io.rivet4j.examples.counter;

import io.rivet4j.api.Actor;
import io.rivet4j.api.ActorContext;
import io.rivet4j.api.ActorHooks;
import io.rivet4j.api.UserError;
import java.time.Duration;
import java.util.Map;

/** The counter: durable count, a var, a schedule and RivetKit's error rules in a few lines. */
public final class CounterActor implements Counter, ActorHooks<CounterState> {
  private final ActorContext<CounterState> c;
  private long calls; // a var: rebuilt on every wake

  public CounterActor(ActorContext<CounterState> c) {
    this.c = c;
  }

  /** The definition to register: {@code Registry.builder().actor(CounterActor.definition())}. */
  public static Actor<CounterState> definition() {
    return Actor.of(Counter.class, CounterActor::new).initialState(new CounterState(0))
        // handle.send("increments", 5): queued durably, applied one at a time and exactly once
        // (the message leaves the queue in the same commit as the new count); a sender that
        // waits gets the new count back
        .queue("increments", Long.class, CounterActor::add);
  }

  @Override
  public long increment(long amount) {
    calls++;
    return add(c, amount);
  }

  /** Adds {@code amount} (≥ 0) and tells subscribers; the action and the queue share it. */
  private static long add(ActorContext<CounterState> c, long amount) {
    if (amount < 0) {
      throw new UserError("invalid_amount", "amount must be 0 or more, got " + amount,
          Map.of("amount", amount));
    }
    long next = c.updateState(s -> new CounterState(s.count() + amount)).count();
    c.broadcast(NEW_COUNT, next);
    return next;
  }

  @Override
  public long getCount() {
    calls++;
    return c.state().count();
  }

  @Override
  public String incrementLater(long delayMs, long amount) {
    calls++;
    return c.schedule().after(Duration.ofMillis(delayMs), "increment", amount);
  }

  @Override
  public long callsSinceWake() {
    return ++calls;
  }

  @Override
  public long average(long periods) {
    calls++;
    return c.state().count() / periods;
  }

  @Override
  public void destroy() {
    c.destroy();
  }
}
