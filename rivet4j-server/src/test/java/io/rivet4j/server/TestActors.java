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

  /** Close codes and reasons the raw actor's sockets saw, as "key code reason". */
  static final BlockingQueue<String> RAW_CLOSED = new LinkedBlockingQueue<>();

  /** The raw actor: onRequest and onWebSocket (client-protocol.md §6). State: a request count. */
  static final class RawHooks implements ActorHooks<Long> {
    private final io.rivet4j.api.ActorContext<Long> c;

    RawHooks(io.rivet4j.api.ActorContext<Long> c) {
      this.c = c;
    }

    @Override
    public void onBeforeConnect(Value params) {
      Object raw = params.raw().orElse(null);
      if (raw instanceof Map<?, ?> m && "bad".equals(m.get("token"))) {
        throw new UserError("forbidden", "connection rejected");
      }
    }

    @Override
    public void onDisconnect(Conn conn) {
      DISCONNECTED.add(conn.id());
    }

    @Override
    public io.rivet4j.api.Response onRequest(io.rivet4j.api.Request r) {
      long n = c.updateState(x -> x + 1);
      return switch (r.path()) {
        case "/boom" -> throw new IllegalStateException("secret detail");
        case "/user" -> throw new UserError("teapot", "short and stout");
        case "/null" -> null;
        case "/echo" -> io.rivet4j.api.Response.of(201, r.header("content-type")
            .orElse("application/octet-stream"), r.body());
        default -> {
          Conn conn = c.conn().orElseThrow();
          String info = r.method() + " " + r.path() + " ?" + r.query() + " n=" + n
              + " params=" + conn.params().raw().orElse(null) + " conns=" + c.conns().size()
              + " x-my=" + r.header("X-My").orElse("-") + " ray=" + r.header("x-rivet-ray-id")
              .isPresent() + " url=" + r.url();
          yield io.rivet4j.api.Response.text(200, info).withHeader("x-custom", "yes")
              .withHeader("content-length", "999");
        }
      };
    }

    @Override
    public void onWebSocket(io.rivet4j.api.RawWebSocket ws) {
      ws.send("welcome " + ws.request().path() + " ?" + ws.request().query() + " params="
          + ws.conn().params().raw().orElse(null));
      ws.onMessage(m -> {
        if (m instanceof io.rivet4j.api.RawWebSocket.Message.Text t) {
          switch (t.text()) {
            case "bye" -> {
              ws.close(4000, "bye yourself");
              return;
            }
            case "count" -> {
              ws.send("count " + c.updateState(x -> x + 1));
              return;
            }
            case "sleep" -> {
              c.sleep();
              return;
            }
            case "fail" -> throw new IllegalStateException("listener failure");
            default -> { }
          }
        }
        ws.send(m);
      });
      ws.onClose((code, reason) -> RAW_CLOSED.add(c.key().parts().get(0) + " " + code + " "
          + reason));
    }
  }

  static Actor<Long> raw() {
    return Actor.<Long>builder("raw", RawHooks::new).initialState(0L)
        .action("count", (c, args) -> c.state())
        .action("conns", (c, args) -> c.conns().size());
  }

  static Registry registry() {
    Actor<CounterState> counter = Actor.<CounterState>builder("counter", c -> new Hooks())
        .createState(CounterState.class, (c, input) -> new CounterState(0,
            input.raw().orElse(null)))
        .queue("jobs") // as the reference: declared, no consumer
        .canPublish("jobs", c -> !"nope".equals(c.conn().flatMap(conn -> conn.params().raw())
            .map(p -> p instanceof Map<?, ?> m ? m.get("token") : null).orElse(null)))
        .queue("double", Long.class, (c, n) -> n == null ? null : n * 2)
        .queue("tally", Long.class, (c, n) -> c.updateState(s -> new CounterState(s.count() + n,
            s.input())).count())
        .options(o -> o.withMaxQueueSize(5).withMaxQueueMessageSize(64))
        .action("queueSize", (c, args) -> c.queue().size())
        .action("takeJobs", (c, args) -> c.queue().tryNextBatch(10, "jobs").stream()
            .map(m -> m.body().raw().orElse(null)).toList())
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
        .action("thread", (c, args) -> Thread.currentThread().isVirtual() ? "virtual"
            : Thread.currentThread().getName())
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
    return Registry.builder().actor(counter).actor(raw()).build();
  }
}
