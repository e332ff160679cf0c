package io.rivet4j.examples.conformance;

import io.rivet4j.api.Actor;
import io.rivet4j.api.ActorContext;

/** The {@code counter} of spec/conformance-actors.md §2. */
public final class CounterActor implements Counter {
  private final ActorContext<CounterState> c;

  public CounterActor(ActorContext<CounterState> c) {
    this.c = c;
  }

  /** The definition to register. */
  public static Actor<CounterState> definition() {
    return Actor.of(Counter.class, CounterActor::new).initialState(new CounterState(0));
  }

  @Override
  public double increment(double amount) {
    double next = c.updateState(s -> new CounterState(s.count() + amount)).count();
    c.broadcast(NEW_COUNT, next);
    return next;
  }

  @Override
  public double getCount() {
    return c.state().count();
  }
}
