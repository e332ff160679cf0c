package io.rivet4j.runtime;

import io.rivet4j.api.Actor;
import io.rivet4j.api.ActorContext;
import io.rivet4j.api.ActorHooks;
import io.rivet4j.runtime.internal.RegistryCompiler;
import io.rivet4j.runtime.internal.ActorTypeDef;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The actor types a node serves. {@link Builder#build()} validates every definition and fails
 * with a message that says what to fix: duplicate actor or action names, overloaded contract
 * methods, types that cannot be serialized, unknown hook names.
 *
 * <pre>{@code
 * Registry registry = Registry.builder()
 *     .actor(Actor.of(Counter.class, CounterActor::new).initialState(new CounterState(0)))
 *     .build();
 * }</pre>
 */
public final class Registry {
  private final Map<String, ActorTypeDef> types;

  private Registry(Map<String, ActorTypeDef> types) {
    this.types = types;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The names of the actor types, in registration order. */
  public Set<String> actorNames() {
    return Collections.unmodifiableSet(types.keySet());
  }

  /** For the runtime. */
  public Map<String, ActorTypeDef> types() {
    return types;
  }

  /** Collects actor definitions. */
  public static final class Builder {
    private final List<Actor<?>> actors = new ArrayList<>();
    private final List<Class<?>> implementations = new ArrayList<>();

    private Builder() {}

    public Builder actor(Actor<?> actor) {
      actors.add(actor);
      implementations.add(null);
      return this;
    }

    /**
     * Registers the typed form with an implementation class whose public constructor takes the
     * {@link ActorContext}; lets the registry check the class's hook names when it is built.
     */
    public <T, S> Builder actor(Class<T> contract, Class<? extends T> implementation,
        java.util.function.UnaryOperator<Actor<S>> configure) {
      Actor<S> actor = configure.apply(Actor.of(contract, RegistryCompiler.constructorOf(
          implementation)));
      actors.add(actor);
      implementations.add(implementation);
      return this;
    }

    /** Validates and freezes; throws {@link IllegalArgumentException} listing every problem. */
    public Registry build() {
      return new Registry(RegistryCompiler.compile(actors, implementations));
    }
  }

  /** Hook method names an actor implementation may declare (RivetKit's). */
  public static Set<String> hookNames() {
    Set<String> names = new java.util.TreeSet<>();
    for (var m : ActorHooks.class.getMethods()) {
      names.add(m.getName());
    }
    return names;
  }
}
