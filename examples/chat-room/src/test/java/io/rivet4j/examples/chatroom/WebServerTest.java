package io.rivet4j.examples.chatroom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The page's stopgap server: the files under web/ and config.json, nothing else. */
class WebServerTest {
  private final HttpClient http = HttpClient.newHttpClient();
  private WebServer web;

  @BeforeEach
  void start() {
    web = WebServer.start("127.0.0.1", 0, 6420, ChatRoomConfig.defaults());
  }

  @AfterEach
  void stop() {
    web.close();
  }

  private HttpResponse<String> send(String method, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.port() + path))
        .method(method, HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesThePageAndItsConfig() throws Exception {
    HttpResponse<String> index = send("GET", "/");
    assertEquals(200, index.statusCode());
    assertEquals("text/html; charset=utf-8", index.headers().firstValue("content-type")
        .orElseThrow());
    assertTrue(index.body().contains("<script type=\"module\" src=\"app.js\"></script>"));
    assertEquals(index.body(), send("GET", "/index.html").body());
    HttpResponse<String> css = send("GET", "/style.css");
    assertEquals(200, css.statusCode());
    assertEquals("text/css; charset=utf-8", css.headers().firstValue("content-type")
        .orElseThrow());
    HttpResponse<String> config = send("GET", "/config.json");
    assertEquals("{\"apiPort\":6420,\"localToken\":\"rivet4j-local-chat\"}", config.body());
  }

  @Test
  void aRealSecretIsNeverServed() throws Exception {
    web.close();
    web = WebServer.start("127.0.0.1", 0, 7000, ChatRoomConfig.defaults().withSecret("s3cret"));
    assertEquals("{\"apiPort\":7000,\"localToken\":null}", send("GET", "/config.json").body());
  }

  @Test
  void nothingOutsideTheWebFolderAndOnlyReads() throws Exception {
    for (String path : new String[] {"/nope.js", "/../pom.xml", "/%2e%2e/pom.xml",
        "/io/rivet4j/examples/chatroom/WebServer.class", "/.hidden", "/web/index.html"}) {
      assertEquals(404, send("GET", path).statusCode(), path);
    }
    assertEquals(405, send("POST", "/").statusCode());
    HttpResponse<String> head = send("HEAD", "/");
    assertEquals(200, head.statusCode());
    assertEquals("", head.body());
  }
}
