package io.rivet4j.client.internal;

import io.rivet4j.protocol.Encoding;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A client's resolved options (client-protocol.md §1): the endpoint without user info, the
 * namespace and token (from the URL, the builder, the environment, in that order), and the rest.
 *
 * @param endpoint {@code http(s)://host[:port][/base]}, no user info, query or fragment
 */
public record ClientConfig(
    String endpoint,
    String namespace,
    Optional<String> token,
    String poolName,
    Encoding encoding,
    Map<String, String> headers,
    Duration connectTimeout,
    Duration requestTimeout,
    int maxInputSize,
    boolean metadataLookup) {

  public static final String DEFAULT_ENDPOINT = "http://127.0.0.1:6420";
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofMinutes(2);
  public static final int DEFAULT_MAX_INPUT_SIZE = 4096;

  public ClientConfig {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(poolName, "poolName");
    Objects.requireNonNull(encoding, "encoding");
    headers = Map.copyOf(headers);
    if (namespace.isEmpty()) {
      throw new IllegalArgumentException("namespace must not be empty");
    }
  }

  /**
   * Resolves the builder's values ({@code null} when unset) against {@code env}, as
   * {@code createClient} does: endpoint › {@code RIVET_ENGINE} › {@code RIVET_ENDPOINT} ›
   * default; namespace: URL user › option › {@code RIVET_NAMESPACE} › {@code default}; token: URL
   * password › option › {@code RIVET_TOKEN}; pool: option › {@code RIVET_POOL} › {@code default}.
   */
  public static ClientConfig resolve(String endpoint, String namespace, String token,
      String poolName, Encoding encoding, Map<String, String> headers, Duration connectTimeout,
      Duration requestTimeout, int maxInputSize, boolean metadataLookup,
      Map<String, String> env) {
    String raw = endpoint != null ? endpoint
        : firstNonBlank(env.get("RIVET_ENGINE"), env.get("RIVET_ENDPOINT"), DEFAULT_ENDPOINT);
    Parsed parsed = parse(raw, namespace, token);
    String ns = parsed.namespace != null ? parsed.namespace
        : namespace != null ? namespace
        : firstNonBlank(env.get("RIVET_NAMESPACE"), "default");
    String tk = parsed.token != null ? parsed.token
        : token != null ? token : blankToNull(env.get("RIVET_TOKEN"));
    String pool = poolName != null ? poolName : firstNonBlank(env.get("RIVET_POOL"), "default");
    return new ClientConfig(parsed.endpoint, ns, Optional.ofNullable(tk), pool, encoding,
        headers, connectTimeout, requestTimeout, maxInputSize, metadataLookup);
  }

  /** The config after a {@code /metadata} redirect ({@code clientEndpoint} and friends). */
  ClientConfig redirected(String clientEndpoint, String clientNamespace, String clientToken) {
    Parsed parsed = parse(clientEndpoint, null, null);
    return new ClientConfig(parsed.endpoint,
        clientNamespace != null ? clientNamespace : namespace,
        clientToken != null ? Optional.of(clientToken) : token, poolName, encoding, headers,
        connectTimeout, requestTimeout, maxInputSize, metadataLookup);
  }

  public static Duration positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + d);
    }
    return d;
  }

  private record Parsed(String endpoint, String namespace, String token) {}

  /** {@code utils/endpoint-parser.ts}: user info is percent-decoded and stripped. */
  private static Parsed parse(String raw, String configNamespace, String configToken) {
    URI uri;
    try {
      uri = new URI(raw.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("invalid endpoint URL: " + raw + " (" + e.getReason()
          + ")", e);
    }
    String scheme = uri.getScheme();
    if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
        || uri.getHost() == null) {
      throw new IllegalArgumentException("invalid endpoint URL: " + raw
          + " (expected http://host:port or https://host, e.g. http://127.0.0.1:6420)");
    }
    if (uri.getRawQuery() != null) {
      throw new IllegalArgumentException("endpoint cannot contain a query string: " + raw);
    }
    if (uri.getRawFragment() != null) {
      throw new IllegalArgumentException("endpoint cannot contain a fragment: " + raw);
    }
    String ns = null;
    String tk = null;
    String userInfo = uri.getRawUserInfo();
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      String user = colon < 0 ? userInfo : userInfo.substring(0, colon);
      String password = colon < 0 ? "" : userInfo.substring(colon + 1);
      ns = user.isEmpty() ? null : Urls.decode(user);
      tk = password.isEmpty() ? null : Urls.decode(password);
      if (tk != null && ns == null) {
        throw new IllegalArgumentException(
            "endpoint cannot have a token without a namespace: use http://namespace:token@host");
      }
      if (ns != null && configNamespace != null) {
        throw new IllegalArgumentException("cannot specify namespace both in endpoint URL and "
            + "as a separate option");
      }
      if (tk != null && configToken != null) {
        throw new IllegalArgumentException("cannot specify token both in endpoint URL and as a "
            + "separate option");
      }
    }
    StringBuilder out = new StringBuilder(scheme.toLowerCase()).append("://");
    String host = uri.getHost();
    out.append(host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host);
    if (uri.getPort() >= 0) {
      out.append(':').append(uri.getPort());
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    out.append(path);
    return new Parsed(out.toString(), ns, tk);
  }

  private static String firstNonBlank(String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return v;
      }
    }
    return null;
  }

  private static String blankToNull(String v) {
    return v == null || v.isEmpty() ? null : v;
  }
}
