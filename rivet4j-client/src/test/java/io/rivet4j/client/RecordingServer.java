package io.rivet4j.client;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A fake Rivet endpoint (the JDK's HTTP server) that records every request byte for byte and
 * answers as the test says; {@code /metadata} answers as the engine does unless told otherwise.
 */
final class RecordingServer implements AutoCloseable {
  /** A recorded request; header names are case-insensitive. */
  record Request(String method, String path, String query, Map<String, List<String>> headers,
      byte[] body) {
    String target() {
      return query == null ? path : path + "?" + query;
    }

    String header(String name) {
      List<String> values = headers.get(name);
      return values == null ? null : values.get(0);
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /** An answer. */
  record Response(int status, String contentType, byte[] body) {
    static Response json(int status, String json) {
      return new Response(status, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    static Response text(int status, String text) {
      return new Response(status, "text/plain", text.getBytes(StandardCharsets.UTF_8));
    }
  }

  static final String ENGINE_METADATA = "{\"runtime\":\"engine\",\"version\":\"2.3.19\"}";

  private final HttpServer server;
  private final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();
  private volatile Function<Request, Response> handler =
      r -> Response.json(404, "{\"group\":\"api\",\"code\":\"not_found\",\"message\":\"x\"}");
  private volatile Response metadata = Response.json(200, ENGINE_METADATA);

  private RecordingServer(HttpServer server) {
    this.server = server;
  }

  static RecordingServer start() {
    try {
      HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      RecordingServer s = new RecordingServer(http);
      http.createContext("/", s::handle);
      http.start();
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** How every request but {@code /metadata} is answered. */
  void answer(Function<Request, Response> handler) {
    this.handler = handler;
  }

  void answerMetadata(Response response) {
    this.metadata = response;
  }

  /** The next request (waiting up to 20 s). */
  Request next() throws InterruptedException {
    Request r = requests.poll(20, TimeUnit.SECONDS);
    assertNotNull(r, "no request within 20 s");
    return r;
  }

  /** The next request that is not {@code GET /metadata}. */
  Request nextNonMetadata() throws InterruptedException {
    for (;;) {
      Request r = next();
      if (!r.path().equals("/metadata")) {
        return r;
      }
    }
  }

  /** Requests recorded and not yet taken. */
  List<Request> drain() {
    List<Request> out = new java.util.ArrayList<>();
    requests.drainTo(out);
    return out;
  }

  private void handle(HttpExchange ex) throws IOException {
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    ex.getRequestHeaders().forEach((k, v) -> headers.put(k, List.copyOf(v)));
    byte[] body = ex.getRequestBody().readAllBytes();
    Request r = new Request(ex.getRequestMethod(), ex.getRequestURI().getRawPath(),
        ex.getRequestURI().getRawQuery(), headers, body);
    requests.add(r);
    Response res = r.path().equals("/metadata") ? metadata : handler.apply(r);
    ex.getResponseHeaders().add("content-type", res.contentType());
    ex.getResponseHeaders().add("x-rivet-ray-id", "ray-1");
    ex.sendResponseHeaders(res.status(), res.body().length == 0 ? -1 : res.body().length);
    if (res.body().length > 0) {
      ex.getResponseBody().write(res.body());
    }
    ex.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
