package io.rivet4j.client.internal;

import io.rivet4j.client.ActorError;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Gateway URLs as {@code engine-client/actor-websocket-client.ts} builds them
 * (client-protocol.md §2.3): the direct form {@code /gateway/<id>[@token]<path>} and the query
 * form {@code /gateway/<name><path>?rvt-namespace=…&rvt-method=…}.
 */
final class Gateway {
  private Gateway() {}

  /** The URL of actor-router {@code path} ({@code /action/x}, {@code /connect}, or empty). */
  static String url(ClientConfig config, Target target, String path) {
    return switch (target) {
      case Target.ById t -> direct(config, t.actorId(), path);
      case Target.ByKey t -> query(config, t, path);
    };
  }

  static String direct(ClientConfig config, String actorId, String path) {
    String token = config.token().map(t -> "@" + Urls.component(t)).orElse("");
    return Urls.combine(config.endpoint(), "/gateway/" + Urls.component(actorId) + token + path,
        null);
  }

  private static String query(ClientConfig config, Target.ByKey t, String path) {
    if (t.name().isEmpty()) {
      throw new IllegalArgumentException("actor name must not be empty");
    }
    List<Map.Entry<String, String>> params = new ArrayList<>();
    params.add(new SimpleEntry<>("rvt-namespace", config.namespace()));
    params.add(new SimpleEntry<>("rvt-method", t.create() ? "getOrCreate" : "get"));
    if (t.create()) {
      params.add(new SimpleEntry<>("rvt-runner", config.poolName()));
    }
    if (!t.key().parts().isEmpty()) {
      params.add(new SimpleEntry<>("rvt-key", String.join(",", t.key().parts())));
    }
    if (t.create()) {
      if (t.inputCbor() != null) {
        if (t.inputCbor().length > config.maxInputSize()) {
          throw new ActorError(Errors.GROUP, "invalid_input", "Actor query input exceeds"
              + " maxInputSize (" + t.inputCbor().length + " > " + config.maxInputSize()
              + " bytes). Increase RivetClient.builder().maxInputSize(…) or create the actor"
              + " with create(name, key, input), which sends the input in the request body.");
        }
        params.add(new SimpleEntry<>("rvt-input",
            Base64.getUrlEncoder().withoutPadding().encodeToString(t.inputCbor())));
      }
      params.add(new SimpleEntry<>("rvt-crash-policy", "sleep"));
    }
    config.token().ifPresent(token -> params.add(new SimpleEntry<>("rvt-token", token)));
    String separator = path.endsWith("?") || path.endsWith("&") ? ""
        : path.contains("?") ? "&" : "?";
    return Urls.combine(config.endpoint(), "/gateway/" + Urls.component(t.name()) + path
        + separator + Urls.form(params), null);
  }
}
