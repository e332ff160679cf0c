package io.rivet4j.protocol;

import java.util.List;
import java.util.Objects;

/** A WebSocket message from the client to the actor ({@code /connect}, client protocol v4). */
public sealed interface ToServer {

  /**
   * Runs action {@code name}. {@code id} is the client's per-connection counter (unsigned 64-bit);
   * the reply carries it back. {@code args} are plain user values (see the package docs).
   */
  record ActionRequest(long id, String name, List<Object> args) implements ToServer {
    public ActionRequest {
      Objects.requireNonNull(name, "name");
      args = Lists.copyOf(args, "args");
    }
  }

  /** Starts ({@code subscribe = true}) or stops receiving broadcasts of {@code eventName}. */
  record SubscriptionRequest(String eventName, boolean subscribe) implements ToServer {
    public SubscriptionRequest {
      Objects.requireNonNull(eventName, "eventName");
    }
  }
}
