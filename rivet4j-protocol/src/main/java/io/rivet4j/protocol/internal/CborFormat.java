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

/**
 * The {@code cbor} encoding: the JSON shapes as CBOR maps. Client messages look like cbor-x
 * output ({@code b9} map heads, ids as {@code 1b} + 8 bytes); WebSocket server messages like the
 * reference's hand-written encoder (shortest heads, ids and generation as {@code 1b}, action
 * outputs and event args as cbor-x wrote them, metadata canonical); HTTP server bodies like its
 * serde/ciborium output (canonical, keys sorted). User values carry JSON-compat tags.
 */
final class CborFormat extends TreeFormat {
  static final CborFormat INSTANCE = new CborFormat();

  private CborFormat() {}

  @Override
  public byte[] encode(ToServer message) {
    CborWriter out = CborWriter.create(Style.JS);
    out.objectStart(1);
    out.key("body");
    out.objectStart(2);
    out.key("tag");
    switch (message) {
      case ToServer.ActionRequest request -> {
        out.string("ActionRequest");
        out.key("val");
        out.objectStart(3);
        out.key("id");
        out.uint64(request.id());
        out.key("name");
        out.string(request.name());
        out.key("args");
        ValueWalker.walk(request.args(), out);
      }
      case ToServer.SubscriptionRequest request -> {
        out.string("SubscriptionRequest");
        out.key("val");
        out.objectStart(2);
        out.key("eventName");
        out.string(request.eventName());
        out.key("subscribe");
        out.bool(request.subscribe());
      }
    }
    return out.bytes();
  }

  @Override
  public byte[] encode(ToClient message) {
    CborWriter out = CborWriter.create(Style.CANONICAL);
    out.objectStart(1);
    out.key("body");
    out.objectStart(2);
    out.key("tag");
    switch (message) {
      case ToClient.Init init -> {
        out.string("Init");
        out.key("val");
        out.objectStart(2);
        out.key("actorId");
        out.string(init.actorId());
        out.key("connectionId");
        out.string(init.connectionId());
      }
      case ToClient.Error error -> {
        out.string("Error");
        out.key("val");
        out.objectStart(4 + (error.metadata().isPresent() ? 1 : 0)
            + (error.actor().isPresent() ? 1 : 0));
        out.key("group");
        out.string(error.group());
        out.key("code");
        out.string(error.code());
        out.key("message");
        out.string(error.message());
        if (error.metadata().isPresent()) {
          out.key("metadata");
          ValueWalker.walk(error.metadata().get(), out);
        }
        if (error.actor().isPresent()) {
          ActorSpecifier actor = error.actor().get();
          out.key("actor");
          out.objectStart(actor.key().isPresent() ? 3 : 2);
          out.key("actorId");
          out.string(actor.actorId());
          out.key("generation");
          out.uint64(actor.generation());
          if (actor.key().isPresent()) {
            out.key("key");
            out.string(actor.key().get());
          }
        }
        out.key("actionId");
        if (error.actionId().isPresent()) {
          out.uint64(error.actionId().getAsLong());
        } else {
          out.nul();
        }
      }
      case ToClient.ActionResponse response -> {
        out.string("ActionResponse");
        out.key("val");
        out.objectStart(2);
        out.key("id");
        out.uint64(response.id());
        out.key("output");
        ValueWalker.walk(response.output(), out.withStyle(Style.JS));
      }
      case ToClient.Event event -> {
        out.string("Event");
        out.key("val");
        out.objectStart(2);
        out.key("name");
        out.string(event.name());
        out.key("args");
        ValueWalker.walk(event.args(), out.withStyle(Style.JS));
      }
    }
    return out.bytes();
  }

  @Override
  public byte[] encode(HttpActionRequest body) {
    CborWriter out = CborWriter.create(Style.JS);
    out.objectStart(1);
    out.key("args");
    ValueWalker.walk(body.args(), out);
    return out.bytes();
  }

  @Override
  public byte[] encode(HttpActionResponse body) {
    CborWriter out = CborWriter.create(Style.CANONICAL);
    out.objectStart(1);
    out.key("output");
    ValueWalker.walk(body.output(), out);
    return out.bytes();
  }

  /** As cbor-x writes the client's object: all four keys, {@code undefined} when absent. */
  @Override
  public byte[] encode(HttpQueueSendRequest body) {
    CborWriter out = CborWriter.create(Style.JS);
    out.objectStart(4);
    out.key("body");
    ValueWalker.walk(body.body(), out);
    out.key("name");
    if (body.name().isPresent()) {
      out.string(body.name().get());
    } else {
      out.undefined();
    }
    out.key("wait");
    if (body.waitForCompletion().isPresent()) {
      out.bool(body.waitForCompletion().get());
    } else {
      out.undefined();
    }
    out.key("timeout");
    if (body.timeout().isPresent()) {
      ValueWalker.walk(ValueWalker.unsigned(body.timeout().getAsLong()), out);
    } else {
      out.undefined();
    }
    return out.bytes();
  }

  @Override
  public byte[] encode(HttpQueueSendResponse body) {
    CborWriter out = CborWriter.create(Style.CANONICAL);
    out.objectStart(body.response().isPresent() ? 2 : 1);
    if (body.response().isPresent()) {
      out.key("response");
      ValueWalker.walk(body.response().get(), out);
    }
    out.key("status");
    out.string(body.status());
    return out.bytes();
  }

  @Override
  public byte[] encode(HttpResponseError body) {
    CborWriter out = CborWriter.create(Style.CANONICAL);
    out.objectStart(3 + (body.metadata().isPresent() ? 1 : 0)
        + (body.actor().isPresent() ? 1 : 0));
    if (body.actor().isPresent()) {
      ActorSpecifier actor = body.actor().get();
      out.key("actor");
      out.objectStart(actor.key().isPresent() ? 3 : 2);
      out.key("actorId");
      out.string(actor.actorId());
      out.key("generation");
      ValueWalker.walk(ValueWalker.unsigned(actor.generation()), out);
      if (actor.key().isPresent()) {
        out.key("key");
        out.string(actor.key().get());
      }
    }
    out.key("code");
    out.string(body.code());
    out.key("group");
    out.string(body.group());
    out.key("message");
    out.string(body.message());
    if (body.metadata().isPresent()) {
      out.key("metadata");
      ValueWalker.walk(body.metadata().get(), out);
    }
    return out.bytes();
  }

  @Override
  Object tree(byte[] cbor) {
    return Compat.revive(CborReader.read(cbor));
  }
}
