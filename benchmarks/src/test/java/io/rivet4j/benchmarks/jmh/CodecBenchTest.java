package io.rivet4j.benchmarks.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.rivet4j.protocol.ToClient;
import io.rivet4j.protocol.ToServer;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each codec benchmark's encode → decode round trip gives back the message it started from. */
class CodecBenchTest {
  @ParameterizedTest
  @ValueSource(strings = {"bare", "cbor", "json"})
  void actionRequestRoundTrips(String encoding) {
    CodecBench bench = setUp(encoding);

    byte[] frame = bench.encodeActionRequest();
    ToServer decoded = bench.decodeActionRequest();

    assertEquals(CodecBench.request(), decoded);
    assertEquals(CodecBench.request(), bench.codec.decodeToServer(frame));
    assertEquals(Arrays.toString(bench.requestFrame), Arrays.toString(frame));
  }

  @ParameterizedTest
  @ValueSource(strings = {"bare", "cbor", "json"})
  void actionResponseRoundTrips(String encoding) {
    CodecBench bench = setUp(encoding);

    byte[] frame = bench.encodeActionResponse();
    ToClient decoded = bench.decodeActionResponse();

    assertEquals(CodecBench.response(), decoded);
    assertEquals(CodecBench.response(), bench.codec.decodeToClient(frame));
    assertEquals(Arrays.toString(bench.responseFrame), Arrays.toString(frame));
  }

  @ParameterizedTest
  @ValueSource(strings = {"bare", "cbor", "json"})
  void eachEncodingWritesItsOwnBytes(String encoding) {
    CodecBench bench = setUp(encoding);
    for (String other : new String[] {"bare", "cbor", "json"}) {
      if (!other.equals(encoding)) {
        assertNotEquals(Arrays.toString(setUp(other).encodeActionResponse()),
            Arrays.toString(bench.encodeActionResponse()), encoding + " vs " + other);
      }
    }
  }

  private static CodecBench setUp(String encoding) {
    CodecBench bench = new CodecBench();
    bench.encoding = encoding;
    bench.setup();
    return bench;
  }
}
