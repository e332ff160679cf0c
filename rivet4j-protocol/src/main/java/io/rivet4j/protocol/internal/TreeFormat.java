package io.rivet4j.protocol.internal;

import io.rivet4j.protocol.HttpActionRequest;
import io.rivet4j.protocol.HttpActionResponse;
import io.rivet4j.protocol.HttpQueueSendRequest;
import io.rivet4j.protocol.HttpQueueSendResponse;
import io.rivet4j.protocol.HttpResponseError;
import io.rivet4j.protocol.ToClient;
import io.rivet4j.protocol.ToServer;

/**
 * An encoding whose messages are self-describing maps (json, cbor): decoding reads the bytes
 * into a value tree, revives the JSON-compat tags, then reads the message from the tree
 * ({@link TreeMessages}), the same for both.
 */
abstract sealed class TreeFormat implements WireFormat permits CborFormat, JsonFormat {
  /** The bytes as a value tree with the compat tags revived; malformed input throws. */
  abstract Object tree(byte[] bytes);

  @Override
  public ToServer decodeToServer(byte[] frame) {
    return TreeMessages.toServer(tree(frame));
  }

  @Override
  public ToClient decodeToClient(byte[] frame) {
    return TreeMessages.toClient(tree(frame));
  }

  @Override
  public HttpActionRequest decodeHttpActionRequest(byte[] body) {
    return TreeMessages.httpActionRequest(tree(body));
  }

  @Override
  public HttpActionResponse decodeHttpActionResponse(byte[] body) {
    return TreeMessages.httpActionResponse(tree(body));
  }

  @Override
  public HttpQueueSendRequest decodeHttpQueueSendRequest(byte[] body) {
    return TreeMessages.httpQueueSendRequest(tree(body));
  }

  @Override
  public HttpQueueSendResponse decodeHttpQueueSendResponse(byte[] body) {
    return TreeMessages.httpQueueSendResponse(tree(body));
  }

  @Override
  public HttpResponseError decodeHttpResponseError(byte[] body) {
    return TreeMessages.httpResponseError(tree(body));
  }
}
