package io.rivet4j.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rivet4j.runtime.Durability;
import io.rivet4j.server.RivetServer;
import io.rivet4j.server.ServerConfig;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Netty load generator against the bare echo and against Rivet4j: a fixed number of
 * requests, every reply checked (the echo returns the request; the counters end at exactly the
 * increments sent to them).
 */
class NettyWsDriverTest {
  @ParameterizedTest(name = "{0} event loop(s)")
  @ValueSource(ints = {1, 2})
  @Timeout(60)
  void echoAnswersEveryRequest(int threads) throws Exception {
    int sockets = 50;
    int total = 2_000;
    try (NetworkBench.EchoServer echo = NetworkBench.EchoServer.start();
        NettyWsDriver driver = new NettyWsDriver(false, threads)) {
      URI ws = URI.create("ws://127.0.0.1:" + echo.port() + "/ws");
      driver.open(java.util.Collections.nCopies(sockets, ws));
      driver.startFixed(16, total);
      assertTrue(driver.awaitIdle(TimeUnit.SECONDS.toNanos(30)),
          () -> driver.outstanding() + " requests still outstanding");

      assertEquals(0, driver.errors.get(), driver::firstError);
      assertEquals(total, driver.ops.get());
      assertEquals(total, driver.recorder.getIntervalHistogram().getTotalCount());
      for (int i = 0; i < sockets; i++) {
        assertEquals(total / sockets, driver.sent(i), "round-robin share of socket " + i);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Durability.class)
  @Timeout(120)
  void countersEndAtTheIncrementsSentToThem(Durability durability, @TempDir Path tmp)
      throws Exception {
    int actors = 20;
    int hotSockets = 4;
    int total = 2_400; // 100 per socket
    try (BenchNode node = BenchNode.open(tmp, durability, Duration.ofHours(1));
        RivetServer server = RivetServer.start(node.rivet, ServerConfig.defaults().withPort(0));
        NettyWsDriver driver = new NettyWsDriver(true, 1)) {
      String[] ids = node.createCounters("gen-", actors + 1, 16);
      List<URI> uris = new ArrayList<>();
      for (int i = 0; i < actors; i++) {
        uris.add(connect(server, ids[i]));
      }
      for (int i = 0; i < hotSockets; i++) {
        uris.add(connect(server, ids[actors])); // several sockets on one actor
      }
      driver.open(uris);
      driver.startFixed(32, total);
      assertTrue(driver.awaitIdle(TimeUnit.SECONDS.toNanos(60)),
          () -> driver.outstanding() + " requests still outstanding");

      assertEquals(0, driver.errors.get(), driver::firstError);
      assertEquals(total, driver.ops.get());
      long hot = 0;
      long hotLast = 0;
      for (int i = 0; i < uris.size(); i++) {
        assertEquals(total / uris.size(), driver.sent(i), "round-robin share of socket " + i);
        if (i < actors) {
          assertEquals(driver.sent(i), driver.lastOutput(i), "last reply of actor " + i);
          assertEquals(driver.sent(i), count(node, ids[i]), "count of actor " + i);
        } else {
          hot += driver.sent(i);
          hotLast = Math.max(hotLast, driver.lastOutput(i));
        }
      }
      assertEquals(hot, hotLast, "the hot actor's last reply");
      assertEquals(hot, count(node, ids[actors]), "the hot actor's count");
    }
  }

  private static long count(BenchNode node, String id) {
    return node.client().getForId(BenchNode.COUNTER, id).action("getCount", Long.class);
  }

  private static URI connect(RivetServer server, String id) {
    return URI.create("ws://127.0.0.1:" + server.port() + "/gateway/"
        + URLEncoder.encode(id, StandardCharsets.UTF_8) + "/connect");
  }
}
