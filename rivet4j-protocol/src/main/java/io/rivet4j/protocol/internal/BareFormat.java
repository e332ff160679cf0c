package io.rivet4j.protocol.internal;

import io.rivet4j.protocol.ActorSpecifier;
import io.rivet4j.protocol.HttpActionRequest;
import io.rivet4j.protocol.HttpActionResponse;
import io.rivet4j.protocol.HttpQueueSendRequest;
import io.rivet4j.protocol.HttpQueueSendResponse;
import io.rivet4j.protocol.HttpResponseError;
import io.rivet4j.protocol.ToClient;
import io.rivet4j.protocol.ToServer;
import io.rivet4j.protocol.internal.CborWriter.Style;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The {@code bare} encoding: vbare (u16 LE version) + BARE, client protocol v4. Every payload is
 * written as v4. Reading accepts v1–v4 (v1 {@code Init} also carries a connection token; v1–v3
 * errors carry no actor) and v3–v4 for the queue bodies, which v3 introduced. User values are
 * {@code data} holding CBOR-compat: as cbor-x writes them, except error metadata, which the Rust
 * core encodes canonically.
 */
final class BareFormat implements WireFormat {
  static final BareFormat INSTANCE = new BareFormat();

  static final int VERSION = 4;
  private static final int QUEUE_FIRST_VERSION = 3;

  private BareFormat() {}

  @Override
  public byte[] encode(ToServer message) {
    BareWriter out = new BareWriter(VERSION);
    switch (message) {
      case ToServer.ActionRequest request ->
          out.uint(0).uint(request.id()).str(request.name()).data(jsCbor(request.args()));
      case ToServer.SubscriptionRequest request ->
          out.uint(1).str(request.eventName()).bool(request.subscribe());
    }
    return out.bytes();
  }

  @Override
  public byte[] encode(ToClient message) {
    BareWriter out = new BareWriter(VERSION);
    switch (message) {
      case ToClient.Init init -> out.uint(0).str(init.actorId()).str(init.connectionId());
      case ToClient.Error error -> {
        out.uint(1).str(error.group()).str(error.code()).str(error.message());
        metadata(error.metadata(), out);
        out.present(error.actionId().isPresent());
        if (error.actionId().isPresent()) {
          out.uint(error.actionId().getAsLong());
        }
        actor(error.actor(), out);
      }
      case ToClient.ActionResponse response ->
          out.uint(2).uint(response.id()).data(jsCbor(response.output()));
      case ToClient.Event event -> out.uint(3).str(event.name()).data(jsCbor(event.args()));
    }
    return out.bytes();
  }

  @Override
  public byte[] encode(HttpActionRequest body) {
    return new BareWriter(VERSION).data(jsCbor(body.args())).bytes();
  }

  @Override
  public byte[] encode(HttpActionResponse body) {
    return new BareWriter(VERSION).data(jsCbor(body.output())).bytes();
  }

  @Override
  public byte[] encode(HttpQueueSendRequest body) {
    BareWriter out = new BareWriter(VERSION).data(jsCbor(body.body()));
    out.present(body.name().isPresent());
    body.name().ifPresent(out::str);
    out.present(body.waitForCompletion().isPresent());
    body.waitForCompletion().ifPresent(out::bool);
    out.present(body.timeout().isPresent());
    body.timeout().ifPresent(out::u64);
    return out.bytes();
  }

  @Override
  public byte[] encode(HttpQueueSendResponse body) {
    BareWriter out = new BareWriter(VERSION).str(body.status());
    out.present(body.response().isPresent());
    body.response().ifPresent(response -> out.data(jsCbor(response)));
    return out.bytes();
  }

  @Override
  public byte[] encode(HttpResponseError body) {
    BareWriter out = new BareWriter(VERSION).str(body.group()).str(body.code()).str(body.message());
    metadata(body.metadata(), out);
    actor(body.actor(), out);
    return out.bytes();
  }

  @Override
  public ToServer decodeToServer(byte[] frame) {
    BareReader in = reader(frame, 1);
    ToServer message = switch (in.unionTag(2)) {
      case 0 -> new ToServer.ActionRequest(in.uint(), in.str(), TreeMessages.args(value(in)));
      case 1 -> new ToServer.SubscriptionRequest(in.str(), in.bool());
      default -> throw new AssertionError("unionTag checked the range");
    };
    in.end();
    return message;
  }

