package io.rivet4j.benchmarks;

import java.util.concurrent.CountDownLatch;

/**
 * The raw ceiling of {@link NetworkBench} as a process of its own, for load generators outside
 * the JVM (the official JavaScript client's benchmark in {@code benchmarks/js/}): a bare Netty
 * server on 127.0.0.1 whose {@code GET /ws} upgrades to a WebSocket echoing binary frames and
 * whose other requests get their body back, with {@code rivet4j-server}'s bootstrap options.
 * Prints {@code raw echo ready at http://127.0.0.1:<port>} when it accepts connections and runs
 * until SIGTERM or SIGINT.
 *
 * <pre>
 * java -cp ... io.rivet4j.benchmarks.EchoServerMain [--port=0]
 * </pre>
 */
public final class EchoServerMain {
  private EchoServerMain() {}

  public static void main(String[] args) throws InterruptedException {
    int port = 0;
    for (String a : args) {
      if (a.startsWith("--port=")) {
        port = Integer.parseInt(a.substring(7));
      } else {
        System.err.println("usage: EchoServerMain [--port=N]  (unknown: " + a + ")");
        System.exit(2);
      }
    }
    NetworkBench.EchoServer echo = NetworkBench.EchoServer.start(port);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      echo.close();
      stopped.countDown();
    }, "echo-close"));
    System.out.println("raw echo ready at http://127.0.0.1:" + echo.port());
    stopped.await();
  }
}
