package io.rivet4j.examples.chatroom;

import io.rivet4j.examples.counter.CounterActor;
import io.rivet4j.runtime.Durability;
import io.rivet4j.runtime.Registry;
import io.rivet4j.runtime.RivetRuntime;
import io.rivet4j.runtime.RuntimeConfig;
import io.rivet4j.server.RivetServer;
import io.rivet4j.server.ServerConfig;
import java.nio.file.Path;
import java.util.Map;

/**
 * Serves the {@code chatRoom} and {@code counter} actors to the official RivetKit client, and
 * the chat page, until SIGTERM/SIGINT; run it with {@code scripts/serve.sh chat-room}. Prints
 * {@code Chat page at <url>} and then {@code Rivet4j chat-room ready at <endpoint>}.
 *
 * <p>Environment: {@code CHAT_SECRET} (the token every connection must send; a public default
 * for local use when unset), {@code CHAT_MAX_MESSAGES}, {@code CHAT_RATE_LIMIT_MESSAGES},
 * {@code CHAT_RATE_LIMIT_WINDOW_MS} (see {@link ChatRoomConfig#fromEnv}),
 * {@code RIVET_DATA_DIR} (default {@code data/chat-room}), {@code RIVET_DURABILITY}, and the
 * server's {@code RIVET_HOST}, {@code RIVET_PORT}, {@code RIVET_TOKEN}, … (see
 * {@link ServerConfig#fromEnv()}).
 */
public final class ChatRoomServer {
  private ChatRoomServer() {}

  /** The actors this server runs. */
  public static Registry registry(ChatRoomConfig rules) {
    return Registry.builder()
        .actor(ChatRoomActor.definition(rules))
        .actor(CounterActor.definition())
        .build();
  }

  public static void main(String[] args) {
    if (!ChatPage.built()) {
      System.err.println("error: the chat page is not built (web/app.js is missing from the"
          + " classpath): build it with ./mvnw install -pl examples/chat-room -am, which needs"
          + " Node.js 20+ and npm");
      System.exit(1);
    }
    Map<String, String> env = System.getenv();
    Path dataDir = Path.of(env.getOrDefault("RIVET_DATA_DIR", "data/chat-room"));
    Durability durability = Durability.parse(env.getOrDefault("RIVET_DURABILITY", "durable"));
    ChatRoomConfig rules = ChatRoomConfig.fromEnv(env);
    ServerConfig serverConfig = ServerConfig.fromEnv(env);
    RivetRuntime rivet = RivetRuntime.start(registry(rules),
        RuntimeConfig.builder(dataDir).durability(durability).build());
    RivetServer server = RivetServer.start(rivet, serverConfig, ChatPage.files(rules));
    rivet.shutdownOnSignals(server); // no new requests, then actors sleep
    if (rules.usesDefaultSecret()) {
      System.err.println("warning: CHAT_SECRET is not set; connections use the public default"
          + " token '" + ChatRoomConfig.DEFAULT_SECRET + "' (fine on your own machine only)");
    }
    System.out.println("Chat page at " + server.endpoint() + "/");
    System.out.println("Rivet4j chat-room ready at " + server.endpoint());
  }
}
