package io.rivet4j.examples.chatroom;

import io.rivet4j.server.StaticFiles;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The chat page, served by the Rivet4j server on the API's own port: the classpath folder
 * {@code web/} ({@code index.html}, {@code app.js}, {@code style.css}) plus {@code /config.json},
 * which tells the page the public default token only while the server runs with it.
 */
public final class ChatPage {
  private ChatPage() {}

  /** True when the bundled page ({@code web/app.js}) is on the classpath. */
  public static boolean built() {
    return ChatPage.class.getClassLoader().getResource("web/app.js") != null;
  }

  /** The page's files for {@code rules}. */
  public static StaticFiles files(ChatRoomConfig rules) {
    StaticFiles web = StaticFiles.classpath(ChatPage.class.getClassLoader(), "web");
    String localToken = rules.usesDefaultSecret()
        ? "\"" + ChatRoomConfig.DEFAULT_SECRET + "\"" : "null";
    byte[] config = ("{\"localToken\":" + localToken + "}").getBytes(StandardCharsets.UTF_8);
    return path -> path.equals("/config.json")
        ? Optional.of(new StaticFiles.StaticFile(config, "application/json"))
        : web.find(path);
  }
}
