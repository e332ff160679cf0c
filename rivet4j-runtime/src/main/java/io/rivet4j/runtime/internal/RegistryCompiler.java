package io.rivet4j.runtime.internal;

import io.rivet4j.api.ActionHandler;
import io.rivet4j.api.Actor;
import io.rivet4j.api.ActorContext;
import io.rivet4j.api.ActorHooks;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/** Validates actor definitions and compiles them into {@link ActorTypeDef}s. */
public final class RegistryCompiler {
  static final int MAX_NAME_LENGTH = 64;
  private static final Map<String, String> RENAMED_HOOKS = Map.of(
      "onStart", "onWake", "onStop", "onSleep", "onAuth", "onBeforeConnect",
      "createVars", "the constructor (fields are vars)");

  private RegistryCompiler() {}

  public static Map<String, ActorTypeDef> compile(List<Actor<?>> actors,
      List<Class<?>> implementations) {
    List<String> problems = new ArrayList<>();
    Map<String, ActorTypeDef> out = new LinkedHashMap<>();
    if (actors.isEmpty()) {
      problems.add("the registry has no actors: add one with .actor(Actor.of(...))");
    }
    for (int i = 0; i < actors.size(); i++) {
      Actor<?> actor = actors.get(i);
      int before = problems.size();
      ActorTypeDef def = compileOne(actor, problems);
      Class<?> impl = implementations.get(i);
      if (impl != null && def != null) {
        problems.addAll(hookProblems(def, impl));
      }
      if (def != null && problems.size() == before && out.putIfAbsent(def.name(), def) != null) {
        problems.add("actor name '" + def.name() + "' is registered twice: each actor type needs"
            + " a unique name");
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("invalid registry:\n  - " + String.join("\n  - ",
          problems));
    }
    return Map.copyOf(out);
  }

  @SuppressWarnings("unchecked")
  private static ActorTypeDef compileOne(Actor<?> a, List<String> problems) {
    Actor<Object> actor = (Actor<Object>) a;
    String name = actor.name();
    String where = "actor '" + name + "'";
    if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
      problems.add(where + ": the name must be 1-" + MAX_NAME_LENGTH + " characters");
    }
    for (String dup : actor.duplicateActions()) {
      problems.add(where + ": action '" + dup + "' is defined more than once; action names"
          + " must be unique");
    }
    Map<String, ActionInvoker> actions = new LinkedHashMap<>();
    Optional<Class<?>> contract = actor.contract();
    if (contract.isPresent()) {
      Class<?> c = contract.get();
      if (!c.isInterface()) {
        problems.add(where + ": " + c.getName() + " must be an interface");
      }
      Map<String, List<Method>> byName = new HashMap<>();
      for (Method m : c.getMethods()) {
        if (m.isDefault() || Modifier.isStatic(m.getModifiers())) {
          continue;
        }
        byName.computeIfAbsent(m.getName(), k -> new ArrayList<>()).add(m);
      }
      for (var e : new java.util.TreeMap<>(byName).entrySet()) {
        if (e.getValue().size() > 1) {
          problems.add(where + ": method '" + e.getKey() + "' is overloaded in "
              + c.getSimpleName() + "; action names must be unique, so rename one of them");
          continue;
        }
        Method m = e.getValue().get(0);
        checkSignature(where, m, problems);
        actions.put(m.getName(), ActionInvoker.Typed.of(m));
      }
    }
    for (var e : actor.actions().entrySet()) {
      if (actions.containsKey(e.getKey())) {
        problems.add(where + ": action '" + e.getKey() + "' is defined by the contract and by"
            + " .action(...); keep one");
        continue;
      }
      actions.put(e.getKey(), new ActionInvoker.Builder((ActionHandler<Object>) e.getValue()));
    }
    for (String actionName : actions.keySet()) {
      if (actionName.isEmpty()) {
        problems.add(where + ": an action name is empty");
      }
    }
    for (String pr : actor.queueProblems()) {
      problems.add(where + ": " + pr);
    }
    for (var q : actor.queues().values()) {
      if (q.name().isEmpty()) {
        problems.add(where + ": a queue name is empty");
      }
      Class<?> body = q.bodyType().orElse(null);
      if (body != null && body != io.rivet4j.api.QueueMessage.class) {
        String pr = TypeCheck.problem(body);
        if (pr != null) {
          problems.add(where + ": the body type of queue '" + q.name() + "' ("
              + body.getName() + ") is not serializable: " + pr + "; " + TypeCheck.ALLOWED);
        }
      }
    }
    Optional<Class<Object>> stateType = actor.stateType();
    if (stateType.isPresent()) {
      String pr = TypeCheck.problem(stateType.get());
      if (pr != null) {
        problems.add(where + ": state type " + stateType.get().getName() + " is not"
            + " serializable (" + pr + "); " + TypeCheck.ALLOWED);
      }
    }
    if (actor.initialState().isPresent() && actor.createStateFn().isPresent()) {
      problems.add(where + ": define either initialState(...) or createState(...), not both");
    }
    return new ActorTypeDef(name, actor, Map.copyOf(actions), stateType, actor.options(),
        actor.factory().map(f -> (Function<ActorContext<Object>, ?>) f));
  }

