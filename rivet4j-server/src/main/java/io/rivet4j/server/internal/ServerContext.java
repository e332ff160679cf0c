package io.rivet4j.server.internal;

import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.http.HttpHeaders;
import io.rivet4j.api.RivetError;
import io.rivet4j.runtime.internal.Node;
import io.rivet4j.server.ServerConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.ExecutorService;

/**
 * What every channel of one server shares: the node, the config, the resolver, the executor for
 * work that may block, and the set of open channels.
 *
 * <p>Concurrency: immutable after construction except {@code channels} (a Netty
 * {@link ChannelGroup}, thread-safe) and {@code closing}.
 */
final class ServerContext {
  final Node node;
  final ServerConfig config;
  final Resolver resolver;
  /** Runs request handling that may block (resolution, waking a sleeping actor). */
  final ExecutorService blocking;
  final ChannelGroup channels;
  final String namespaceId;
  /** Files served next to the API, or null. */
  final io.rivet4j.server.StaticFiles staticFiles;
  volatile boolean closing;

  ServerContext(Node node, ServerConfig config, ExecutorService blocking,
      ChannelGroup channels, io.rivet4j.server.StaticFiles staticFiles) {
    this.staticFiles = staticFiles;
    this.node = node;
    this.config = config;
    this.resolver = new Resolver(node);
    this.blocking = blocking;
    this.channels = channels;
    this.namespaceId = namespaceId(config.namespace());
  }

  /**
   * {@code null} when the request may proceed, else why not. Tokens are read from the URL
   * ({@code @token}, {@code rvt-token}), {@code x-rivet-token}, {@code Authorization: Bearer}
   * and the {@code rivet_token.*} WebSocket subprotocol.
   */
  RivetError checkToken(HttpHeaders headers, String urlToken, List<String> subprotocols) {
    if (config.token().isEmpty()) {
      return null;
    }
    byte[] expected = config.token().get().getBytes(StandardCharsets.UTF_8);
    boolean presented = false;
    String auth = headers.get("authorization");
    String bearer = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)
        ? auth.substring(7).trim() : null;
    for (String candidate : new String[] {urlToken, headers.get("x-rivet-token"), bearer}) {
      if (candidate != null) {
        presented = true;
        if (MessageDigest.isEqual(expected, candidate.getBytes(StandardCharsets.UTF_8))) {
          return null;
        }
      }
    }
    for (String p : subprotocols) {
      if (p.startsWith("rivet_token.")) {
        presented = true;
        String t;
        try {
          t = UrlParts.decode(p.substring("rivet_token.".length()), false);
        } catch (IllegalArgumentException e) {
          continue;
        }
        if (MessageDigest.isEqual(expected, t.getBytes(StandardCharsets.UTF_8))) {
          return null;
        }
      }
    }
    return presented ? Failures.forbidden() : Failures.unauthorized();
  }

  /** A stable 30-character id for the namespace, shaped like the engine's ids. */
  private static String namespaceId(String namespace) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256")
          .digest(namespace.getBytes(StandardCharsets.UTF_8));
      String digits = "0123456789abcdefghijklmnopqrstuvwxyz";
      char[] out = new char[30];
      for (int i = 0; i < 28; i++) {
        out[i] = digits.charAt((h[i] & 0xff) % 36);
      }
      out[28] = '0';
      out[29] = '0';
      return new String(out);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
