package io.rivet4j.server;

import static io.rivet4j.server.Harness.getOrCreate;
import static io.rivet4j.server.Harness.text;
import static io.rivet4j.server.Harness.utf8;
import static io.rivet4j.server.Hex.bytes;
import static io.rivet4j.server.Hex.hex;
import static io.rivet4j.server.Hex.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.rivet4j.protocol.Encoding;
import io.rivet4j.protocol.HttpQueueSendRequest;
import io.rivet4j.protocol.HttpQueueSendResponse;
import io.rivet4j.protocol.ProtocolCodec;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Queue sends over HTTP ({@code POST …/queue/<name>}, client-protocol.md §4.3) in every encoding,
 * byte for byte against the captures, with waits timed by the test registry's manual clock.
 */
class QueueHttpTest {
  static Harness h;

  @BeforeAll
  static void start() {
    h = Harness.start();
  }

  @AfterAll
  static void stop() {
    h.close();
  }

  static String path(String queue, String key) {
    return "/gateway/counter/queue/" + queue + "?" + getOrCreate(key);
  }

  static HttpResponse<byte[]> send(String queue, String key, String encoding, byte[] body,
      String... headers) {
    return h.action(path(queue, key), encoding, body, headers);
  }

  /** A send whose answer waits for the manual clock. */
  static CompletableFuture<HttpResponse<byte[]>> sendAsync(String queue, String key,
      String encoding, byte[] body) {
    HttpRequest request = HttpRequest.newBuilder(h.uri(path(queue, key)))
        .header("x-rivet-encoding", encoding)
        .header("content-type", encoding.equals("json") ? "application/json"
            : "application/octet-stream")
        .timeout(Harness.TIMEOUT)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    return h.http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
  }

  /** Calls {@code action} on the counter with {@code key} over JSON; the output as JSON text. */
  static String call(String key, String action) {
    return text(h.action(ActionHttpTest.path(action, key), "json", utf8("{\"args\":[]}")));
  }

