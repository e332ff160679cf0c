package io.rivet4j.server;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How a {@link RivetServer} listens and which limits it enforces. Start from {@link #defaults()}
 * or {@link #fromEnv()} and change fields with the {@code with…} methods.
 *
 * @param host the address to bind ({@code 127.0.0.1}; env {@code RIVET_HOST})
 * @param port the port to bind, 0 for an ephemeral one ({@code 6420}; env {@code RIVET_PORT})
 * @param token when present, every API and gateway request must carry it
 *     ({@code Authorization: Bearer}, {@code x-rivet-token}, {@code @token} in a gateway path,
 *     {@code rvt-token} or the {@code rivet_token.*} subprotocol); env {@code RIVET_TOKEN}
 * @param namespace the one namespace served ({@code default}; env {@code RIVET_NAMESPACE})
 * @param maxIncomingMessageSize largest action request body or WebSocket message (64 KiB)
 * @param maxOutgoingMessageSize largest action response or WebSocket message sent (1 MiB)
 * @param maxInputSize largest {@code rvt-input} (CBOR bytes) in a gateway URL (4 KiB)
 * @param maxRequestBodySize largest HTTP request body of any route (20 MiB, as the engine)
 * @param webSocketPingInterval a ping goes out after this much silence from the peer (20 s)
 * @param webSocketIdleTimeout a WebSocket silent for this long (pongs count) is dropped (60 s)
 * @param httpIdleTimeout an HTTP connection without a request for this long is closed (60 s)
 * @param slowConsumerTimeout a connection whose outbound buffer stays above the high-water mark
 *     this long is dropped (10 s)
 * @param writeBufferHighWaterMark outbound bytes per connection above which it counts as slow;
 *     must exceed {@code maxOutgoingMessageSize} (2 MiB)
 * @param maxBufferedOutbound outbound bytes per connection at which it is dropped at once (8 MiB)
 * @param maxInflightPerConnection WebSocket messages read but not yet answered, per connection,
 *     above which reading from that socket pauses (256)
 */
public record ServerConfig(
    String host,
    int port,
    Optional<String> token,
    String namespace,
    int maxIncomingMessageSize,
    int maxOutgoingMessageSize,
    int maxInputSize,
    int maxRequestBodySize,
    Duration webSocketPingInterval,
    Duration webSocketIdleTimeout,
    Duration httpIdleTimeout,
    Duration slowConsumerTimeout,
    int writeBufferHighWaterMark,
    int maxBufferedOutbound,
    int maxInflightPerConnection) {

  public static final int DEFAULT_PORT = 6420;

  public ServerConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(namespace, "namespace");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0-65535, got " + port);
    }
    if (token.isPresent() && token.get().isEmpty()) {
      token = Optional.empty();
    }
    if (namespace.isEmpty()) {
      throw new IllegalArgumentException("namespace must not be empty");
    }
    positive(maxIncomingMessageSize, "maxIncomingMessageSize");
    positive(maxOutgoingMessageSize, "maxOutgoingMessageSize");
    positive(maxInputSize, "maxInputSize");
    positive(maxRequestBodySize, "maxRequestBodySize");
    positive(webSocketPingInterval, "webSocketPingInterval");
    positive(webSocketIdleTimeout, "webSocketIdleTimeout");
    positive(httpIdleTimeout, "httpIdleTimeout");
    positive(slowConsumerTimeout, "slowConsumerTimeout");
    positive(maxInflightPerConnection, "maxInflightPerConnection");
    if (writeBufferHighWaterMark <= maxOutgoingMessageSize) {
      throw new IllegalArgumentException("writeBufferHighWaterMark (" + writeBufferHighWaterMark
          + ") must exceed maxOutgoingMessageSize (" + maxOutgoingMessageSize + ")");
    }
    if (maxBufferedOutbound < writeBufferHighWaterMark) {
      throw new IllegalArgumentException("maxBufferedOutbound (" + maxBufferedOutbound
          + ") must be at least writeBufferHighWaterMark (" + writeBufferHighWaterMark + ")");
    }
  }

  /** 127.0.0.1:6420, no token, namespace {@code default}, RivetKit's limits. */
  public static ServerConfig defaults() {
    return new ServerConfig("127.0.0.1", DEFAULT_PORT, Optional.empty(), "default",
        64 * 1024, 1024 * 1024, 4096, 20 * 1024 * 1024,
        Duration.ofSeconds(20), Duration.ofSeconds(60), Duration.ofSeconds(60),
        Duration.ofSeconds(10), 2 * 1024 * 1024, 8 * 1024 * 1024, 256);
  }

  /**
   * The defaults, overridden by the environment: {@code RIVET_HOST}, {@code RIVET_PORT},
   * {@code RIVET_TOKEN}, {@code RIVET_NAMESPACE}, {@code RIVET_MAX_INCOMING_MESSAGE_SIZE},
   * {@code RIVET_MAX_OUTGOING_MESSAGE_SIZE}, {@code RIVET_MAX_INPUT_SIZE},
   * {@code RIVET_WS_PING_INTERVAL_MS}, {@code RIVET_WS_IDLE_TIMEOUT_MS},
   * {@code RIVET_HTTP_IDLE_TIMEOUT_MS}, {@code RIVET_SLOW_CONSUMER_TIMEOUT_MS}.
   */
  public static ServerConfig fromEnv() {
    return fromEnv(System.getenv());
  }

  /** As {@link #fromEnv()} with the given variables. */
  public static ServerConfig fromEnv(Map<String, String> env) {
    ServerConfig d = defaults();
    String token = env.get("RIVET_TOKEN");
    int incoming = intVar(env, "RIVET_MAX_INCOMING_MESSAGE_SIZE", d.maxIncomingMessageSize);
    int outgoing = intVar(env, "RIVET_MAX_OUTGOING_MESSAGE_SIZE", d.maxOutgoingMessageSize);
    int high = Math.max(d.writeBufferHighWaterMark, outgoing + 64 * 1024);
    return new ServerConfig(
        env.getOrDefault("RIVET_HOST", d.host),
        intVar(env, "RIVET_PORT", d.port),
        Optional.ofNullable(token),
        env.getOrDefault("RIVET_NAMESPACE", d.namespace),
        incoming,
        outgoing,
        intVar(env, "RIVET_MAX_INPUT_SIZE", d.maxInputSize),
        d.maxRequestBodySize,
        msVar(env, "RIVET_WS_PING_INTERVAL_MS", d.webSocketPingInterval),
        msVar(env, "RIVET_WS_IDLE_TIMEOUT_MS", d.webSocketIdleTimeout),
        msVar(env, "RIVET_HTTP_IDLE_TIMEOUT_MS", d.httpIdleTimeout),
        msVar(env, "RIVET_SLOW_CONSUMER_TIMEOUT_MS", d.slowConsumerTimeout),
        high,
        Math.max(d.maxBufferedOutbound, 4 * high),
        d.maxInflightPerConnection);
  }

  public ServerConfig withHost(String h) {
    return new ServerConfig(h, port, token, namespace, maxIncomingMessageSize,
        maxOutgoingMessageSize, maxInputSize, maxRequestBodySize, webSocketPingInterval,
        webSocketIdleTimeout, httpIdleTimeout, slowConsumerTimeout, writeBufferHighWaterMark,
        maxBufferedOutbound, maxInflightPerConnection);
  }

  public ServerConfig withPort(int p) {
    return new ServerConfig(host, p, token, namespace, maxIncomingMessageSize,
        maxOutgoingMessageSize, maxInputSize, maxRequestBodySize, webSocketPingInterval,
        webSocketIdleTimeout, httpIdleTimeout, slowConsumerTimeout, writeBufferHighWaterMark,
        maxBufferedOutbound, maxInflightPerConnection);
  }

  /** Requires {@code t} on every API and gateway request; {@code null} or empty for none. */
  public ServerConfig withToken(String t) {
    return new ServerConfig(host, port, Optional.ofNullable(t), namespace,
        maxIncomingMessageSize, maxOutgoingMessageSize, maxInputSize, maxRequestBodySize,
        webSocketPingInterval, webSocketIdleTimeout, httpIdleTimeout, slowConsumerTimeout,
        writeBufferHighWaterMark, maxBufferedOutbound, maxInflightPerConnection);
  }

  public ServerConfig withNamespace(String n) {
    return new ServerConfig(host, port, token, n, maxIncomingMessageSize,
        maxOutgoingMessageSize, maxInputSize, maxRequestBodySize, webSocketPingInterval,
        webSocketIdleTimeout, httpIdleTimeout, slowConsumerTimeout, writeBufferHighWaterMark,
        maxBufferedOutbound, maxInflightPerConnection);
  }

  /** Message size limits; the write-buffer marks grow to fit one outgoing message. */
  public ServerConfig withMessageLimits(int incoming, int outgoing) {
    int high = Math.max(writeBufferHighWaterMark, outgoing + 64 * 1024);
    return new ServerConfig(host, port, token, namespace, incoming, outgoing, maxInputSize,
        maxRequestBodySize, webSocketPingInterval, webSocketIdleTimeout, httpIdleTimeout,
        slowConsumerTimeout, high, Math.max(maxBufferedOutbound, high),
        maxInflightPerConnection);
  }

  public ServerConfig withMaxInputSize(int n) {
    return new ServerConfig(host, port, token, namespace, maxIncomingMessageSize,
        maxOutgoingMessageSize, n, maxRequestBodySize, webSocketPingInterval,
        webSocketIdleTimeout, httpIdleTimeout, slowConsumerTimeout, writeBufferHighWaterMark,
        maxBufferedOutbound, maxInflightPerConnection);
  }

  public ServerConfig withMaxRequestBodySize(int n) {
    return new ServerConfig(host, port, token, namespace, maxIncomingMessageSize,
        maxOutgoingMessageSize, maxInputSize, n, webSocketPingInterval, webSocketIdleTimeout,
        httpIdleTimeout, slowConsumerTimeout, writeBufferHighWaterMark, maxBufferedOutbound,
        maxInflightPerConnection);
  }

  /** WebSocket keep-alive: ping after {@code ping} of silence, drop after {@code idle}. */
  public ServerConfig withWebSocketTimeouts(Duration ping, Duration idle) {
    return new ServerConfig(host, port, token, namespace, maxIncomingMessageSize,
        maxOutgoingMessageSize, maxInputSize, maxRequestBodySize, ping, idle, httpIdleTimeout,
        slowConsumerTimeout, writeBufferHighWaterMark, maxBufferedOutbound,
        maxInflightPerConnection);
  }

  public ServerConfig withHttpIdleTimeout(Duration d) {
    return new ServerConfig(host, port, token, namespace, maxIncomingMessageSize,
        maxOutgoingMessageSize, maxInputSize, maxRequestBodySize, webSocketPingInterval,
        webSocketIdleTimeout, d, slowConsumerTimeout, writeBufferHighWaterMark,
        maxBufferedOutbound, maxInflightPerConnection);
  }

  /** Slow-consumer policy: how long above {@code highWaterMark}, and the hard byte cap. */
  public ServerConfig withOutboundLimits(Duration slowFor, int highWaterMark, int maxBuffered) {
    return new ServerConfig(host, port, token, namespace, maxIncomingMessageSize,
        maxOutgoingMessageSize, maxInputSize, maxRequestBodySize, webSocketPingInterval,
        webSocketIdleTimeout, httpIdleTimeout, slowFor, highWaterMark, maxBuffered,
        maxInflightPerConnection);
  }

  public ServerConfig withMaxInflightPerConnection(int n) {
    return new ServerConfig(host, port, token, namespace, maxIncomingMessageSize,
        maxOutgoingMessageSize, maxInputSize, maxRequestBodySize, webSocketPingInterval,
        webSocketIdleTimeout, httpIdleTimeout, slowConsumerTimeout, writeBufferHighWaterMark,
        maxBufferedOutbound, n);
  }

  private static int intVar(Map<String, String> env, String name, int fallback) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be an integer, got '" + v + "'", e);
    }
  }

  private static Duration msVar(Map<String, String> env, String name, Duration fallback) {
    String v = env.get(name);
    return v == null || v.isBlank() ? fallback : Duration.ofMillis(intVar(env, name, 0));
  }

  private static void positive(int n, String name) {
    if (n <= 0) {
      throw new IllegalArgumentException(name + " must be positive, got " + n);
    }
  }

  private static void positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + d);
    }
  }
}