  private static void checkSignature(String where, Method m, List<String> problems) {
    Type[] params = m.getGenericParameterTypes();
    for (int i = 0; i < params.length; i++) {
      if (i == params.length - 1 && params[i] == io.rivet4j.api.ScheduledFireInfo.class) {
        continue;
      }
      String pr = TypeCheck.problem(params[i]);
      if (pr != null) {
        problems.add(where + ": parameter " + (i + 1) + " of action '" + m.getName() + "' ("
            + params[i].getTypeName() + ") is not serializable: " + pr + "; "
            + TypeCheck.ALLOWED);
      }
    }
    Type ret = m.getGenericReturnType();
    if (ret == void.class || ret == Void.class) {
      return;
    }
    if (ret instanceof ParameterizedType p
        && CompletionStage.class.isAssignableFrom((Class<?>) p.getRawType())) {
      ret = p.getActualTypeArguments()[0];
      if (ret == Void.class) {
        return;
      }
    }
    String pr = TypeCheck.problem(ret);
    if (pr != null) {
      problems.add(where + ": the result of action '" + m.getName() + "' ("
          + ret.getTypeName() + ") is not serializable: " + pr + "; " + TypeCheck.ALLOWED);
    }
  }

  /** Problems with the hook methods an implementation class declares. */
  public static List<String> hookProblems(ActorTypeDef def, Class<?> impl) {
    List<String> problems = new ArrayList<>();
    Set<String> known = new TreeSet<>();
    for (Method m : ActorHooks.class.getMethods()) {
      known.add(m.getName());
    }
    for (Method m : impl.getMethods()) {
      String n = m.getName();
      if (m.getDeclaringClass() == Object.class || def.actions().containsKey(n)
          || known.contains(n) || Modifier.isStatic(m.getModifiers())) {
        continue;
      }
      boolean hookLike = (n.length() > 2 && n.startsWith("on") && Character.isUpperCase(n.charAt(2)))
          || RENAMED_HOOKS.containsKey(n);
      if (hookLike) {
        String hint = RENAMED_HOOKS.containsKey(n) ? " (RivetKit 2 calls it "
            + RENAMED_HOOKS.get(n) + ")" : "";
        problems.add("actor '" + def.name() + "': " + impl.getSimpleName() + "." + n
            + " is not a known hook" + hint + "; known hooks: " + String.join(", ", known)
            + (ActorHooks.class.isAssignableFrom(impl) ? ""
                : "; implement ActorHooks to override them"));
      }
    }
    return problems;
  }

  /** A factory that calls {@code impl}'s public constructor taking an {@link ActorContext}. */
  public static <S, T> Function<ActorContext<S>, T> constructorOf(Class<? extends T> impl) {
    Constructor<? extends T> ctor;
    try {
      ctor = impl.getDeclaredConstructor(ActorContext.class);
      ctor.setAccessible(true);
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException(impl.getName() + " needs a constructor taking"
          + " ActorContext<S>", e);
    }
    return c -> {
      try {
        return ctor.newInstance(c);
      } catch (InvocationTargetException e) {
        if (e.getCause() instanceof RuntimeException re) {
          throw re;
        }
        throw new IllegalStateException(e.getCause());
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    };
  }
}
