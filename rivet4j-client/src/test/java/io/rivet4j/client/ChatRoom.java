package io.rivet4j.client;

import io.rivet4j.api.ActorType;
import io.rivet4j.api.Event;
import java.util.List;

/** The client's contract of the {@code chatRoom} of spec/conformance-actors.md §3. */
@ActorType("chatRoom")
public interface ChatRoom {
  Event<Message> NEW_MESSAGE = Event.of("newMessage", Message.class);

  Message sendMessage(String sender, String text);

  List<Message> getHistory();

  /** A stored message; {@code timestamp} is the server's clock in Unix milliseconds. */
  record Message(String sender, String text, long timestamp) {}
}
