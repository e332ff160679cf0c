package io.rivet4j.protocol;

/** The seven things a codec reads and writes, for table-driven tests. */
enum MessageKind {
  TO_SERVER,
  TO_CLIENT,
  HTTP_ACTION_REQUEST,
  HTTP_ACTION_RESPONSE,
  HTTP_QUEUE_SEND_REQUEST,
  HTTP_QUEUE_SEND_RESPONSE,
  HTTP_RESPONSE_ERROR;

  Object decode(ProtocolCodec codec, byte[] bytes) {
    return switch (this) {
      case TO_SERVER -> codec.decodeToServer(bytes);
      case TO_CLIENT -> codec.decodeToClient(bytes);
      case HTTP_ACTION_REQUEST -> codec.decodeHttpActionRequest(bytes);
      case HTTP_ACTION_RESPONSE -> codec.decodeHttpActionResponse(bytes);
      case HTTP_QUEUE_SEND_REQUEST -> codec.decodeHttpQueueSendRequest(bytes);
      case HTTP_QUEUE_SEND_RESPONSE -> codec.decodeHttpQueueSendResponse(bytes);
      case HTTP_RESPONSE_ERROR -> codec.decodeHttpResponseError(bytes);
    };
  }

  byte[] encode(ProtocolCodec codec, Object message) {
    return switch (this) {
      case TO_SERVER -> codec.encode((ToServer) message);
      case TO_CLIENT -> codec.encode((ToClient) message);
      case HTTP_ACTION_REQUEST -> codec.encode((HttpActionRequest) message);
      case HTTP_ACTION_RESPONSE -> codec.encode((HttpActionResponse) message);
      case HTTP_QUEUE_SEND_REQUEST -> codec.encode((HttpQueueSendRequest) message);
      case HTTP_QUEUE_SEND_RESPONSE -> codec.encode((HttpQueueSendResponse) message);
      case HTTP_RESPONSE_ERROR -> codec.encode((HttpResponseError) message);
    };
  }
}
