package io.rivet4j.benchmarks.jmh;

import io.rivet4j.protocol.Encoding;
import io.rivet4j.protocol.ProtocolCodec;
import io.rivet4j.protocol.ToClient;
import io.rivet4j.protocol.ToServer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The client protocol's codecs on the WebSocket action path, as the server runs them
 * ({@code WebSocketSession}: {@link ProtocolCodec#decodeToServer} for every frame in,
 * {@link ProtocolCodec#encode(ToClient)} for every reply out) and the Java client the other way:
 * an {@code ActionRequest} for {@code increment(1)} and an {@code ActionResponse} whose output is
 * a small object, each encoded and decoded in bare, cbor and json.
 *
 * <p>The messages live in non-final fields of the state (no constant folding); every method
 * returns its result, which JMH consumes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(1)
public class CodecBench {
  @Param({"bare", "cbor", "json"})
  public String encoding;

  ProtocolCodec codec;
  ToServer.ActionRequest request;
  ToClient.ActionResponse response;
  byte[] requestFrame;
  byte[] responseFrame;

  @Setup
  public void setup() {
    codec = ProtocolCodec.of(Encoding.parse(encoding));
    request = request();
    response = response();
    requestFrame = codec.encode(request);
    responseFrame = codec.encode(response);
  }

  /** What the client sends for {@code counter.increment(1)}, its 42nd call on the socket. */
  static ToServer.ActionRequest request() {
    return new ToServer.ActionRequest(42, "increment", List.of(1L));
  }

  /** A reply with a small object: a count, a name, a millisecond timestamp and two tags. */
  static ToClient.ActionResponse response() {
    Map<String, Object> output = new LinkedHashMap<>();
    output.put("count", 1_337L);
    output.put("key", "counter-7");
    output.put("updatedAt", 1_763_936_400_000L);
    output.put("tags", List.of("hot", "jmh"));
    return new ToClient.ActionResponse(42, output);
  }

  @Benchmark
  public byte[] encodeActionRequest() {
    return codec.encode(request);
  }

  @Benchmark
  public ToServer decodeActionRequest() {
    return codec.decodeToServer(requestFrame);
  }

  @Benchmark
  public byte[] encodeActionResponse() {
    return codec.encode(response);
  }

  @Benchmark
  public ToClient decodeActionResponse() {
    return codec.decodeToClient(responseFrame);
  }
}
