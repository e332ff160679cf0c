package io.rivet4j.benchmarks.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each dispatch path sets up, runs the counter's increment, and tears down without leftovers. */
class DispatchBenchTest {
  @ParameterizedTest
  @CsvSource({"virtualThread,spin", "virtualThread,join", "directExecutor,spin",
      "directExecutor,join", "inline,join"})
  @Timeout(60)
  void incrementReachesTheActorAndTheNodeCloses(String path, String await) throws Exception {
    DispatchBench bench = new DispatchBench();
    bench.path = path;
    bench.await = await;
    bench.start();
    try {
      long before = (Long) bench.increment();
      assertTrue(before > DispatchBench.WARM_CALLS, "the set-up's calls counted: " + before);
      assertEquals(before + 1, (Long) bench.increment());

      if (!path.equals("virtualThread")) {
        // Without a hand-off the reply is there when call returns. Not always: the relaxed
        // flush (every 10 ms) runs as a task of the actor, and a call that meets it queues.
        int done = 0;
        for (int i = 0; i < 100; i++) {
          CompletableFuture<Object> reply = bench.call();
          done += reply.isDone() ? 1 : 0;
          reply.join();
        }
        assertTrue(done >= 90, path + ": only " + done + " of 100 calls completed on return");
      }
      bench.checkInline(); // inline still (a millisecond stall inside a run would demote it)
    } finally {
      bench.stop();
    }
    assertFalse(Files.exists(bench.dir), "the data directory is deleted");
  }
}
