package io.rivet4j.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A test WebSocket client over {@code java.net.http.WebSocket}: collects whole messages (text
 * as UTF-8 bytes) and the close status in arrival order. With {@code paused()} it stops asking
 * for more frames, so the server sees a peer that does not read.
 *
 * <p>Concurrency: the JDK calls the listener sequentially; the test thread waits on queues.
 */
final class WsClient implements WebSocket.Listener {
  /** A received message: text or binary. */
  record Message(boolean text, byte[] bytes) {
    String string() {
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  /** A received close frame (or {@code -1} and the error when the socket failed). */
  record Close(int code, String reason) {}

  final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();
  final CompletableFuture<Close> closed = new CompletableFuture<>();
  final BlockingQueue<String> pings = new LinkedBlockingQueue<>();
  private final AtomicBoolean paused = new AtomicBoolean();
  private final java.io.ByteArrayOutputStream partial = new java.io.ByteArrayOutputStream();
  WebSocket socket;

  static WsClient open(HttpClient http, URI uri, String... subprotocols) {
    WsClient c = new WsClient();
    WebSocket.Builder b = http.newWebSocketBuilder().connectTimeout(Harness.TIMEOUT);
    if (subprotocols.length > 0) {
      b.subprotocols(subprotocols[0], Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
    }
    c.socket = b.buildAsync(uri, c).orTimeout(20, TimeUnit.SECONDS).join();
    return c;
  }

  /** The next message, waiting up to 20 s. */
  Message next() {
    try {
      Message m = messages.poll(20, TimeUnit.SECONDS);
      if (m == null) {
        throw new AssertionError("no message within 20 s (closed: " + closed.getNow(null) + ")");
      }
      return m;
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  /** The close frame the server sent, waiting up to 20 s. */
  Close awaitClose() {
    return closed.orTimeout(20, TimeUnit.SECONDS).join();
  }

  void send(boolean text, byte[] bytes) {
    if (text) {
      socket.sendText(new String(bytes, StandardCharsets.UTF_8), true).join();
    } else {
      socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
    }
  }

  /** Stops reading from the socket (no more demand). */
  void pause() {
    paused.set(true);
  }

  void close(int code, String reason) {
    socket.sendClose(code, reason).join();
  }

  void abort() {
    socket.abort();
  }

  @Override
  public void onOpen(WebSocket webSocket) {
    webSocket.request(1);
  }

  @Override
  public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
    byte[] b = data.toString().getBytes(StandardCharsets.UTF_8);
    partial.write(b, 0, b.length);
    if (last) {
      messages.add(new Message(true, partial.toByteArray()));
      partial.reset();
    }
    demand(ws);
    return null;
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
    byte[] b = new byte[data.remaining()];
    data.get(b);
    partial.write(b, 0, b.length);
    if (last) {
      messages.add(new Message(false, partial.toByteArray()));
      partial.reset();
    }
    demand(ws);
    return null;
  }

  @Override
  public CompletionStage<?> onPing(WebSocket ws, ByteBuffer message) {
    pings.add("ping");
    demand(ws);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
    closed.complete(new Close(statusCode, reason));
    return null;
  }

  @Override
  public void onError(WebSocket ws, Throwable error) {
    closed.complete(new Close(-1, String.valueOf(error)));
  }

  private void demand(WebSocket ws) {
    if (!paused.get()) {
      ws.request(1);
    }
  }
}
