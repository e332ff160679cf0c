package io.rivet4j.client;

/** The status of an {@link ActorConnection}, as RivetKit's {@code connStatus} names it. */
public enum ConnectionStatus {
  /** Not connected and not reconnecting: before the first attempt, after dispose or give-up. */
  IDLE("idle"),
  /** A WebSocket is being opened; the connection is connected once the server's Init arrives. */
  CONNECTING("connecting"),
  /** Init received: actions and subscriptions go out at once. */
  CONNECTED("connected"),
  /** The socket is gone; the next attempt is scheduled (actions issued now are queued). */
  DISCONNECTED("disconnected");

  private final String wireName;

  ConnectionStatus(String wireName) {
    this.wireName = wireName;
  }

  /** {@code idle}, {@code connecting}, {@code connected} or {@code disconnected}. */
  public String wireName() {
    return wireName;
  }
}