  @Override
  public ToClient decodeToClient(byte[] frame) {
    BareReader in = new BareReader(frame);
    int version = version(in, 1);
    ToClient message = switch (in.unionTag(4)) {
      case 0 -> {
        ToClient.Init init = new ToClient.Init(in.str(), in.str());
        if (version == 1) {
          in.str(); // connectionToken, dropped in v2
        }
        yield init;
      }
      case 1 -> new ToClient.Error(in.str(), in.str(), in.str(), optionalValue(in),
          in.present() ? OptionalLong.of(in.uint()) : OptionalLong.empty(),
          version >= 4 ? actor(in) : Optional.empty());
      case 2 -> new ToClient.ActionResponse(in.uint(), value(in));
      case 3 -> new ToClient.Event(in.str(), TreeMessages.list(value(in), "args"));
      default -> throw new AssertionError("unionTag checked the range");
    };
    in.end();
    return message;
  }

  @Override
  public HttpActionRequest decodeHttpActionRequest(byte[] body) {
    BareReader in = reader(body, 1);
    HttpActionRequest request = new HttpActionRequest(TreeMessages.args(value(in)));
    in.end();
    return request;
  }

  @Override
  public HttpActionResponse decodeHttpActionResponse(byte[] body) {
    BareReader in = reader(body, 1);
    HttpActionResponse response = new HttpActionResponse(value(in));
    in.end();
    return response;
  }

  @Override
  public HttpQueueSendRequest decodeHttpQueueSendRequest(byte[] body) {
    BareReader in = reader(body, QUEUE_FIRST_VERSION);
    HttpQueueSendRequest request = new HttpQueueSendRequest(value(in),
        in.present() ? Optional.of(in.str()) : Optional.empty(),
        in.present() ? Optional.of(in.bool()) : Optional.empty(),
        in.present() ? OptionalLong.of(in.u64()) : OptionalLong.empty());
    in.end();
    return request;
  }

  @Override
  public HttpQueueSendResponse decodeHttpQueueSendResponse(byte[] body) {
    BareReader in = reader(body, QUEUE_FIRST_VERSION);
    HttpQueueSendResponse response = new HttpQueueSendResponse(in.str(), optionalValue(in));
    in.end();
    return response;
  }

  @Override
  public HttpResponseError decodeHttpResponseError(byte[] body) {
    BareReader in = new BareReader(body);
    int version = version(in, 1);
    HttpResponseError error = new HttpResponseError(in.str(), in.str(), in.str(),
        optionalValue(in), version >= 4 ? actor(in) : Optional.empty());
    in.end();
    return error;
  }

  private static BareReader reader(byte[] bytes, int firstVersion) {
    BareReader in = new BareReader(bytes);
    version(in, firstVersion);
    return in;
  }

  private static int version(BareReader in, int firstVersion) {
    int version = in.version();
    if (version < firstVersion || version > VERSION) {
      throw new MalformedException("unsupported client protocol version " + version
          + " (this side reads " + firstVersion + "–" + VERSION + ")");
    }
    return version;
  }

  private static Object value(BareReader in) {
    return Compat.revive(CborReader.read(in.data()));
  }

  /** An {@code optional<Cbor>}; a present null reads as absent. */
  private static Optional<Object> optionalValue(BareReader in) {
    return in.present() ? Optional.ofNullable(value(in)) : Optional.empty();
  }

  private static Optional<ActorSpecifier> actor(BareReader in) {
    if (!in.present()) {
      return Optional.empty();
    }
    String actorId = in.str();
    long generation = in.uint();
    Optional<String> key = in.present() ? Optional.of(in.str()) : Optional.empty();
    return Optional.of(new ActorSpecifier(actorId, generation, key));
  }

  private static void metadata(Optional<Object> metadata, BareWriter out) {
    out.present(metadata.isPresent());
    metadata.ifPresent(value -> out.data(canonicalCbor(value)));
  }

  private static void actor(Optional<ActorSpecifier> actor, BareWriter out) {
    out.present(actor.isPresent());
    actor.ifPresent(specifier -> {
      out.str(specifier.actorId()).uint(specifier.generation());
      out.present(specifier.key().isPresent());
      specifier.key().ifPresent(out::str);
    });
  }

  private static byte[] jsCbor(Object value) {
    CborWriter out = CborWriter.create(Style.JS);
    ValueWalker.walk(value, out);
    return out.bytes();
  }

  private static byte[] canonicalCbor(Object value) {
    CborWriter out = CborWriter.create(Style.CANONICAL);
    ValueWalker.walk(value, out);
    return out.bytes();
  }
}
