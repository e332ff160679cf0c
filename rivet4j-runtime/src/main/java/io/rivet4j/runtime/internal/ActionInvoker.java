package io.rivet4j.runtime.internal;

import io.rivet4j.api.ActionHandler;
import io.rivet4j.api.ActorContext;
import io.rivet4j.api.ScheduledFireInfo;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.List;

/** Calls one action of an actor with plain or in-process argument values. */
sealed interface ActionInvoker {
  Object invoke(ActorContext<?> c, Object instance, List<Object> args, ScheduledFireInfo fire)
      throws Throwable;

  /** A method of a contract interface, called on the actor instance. */
  record Typed(String action, MethodHandle handle, Type[] params, boolean takesFireInfo)
      implements ActionInvoker {
    static Typed of(Method m) {
      try {
        m.setAccessible(true);
        MethodHandle mh = MethodHandles.publicLookup().unreflect(m);
        Type[] generic = m.getGenericParameterTypes();
        boolean fire = generic.length > 0
            && generic[generic.length - 1] == ScheduledFireInfo.class;
        MethodHandle spread = mh.asSpreader(Object[].class, generic.length)
            .asType(MethodType.methodType(Object.class, Object.class, Object[].class));
        return new Typed(m.getName(), spread, generic, fire);
      } catch (IllegalAccessException e) {
        throw new IllegalArgumentException("cannot call " + m + ": " + e.getMessage(), e);
      }
    }

    @Override
    public Object invoke(ActorContext<?> c, Object instance, List<Object> args,
        ScheduledFireInfo fire) throws Throwable {
      int n = params.length;
      int userParams = takesFireInfo ? n - 1 : n;
      Object[] call = new Object[n];
      for (int i = 0; i < userParams; i++) {
        Object v = i < args.size() ? args.get(i) : null;
        call[i] = Values.convert(v, params[i], "argument " + (i + 1) + " of action '" + action
            + "'");
      }
      if (takesFireInfo) {
        call[n - 1] = fire;
      }
      return handle.invokeExact(instance, call);
    }
  }

  /** A raw request's {@code onRequest} hook, run as an action. */
  record OnRequest(io.rivet4j.api.Request request) implements ActionInvoker {
    @Override
    public Object invoke(ActorContext<?> c, Object instance, List<Object> args,
        ScheduledFireInfo fire) {
      io.rivet4j.api.Response r = ActorTypeDef.hooksOf(instance).onRequest(request);
      if (r == null) {
        throw new IllegalStateException("onRequest returned null: it must return a Response"
            + " (e.g. Response.status(404))");
      }
      return r;
    }
  }

  /** A queue consumer handler, run as an action on one message. */
  record Consume(ActorQueue queue, ActorQueue.Msg message,
      io.rivet4j.api.Actor.QueueDeclaration<Object> declaration) implements ActionInvoker {
    @Override
    @SuppressWarnings("unchecked")
    public Object invoke(ActorContext<?> c, Object instance, List<Object> args,
        ScheduledFireInfo fire) throws Throwable {
      Object body = queue.handlerArgument(message, declaration.bodyType().orElseThrow());
      var handler = (io.rivet4j.api.QueueHandler<Object, Object>) declaration.handler()
          .orElseThrow();
      return handler.handle((ActorContext<Object>) c, body);
    }
  }

  /** A builder-form action. */
  record Builder(ActionHandler<Object> handler) implements ActionInvoker {
    @Override
    @SuppressWarnings("unchecked")
    public Object invoke(ActorContext<?> c, Object instance, List<Object> args,
        ScheduledFireInfo fire) throws Throwable {
      return handler.handle((ActorContext<Object>) c, new PlainArgs(args));
    }
  }
}
