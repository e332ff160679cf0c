package io.rivet4j.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rivet4j.api.ActorHandle;
import io.rivet4j.api.Key;
import io.rivet4j.api.QueueSendResult;
import io.rivet4j.api.SendOptions;
import io.rivet4j.protocol.Encoding;
import io.rivet4j.protocol.HttpQueueSendResponse;
import io.rivet4j.protocol.ProtocolCodec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code handle.send(name, body, options)}: the exact requests (against the captures of
 * client-protocol.md §4.3, on a recording server) and the round trip against a Rivet4j server.
 */
class QueueSendTest {
  @TempDir
  static Path dir;
  static TestServer server;

  @BeforeAll
  static void startServer() {
    server = TestServer.start(dir);
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  private static RivetClient client(String endpoint, Encoding e) {
    return RivetClient.builder().endpoint(endpoint).encoding(e).build();
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void sendsWhatTheJavaScriptClientSends(Encoding e) throws Exception {
    ProtocolCodec codec = ProtocolCodec.of(e);
    try (RecordingServer recording = RecordingServer.start();
        RivetClient client = client(recording.endpoint(), e)) {
      recording.answer(r -> new RecordingServer.Response(200, e.contentType(), codec.encode(
          new HttpQueueSendResponse("completed", Optional.empty()))));
      ActorHandle handle = client.getOrCreate("counter", Key.of("q"))
          .withParams(Map.of("token", "p1"));

      QueueSendResult plain = handle.send("jobs", Map.of("n", 1));
      recording.next(); // metadata
      RecordingServer.Request sent = recording.next();
      assertEquals("POST", sent.method());
      assertEquals("/gateway/counter/queue/jobs?rvt-namespace=default&rvt-method=getOrCreate"
          + "&rvt-runner=default&rvt-key=q&rvt-crash-policy=sleep", sent.target());
      assertEquals(e.wireName(), sent.header("x-rivet-encoding"));
      assertEquals(e.contentType(), sent.header("content-type"));
      assertEquals("{\"token\":\"p1\"}", sent.header("x-rivet-conn-params"));
      switch (e) {
        case JSON -> assertEquals("{\"body\":{\"n\":1},\"name\":\"jobs\",\"wait\":false}",
            sent.text());
        case BARE -> assertEquals("0400" + "06b90001616e01" + "01046a6f6273" + "0100" + "00",
            HexFormat.of().formatHex(sent.body()));
        case CBOR -> assertEquals("b90004" + "64626f6479b90001616e01" + "646e616d65646a6f6273"
            + "6477616974f4" + "6774696d656f7574f7", HexFormat.of().formatHex(sent.body()));
      }
      assertTrue(plain.completed());

      handle.send("jobs", Map.of("n", 2), SendOptions.waiting(Duration.ofMillis(500)));
      RecordingServer.Request waiting = recording.next();
      assertEquals("/gateway/counter/queue/jobs?rvt-namespace=default&rvt-method=getOrCreate"
          + "&rvt-runner=default&rvt-key=q&rvt-crash-policy=sleep", waiting.target());
      if (e == Encoding.JSON) {
        assertEquals("{\"body\":{\"n\":2},\"name\":\"jobs\",\"wait\":true,\"timeout\":500}",
            waiting.text());
      } else if (e == Encoding.BARE) {
        assertEquals("0400" + "06b90001616e02" + "01046a6f6273" + "0101" + "01f401000000000000",
            HexFormat.of().formatHex(waiting.body()));
      }

      client.getOrCreate("counter", Key.of("q")).send("a/b", 1);
      assertEquals("/gateway/counter/queue/a%2Fb?rvt-namespace=default&rvt-method=getOrCreate"
          + "&rvt-runner=default&rvt-key=q&rvt-crash-policy=sleep", recording.next().target());
    }
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void sendsReachTheActorAndWaitsReturnTheConsumersResponse(Encoding e) {
    try (RivetClient client = client(server.endpoint(), e)) {
      RemoteActorHandle handle = client.getOrCreate("probe", Key.of("queue-" + e.wireName()));
      assertTrue(handle.send("jobs", Map.of("n", 1)).completed());
      assertTrue(handle.send("jobs", "two").completed());
      assertEquals(List.of(Map.of("n", 1L), "two"), handle.action("takeJobs", List.class));

      QueueSendResult doubled = handle.send("double", 21, SendOptions.waiting());
      assertEquals(QueueSendResult.COMPLETED, doubled.status());
      assertEquals(Optional.of(42), doubled.response(Integer.class));

      QueueSendResult async = handle.sendAsync("double", 5, SendOptions.waiting(
          Duration.ofSeconds(10))).toCompletableFuture().join();
      assertEquals(Optional.of(10L), async.response(Long.class));

      QueueSendResult dropped = handle.send("undeclared", 1, SendOptions.waiting());
      assertEquals(new QueueSendResult("completed", Optional.empty()), dropped);
    }
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void aWaitNobodyCompletesTimesOut(Encoding e) {
    try (RivetClient client = client(server.endpoint(), e)) {
      RemoteActorHandle handle = client.getOrCreate("probe", Key.of("timeout-" + e.wireName()));
      QueueSendResult r = handle.send("jobs", 1, SendOptions.waiting(Duration.ofMillis(20)));
      assertTrue(r.timedOut());
      assertEquals(Optional.empty(), r.response());
      assertEquals(List.of(1L), handle.action("takeJobs", List.class)); // still queued
    }
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void refusalsAndLimitsAreActorErrors(Encoding e) {
    try (RivetClient client = client(server.endpoint(), e)) {
      RemoteActorHandle handle = client.getOrCreate("probe", Key.of("refused-" + e.wireName()));
      ActorError rejected = assertThrows(ActorError.class, () -> handle
          .withParams(Map.of("reject", true)).send("jobs", 1));
      assertEquals("user.rejected", rejected.qualifiedCode());
      assertEquals("connection rejected by onBeforeConnect", rejected.getMessage());
      ActorError tooLong = assertThrows(ActorError.class, () -> handle.send("jobs",
          "x".repeat(70_000)));
      assertEquals("message.incoming_too_long", tooLong.qualifiedCode());
      assertEquals(List.of(), handle.action("takeJobs", List.class));
    }
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void aConnectionSendsOverHttpToo(Encoding e) {
    try (RivetClient client = client(server.endpoint(), e);
        ActorConnection<ActorHandle> conn = client.getOrCreate("probe",
            Key.of("conn-" + e.wireName())).connect()) {
      QueueSendResult r = conn.actions().send("double", 4, SendOptions.waiting());
      assertEquals(Optional.of(8L), r.response(Long.class));
    }
  }
}
