package io.rivet4j.protocol.internal;

import io.rivet4j.protocol.Encoding;
import io.rivet4j.protocol.HttpActionRequest;
import io.rivet4j.protocol.HttpActionResponse;
import io.rivet4j.protocol.HttpQueueSendRequest;
import io.rivet4j.protocol.HttpQueueSendResponse;
import io.rivet4j.protocol.HttpResponseError;
import io.rivet4j.protocol.ToClient;
import io.rivet4j.protocol.ToServer;

/**
 * One encoding's codec. Decoders throw {@link MalformedException}; encoders throw
 * {@link io.rivet4j.protocol.ProtocolException} for Java values JavaScript cannot represent.
 * Messages a client sends are written the way the official JavaScript client writes them,
 * messages a server sends the way the RivetKit 2.3.19 server writes them.
 */
public sealed interface WireFormat permits TreeFormat, BareFormat {

  static WireFormat of(Encoding encoding) {
    return switch (encoding) {
      case JSON -> JsonFormat.INSTANCE;
      case CBOR -> CborFormat.INSTANCE;
      case BARE -> BareFormat.INSTANCE;
    };
  }

  byte[] encode(ToServer message);

  byte[] encode(ToClient message);

  byte[] encode(HttpActionRequest body);

  byte[] encode(HttpActionResponse body);

  byte[] encode(HttpQueueSendRequest body);

  byte[] encode(HttpQueueSendResponse body);

  byte[] encode(HttpResponseError body);

  ToServer decodeToServer(byte[] frame);

  ToClient decodeToClient(byte[] frame);

  HttpActionRequest decodeHttpActionRequest(byte[] body);

  HttpActionResponse decodeHttpActionResponse(byte[] body);

  HttpQueueSendRequest decodeHttpQueueSendRequest(byte[] body);

  HttpQueueSendResponse decodeHttpQueueSendResponse(byte[] body);

  HttpResponseError decodeHttpResponseError(byte[] body);
}
