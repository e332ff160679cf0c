package io.rivet4j.client;

import io.rivet4j.examples.conformance.ConformanceActors;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The client behaviour matrix against the Java server with the conformance example's actors. */
class JavaServerMatrixTest extends ClientMatrix {
  @TempDir
  static Path dir;
  static TestServer server;

  @BeforeAll
  static void startServer() {
    // A short grace period: closing the server then abandons the slow action a test leaves
    // running instead of waiting for it.
    server = TestServer.start(dir, () -> ConformanceActors.registry(
        o -> o.withSleepGracePeriod(Duration.ofSeconds(1))));
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Override
  String endpoint() {
    return server.endpoint();
  }

  @Override
  Set<Divergence> divergences() {
    return Set.of();
  }
}
