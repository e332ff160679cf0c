package io.rivet4j.client.internal;

import io.rivet4j.api.ActorTypes;
import java.lang.reflect.Array;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Proxy;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A contract interface as a dynamic proxy: every abstract method is the action of its name,
 * called with its arguments. A method returning {@code CompletionStage} (or
 * {@code CompletableFuture}) is async; any other blocks for the result and converts it to the
 * declared (generic) return type. Default methods run as written; {@code Object} methods are
 * the proxy's own.
 */
final class ContractProxy {
  /** Sends one action; the future holds the plain output. */
  interface Invoker {
    CompletableFuture<Object> invoke(String action, List<Object> args);
  }

  /** Makes a synchronous call ({@code call} sends it) and waits for its output. */
  interface Waiter {
    Object await(Supplier<CompletableFuture<Object>> call, String action);
  }

  private ContractProxy() {}

  /**
   * The proxy of {@code contract} for actor {@code name}.
   *
   * @throws IllegalArgumentException when {@code contract} is not the contract of {@code name}
   */
  /** The call's arguments; a varargs array is spread, as JavaScript spreads {@code ...args}. */
  static List<Object> arguments(Method method, Object[] args) {
    if (args == null) {
      return List.of();
    }
    List<Object> list = new ArrayList<>(Arrays.asList(args));
    if (method.isVarArgs() && !list.isEmpty()) {
      Object last = list.remove(list.size() - 1);
      if (last != null) {
        for (int i = 0; i < Array.getLength(last); i++) {
          list.add(Array.get(last, i));
        }
      }
    }
    return list;
  }

  static <T> T create(Class<T> contract, String name, String label, Invoker invoker,
      Waiter waiter) {
    String contractName = ActorTypes.nameOf(contract);
    if (!contract.isInterface()) {
      throw new IllegalArgumentException(contract.getName() + " is not an interface; actor"
          + " contracts are interfaces annotated with @ActorType");
    }
    if (!contractName.equals(name)) {
      throw new IllegalArgumentException(contract.getName() + " is the contract of '"
          + contractName + "', not of '" + name + "'");
    }
    InvocationHandler handler = (proxy, method, args) ->
        invoke(proxy, method, args, label, invoker, waiter);
    return contract.cast(Proxy.newProxyInstance(contract.getClassLoader(),
        new Class<?>[] {contract}, handler));
  }

  /**
   * {@code source.thenApply(map)}, whose cancellation also cancels {@code source} (so a queued
   * action that is cancelled is never sent).
   */
  static <R> CompletableFuture<R> cancellable(CompletableFuture<Object> source,
      Function<Object, R> map) {
    CompletableFuture<R> out = source.thenApply(map);
    out.whenComplete((v, e) -> {
      if (out.isCancelled()) {
        source.cancel(false);
      }
    });
    return out;
  }

  private static Object invoke(Object proxy, Method method, Object[] args, String label,
      Invoker invoker, Waiter waiter) throws Throwable {
    if (method.getDeclaringClass() == Object.class) {
      return switch (method.getName()) {
        case "toString" -> label;
        case "hashCode" -> System.identityHashCode(proxy);
        case "equals" -> proxy == args[0];
        default -> throw new UnsupportedOperationException(method.getName());
      };
    }
    if (method.isDefault()) {
      return InvocationHandler.invokeDefault(proxy, method, args);
    }
    String action = method.getName();
    List<Object> list = arguments(method, args);
    Type returnType = method.getGenericReturnType();
    String what = "the output of action '" + action + "'";
    if (CompletionStage.class.isAssignableFrom(method.getReturnType())) {
      Type inner = returnType instanceof ParameterizedType p ? p.getActualTypeArguments()[0]
          : Object.class;
      return cancellable(invoker.invoke(action, list), v -> Conversions.convert(v, inner, what));
    }
    Object output = waiter.await(() -> invoker.invoke(action, list), action);
    return Conversions.convert(output, returnType, what);
  }
}
