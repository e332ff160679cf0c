package io.rivet4j.runtime.internal;

import io.rivet4j.api.ActorHandle;
import io.rivet4j.api.ActorTypes;
import io.rivet4j.api.Key;
import io.rivet4j.api.RivetError;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Proxy;
import java.lang.reflect.Type;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An in-process handle. Stateless like RivetKit's: key handles resolve on every call (cheap while
 * the actor is awake), id handles go straight to the id.
 */
final class LocalHandle implements ActorHandle {
  private final Node node;
  private final String name;
  private final Key key;
  private final Node.Mode mode;
  private final Object input;
  private final String actorId;

  LocalHandle(Node node, String name, Key key, Node.Mode mode, Object input, String actorId) {
    this.node = node;
    this.name = name;
    this.key = key;
    this.mode = mode;
    this.input = input;
    this.actorId = actorId;
  }

  @Override
  public String resolve() {
    BlockingCalls.mark();
    return actorId != null ? actorId : node.resolve(name, key, mode, input);
  }

  @Override
  public <R> R action(String action, Class<R> resultType, Object... args) {
    return blockingCall(action, Values.list(args), resultType);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <R> CompletionStage<R> actionAsync(String action, Class<R> resultType, Object... args) {
    return call(action, Values.list(args))
        .thenApply(v -> (R) Values.convert(v, resultType, "output of action '" + action + "'"));
  }

  private CompletableFuture<Object> call(String action, List<Object> args) {
    String id;
    try {
      id = resolve();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return node.call(id, name, action, args, null);
  }

  @SuppressWarnings("unchecked")
  private <R> R await(CompletableFuture<Object> reply, String action, Type resultType) {
    // Bounded wait: a blocking call cycle between actors ends with a timeout error.
    long timeout = node.type(name).options().actionTimeout().toMillis();
    Object out;
    try {
      out = reply.get(timeout + 1000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = Errors.unwrap(e);
      if (cause instanceof RivetError re) {
        throw re;
      }
      throw new RivetError("rivetkit", "internal_error", Errors.INTERNAL_MESSAGE, null, cause);
    } catch (TimeoutException e) {
      throw Errors.actionTimedOut(action, node.type(name).options().actionTimeout());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RivetError("actor", "aborted", "interrupted while waiting for action '" + action
          + "'");
    }
    if (resultType == void.class || resultType == Void.class) {
      return null;
    }
    return (R) Values.convert(out, resultType, "output of action '" + action + "'");
  }

  @Override
  public io.rivet4j.api.QueueSendResult send(String queue, Object body,
      io.rivet4j.api.SendOptions options) {
    CompletableFuture<io.rivet4j.api.QueueSendResult> reply;
    try {
      reply = node.queueSend(resolve(), name, queue, body, null, options.waitForCompletion(),
          options.timeout().map(java.time.Duration::toMillis).orElse(-1L));
    } catch (RuntimeException e) {
      reply = CompletableFuture.failedFuture(e);
    }
    long timeout = node.type(name).options().actionTimeout().toMillis();
    try {
      return reply.get(timeout + 1000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = Errors.unwrap(e);
      if (cause instanceof RivetError re) {
        throw re;
      }
      throw new RivetError("rivetkit", "internal_error", Errors.INTERNAL_MESSAGE, null, cause);
    } catch (TimeoutException e) {
      throw Errors.actionTimedOut("queue send", node.type(name).options().actionTimeout());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RivetError("actor", "aborted", "interrupted while sending to queue '" + queue
          + "'");
    }
  }

  @Override
  public <T> T as(Class<T> contract) {
    String contractName = ActorTypes.nameOf(contract);
    if (!contractName.equals(name)) {
      throw new IllegalArgumentException(contract.getName() + " is the contract of '"
          + contractName + "', not of '" + name + "'");
    }
    Object proxy = Proxy.newProxyInstance(contract.getClassLoader(), new Class<?>[] {contract},
        (p, method, args) -> invoke(p, method, args));
    return contract.cast(proxy);
  }

  private Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    if (method.getDeclaringClass() == Object.class) {
      return switch (method.getName()) {
        case "toString" -> "ActorHandle[" + name + (key != null ? " " + key : "")
            + (actorId != null ? " " + actorId : "") + "]";
        case "hashCode" -> System.identityHashCode(proxy);
        case "equals" -> proxy == args[0];
        default -> throw new UnsupportedOperationException(method.getName());
      };
    }
    if (method.isDefault()) {
      return java.lang.reflect.InvocationHandler.invokeDefault(proxy, method, args);
    }
    String action = method.getName();
    Type ret = method.getGenericReturnType();
    if (!CompletionStage.class.isAssignableFrom(method.getReturnType())) {
      return blockingCall(action, Values.list(args), ret);
    }
    Type inner = ret instanceof ParameterizedType p ? p.getActualTypeArguments()[0]
        : Object.class;
    return call(action, Values.list(args)).thenApply(v -> inner == Void.class ? null
        : Values.convert(v, inner, "output of action '" + action + "'"));
  }

  /**
   * A blocking call. From inside an actor's turn, a call that would close a cycle of blocked
   * actors (A waits for B, B calls A) fails at once instead of hanging until the timeout.
   */
  private <R> R blockingCall(String action, List<Object> args, Type resultType) {
    BlockingCalls.mark();
    ActorCell me = ActorCell.current();
    if (me == null) {
      return await(call(action, args), action, resultType);
    }
    String target = resolve();
    String next = target;
    for (int hops = 0; next != null && hops < 1024; hops++) {
      if (next.equals(me.record.actorId())) {
        throw new RivetError("actor", "call_cycle", "actor " + me.record.actorId() + " ('"
            + me.type.name() + "') calls action '" + action + "' of actor " + target + " ('"
            + name + "'), which is itself blocked waiting for the caller: a blocking call"
            + " cycle never finishes; use actionAsync (or a CompletionStage action) for one of"
            + " the calls");
      }
      next = node.waitingOn(next);
    }
    me.waitingOn = target;
    try {
      return await(node.call(target, name, action, args, null), action, resultType);
    } finally {
      me.waitingOn = null;
    }
  }
}
