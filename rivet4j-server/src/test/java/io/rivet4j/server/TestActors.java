package io.rivet4j.server;

import io.rivet4j.api.Actor;
import io.rivet4j.api.ActorHooks;
import io.rivet4j.api.Conn;
import io.rivet4j.api.UserError;
import io.rivet4j.api.Value;
import io.rivet4j.runtime.Registry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/** The reference actor of client-protocol.md §10, in Rivet4j's builder form. */
final class TestActors {
  /** Ids of connections the actor saw disconnect (onDisconnect), in order. */
  static final BlockingQueue<String> DISCONNECTED = new LinkedBlockingQueue<>();

  /** State: the count and the creation input. */
  record CounterState(long count, Object input) {}

  private TestActors() {}

  /** Hooks of the counter: onBeforeConnect rejects params {@code {"reject": true}}. */
  static final class Hooks implements ActorHooks<CounterState> {
    @Override
    public void onBeforeConnect(Value params) {
      Object raw = params.raw().orElse(null);
      if (raw instanceof Map<?, ?> m && Boolean.TRUE.equals(m.get("reject"))) {
        throw new UserError("rejected", "connection rejected by onBeforeConnect",
            Map.of("why", "test"));
      }
    }

    @Override
    public void onDisconnect(Conn conn) {
      DISCONNECTED.add(conn.id());
    }
  }

  static Registry registry() {
    Actor<CounterState> counter = Actor.<CounterState>builder("counter", c -> new Hooks())
        .createState(CounterState.class, (c, input) -> new CounterState(0,
            input.raw().orElse(null)))
        .action("increment", (c, args) -> {
          long amount = args.size() == 0 || args.get(0).isNull() ? 1 : args.get(0, Long.class);
          long next = c.updateState(s -> new CounterState(s.count() + amount, s.input())).count();
          c.broadcast("newCount", next);
          return next;
        })
        .action("getCount", (c, args) -> c.state().count())
        .action("getInput", (c, args) -> {
          Map<String, Object> out = new LinkedHashMap<>();
          out.put("input", c.state().input());
          out.put("key", c.key().parts());
          out.put("params", c.conn().flatMap(conn -> conn.params().raw()).orElse(null));
          out.put("actorId", c.actorId());
          return out;
        })
        .action("echo", (c, args) -> args.raw())
        .action("failUser", (c, args) -> {
          throw new UserError("my_code", "bad thing", Map.of("foo", 1));
        })
        .action("failInternal", (c, args) -> {
          throw new IllegalStateException("secret internal detail");
        })
        .action("kick", (c, args) -> {
          c.conn().orElseThrow().disconnect("kicked by server");
          return "ok";
        })
        .action("sendToMe", (c, args) -> {
          c.conn().orElseThrow().send("private", 1, "two");
          return true;
        })
        .action("big", (c, args) -> "x".repeat(args.get(0, Integer.class)))
        .action("spam", (c, args) -> {
          int n = args.get(0, Integer.class);
          String payload = "y".repeat(args.get(1, Integer.class));
          for (int i = 0; i < n; i++) {
            c.broadcast("spam", payload);
          }
          return n;
        })
        .action("connCount", (c, args) -> c.conns().size())
        .action("failUnsendable", (c, args) -> {
          List<Object> cycle = new java.util.ArrayList<>();
          cycle.add(cycle);
          throw new UserError("odd", "odd metadata", cycle);
        })
        .action("unsendable", (c, args) -> {
          List<Object> cycle = new java.util.ArrayList<>();
          cycle.add(cycle); // JavaScript values cannot contain themselves
          return cycle;
        });
    return Registry.builder().actor(counter).build();
  }
}