  /** Waits (on turns of the actor, not on time) until the actor holds {@code n} messages. */
  static void awaitQueueSize(String key, int n) {
    String want = "{\"output\":" + n + "}";
    long deadline = System.nanoTime() + Harness.TIMEOUT.toNanos();
    while (!call(key, "queueSize").equals(want)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the queue of " + key + " never held " + n + " messages");
      }
      Thread.onSpinWait();
    }
  }

  static HttpResponse<byte[]> await(CompletableFuture<HttpResponse<byte[]>> f) throws Exception {
    return f.get(Harness.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  @Test
  void jsonSendMatchesCapture() {
    HttpResponse<byte[]> r = send("jobs", "q-json", "json",
        utf8("{\"body\":{\"n\":1},\"name\":\"jobs\",\"wait\":false}"));
    assertEquals(200, r.statusCode());
    assertEquals("application/json", r.headers().firstValue("content-type").orElseThrow());
    assertEquals("{\"status\":\"completed\"}", text(r));
    assertEquals("{\"output\":[{\"n\":1}]}", call("q-json", "takeJobs"));
  }

  @Test
  void bareSendMatchesCapture() {
    HttpResponse<byte[]> r = send("jobs", "q-bare", "bare",
        bytes("0400 06b90001616e01 01 046a6f6273 01 00 00"));
    assertEquals(200, r.statusCode());
    assertEquals("application/octet-stream",
        r.headers().firstValue("content-type").orElseThrow());
    assertEquals("0400" + "09" + s("completed") + "00", hex(r.body()));
    assertEquals("{\"output\":[{\"n\":1}]}", call("q-bare", "takeJobs"));
  }

  @Test
  void cborSendMatchesCapture() {
    HttpResponse<byte[]> r = send("jobs", "q-cbor", "cbor", bytes("b90004 64626f6479 b90001"
        + " 616e 01 646e616d65 646a6f6273 6477616974 f4 6774696d656f7574 f7"));
    assertEquals(200, r.statusCode());
    assertEquals("a1" + "66" + s("status") + "69" + s("completed"), hex(r.body()));
    assertEquals("{\"output\":[{\"n\":1}]}", call("q-cbor", "takeJobs"));
  }

  @Test
  void aWaitWithoutConsumerTimesOutInJson() throws Exception {
    CompletableFuture<HttpResponse<byte[]>> r = sendAsync("jobs", "q-wait-json", "json",
        utf8("{\"body\":{\"n\":2},\"name\":\"jobs\",\"wait\":true,\"timeout\":500}"));
    awaitQueueSize("q-wait-json", 1);
    h.rivet.clock().advance(Duration.ofMillis(499));
    call("q-wait-json", "queueSize"); // a turn after the clock moved: still waiting
    assertFalse(r.isDone());
    h.rivet.clock().advance(Duration.ofMillis(1));
    assertEquals("{\"status\":\"timedOut\"}", text(await(r)));
    assertEquals("{\"output\":[{\"n\":2}]}", call("q-wait-json", "takeJobs")); // still queued
  }

  @Test
  void aWaitWithoutConsumerTimesOutInBare() throws Exception {
    CompletableFuture<HttpResponse<byte[]>> r = sendAsync("jobs", "q-wait-bare", "bare",
        bytes("0400 06b90001616e02 01 046a6f6273 01 01 01 f401000000000000"));
    awaitQueueSize("q-wait-bare", 1);
    h.rivet.clock().advance(Duration.ofMillis(500));
    HttpResponse<byte[]> answer = await(r);
    assertEquals(200, answer.statusCode());
    assertEquals("0400" + "08" + s("timedOut") + "00", hex(answer.body()));
  }

  @Test
  void aWaitWithoutTimeoutEndsAtTheActionTimeout() throws Exception {
    CompletableFuture<HttpResponse<byte[]>> r = sendAsync("jobs", "q-wait-long", "json",
        utf8("{\"body\":3,\"name\":\"jobs\",\"wait\":true}"));
    awaitQueueSize("q-wait-long", 1);
    h.rivet.clock().advance(Duration.ofSeconds(60));
    HttpResponse<byte[]> answer = await(r);
    assertEquals(408, answer.statusCode());
    assertEquals("{\"actor\":{\"actorId\":\"" + ActionHttpTest.actorId(answer) + "\","
        + "\"generation\":1,\"key\":\"q-wait-long\"},\"code\":\"action_timed_out\",\"group\":"
        + "\"actor\",\"message\":\"Action timed out\"}", text(answer));
  }

  @Test
  void theConsumersResponseComesBackInJson() {
    HttpResponse<byte[]> r = send("double", "q-double-json", "json",
        utf8("{\"body\":21,\"name\":\"double\",\"wait\":true}"));
    assertEquals(200, r.statusCode());
    assertEquals("{\"response\":42,\"status\":\"completed\"}", text(r));
  }

  @Test
  void theConsumersResponseComesBackInBareAndCbor() {
    HttpResponse<byte[]> bare = send("double", "q-double-bare", "bare",
        bytes("0400 0115 01 06" + s("double") + " 01 01 00"));
    assertEquals("0400" + "09" + s("completed") + "01" + "02" + "182a", hex(bare.body()));
    HttpResponse<byte[]> cbor = send("double", "q-double-cbor", "cbor", bytes("b90004"
        + " 64626f6479 15 646e616d65 66" + s("double") + " 6477616974 f5 6774696d656f7574 f7"));
    assertEquals("a2" + "68" + s("response") + "182a" + "66" + s("status") + "69"
        + s("completed"), hex(cbor.body()));
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void aConsumerChangesStateAndAnswersInEveryEncoding(Encoding e) {
    ProtocolCodec codec = ProtocolCodec.of(e);
    String key = "q-tally-" + e.wireName();
    for (long n : new long[] {2, 3}) {
      HttpResponse<byte[]> r = send("tally", key, e.wireName(), codec.encode(
          new HttpQueueSendRequest(n, Optional.of("tally"), Optional.of(true),
              OptionalLong.of(10_000))));
      assertEquals(200, r.statusCode(), text(r));
      HttpQueueSendResponse answer = codec.decodeHttpQueueSendResponse(r.body());
      assertEquals("completed", answer.status());
      assertEquals(Optional.of(n == 2 ? 2L : 5L), answer.response());
    }
    assertEquals("{\"output\":5}", call(key, "getCount"));
    assertEquals("{\"output\":0}", call(key, "queueSize"));
  }

  @Test
  void undeclaredNamesAreAcknowledgedAndDropped() {
    HttpResponse<byte[]> r = send("nope", "q-nope", "json",
        utf8("{\"body\":1,\"name\":\"nope\",\"wait\":true}"));
    assertEquals(200, r.statusCode());
    assertEquals("{\"status\":\"completed\"}", text(r));
    assertEquals("{\"output\":0}", call("q-nope", "queueSize"));
  }

  @Test
  void aSendUsesAThrowAwayConnection() throws Exception {
    TestActors.DISCONNECTED.clear();
    send("jobs", "q-conn", "json", utf8("{\"body\":1,\"name\":\"jobs\",\"wait\":false}"));
    assertNotNull(TestActors.DISCONNECTED.poll(Harness.TIMEOUT.toSeconds(), TimeUnit.SECONDS));
    HttpResponse<byte[]> rejected = send("jobs", "q-conn", "json",
        utf8("{\"body\":1,\"name\":\"jobs\",\"wait\":false}"), "x-rivet-conn-params",
        "{\"reject\":true}");
    assertEquals(500, rejected.statusCode());
    assertEquals("{\"actor\":{\"actorId\":\"" + ActionHttpTest.actorId(rejected) + "\","
        + "\"generation\":1,\"key\":\"q-conn\"},\"code\":\"rejected\",\"group\":\"user\","
        + "\"message\":\"connection rejected by onBeforeConnect\",\"metadata\":{\"why\":\"test\"}}",
        text(rejected));
  }

  @Test
  void canPublishRefusesWithForbidden() {
    HttpResponse<byte[]> r = send("jobs", "q-forbidden", "json",
        utf8("{\"body\":1,\"name\":\"jobs\",\"wait\":false}"), "x-rivet-conn-params",
        "{\"token\":\"nope\"}");
    assertEquals(403, r.statusCode());
    assertEquals("{\"actor\":{\"actorId\":\"" + ActionHttpTest.actorId(r) + "\",\"generation\":1,"
        + "\"key\":\"q-forbidden\"},\"code\":\"forbidden\",\"group\":\"auth\",\"message\":"
        + "\"Forbidden\"}", text(r));
    assertEquals("{\"output\":0}", call("q-forbidden", "queueSize"));
  }

  @Test
  void limitsAnswer400InTheRequestEncoding() {
    for (int i = 0; i < 5; i++) {
      assertEquals(200, send("jobs", "q-full", "json", utf8("{\"body\":" + i + "}"))
          .statusCode());
    }
    HttpResponse<byte[]> full = send("jobs", "q-full", "json", utf8("{\"body\":5}"));
    assertEquals(400, full.statusCode());
    assertEquals("{\"actor\":{\"actorId\":\"" + ActionHttpTest.actorId(full) + "\",\"generation\""
        + ":1,\"key\":\"q-full\"},\"code\":\"full\",\"group\":\"queue\",\"message\":\"Queue is full."
        + " Limit is 5 messages.\"}", text(full));

    HttpResponse<byte[]> large = send("jobs", "q-large", "bare", ProtocolCodec.of(Encoding.BARE)
        .encode(new HttpQueueSendRequest("x".repeat(100), Optional.of("jobs"),
            Optional.of(false), OptionalLong.empty())));
    assertEquals(400, large.statusCode());
    var error = ProtocolCodec.of(Encoding.BARE).decodeHttpResponseError(large.body());
    assertEquals("queue.message_too_large", error.group() + "." + error.code());
    assertEquals("Queue message too large (102 bytes). Limit is 64 bytes.", error.message());

    HttpResponse<byte[]> tooLong = send("jobs", "q-large", "json",
        utf8("{\"body\":\"" + "y".repeat(70_000) + "\"}"));
    assertEquals(400, tooLong.statusCode());
    assertEquals("{\"actor\":{\"actorId\":\"" + ActionHttpTest.actorId(tooLong) + "\","
        + "\"generation\":1,\"key\":\"q-large\"},\"code\":\"incoming_too_long\",\"group\":"
        + "\"message\",\"message\":\"Incoming message too long\"}", text(tooLong));
  }

  @Test
  void anUndecodableBodyIsRefused() {
    HttpResponse<byte[]> r = send("jobs", "q-bad", "json", utf8("not json"));
    assertEquals(400, r.statusCode());
    assertEquals("{\"actor\":{\"actorId\":\"" + ActionHttpTest.actorId(r) + "\",\"generation\":1,"
        + "\"key\":\"q-bad\"},\"code\":\"internal_error\",\"group\":\"core\",\"message\":"
        + "\"An internal error occurred\"}", text(r));
    HttpResponse<byte[]> bare = send("jobs", "q-bad", "bare", bytes("0400 ff"));
    assertEquals(400, bare.statusCode());
    assertEquals("{\"output\":0}", call("q-bad", "queueSize"));
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void mangledBodiesGetErrorsInTheirEncodingAndTheActorKeepsServing(Encoding e) {
    ProtocolCodec codec = ProtocolCodec.of(e);
    String key = "q-fuzz-" + e.wireName();
    byte[] valid = codec.encode(new HttpQueueSendRequest(7L,
        Optional.of("double"), Optional.of(true), OptionalLong.of(1000)));
    java.util.Random r = new java.util.Random(0x0EE0L + e.ordinal());
    java.util.Set<String> seen = new java.util.TreeSet<>();
    for (int i = 0; i < 150; i++) {
      byte[] body = switch (r.nextInt(3)) {
        case 0 -> java.util.Arrays.copyOf(valid, r.nextInt(valid.length));
        case 1 -> {
          byte[] b = valid.clone();
          for (int n = 1 + r.nextInt(3); n > 0; n--) {
            b[r.nextInt(b.length)] = (byte) r.nextInt(256);
          }
          yield b;
        }
        default -> {
          byte[] b = new byte[r.nextInt(64)];
          r.nextBytes(b);
          yield b;
        }
      };
      HttpResponse<byte[]> res = send("double", key, e.wireName(), body);
      String label = "#" + i + " " + hex(body);
      if (res.statusCode() == 200) {
        assertEquals("completed", codec.decodeHttpQueueSendResponse(res.body()).status(), label);
        seen.add("200");
        continue;
      }
      var err = codec.decodeHttpResponseError(res.body());
      String code = err.group() + "." + err.code();
      seen.add(res.statusCode() + " " + code);
      switch (code) {
        case "core.internal_error", "queue.message_too_large" ->
            assertEquals(400, res.statusCode(), label);
        case "actor.validation_error" -> assertEquals(500, res.statusCode(), label); // a body
        // the handler's type does not fit, told to the waiting sender
        default -> throw new AssertionError(label + ": unexpected " + res.statusCode() + " "
            + code + " " + err.message());
      }
    }
    HttpResponse<byte[]> ok = send("double", key, e.wireName(), valid);
    assertEquals(Optional.of(14L), codec.decodeHttpQueueSendResponse(ok.body()).response(),
        seen.toString());
    assertEquals("{\"output\":0}", call(key, "queueSize"));
  }
}
