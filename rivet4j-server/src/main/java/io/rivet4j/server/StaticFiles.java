package io.rivet4j.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Files a {@link RivetServer} serves next to the API (e.g. a web front-end): {@code GET /} is
 * {@code index.html}; any other path that is not an API route is looked up here first.
 */
@FunctionalInterface
public interface StaticFiles {
  /** One file. */
  record StaticFile(byte[] content, String contentType) {}

  /** The file at {@code path} (starts with {@code /}, already percent-decoded), if any. */
  Optional<StaticFile> find(String path);

  /** Files under {@code prefix} on the class path (e.g. {@code "web"} in a jar). */
  static StaticFiles classpath(ClassLoader loader, String prefix) {
    return path -> {
      String rel = relative(path);
      if (rel == null) {
        return Optional.empty();
      }
      try (InputStream in = loader.getResourceAsStream(prefix + "/" + rel)) {
        return in == null ? Optional.empty()
            : Optional.of(new StaticFile(in.readAllBytes(), contentType(rel)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
  }

  /** Files under {@code directory}. */
  static StaticFiles directory(Path directory) {
    Path root = directory.toAbsolutePath().normalize();
    return path -> {
      String rel = relative(path);
      if (rel == null) {
        return Optional.empty();
      }
      Path file = root.resolve(rel).normalize();
      if (!file.startsWith(root) || !Files.isRegularFile(file)) {
        return Optional.empty();
      }
      try {
        return Optional.of(new StaticFile(Files.readAllBytes(file), contentType(rel)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
  }

  /** {@code path} without its leading slash ({@code index.html} for {@code /}); null if unsafe. */
  private static String relative(String path) {
    String rel = path.equals("/") || path.isEmpty() ? "index.html" : path.substring(1);
    if (rel.endsWith("/")) {
      rel = rel + "index.html";
    }
    for (String segment : rel.split("/")) {
      if (segment.equals("..") || segment.equals(".") || segment.contains("\\")) {
        return null;
      }
    }
    return rel;
  }

  private static String contentType(String name) {
    int dot = name.lastIndexOf('.');
    String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    return TYPES.getOrDefault(ext, "application/octet-stream");
  }

  /** Content types by file extension. */
  Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8",
      "js", "text/javascript; charset=utf-8",
      "mjs", "text/javascript; charset=utf-8",
      "css", "text/css; charset=utf-8",
      "json", "application/json",
      "svg", "image/svg+xml",
      "png", "image/png",
      "ico", "image/x-icon",
      "map", "application/json",
      "txt", "text/plain; charset=utf-8");
}
