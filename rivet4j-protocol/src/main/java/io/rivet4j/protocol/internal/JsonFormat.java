package io.rivet4j.protocol.internal;

import io.rivet4j.protocol.ActorSpecifier;
import io.rivet4j.protocol.HttpActionRequest;
import io.rivet4j.protocol.HttpActionResponse;
import io.rivet4j.protocol.HttpQueueSendRequest;
import io.rivet4j.protocol.HttpQueueSendResponse;
import io.rivet4j.protocol.HttpResponseError;
import io.rivet4j.protocol.ToClient;
import io.rivet4j.protocol.ToServer;

/**
 * The {@code json} encoding: whole messages through {@code jsonStringifyCompat} /
 * {@code jsonParseCompat}; protocol ids are bigints ({@code ["$BigInt","0"]}). Client messages
 * keep the client's field order; server messages use the reference server's order (sorted, as
 * its serde_json maps are), except gateway-style error bodies without an actor.
 */
final class JsonFormat extends TreeFormat {
  static final JsonFormat INSTANCE = new JsonFormat();

  private JsonFormat() {}

  @Override
  public byte[] encode(ToServer message) {
    JsonWriter out = new JsonWriter();
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
        ValueWalker.unsignedBigInt(request.id(), out);
        out.key("name");
        out.string(request.name());
        out.key("args");
        ValueWalker.walk(request.args(), out);
        out.objectEnd();
      }
      case ToServer.SubscriptionRequest request -> {
        out.string("SubscriptionRequest");
        out.key("val");
        out.objectStart(2);
        out.key("eventName");
        out.string(request.eventName());
        out.key("subscribe");
        out.bool(request.subscribe());
        out.objectEnd();
      }
    }
    out.objectEnd();
    out.objectEnd();
    return out.bytes();
  }

  @Override
  public byte[] encode(ToClient message) {
    JsonWriter out = new JsonWriter();
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
        out.objectEnd();
      }
      case ToClient.Error error -> {
        out.string("Error");
        out.key("val");
        out.objectStart(6);
        out.key("actionId"); // always present: the client's schema requires it (null or bigint)
        if (error.actionId().isPresent()) {
          ValueWalker.unsignedBigInt(error.actionId().getAsLong(), out);
        } else {
          out.nul();
        }
        if (error.actor().isPresent()) {
          out.key("actor");
          actor(error.actor().get(), out);
        }
        errorFields(error.group(), error.code(), error.message(), out);
        if (error.metadata().isPresent()) {
          out.key("metadata");
          ValueWalker.walk(error.metadata().get(), out);
        }
        out.objectEnd();
      }
      case ToClient.ActionResponse response -> {
        out.string("ActionResponse");
        out.key("val");
        out.objectStart(2);
        out.key("id");
        ValueWalker.unsignedBigInt(response.id(), out);
        out.key("output");
        ValueWalker.walk(response.output(), out);
        out.objectEnd();
      }
      case ToClient.Event event -> {
        out.string("Event");
        out.key("val");
        out.objectStart(2);
        out.key("args");
        ValueWalker.walk(event.args(), out);
        out.key("name");
        out.string(event.name());
        out.objectEnd();
      }
    }
    out.objectEnd();
    out.objectEnd();
    return out.bytes();
  }

  @Override
  public byte[] encode(HttpActionRequest body) {
    JsonWriter out = new JsonWriter();
    out.objectStart(1);
    out.key("args");
    ValueWalker.walk(body.args(), out);
    out.objectEnd();
    return out.bytes();
  }

  @Override
  public byte[] encode(HttpActionResponse body) {
    JsonWriter out = new JsonWriter();
    out.objectStart(1);
    out.key("output");
    ValueWalker.walk(body.output(), out);
    out.objectEnd();
    return out.bytes();
  }

  @Override
  public byte[] encode(HttpQueueSendRequest body) {
    JsonWriter out = new JsonWriter();
    out.objectStart(4);
    out.key("body");
    ValueWalker.walk(body.body(), out);
    if (body.name().isPresent()) {
      out.key("name");
      out.string(body.name().get());
    }
    if (body.waitForCompletion().isPresent()) {
      out.key("wait");
      out.bool(body.waitForCompletion().get());
    }
    if (body.timeout().isPresent()) {
      out.key("timeout");
      ValueWalker.walk(ValueWalker.unsigned(body.timeout().getAsLong()), out);
    }
    out.objectEnd();
    return out.bytes();
  }

  @Override
  public byte[] encode(HttpQueueSendResponse body) {
    JsonWriter out = new JsonWriter();
    out.objectStart(2);
    if (body.response().isPresent()) {
      out.key("response");
      ValueWalker.walk(body.response().get(), out);
    }
    out.key("status");
    out.string(body.status());
    out.objectEnd();
    return out.bytes();
  }

  /**
   * RivetKit's actor router writes {@code actor, code, group, message, metadata} (sorted); the
   * engine's gateway writes {@code group, code, message, metadata} and never has an actor.
   */
  @Override
  public byte[] encode(HttpResponseError body) {
    JsonWriter out = new JsonWriter();
    out.objectStart(5);
    if (body.actor().isPresent()) {
      out.key("actor");
      actor(body.actor().get(), out);
      errorFields(body.group(), body.code(), body.message(), out);
    } else {
      out.key("group");
      out.string(body.group());
      out.key("code");
      out.string(body.code());
      out.key("message");
      out.string(body.message());
    }
    if (body.metadata().isPresent()) {
      out.key("metadata");
      ValueWalker.walk(body.metadata().get(), out);
    }
    out.objectEnd();
    return out.bytes();
  }

  @Override
  Object tree(byte[] json) {
    return Compat.revive(JsonReader.read(json));
  }

  private static void errorFields(String group, String code, String message, JsonWriter out) {
    out.key("code");
    out.string(code);
    out.key("group");
    out.string(group);
    out.key("message");
    out.string(message);
  }

  private static void actor(ActorSpecifier actor, JsonWriter out) {
    out.objectStart(3);
    out.key("actorId");
    out.string(actor.actorId());
    out.key("generation");
    ValueWalker.walk(ValueWalker.unsigned(actor.generation()), out);
    if (actor.key().isPresent()) {
      out.key("key"); // the client's schema accepts a string or no key, never null
      out.string(actor.key().get());
    }
    out.objectEnd();
  }
}
