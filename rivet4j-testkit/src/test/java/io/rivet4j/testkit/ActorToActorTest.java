package io.rivet4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.rivet4j.api.Actor;
import io.rivet4j.api.ActorHandle;
import io.rivet4j.api.Key;
import io.rivet4j.api.RivetError;
import io.rivet4j.runtime.Registry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** {@code c.client()}: actors calling actors in-process. */
class ActorToActorTest {
  private static Registry registry() {
    return Registry.builder()
        .actor(Actor.<Long>builder("worker").initialState(0L)
            .action("add", (c, a) -> c.updateState(s -> s + a.get(0, Long.class)))
            .action("callBack", (c, a) -> c.client().get("coordinator", Key.of(a.get(0,
                String.class))).action("ping", String.class)))
        .actor(Actor.<Long>builder("coordinator").initialState(0L)
            // fan out asynchronously, then sum the replies in a turn of this actor
            .action("fanOut", (c, a) -> {
              int n = a.get(0, Integer.class);
              List<CompletableFuture<Long>> replies = new ArrayList<>();
              for (int i = 0; i < n; i++) {
                replies.add(c.client().getOrCreate("worker", Key.of("w" + i))
                    .actionAsync("add", Long.class, (long) i).toCompletableFuture());
              }
              return CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new))
                  .thenApplyAsync(v -> {
                    long sum = replies.stream().mapToLong(CompletableFuture::join).sum();
                    return c.updateState(s -> s + sum);
                  }, c.executor());
            })
            .action("ping", (c, a) -> "pong")
            // blocks its turn on a worker that calls back into this actor
            .action("cycle", (c, a) -> c.client().getOrCreate("worker", Key.of("w-cycle"))
                .action("callBack", String.class, c.key().parts().get(0))))
        .build();
  }

  @Test
  void aCoordinatorFansOutToAHundredActorsAndBack() {
    try (TestRegistry rivet = TestRegistry.start(registry())) {
      ActorHandle coordinator = rivet.client().getOrCreate("coordinator", Key.of("c"));
      assertEquals(4950L, coordinator.action("fanOut", Long.class, 100));
      assertEquals(4950L + 9900L, coordinator.action("fanOut", Long.class, 100)); // workers now 2i
      assertEquals(99L * 2, rivet.client().get("worker", Key.of("w99"))
          .action("add", Long.class, 0L));
    }
  }

  @Test
  void aBlockingCallCycleEndsWithAClearError() {
    try (TestRegistry rivet = TestRegistry.start(registry())) {
      ActorHandle coordinator = rivet.client().getOrCreate("coordinator", Key.of("a"));
      RivetError e = assertThrows(RivetError.class,
          () -> coordinator.action("cycle", String.class));
      // the worker's call back was refused at once; it reaches the outer caller masked
      assertEquals("actor.call_cycle", e.qualifiedCode());
      assertEquals("pong", coordinator.action("ping", String.class)); // both keep serving
    }
  }
}
