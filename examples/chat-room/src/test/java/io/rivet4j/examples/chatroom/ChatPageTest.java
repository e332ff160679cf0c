package io.rivet4j.examples.chatroom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rivet4j.runtime.RivetRuntime;
import io.rivet4j.runtime.RuntimeConfig;
import io.rivet4j.server.RivetServer;
import io.rivet4j.server.ServerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The page is served by the API server itself, next to the API routes. */
class ChatPageTest {
  @TempDir
  Path dir;

  private static HttpResponse<String> get(RivetServer server, String path) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(server.endpoint() + path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void pageConfigAndApiShareOnePort() throws Exception {
    ChatRoomConfig rules = ChatRoomConfig.fromEnv(Map.of());
    try (RivetRuntime rivet = RivetRuntime.start(ChatRoomServer.registry(rules),
            RuntimeConfig.builder(dir).build());
        RivetServer server = RivetServer.start(rivet, ServerConfig.defaults().withPort(0),
            ChatPage.files(rules))) {
      HttpResponse<String> index = get(server, "/");
      assertEquals(200, index.statusCode());
      assertEquals("text/html; charset=utf-8", index.headers().firstValue("content-type")
          .orElseThrow());
      assertTrue(index.body().contains("<script type=\"module\" src=\"app.js\"></script>"));
      assertEquals("text/javascript; charset=utf-8", get(server, "/app.js").headers()
          .firstValue("content-type").orElseThrow());
      assertEquals("{\"localToken\":\"rivet4j-local-chat\"}", get(server, "/config.json").body());
      assertEquals(404, get(server, "/../pom.xml").statusCode());
      assertEquals(404, get(server, "/nope.js").statusCode());
      assertEquals(200, get(server, "/health").statusCode()); // API routes still win
      assertTrue(get(server, "/metadata").body().contains("\"chatRoom\""));
    }
  }

  @Test
  void aRealSecretIsNeverServed() {
    ChatRoomConfig rules = ChatRoomConfig.fromEnv(Map.of("CHAT_SECRET", "s3cret"));
    assertEquals("{\"localToken\":null}", new String(ChatPage.files(rules).find("/config.json")
        .orElseThrow().content()));
  }
}
