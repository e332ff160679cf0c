package io.rivet4j.runtime.internal;

import io.rivet4j.api.Actor;
import io.rivet4j.api.ActorContext;
import io.rivet4j.api.ActorHooks;
import io.rivet4j.api.ActorOptions;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** A validated actor definition, ready to run. Immutable. */
public record ActorTypeDef(
    String name,
    Actor<Object> definition,
    Map<String, ActionInvoker> actions,
    Optional<Class<Object>> stateType,
    ActorOptions options,
    Optional<Function<ActorContext<Object>, ?>> factory) {

  /** Hooks of an instance, or the no-op hooks. */
  @SuppressWarnings("unchecked")
  static ActorHooks<Object> hooksOf(Object instance) {
    return instance instanceof ActorHooks<?> h ? (ActorHooks<Object>) h : NO_HOOKS;
  }

  static final ActorHooks<Object> NO_HOOKS = new ActorHooks<>() {};
}
