package io.rivet4j.examples.chatroom;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * Serves the chat page (the classpath folder {@code web/}: {@code index.html}, {@code app.js},
 * {@code style.css}, …) and {@code /config.json}, which tells the page the API port and, only
 * while the server runs with the public default secret, that secret.
 *
 * <p>A stopgap: rivet4j-server has no static-file option yet, so the page has its own port and
 * talks to the API port cross-origin (the API answers CORS). Only {@code GET} and {@code HEAD}
 * of single-segment names made of {@code [A-Za-z0-9._-]} are served; nothing outside
 * {@code web/} can be reached.
 */
public final class WebServer implements AutoCloseable {
  private static final Pattern FILE = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*");
  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8",
      "js", "text/javascript; charset=utf-8",
      "css", "text/css; charset=utf-8",
      "map", "application/json; charset=utf-8",
      "json", "application/json; charset=utf-8",
      "png", "image/png",
      "svg", "image/svg+xml",
      "ico", "image/x-icon");

  private final HttpServer http;
  private final ExecutorService executor;
  private final byte[] config;

  private WebServer(HttpServer http, ExecutorService executor, byte[] config) {
    this.http = http;
    this.executor = executor;
    this.config = config;
  }

  /**
   * Binds {@code host:port} (0 for an ephemeral port) and serves the page for the API at
   * {@code apiPort}.
   */
  public static WebServer start(String host, int port, int apiPort, ChatRoomConfig rules) {
    Objects.requireNonNull(host, "host");
    String localToken = rules.usesDefaultSecret()
        ? "\"" + ChatRoomConfig.DEFAULT_SECRET + "\"" : "null";
    byte[] config = ("{\"apiPort\":" + apiPort + ",\"localToken\":" + localToken + "}")
        .getBytes(StandardCharsets.UTF_8);
    HttpServer http;
    try {
      http = HttpServer.create(new InetSocketAddress(host, port), 64);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind the chat page to " + host + ":" + port
          + " (set CHAT_WEB_PORT to a free port)", e);
    }
    ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "chat-web");
      t.setDaemon(true);
      return t;
    });
    WebServer server = new WebServer(http, executor, config);
    http.createContext("/", server::handle);
    http.setExecutor(executor);
    http.start();
    return server;
  }

  /** True when the bundled page ({@code web/app.js}) is on the classpath. */
  public static boolean pageBuilt() {
    return WebServer.class.getClassLoader().getResource("web/app.js") != null;
  }

  /** The bound port. */
  public int port() {
    return http.getAddress().getPort();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String method = ex.getRequestMethod();
      boolean head = method.equals("HEAD");
      if (!head && !method.equals("GET")) {
        ex.getResponseHeaders().set("Allow", "GET, HEAD");
        send(ex, 405, "text/plain; charset=utf-8", "method not allowed\n".getBytes(
            StandardCharsets.UTF_8), false);
        return;
      }
      String path = ex.getRequestURI().getPath();
      String name = path.equals("/") ? "index.html" : path.substring(1);
      if (name.equals("config.json")) {
        send(ex, 200, TYPES.get("json"), config, head);
        return;
      }
      byte[] body = FILE.matcher(name).matches() ? resource(name) : null;
      if (body == null) {
        send(ex, 404, "text/plain; charset=utf-8", "not found\n".getBytes(StandardCharsets.UTF_8),
            head);
        return;
      }
      int dot = name.lastIndexOf('.');
      String type = TYPES.getOrDefault(dot < 0 ? "" : name.substring(dot + 1),
          "application/octet-stream");
      send(ex, 200, type, body, head);
    }
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = WebServer.class.getClassLoader().getResourceAsStream("web/" + name)) {
      return in == null ? null : in.readAllBytes();
    }
  }

  private static void send(HttpExchange ex, int status, String type, byte[] body, boolean head)
      throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.getResponseHeaders().set("Cache-Control", "no-cache");
    ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    if (head) {
      ex.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
      ex.sendResponseHeaders(status, -1);
      return;
    }
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  /** Stops serving at once. Idempotent. */
  @Override
  public void close() {
    http.stop(0);
    executor.shutdownNow();
  }
}
