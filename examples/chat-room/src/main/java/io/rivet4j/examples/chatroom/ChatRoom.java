package io.rivet4j.examples.chatroom;

import io.rivet4j.api.ActorType;
import io.rivet4j.api.Event;
import java.util.List;

/**
 * The chat room's contract: a superset of spec/conformance-actors.md §3 ({@code sendMessage},
 * {@code getHistory}, event {@code newMessage}) with paginated history, presence and typing
 * indicators. One room per key ({@code [roomId]}).
 *
 * <p>Connections must carry the params {@code {token, name?}}: {@code token} is the server's
 * shared secret (else user error {@code forbidden}), {@code name} (1–64 characters after
 * trimming, else {@code invalid_name}) makes the connection show up in the room's presence.
 *
 * <p>Events: {@code newMessage} ({@link Message}), {@code presence} (the sorted names online, a
 * {@code string[]}), {@code typing} ({@link Typing}).
 *
 * <p>Dynamic arguments are declared {@code Object}, so that a wrong type is the room's own
 * user error (as the reference's {@code typeof} checks) rather than a conversion error.
 */
@ActorType("chatRoom")
public interface ChatRoom {
  Event<Message> NEW_MESSAGE = Event.of("newMessage", Message.class);
  /** The names online, sorted; sent whenever that list changes. */
  String PRESENCE = "presence";
  Event<Typing> TYPING = Event.of("typing", Typing.class);

  /**
   * Validates (§3.2 order and messages, user error {@code invalid_message}), applies the caller
   * connection's rate limit (user error {@code rate_limited}), stores the trimmed message with
   * the server's clock, prunes the oldest beyond the room's cap, broadcasts {@code newMessage}
   * and clears the caller's typing indicator.
   */
  Message sendMessage(Object sender, Object text);

  /** The newest 100 messages, oldest first (§3.2). */
  List<Message> getHistory();

  /**
   * A page of history older than {@code beforeId} ({@code null}: from the newest), at most
   * {@code limit} messages ({@code null}: 50; 1–100), oldest first, with their ids; user error
   * {@code invalid_argument} otherwise.
   */
  HistoryPage getHistoryBefore(Object beforeId, Object limit);

  /** The names online (connections with a {@code name} param), sorted, each once. */
  List<String> getPresence();

  /**
   * Marks the caller's connection as typing or not; broadcasts {@code typing} when the name's
   * state changes. Needs a connection with a name (user error {@code name_required}).
   */
  void setTyping(boolean typing);
}
