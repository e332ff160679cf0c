package io.rivet4j.client;

import io.rivet4j.api.Actor;
import io.rivet4j.api.ActorHooks;
import io.rivet4j.api.UserError;
import io.rivet4j.api.Value;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;

/** The server side of the tests: client-protocol.md §10's reference actor, in builder form. */
final class ProbeActor {
  /** Tags of {@code hold} calls the actor has started. */
  static final BlockingQueue<String> HOLDING = new LinkedBlockingQueue<>();
  /** The futures {@code hold(tag)} returns; a test completes them. */
  static final Map<String, CompletableFuture<Object>> HELD = new ConcurrentHashMap<>();

  record State(long count, Object input) {}

  private ProbeActor() {}

  /** onBeforeConnect refuses params {@code {"reject": true}}, as the reference does. */
  static final class Hooks implements ActorHooks<State> {
    @Override
    public void onBeforeConnect(Value params) {
      Object raw = params.raw().orElse(null);
      if (raw instanceof Map<?, ?> m && Boolean.TRUE.equals(m.get("reject"))) {
        throw new UserError("rejected", "connection rejected by onBeforeConnect",
            Map.of("why", "test"));
      }
    }
  }

  static Actor<State> definition() {
    return Actor.<State>builder("probe", c -> new Hooks())
        .createState(State.class, (c, input) -> new State(0, input.raw().orElse(null)))
        .queue("jobs")
        .queue("double", Long.class, (c, n) -> n * 2)
        .action("takeJobs", (c, args) -> c.queue().tryNextBatch(10, "jobs").stream()
            .map(m -> m.body().raw().orElse(null)).toList())
        .action("increment", (c, args) -> {
          long amount = args.size() == 0 || args.get(0).isNull() ? 1 : args.get(0, Long.class);
          long next = c.updateState(s -> new State(s.count() + amount, s.input())).count();
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
        .action("first", (c, args) -> args.get(0).raw().orElse(null))
        .action("failUser", (c, args) -> {
          throw new UserError("my_code", "bad thing", Map.of("foo", 1));
        })
        .action("failInternal", (c, args) -> {
          throw new IllegalStateException("secret internal detail");
        })
        .action("sendToMe", (c, args) -> {
          c.conn().orElseThrow().send("private", 1, "two");
          return true;
        })
        .action("kick", (c, args) -> {
          c.conn().orElseThrow().disconnect("kicked by server");
          return "ok";
        })
        .action("hold", (c, args) -> {
          String tag = args.get(0, String.class);
          CompletableFuture<Object> f = HELD.computeIfAbsent(tag, t -> new CompletableFuture<>());
          HOLDING.add(tag);
          return f;
        });
  }
}
