package io.rivet4j.server.internal;

import io.rivet4j.api.RivetError;
import io.rivet4j.protocol.Encoding;
import io.rivet4j.protocol.HttpActionRequest;
import io.rivet4j.protocol.HttpActionResponse;
import io.rivet4j.protocol.ProtocolCodec;
import io.rivet4j.runtime.internal.Errors;
import io.rivet4j.runtime.internal.LocalConn;
import io.rivet4j.runtime.internal.Node;
import java.util.List;

/**
 * A stateless action, {@code POST …/action/<name>}: as RivetKit does it, a throw-away connection
 * per call (connect hooks run, then the action, then the disconnect), the body and the reply in
 * the request's {@code x-rivet-encoding}.
 *
 * <p>Concurrency: {@link #serve} does not block (for an awake actor); the reply is written from
 * whichever thread completes the action.
 */
final class ActionRoute {
  /** Events and close notices of a throw-away connection go nowhere. */
  private static final LocalConn.Sink DISCARD = new LocalConn.Sink() {
    @Override
    public void event(String name, List<Object> args) {}

    @Override
    public void closed(String reason) {}
  };

  private ActionRoute() {}

  static void serve(ServerContext s, Exchange ex, ResolvedActor actor, String action) {
    Encoding encoding = ex.encoding();
    ProtocolCodec codec = ProtocolCodec.of(encoding);
    if (ex.body.length > s.config.maxIncomingMessageSize()) {
      ex.actorError(Failures.incomingTooLong(), actor, encoding);
      return;
    }
    Object params;
    try {
      params = ex.connParams();
    } catch (RivetError e) {
      Failures.LOG.debug("actor {}: x-rivet-conn-params is not JSON: {}", actor.actorId(),
          e.getMessage());
      ex.actorError(Failures.undecodable(), actor, encoding);
      return;
    }
    HttpActionRequest request;
    try {
      request = codec.decodeHttpActionRequest(ex.body);
    } catch (RivetError e) {
      Failures.LOG.debug("actor {}: action '{}' body does not decode: {}", actor.actorId(),
          action, e.getMessage());
      ex.actorError(Failures.undecodable(), actor, encoding);
      return;
    }
    Node node = s.node;
    node.connect(actor.actorId(), actor.name(), params, DISCARD)
        .thenCompose(conn -> node.call(actor.actorId(), actor.name(), action, request.args(),
            conn).whenComplete((v, e) -> node.disconnect(conn)))
        .whenComplete((output, error) -> {
          if (error != null) {
            ex.actorError(Failures.forCaller(error, "action " + action), actor, encoding);
            return;
          }
          byte[] bytes;
          try {
            bytes = codec.encode(new HttpActionResponse(output));
          } catch (RuntimeException e) {
            ex.actorError(unencodable(actor, action, e), actor, encoding);
            return;
          }
          if (bytes.length > s.config.maxOutgoingMessageSize()) {
            ex.actorError(Failures.outgoingTooLong(), actor, encoding);
            return;
          }
          ex.respond(200, encoding.contentType(), bytes, actor, null);
        });
  }

  /** An output JavaScript cannot represent is the actor's bug: logged, masked for the caller. */
  static RivetError unencodable(ResolvedActor actor, String action, RuntimeException e) {
    return Errors.forCaller(new IllegalStateException("the output of action '" + action
        + "' cannot be sent to a client: " + e.getMessage(), e), Failures.LOG, actor.actorId(),
        action);
  }
}
