package io.rivet4j.server;

import static io.rivet4j.server.Harness.getOrCreate;
import static io.rivet4j.server.Harness.text;
import static io.rivet4j.server.Harness.utf8;
import static io.rivet4j.server.Hex.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rivet4j.protocol.Encoding;
import io.rivet4j.protocol.HttpResponseError;
import io.rivet4j.protocol.ProtocolCodec;
import io.rivet4j.protocol.ToClient;
import io.rivet4j.protocol.ToServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Seeded fuzzing of the client protocol: bad WebSocket frames (truncated, mutated, random,
 * mistyped) in every encoding and random HTTP requests never crash or hang the server, are
 * answered with RivetKit errors or the documented close codes, and never change actor state.
 */
class FuzzTest {
  static final long KNOWN = 4242L;
  static final long PROBE = 777_000_001L;
  static final int INCOMING_LIMIT = 64 * 1024;
  static final int BODY_LIMIT = 128 * 1024;
  static final long CASE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);
  static final ObjectMapper MAPPER = new ObjectMapper();

  /** Every close the server may answer bad input with. */
  static final Set<WsClient.Close> ALLOWED_CLOSES = Set.of(
      new WsClient.Close(1011, "actor.invalid_request"),
      new WsClient.Close(1011, "message.incoming_too_long"));
  static final WsClient.Close INVALID = new WsClient.Close(1011, "actor.invalid_request");
  static final WsClient.Close TOO_LONG = new WsClient.Close(1011, "message.incoming_too_long");
  /** Every Error frame (group.code) the server may answer bad input with. */
  static final Set<String> ALLOWED_WS_ERRORS = Set.of("actor.action_not_found",
      "actor.validation_error");
  /** Every HTTP status random requests may get. */
  static final Set<Integer> ALLOWED_STATUSES = Set.of(200, 204, 400, 403, 404, 405, 408, 413,
      500);

  static Harness h;
  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  /** Outcome tallies, printed at the end (what the server did with each kind of input). */
  static final Map<String, Integer> TALLY = new TreeMap<>();

  @BeforeAll
  static void start() {
    h = Harness.start(ServerConfig.defaults().withMaxRequestBodySize(BODY_LIMIT));
    for (Encoding e : Encoding.values()) {
      HttpResponse<byte[]> r = h.action("/gateway/counter/action/increment?"
          + getOrCreate(key(e)), "json", utf8("{\"args\":[" + KNOWN + "]}"));
      assertEquals("{\"output\":" + KNOWN + "}", text(r));
    }
  }

  @AfterAll
  static void stop() {
    synchronized (TALLY) {
      System.out.println("FuzzTest outcomes: " + TALLY);
    }
    h.close();
  }

  static void tally(String what) {
    synchronized (TALLY) {
      TALLY.merge(what, 1, Integer::sum);
    }
  }

  static String key(Encoding e) {
    return "fuzz-" + e.wireName();
  }

  // ------------------------------------------------------------------ WebSocket

  /** What one bad frame got: the decoded messages, and the close (null: the probe answered). */
  record Outcome(String label, List<ToClient> messages, WsClient.Close close) {}

  static WsClient connect(Encoding e) {
    WsClient ws = h.ws("/gateway/counter/connect?" + getOrCreate(key(e)), "rivet",
        "rivet_encoding." + e.wireName());
    assertInstanceOf(ToClient.Init.class, ProtocolCodec.of(e).decodeToClient(ws.next().bytes()));
    return ws;
  }

  static void trySend(WsClient ws, boolean text, byte[] frame) {
    try {
      CompletionStageTimeout.join(text
          ? ws.socket.sendText(new String(frame, StandardCharsets.UTF_8), true)
          : ws.socket.sendBinary(ByteBuffer.wrap(frame), true));
    } catch (CompletionException | IllegalStateException refused) {
      // the server may close (and refuse the frame) before the client has finished writing it
    }
  }

  /** Bounded waits on the JDK's futures. */
  static final class CompletionStageTimeout {
    static void join(java.util.concurrent.CompletableFuture<?> f) {
      f.orTimeout(10, TimeUnit.SECONDS).join();
    }
  }

  /**
   * Sends {@code frame} on a fresh connection, then a valid getCount probe; waits (bounded) until
   * the probe is answered or the server closes. Checks every message and the close.
   */
  static Outcome exchange(Encoding e, String label, boolean text, byte[] frame) {
    ProtocolCodec codec = ProtocolCodec.of(e);
    WsClient ws = connect(e);
    trySend(ws, text, frame);
    trySend(ws, e == Encoding.JSON, codec.encode(
        new ToServer.ActionRequest(PROBE, "getCount", List.of())));
    long deadline = System.nanoTime() + CASE_TIMEOUT_NANOS;
    List<ToClient> got = new ArrayList<>();
    try {
      for (;;) {
        WsClient.Message m = ws.messages.poll(20, TimeUnit.MILLISECONDS);
        if (m != null) {
          assertEquals(e == Encoding.JSON, m.text(), label + ": frame type");
          ToClient c = codec.decodeToClient(m.bytes());
          got.add(c);
          if (c instanceof ToClient.Error err) {
            assertTrue(ALLOWED_WS_ERRORS.contains(err.group() + "." + err.code()),
                label + ": unexpected error " + err);
          } else if (c instanceof ToClient.ActionResponse r && r.id() == PROBE) {
            assertEquals(KNOWN, r.output(), label + ": state changed");
            ws.socket.sendClose(1000, "Disposed").orTimeout(10, TimeUnit.SECONDS).join();
            assertEquals(new WsClient.Close(1000, "Disposed"), ws.awaitClose(), label);
            tally("ws.survived");
            return new Outcome(label, got, null);
          } else {
            assertTrue(c instanceof ToClient.ActionResponse || c instanceof ToClient.Event,
                label + ": unexpected " + c);
          }
          continue;
        }
        if (ws.closed.isDone() && ws.messages.isEmpty()) {
          WsClient.Close close = ws.closed.join();
          assertTrue(ALLOWED_CLOSES.contains(close), label + ": unexpected close " + close
              + " after " + got);
          tally("ws.close." + close.reason());
          return new Outcome(label, got, close);
        }
        if (System.nanoTime() > deadline) {
          ws.abort();
          fail(label + ": no answer and no close within 10 s (hang); got " + got);
        }
      }
    } catch (InterruptedException ex) {
      throw new AssertionError(ex);
    }
  }

  /** A fresh connection gets Init and reads the known state; so does HTTP. */
  static void assertIntact(Encoding e) {
    ProtocolCodec codec = ProtocolCodec.of(e);
    WsClient ws = connect(e);
    ws.send(e == Encoding.JSON, codec.encode(new ToServer.ActionRequest(1, "getCount",
        List.of())));
    assertEquals(new ToClient.ActionResponse(1, KNOWN), codec.decodeToClient(ws.next().bytes()));
    ws.close(1000, "Disposed");
    assertEquals(new WsClient.Close(1000, "Disposed"), ws.awaitClose());
    assertEquals("{\"output\":" + KNOWN + "}", text(h.action("/gateway/counter/action/getCount?"
        + getOrCreate(key(e)), "json", utf8("{}"))));
    assertEquals(200, h.get("/health").statusCode());
  }

  static List<byte[]> validFrames(Encoding e) {
    ProtocolCodec codec = ProtocolCodec.of(e);
    Map<String, Object> obj = new LinkedHashMap<>();
    obj.put("k", List.of(1L, true));
    return List.of(
        codec.encode(new ToServer.ActionRequest(3, "echo",
            Arrays.asList("hello", 42L, obj, new byte[] {1, 2, 3}, null))),
        codec.encode(new ToServer.ActionRequest(5, "getCount", List.of())),
        codec.encode(new ToServer.SubscriptionRequest("newCount", true)));
  }

  static boolean validUtf8(byte[] b) {
    try {
      StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b));
      return true;
    } catch (CharacterCodingException ex) {
      return false;
    }
  }

  static final Map<Encoding, Long> SEEDS = new EnumMap<>(Map.of(
      Encoding.JSON, 0x5EED_0001L, Encoding.CBOR, 0x5EED_0002L, Encoding.BARE, 0x5EED_0003L));

  @ParameterizedTest
  @EnumSource(Encoding.class)
  @Timeout(60)
  void truncatedFramesAreRejected(Encoding e) {
    byte[] frame = validFrames(e).get(0);
    for (int len = 0; len < frame.length; len++) {
      byte[] prefix = Arrays.copyOf(frame, len);
      Outcome o = exchange(e, e + " prefix " + len + "/" + frame.length,
          e == Encoding.JSON, prefix);
      // a strict prefix of a frame never decodes
      assertEquals(INVALID, o.close(), o.label() + " got " + o.messages());
      assertEquals(List.of(), o.messages(), o.label());
    }
    assertIntact(e);
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  @Timeout(60)
  void mutatedFramesAreRejectedOrServed(Encoding e) {
    Random r = new Random(SEEDS.get(e));
    List<byte[]> frames = validFrames(e);
    for (int i = 0; i < 60; i++) {
      byte[] f = frames.get(r.nextInt(frames.size())).clone();
      int edits = 1 + r.nextInt(3); // at most 3 edits: "echo"/"getCount" never become
      for (int k = 0; k < edits && f.length > 0; k++) { // "increment", "kick" or "spam"
        int at = r.nextInt(f.length);
        switch (r.nextInt(4)) {
          case 0 -> f[at] ^= (byte) (1 << r.nextInt(8));
          case 1 -> f[at] = (byte) r.nextInt(256);
          case 2 -> {
            byte[] g = new byte[f.length + 1];
            System.arraycopy(f, 0, g, 0, at);
            g[at] = (byte) r.nextInt(256);
            System.arraycopy(f, at, g, at + 1, f.length - at);
            f = g;
          }
          default -> {
            byte[] g = new byte[f.length - 1];
            System.arraycopy(f, 0, g, 0, at);
            System.arraycopy(f, at + 1, g, at, f.length - at - 1);
            f = g;
          }
        }
      }
      boolean text = e == Encoding.JSON ? validUtf8(f) : r.nextInt(8) == 0 && validUtf8(f);
      exchange(e, e + " mutation #" + i + " " + Hex.hex(f), text, f);
    }
    assertIntact(e);
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  @Timeout(60)
  void randomFramesAreRejected(Encoding e) {
    Random r = new Random(SEEDS.get(e) * 31);
    for (int i = 0; i < 30; i++) {
      int len = switch (i % 3) {
        case 0 -> r.nextInt(64);
        case 1 -> 64 + r.nextInt(INCOMING_LIMIT - 64);
        default -> INCOMING_LIMIT + 1 + r.nextInt(80 * 1024 - INCOMING_LIMIT);
      };
      boolean text = r.nextBoolean();
      byte[] f;
      if (text) {
        StringBuilder sb = new StringBuilder();
        while (sb.length() < len) {
          int kind = r.nextInt(10);
          sb.append(kind == 0 ? (char) (0x80 + r.nextInt(0x700))
              : kind == 1 ? "{\"body\":" : String.valueOf((char) (0x20 + r.nextInt(0x5f))));
        }
        f = utf8(sb.toString());
      } else {
        f = new byte[len];
        r.nextBytes(f);
      }
      Outcome o = exchange(e, e + " random #" + i + " " + (text ? "text" : "binary") + " "
          + f.length + " B", text, f);
      if (f.length > INCOMING_LIMIT) {
        assertEquals(TOO_LONG, o.close(), o.label());
      } else {
        assertEquals(INVALID, o.close(), o.label() + " got " + o.messages());
      }
    }
    assertIntact(e);
  }

  // ---- mistyped but well-formed frames

  /** CBOR of plain values; {@link Raw} is spliced in as is. */
  record Raw(byte[] bytes) {}

  static byte[] cbor(Object v) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    cbor(out, v);
    return out.toByteArray();
  }

  static void head(ByteArrayOutputStream out, int major, long n) {
    if (n < 24) {
      out.write(major << 5 | (int) n);
    } else if (n < 256) {
      out.write(major << 5 | 24);
      out.write((int) n);
    } else {
      out.write(major << 5 | 27);
      for (int i = 7; i >= 0; i--) {
        out.write((int) (n >>> (8 * i)) & 0xff);
      }
    }
  }

  static void cbor(ByteArrayOutputStream out, Object v) {
    switch (v) {
      case null -> out.write(0xf6);
      case Boolean b -> out.write(b ? 0xf5 : 0xf4);
      case Long n when n >= 0 -> head(out, 0, n);
      case Long n -> head(out, 1, -1 - n);
      case String s -> {
        byte[] b = utf8(s);
        head(out, 3, b.length);
        out.writeBytes(b);
      }
      case Raw raw -> out.writeBytes(raw.bytes());
      case List<?> l -> {
        head(out, 4, l.size());
        l.forEach(x -> cbor(out, x));
      }
      case Map<?, ?> m -> {
        head(out, 5, m.size());
        m.forEach((k, x) -> {
          cbor(out, k);
          cbor(out, x);
        });
      }
      default -> throw new IllegalArgumentException(String.valueOf(v));
    }
  }

  static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  static byte[] cborAction(Object id, Object name, Object args) {
    return cbor(map("body", map("tag", "ActionRequest", "val",
        map("id", id, "name", name, "args", args))));
  }

  static byte[] jsonAction(String id, String name, String args) {
    return utf8("{\"body\":{\"tag\":\"ActionRequest\",\"val\":{\"id\":" + id + ",\"name\":"
        + name + ",\"args\":" + args + "}}}");
  }

  static Map<String, byte[]> mistyped(Encoding e) {
    Map<String, byte[]> m = new LinkedHashMap<>();
    switch (e) {
      case JSON -> {
        m.put("args number", jsonAction("1", "\"getCount\"", "5"));
        m.put("args string", jsonAction("1", "\"getCount\"", "\"x\""));
        m.put("args object", jsonAction("1", "\"getCount\"", "{\"a\":1}"));
        m.put("args null", jsonAction("1", "\"getCount\"", "null"));
        m.put("id -1", jsonAction("-1", "\"getCount\"", "[]"));
        m.put("id 1e30", jsonAction("1e30", "\"getCount\"", "[]"));
        m.put("id 1.5", jsonAction("1.5", "\"getCount\"", "[]"));
        m.put("id string", jsonAction("\"x\"", "\"getCount\"", "[]"));
        m.put("id bigint -5", jsonAction("[\"$BigInt\",\"-5\"]", "\"getCount\"", "[]"));
        m.put("id bigint 2^70", jsonAction("[\"$BigInt\",\"" + BigInteger.TWO.pow(70) + "\"]",
            "\"getCount\"", "[]"));
        m.put("id bigint junk", jsonAction("[\"$BigInt\",\"zz\"]", "\"getCount\"", "[]"));
        m.put("name empty", jsonAction("1", "\"\"", "[]"));
        m.put("name number", jsonAction("1", "5", "[]"));
        m.put("name null", jsonAction("1", "null", "[]"));
        m.put("increment string", jsonAction("1", "\"increment\"", "[\"abc\"]"));
        m.put("increment object", jsonAction("1", "\"increment\"", "[{\"a\":1}]"));
        m.put("no val", utf8("{\"body\":{\"tag\":\"ActionRequest\"}}"));
        m.put("body array", utf8("{\"body\":[]}"));
        m.put("top array", utf8("[1,2,3]"));
        m.put("subscribe number", utf8("{\"body\":{\"tag\":\"SubscriptionRequest\",\"val\":"
            + "{\"eventName\":1,\"subscribe\":\"yes\"}}}"));
      }
      case CBOR -> {
        m.put("args number", cborAction(1L, "getCount", 5L));
        m.put("args string", cborAction(1L, "getCount", "x"));
        m.put("args map", cborAction(1L, "getCount", map("a", 1L)));
        m.put("args null", cborAction(1L, "getCount", null));
        m.put("id -1", cborAction(-1L, "getCount", List.of()));
        m.put("id u64 max", cborAction(new Raw(bytes("1bffffffffffffffff")), "getCount",
            List.of()));
        m.put("id -2^64", cborAction(new Raw(bytes("3bffffffffffffffff")), "getCount",
            List.of()));
        m.put("id bignum 2^72", cborAction(new Raw(bytes("c2 4a 01000000000000000000")),
            "getCount", List.of()));
        m.put("id float", cborAction(new Raw(bytes("fb3ff8000000000000")), "getCount",
            List.of()));
        m.put("id string", cborAction("x", "getCount", List.of()));
        m.put("name empty", cborAction(1L, "", List.of()));
        m.put("name number", cborAction(1L, 5L, List.of()));
        m.put("name bytes", cborAction(1L, new Raw(bytes("4461626364")), List.of()));
        m.put("increment string", cborAction(1L, "increment", List.of("abc")));
        m.put("increment map", cborAction(1L, "increment", List.of(map("a", 1L))));
        m.put("no val", cbor(map("body", map("tag", "ActionRequest"))));
        m.put("top array", cbor(List.of(1L, 2L)));
        m.put("indefinite map", bytes("bf64626f6479ff"));
        m.put("huge length", bytes("7b7fffffffffffffff"));
        m.put("deep nesting", cborAction(1L, "echo", new Raw(concat(repeat((byte) 0x81, 5000),
            new byte[] {0x00}))));
      }
      case BARE -> {
        m.put("args cbor number", bytes("0400 00 01 08" + Hex.s("getCount") + "01 05"));
        m.put("args cbor map", bytes("0400 00 01 08" + Hex.s("getCount") + "03 a16161 01"));
        m.put("args not cbor", bytes("0400 00 01 08" + Hex.s("getCount") + "02 ffff"));
        m.put("args length too long", bytes("0400 00 01 08" + Hex.s("getCount") + "7f 80"));
        m.put("args trailing", bytes("0400 00 01 08" + Hex.s("getCount") + "02 80 00"));
        m.put("id u64 max", bytes("0400 00 ffffffffffffffffff01 08" + Hex.s("getCount")
            + "01 80"));
        m.put("id varint overflow", bytes("0400 00 ffffffffffffffffffff7f 08"
            + Hex.s("getCount") + "01 80"));
        m.put("id non-canonical", bytes("0400 00 8100 08" + Hex.s("getCount") + "01 80"));
        m.put("name empty", bytes("0400 00 01 00 01 80"));
        m.put("name invalid utf8", bytes("0400 00 01 02 c3 28 01 80"));
        m.put("name length huge", bytes("0400 00 01 ffffffff0f 41 01 80"));
        m.put("increment string", concat(bytes("0400 00 01 09" + Hex.s("increment")),
            lengthPrefixed(cbor(List.of("abc")))));
        m.put("increment map", concat(bytes("0400 00 01 09" + Hex.s("increment")),
            lengthPrefixed(cbor(List.of(map("a", 1L))))));
        m.put("tag unknown", bytes("0400 07 00"));
        m.put("version 3", bytes("0300 00 01 08" + Hex.s("getCount") + "01 80"));
        m.put("version 0xffff", bytes("ffff 00 01 08" + Hex.s("getCount") + "01 80"));
        m.put("subscribe bool 2", bytes("0400 01 08" + Hex.s("newCount") + "02"));
        m.put("trailing bytes", bytes("0400 00 01 08" + Hex.s("getCount") + "01 80 00 00"));
      }
    }
    return m;
  }

  static byte[] lengthPrefixed(byte[] b) {
    assertTrue(b.length < 128);
    return concat(new byte[] {(byte) b.length}, b);
  }

  static byte[] repeat(byte b, int n) {
    byte[] out = new byte[n];
    Arrays.fill(out, b);
    return out;
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  @Timeout(60)
  void mistypedFramesAreRejected(Encoding e) {
    Map<String, Outcome> outcomes = new LinkedHashMap<>();
    mistyped(e).forEach((label, frame) -> outcomes.put(label,
        exchange(e, e + " " + label, e == Encoding.JSON, frame)));
    // none of them ran the increment
    outcomes.forEach((label, o) -> {
      for (ToClient c : o.messages()) {
        if (c instanceof ToClient.ActionResponse r && r.id() != PROBE) {
          assertTrue(!label.startsWith("increment"), label + " ran: " + r);
        }
      }
    });
    System.out.println("FuzzTest " + e + " mistyped: " + outcomes.values().stream()
        .map(o -> o.label() + " -> " + (o.close() == null ? "served " + o.messages()
            : o.close().reason() + " " + o.messages())).toList());
    assertIntact(e);
  }

  // ------------------------------------------------------------------ HTTP

  static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS",
      "FUZZ"};
  /** Actions that cannot change state (increment only with bodies that never decode). */
  static final String[] SAFE_ACTIONS = {"getCount", "echo", "getInput", "nope", "", "failUser",
      "connCount", "getCount%00", "..", "%2e%2e", "echo%2Fx"};

  static String randomString(Random r, int max) {
    int n = r.nextInt(max + 1);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      int k = r.nextInt(12);
      sb.append(switch (k) {
        case 0 -> '/';
        case 1 -> '@';
        case 2 -> '%';
        case 3 -> (char) (0x80 + r.nextInt(0x3000));
        case 4 -> ',';
        case 5 -> '.';
        default -> (char) (0x21 + r.nextInt(0x5e));
      });
    }
    return sb.toString();
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  static String seg(Random r) {
    return r.nextInt(4) == 0 ? enc(randomString(r, 12))
        : Integer.toString(r.nextInt(1 << 20), 36);
  }

  static String randomQuery(Random r) {
    String[] names = {"rvt-namespace", "rvt-method", "rvt-key", "rvt-input", "rvt-runner",
        "rvt-crash-policy", "rvt-token", "namespace", "name", "key", "actor_ids", "x"};
    String[] methods = {"get", "getOrCreate", "create", "nope", ""};
    StringBuilder q = new StringBuilder();
    int n = r.nextInt(6);
    for (int i = 0; i < n; i++) {
      String name = names[r.nextInt(names.length)];
      String value = switch (name) {
        case "rvt-namespace", "namespace" -> r.nextBoolean() ? "default" : seg(r);
        case "rvt-method" -> methods[r.nextInt(methods.length)];
        case "rvt-input" -> r.nextInt(4) == 0 ? "A".repeat(6000) : enc(randomString(r, 30));
        case "rvt-key" -> "fuzzq-" + seg(r);
        default -> enc(randomString(r, 20));
      };
      q.append(i == 0 ? "" : "&").append(name).append(r.nextInt(10) == 0 ? "" : "=" + value);
    }
    return q.toString();
  }

  static String randomPath(Random r, String actorId) {
    String action = SAFE_ACTIONS[r.nextInt(SAFE_ACTIONS.length)];
    return switch (r.nextInt(11)) {
      case 0 -> "/";
      case 1 -> "/actors" + (r.nextBoolean() ? "?" + randomQuery(r) : "");
      case 2 -> "/actors/" + seg(r) + (r.nextBoolean() ? "?" + randomQuery(r) : "");
      case 3 -> "/metadata";
      case 4 -> "/gateway/" + seg(r) + (r.nextBoolean() ? "/" + seg(r) : "")
          + (r.nextBoolean() ? "?" + randomQuery(r) : "");
      case 5 -> "/gateway/counter/action/" + action + "?" + getOrCreate("fuzz-http");
      case 6 -> "/gateway/" + actorId + "/action/" + action;
      case 7 -> "/gateway/" + actorId + "@" + seg(r) + "/action/" + action;
      case 8 -> "/" + seg(r) + "/" + seg(r);
      case 9 -> "/gateway/counter/connect?" + getOrCreate("fuzz-http");
      default -> "/gateway/counter/action/" + action + "?" + randomQuery(r);
    };
  }

  static byte[] randomBody(Random r) {
    return switch (r.nextInt(8)) {
      case 0 -> new byte[0];
      case 1 -> utf8("{\"args\":[" + randomString(r, 10).replace("\"", "") + "]}");
      case 2 -> utf8("{\"args\":");
      case 3 -> bytes("0400 05");
      case 4 -> {
        byte[] b = new byte[INCOMING_LIMIT + 1 + r.nextInt(8 * 1024)];
        r.nextBytes(b);
        yield b;
      }
      case 5 -> {
        byte[] b = new byte[BODY_LIMIT + 1 + r.nextInt(64 * 1024)];
        r.nextBytes(b);
        yield b;
      }
      default -> {
        byte[] b = new byte[r.nextInt(300)];
        r.nextBytes(b);
        yield b;
      }
    };
  }

  static String printable(Random r, int max) {
    int n = r.nextInt(max + 1);
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      sb.append((char) (0x21 + r.nextInt(0x5e)));
    }
    return sb.toString();
  }

  static List<String> randomHeaders(Random r, String actorId) {
    List<String> hs = new ArrayList<>();
    String[] encodings = {"json", "cbor", "bare", "JSON", "xml", "", "bare2"};
    if (r.nextInt(3) > 0) {
      hs.add("x-rivet-encoding");
      hs.add(r.nextInt(5) == 0 ? printable(r, 20) : encodings[r.nextInt(encodings.length)]);
    }
    String[] params = {"{bad", "[", "null", "{\"a\":1}", "\"str\"", "1e999", "{\"reject\":true}"};
    if (r.nextInt(3) == 0) {
      hs.add("x-rivet-conn-params");
      hs.add(switch (r.nextInt(3)) {
        case 0 -> params[r.nextInt(params.length)];
        case 1 -> "{\"a\":\"" + "p".repeat(r.nextInt(20_000)) + "\"}";
        default -> printable(r, 200);
      });
    }
    if (r.nextInt(6) == 0) {
      hs.add("x-rivet-target");
      hs.add(r.nextBoolean() ? "actor" : printable(r, 10));
      hs.add("x-rivet-actor");
      hs.add(r.nextBoolean() ? actorId : printable(r, 40));
    }
    if (r.nextInt(6) == 0) {
      hs.add("x-rivet-token");
      hs.add(printable(r, 40));
    }
    if (r.nextInt(4) == 0) {
      hs.add("content-type");
      hs.add(r.nextBoolean() ? "application/json" : printable(r, 30));
    }
    if (r.nextInt(8) == 0) {
      hs.add("x-fuzz");
      // below the 64 KiB header limit: above it, see oversizedHeadersLeaveConnectionUsable
      hs.add(printable(r, r.nextBoolean() ? 30_000 : 2_000));
    }
    return hs;
  }

  /** The error body's group, code and message, in the content type the server declared. */
  static String errorShape(HttpResponse<byte[]> res, Encoding requested) throws IOException {
    String type = res.headers().firstValue("content-type").orElse("");
    HttpResponseError err;
    if (type.startsWith("application/json")) {
      JsonNode n = MAPPER.readTree(res.body());
      assertTrue(n.isObject(), "error body is not an object: " + text(res));
      for (String f : List.of("group", "code", "message")) {
        assertTrue(n.path(f).isTextual() && !n.path(f).asText().isEmpty(),
            "error body lacks " + f + ": " + text(res));
      }
      return n.get("group").asText() + "." + n.get("code").asText();
    }
    assertEquals(requested.contentType(), type, "error content type");
    assertTrue(requested != Encoding.JSON);
    err = ProtocolCodec.of(requested).decodeHttpResponseError(res.body());
    assertTrue(!err.group().isEmpty() && !err.code().isEmpty() && !err.message().isEmpty(),
        err.toString());
    return err.group() + "." + err.code();
  }

  @Test
  @Timeout(120)
  void randomHttpRequestsGetStatusesAndErrorShapes() throws Exception {
    Random r = new Random(0x5EED_4711L);
    HttpResponse<byte[]> created = h.action("/gateway/counter/action/increment?"
        + getOrCreate("fuzz-http"), "json", utf8("{\"args\":[" + KNOWN + "]}"));
    assertEquals("{\"output\":" + KNOWN + "}", text(created));
    String actorId = created.headers().firstValue("x-rivet-actor").orElseThrow();
    int refusedOversize = 0;
    for (int i = 0; i < 400; i++) {
      String method = METHODS[r.nextInt(METHODS.length)];
      String path;
      byte[] body;
      if (i % 25 == 0) { // increment, but always with a body that cannot run it
        path = "/gateway/counter/action/increment?" + getOrCreate("fuzz-http");
        body = switch ((i / 25) % 3) {
          case 0 -> utf8("{\"args\":[");
          case 1 -> new byte[INCOMING_LIMIT + 10];
          default -> new byte[BODY_LIMIT + 10];
        };
        method = "POST";
      } else {
        path = randomPath(r, actorId);
        body = randomBody(r);
      }
      List<String> headers = randomHeaders(r, actorId);
      if (i % 25 == 0 && (i / 25) % 3 == 0) {
        headers = List.of("x-rivet-encoding", "json");
      }
      String label = "#" + i + " " + method + " " + abbreviate(path) + " headers "
          + abbreviate(headers.toString()) + " body " + body.length + " B";
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(h.server.endpoint() + path))
          .timeout(Duration.ofSeconds(10))
          .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
      if (!headers.isEmpty()) {
        b.headers(headers.toArray(String[]::new));
      }
      HttpResponse<byte[]> res;
      try {
        res = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      } catch (java.net.http.HttpTimeoutException hang) {
        throw new AssertionError(label + ": no response within 10 s", hang);
      } catch (IOException io) {
        // the server answers 413 and closes while the client may still be writing the body
        assertTrue(body.length > BODY_LIMIT, label + ": " + io);
        refusedOversize++;
        tally("http.oversize-refused-mid-write");
        assertHealthy(label);
        continue;
      }
      int status = res.statusCode();
      assertTrue(ALLOWED_STATUSES.contains(status), label + ": status " + status + " "
          + abbreviate(text(res)));
      if (body.length > BODY_LIMIT) {
        assertEquals(413, status, label);
      }
      String code = "-";
      if (status >= 400 && !method.equals("HEAD")) {
        String enc = res.request().headers().firstValue("x-rivet-encoding").orElse("json");
        code = errorShape(res, Encoding.lookup(enc.trim()).orElse(Encoding.JSON));
        if (status == 500) {
          assertEquals("user.my_code", code, label + ": 500 for " + abbreviate(text(res)));
        }
      }
      tally("http." + status + " " + code);
      assertHealthy(label);
    }
    assertEquals("{\"output\":" + KNOWN + "}", text(h.action("/gateway/counter/action/getCount?"
        + getOrCreate("fuzz-http"), "json", utf8("{}"))));
    for (Encoding e : Encoding.values()) {
      assertIntact(e);
    }
    System.out.println("FuzzTest oversize bodies refused mid-write: " + refusedOversize);
  }

  /**
   * Headers above the server's 64 KiB limit get a 400 error; the connection must then either be
   * closed by the server or keep serving requests (a keep-alive client reuses it at once).
   */
  @Test
  @Timeout(60)
  void oversizedHeadersLeaveConnectionUsable() throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    HttpResponse<byte[]> big = client.send(HttpRequest.newBuilder(URI.create(
        h.server.endpoint() + "/health")).timeout(Duration.ofSeconds(10))
        .header("x-fuzz", "h".repeat(70_000)).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(400, big.statusCode(), text(big));
    String shape = errorShape(big, Encoding.JSON);
    System.out.println("FuzzTest oversized header: " + big.statusCode() + " " + shape + " "
        + big.headers().map());
    HttpResponse<byte[]> next;
    try {
      next = client.send(HttpRequest.newBuilder(URI.create(h.server.endpoint() + "/health"))
          .timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (java.net.http.HttpTimeoutException hang) {
      throw new AssertionError("the request after an oversized header hangs on the kept-alive"
          + " connection", hang);
    }
    assertEquals(200, next.statusCode());
  }

  static void assertHealthy(String after) throws Exception {
    HttpResponse<byte[]> health;
    try {
      health = HTTP.send(HttpRequest.newBuilder(URI.create(
        h.server.endpoint() + "/health")).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new AssertionError("/health failed after " + after, e);
    }
    assertEquals(200, health.statusCode(), "after " + after);
    assertTrue(text(health).contains("\"status\":\"ok\""), "after " + after);
  }

  static String abbreviate(String s) {
    return s.length() > 160 ? s.substring(0, 160) + "…(" + s.length() + ")" : s;
  }
}
