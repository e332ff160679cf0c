package io.rivet4j.client.internal;

import io.rivet4j.api.Key;
import io.rivet4j.client.ActorError;
import io.rivet4j.protocol.Encoding;
import io.rivet4j.protocol.UserValues;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The engine REST API calls the client makes (client-protocol.md §2.5, §7): metadata, get by
 * key, get-or-create and create. JSON only; {@code ?namespace=} always appended; the token as
 * {@code Authorization: Bearer}.
 */
final class RestApi {
  private RestApi() {}

  /**
   * {@code GET /metadata}: checks that the endpoint is a Rivet server and returns the config to
   * use from now on (redirected when the server names a {@code clientEndpoint}).
   */
  static CompletableFuture<ClientConfig> metadata(NetworkClient client, ClientConfig config) {
    return call(client, config, "GET", "/metadata", null).exceptionally(error -> {
      ActorError e = Errors.actorError(error);
      if (e.group().equals(Errors.GROUP) && e.code().equals("http_error")) {
        throw new ActorError(Errors.GROUP, "protocol_mismatch", config.endpoint()
            + " is not a Rivet server (Rivet Engine, RivetKit or Rivet4j): GET /metadata"
            + " answered " + e.getMessage(), e.metadata().orElse(null), e.rayId().orElse(null),
            null, e);
      }
      throw e;
    }).thenApply(body -> {
      if (!(body instanceof Map<?, ?> m) || !(m.containsKey("runtime")
          || m.containsKey("version"))) {
        throw new ActorError(Errors.GROUP, "protocol_mismatch", "GET " + config.endpoint()
            + "/metadata did not answer RivetKit's metadata ({\"runtime\",\"version\",…}): is "
            + config.endpoint() + " a Rivet server (Rivet Engine, RivetKit or Rivet4j)?");
      }
      Object runtime = m.get("runtime");
      Object version = m.get("version");
      Errors.LOG.log(System.Logger.Level.DEBUG, "connected to {0} {1} at {2}", runtime, version,
          config.endpoint());
      if (("engine".equals(runtime) || "rivetkit".equals(runtime))
          && version instanceof String v && !v.startsWith("2.")) {
        Errors.LOG.log(System.Logger.Level.WARNING, "{0} at {1} is version {2}; this client "
            + "speaks RivetKit 2.3.19''s protocol", runtime, config.endpoint(), v);
      }
      if (m.get("clientEndpoint") instanceof String redirect && !redirect.isEmpty()) {
        return config.redirected(redirect, string(m.get("clientNamespace")),
            string(m.get("clientToken")));
      }
      return config;
    });
  }

  /** {@code GET /actors?name=…&key=…}: the id of the actor with this key, if any. */
  static CompletableFuture<Optional<String>> getWithKey(NetworkClient client,
      ClientConfig config, String name, Key key) {
    String path = "/actors?name=" + Urls.component(name) + "&key="
        + Urls.component(key.serialize());
    return call(client, config, "GET", path, null).handle((body, error) -> {
      if (error != null) {
        ActorError e = Errors.actorError(error);
        if (e.group().equals("actor") && e.code().equals("not_found")) {
          return Optional.<String>empty();
        }
        throw e;
      }
      return firstActorId(config, body);
    });
  }

  /** {@code PUT /actors}: the id of the actor with this key, created if missing. */
  static CompletableFuture<String> getOrCreate(NetworkClient client, ClientConfig config,
      String name, Key key, byte[] inputCbor) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("key", key.serialize());
    body.put("runner_name_selector", config.poolName());
    if (inputCbor != null) {
      body.put("input", Base64.getEncoder().encodeToString(inputCbor));
    }
    body.put("crash_policy", "sleep");
    return call(client, config, "PUT", "/actors", body).thenApply(r -> actorId(config, r));
  }

  /** {@code POST /actors}: creates the actor; {@code actor.duplicate_key} if the key is taken. */
  static CompletableFuture<String> create(NetworkClient client, ClientConfig config,
      String name, Key key, byte[] inputCbor) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("runner_name_selector", config.poolName());
    body.put("key", key.serialize());
    if (inputCbor != null) {
      body.put("input", Base64.getEncoder().encodeToString(inputCbor));
    }
    body.put("crash_policy", "sleep");
    return call(client, config, "POST", "/actors", body).thenApply(r -> actorId(config, r));
  }

  private static CompletableFuture<Object> call(NetworkClient client, ClientConfig config,
      String method, String path, Map<String, Object> body) {
    String url = Urls.combine(config.endpoint(), path,
        "namespace=" + Urls.component(config.namespace()));
    HttpRequest.Builder b = client.request(config, url);
    config.token().ifPresent(t -> b.header("Authorization", "Bearer " + t));
    if (body != null) {
      b.header("Content-Type", "application/json");
      b.method(method, HttpRequest.BodyPublishers.ofString(UserValues.encodeJson(body)));
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    return client.send(config, b.build()).thenApply(r -> parse(config, method, url, r));
  }

  private static Object parse(ClientConfig config, String method, String url,
      HttpResponse<byte[]> response) {
    if (response.statusCode() < 200 || response.statusCode() >= 300) {
      throw ErrorBodies.decode(response, Encoding.JSON);
    }
    String text = new String(response.body(), StandardCharsets.UTF_8);
    try {
      return UserValues.decodeJson(text);
    } catch (RuntimeException e) {
      throw Errors.protocolMismatch(config.endpoint(), "an answer to " + method + " " + url
          + " (not JSON: " + ErrorBodies.text(response.body()) + ")", e);
    }
  }

  private static Optional<String> firstActorId(ClientConfig config, Object body) {
    if (body instanceof Map<?, ?> m && m.get("actors") instanceof List<?> actors) {
      if (actors.isEmpty()) {
        return Optional.empty();
      }
      if (actors.get(0) instanceof Map<?, ?> actor && actor.get("actor_id") instanceof String id) {
        return Optional.of(id);
      }
    }
    throw unexpected(config, "GET /actors", body);
  }

  private static String actorId(ClientConfig config, Object body) {
    if (body instanceof Map<?, ?> m && m.get("actor") instanceof Map<?, ?> actor
        && actor.get("actor_id") instanceof String id) {
      return id;
    }
    throw unexpected(config, "PUT/POST /actors", body);
  }

  private static ActorError unexpected(ClientConfig config, String call, Object body) {
    return new ActorError(Errors.GROUP, "protocol_mismatch", "The server at "
        + config.endpoint() + " answered " + call + " without an actor id: "
        + UserValues.encodeJson(body));
  }

  private static String string(Object o) {
    return o instanceof String s && !s.isEmpty() ? s : null;
  }
}
