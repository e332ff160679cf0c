package io.rivet4j.server.internal;

import io.rivet4j.api.QueueSendResult;
import io.rivet4j.api.RivetError;
import io.rivet4j.api.Value;
import io.rivet4j.protocol.Encoding;
import io.rivet4j.protocol.HttpQueueSendRequest;
import io.rivet4j.protocol.HttpQueueSendResponse;
import io.rivet4j.protocol.ProtocolCodec;
import io.rivet4j.runtime.internal.Errors;
import java.util.Optional;

/**
 * A queue send, {@code POST …/queue/<name>} (client-protocol.md §4.3): as RivetKit does it, a
 * throw-away connection per send (connect hooks and {@code canPublish} run, then the message is
 * stored), the body and the answer ({@code {"status":"completed"|"timedOut", "response"?}}) in
 * the request's {@code x-rivet-encoding}. With {@code wait} the answer comes when a consumer
 * completed the message, or at the request's {@code timeout}.
 *
 * <p>Concurrency: {@link #serve} does not block (for an awake actor); the answer is written from
 * whichever thread completes the send.
 */
final class QueueRoute {
  private QueueRoute() {}

  static void serve(ServerContext s, Exchange ex, ResolvedActor actor, String queue) {
    Encoding encoding = ex.encoding();
    ProtocolCodec codec = ProtocolCodec.of(encoding);
    if (ex.body.length > s.config.maxIncomingMessageSize()) {
      ex.actorError(Failures.incomingTooLong(), actor, encoding);
      return;
    }
    Object params;
    HttpQueueSendRequest request;
    try {
      params = ex.connParams();
      request = codec.decodeHttpQueueSendRequest(ex.body);
    } catch (RivetError e) {
      Failures.LOG.debug("actor {}: a send to queue '{}' does not decode: {}", actor.actorId(),
          queue, e.getMessage());
      ex.actorError(Failures.undecodable(), actor, encoding);
      return;
    }
    boolean wait = request.waitForCompletion().orElse(false);
    long timeout = request.timeout().isPresent()
        ? (request.timeout().getAsLong() < 0 ? Long.MAX_VALUE : request.timeout().getAsLong())
        : -1;
    s.node.queueSend(actor.actorId(), actor.name(), queue, request.body(), params, wait, timeout)
        .whenComplete((result, error) -> {
          if (error != null) {
            ex.actorError(Failures.forCaller(error, "queue send"), actor, encoding);
            return;
          }
          byte[] bytes;
          try {
            bytes = codec.encode(answer(result));
          } catch (RuntimeException e) {
            ex.actorError(Errors.forCaller(new IllegalStateException("the response to a message"
                + " of queue '" + queue + "' cannot be sent to a client: " + e.getMessage(), e),
                Failures.LOG, actor.actorId(), "queue " + queue), actor, encoding);
            return;
          }
          if (bytes.length > s.config.maxOutgoingMessageSize()) {
            ex.actorError(Failures.outgoingTooLong(), actor, encoding);
            return;
          }
          ex.respond(200, encoding.contentType(), bytes, actor, null);
        });
  }

  private static HttpQueueSendResponse answer(QueueSendResult result) {
    Optional<Object> response = result.response().flatMap(Value::raw);
    return new HttpQueueSendResponse(result.status(), response);
  }
}
