package io.rivet4j.client;

import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The client behaviour matrix against the real RivetKit 2.3.19: the engine and registry of
 * {@code shared/reference} serving the conformance actors. Runs only when
 * {@code RIVET_REFERENCE_ENDPOINT} is set, as {@code scripts/reference-test.sh} does (it starts
 * the reference, sets {@code http://127.0.0.1:6420} and runs this class).
 */
@EnabledIfEnvironmentVariable(named = ReferenceServerTest.ENDPOINT_ENV, matches = ".+",
    disabledReason = "the real RivetKit is not running: scripts/reference-test.sh starts it and"
        + " sets " + ReferenceServerTest.ENDPOINT_ENV)
class ReferenceServerTest extends ClientMatrix {
  static final String ENDPOINT_ENV = "RIVET_REFERENCE_ENDPOINT";

  @Override
  String endpoint() {
    return System.getenv(ENDPOINT_ENV);
  }
}
