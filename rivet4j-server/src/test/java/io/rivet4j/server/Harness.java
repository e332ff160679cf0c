package io.rivet4j.server;

import io.rivet4j.testkit.TestRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A server on an ephemeral port over a {@link TestRegistry} running {@link TestActors}, and an
 * HTTP client for it.
 */
final class Harness implements AutoCloseable {
  static final Duration TIMEOUT = Duration.ofSeconds(20);

  final TestRegistry rivet;
  final RivetServer server;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

  private Harness(TestRegistry rivet, RivetServer server) {
    this.rivet = rivet;
    this.server = server;
  }

  static Harness start() {
    return start(ServerConfig.defaults());
  }

  static Harness start(ServerConfig config) {
    TestRegistry rivet = TestRegistry.start(TestActors.registry());
    RivetServer server = RivetServer.start(rivet.runtime(), config.withHost("127.0.0.1")
        .withPort(0));
    return new Harness(rivet, server);
  }

  URI uri(String pathAndQuery) {
    return URI.create(server.endpoint() + pathAndQuery);
  }

  URI wsUri(String pathAndQuery) {
    return URI.create("ws://127.0.0.1:" + server.port() + pathAndQuery);
  }

  HttpResponse<byte[]> send(HttpRequest.Builder request) {
    try {
      return http.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  HttpResponse<byte[]> get(String pathAndQuery, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(pathAndQuery)).GET();
    if (headers.length > 0) {
      b.headers(headers);
    }
    return send(b);
  }

  HttpResponse<byte[]> method(String method, String pathAndQuery, byte[] body,
      String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(pathAndQuery))
        .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return send(b);
  }

  /** {@code POST} an action body in {@code encoding} (json, cbor or bare). */
  HttpResponse<byte[]> action(String pathAndQuery, String encoding, byte[] body,
      String... extraHeaders) {
    String[] headers = new String[4 + extraHeaders.length];
    headers[0] = "x-rivet-encoding";
    headers[1] = encoding;
    headers[2] = "content-type";
    headers[3] = encoding.equals("json") ? "application/json" : "application/octet-stream";
    System.arraycopy(extraHeaders, 0, headers, 4, extraHeaders.length);
    return method("POST", pathAndQuery, body, headers);
  }

  static String text(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** The gateway query string for getOrCreate of {@code key} (parts joined by ','). */
  static String getOrCreate(String keyQuery) {
    return "rvt-namespace=default&rvt-method=getOrCreate&rvt-runner=default"
        + (keyQuery == null ? "" : "&rvt-key=" + keyQuery) + "&rvt-crash-policy=sleep";
  }

  /** Opens a WebSocket and waits for the upgrade. */
  WsClient ws(String pathAndQuery, String... subprotocols) {
    return WsClient.open(http, wsUri(pathAndQuery), subprotocols);
  }

  @Override
  public void close() {
    server.close();
    rivet.close();
  }
}
