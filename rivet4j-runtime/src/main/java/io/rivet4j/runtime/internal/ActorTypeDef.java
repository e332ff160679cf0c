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
    Optional<Function<ActorContext<Object>, ?>> factory,
    Map<String, InlineProfile> inline) {

  ActorTypeDef(String name, Actor<Object> definition, Map<String, ActionInvoker> actions,
      Optional<Class<Object>> stateType, ActorOptions options,
      Optional<Function<ActorContext<Object>, ?>> factory) {
    this(name, definition, actions, stateType, options, factory, profiles(actions));
  }

  private static Map<String, InlineProfile> profiles(Map<String, ActionInvoker> actions) {
    Map<String, InlineProfile> out = new java.util.HashMap<>();
    for (String action : actions.keySet()) {
      out.put(action, new InlineProfile());
    }
    return Map.copyOf(out);
  }

  /** The declaration of queue {@code name}, if the definition declares it. */
  Optional<Actor.QueueDeclaration<Object>> queue(String queueName) {
    return Optional.ofNullable(definition.queues().get(queueName));
  }

  /** True when queue {@code name} has a consumer handler. */
  boolean consumes(String queueName) {
    Actor.QueueDeclaration<Object> q = definition.queues().get(queueName);
    return q != null && q.handler().isPresent();
  }

  /** True when the definition declares queues (their messages are loaded on every start). */
  boolean declaresQueues() {
    return !definition.queues().isEmpty();
  }

  /** Hooks of an instance, or the no-op hooks. */
  @SuppressWarnings("unchecked")
  static ActorHooks<Object> hooksOf(Object instance) {
    return instance instanceof ActorHooks<?> h ? (ActorHooks<Object>) h : NO_HOOKS;
  }

  static final ActorHooks<Object> NO_HOOKS = new ActorHooks<>() {};

  /** Whether an implementation class overrides {@code onRequest}. */
  static final ClassValue<Boolean> HANDLES_REQUESTS =
      overrides("onRequest", io.rivet4j.api.Request.class);

  static boolean handles(ClassValue<Boolean> hook, Object instance) {
    return instance instanceof ActorHooks<?> && hook.get(instance.getClass());
  }

  private static ClassValue<Boolean> overrides(String method, Class<?> param) {
    return new ClassValue<>() {
      @Override
      protected Boolean computeValue(Class<?> c) {
        try {
          return c.getMethod(method, param).getDeclaringClass() != ActorHooks.class;
        } catch (NoSuchMethodException e) {
          return false;
        }
      }
    };
  }
}
