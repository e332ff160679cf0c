package io.rivet4j.protocol.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses JSON as {@code JSON.parse} does: every number is a JavaScript number (safe integers
 * become Long, the rest Double), objects keep key order, a repeated key keeps its first position
 * and its last value. No compat tags are revived here (see {@link Compat}).
 */
final class JsonReader {
  private static final JsonFactory FACTORY = JsonFactory.builder()
      .streamReadConstraints(
          StreamReadConstraints.builder().maxNestingDepth(Limits.MAX_DEPTH + 1).build())
      .build();

  private JsonReader() {}

  static Object read(byte[] json) {
    try (JsonParser parser = FACTORY.createParser(json)) {
      return document(parser);
    } catch (IOException e) {
      throw new MalformedException("invalid JSON: " + describe(e));
    }
  }

  static Object read(String json) {
    try (JsonParser parser = FACTORY.createParser(json)) {
      return document(parser);
    } catch (IOException e) {
      throw new MalformedException("invalid JSON: " + describe(e));
    }
  }

  private static String describe(IOException e) {
    String message = e instanceof com.fasterxml.jackson.core.JsonProcessingException processing
        ? processing.getOriginalMessage() : e.getMessage();
    return message == null ? e.getClass().getSimpleName() : message;
  }

  private static Object document(JsonParser parser) throws IOException {
    JsonToken first = parser.nextToken();
    if (first == null) {
      throw new MalformedException("empty JSON document");
    }
    Object value = value(parser, first, 0);
    if (parser.nextToken() != null) {
      throw new MalformedException("trailing data after the JSON value");
    }
    return value;
  }

  private static Object value(JsonParser parser, JsonToken token, int depth) throws IOException {
    if (depth > Limits.MAX_DEPTH) {
      throw new MalformedException("JSON nested deeper than " + Limits.MAX_DEPTH + " levels");
    }
    return switch (token) {
      case START_OBJECT -> object(parser, depth);
      case START_ARRAY -> array(parser, depth);
      case VALUE_STRING -> parser.getText();
      case VALUE_NUMBER_INT -> integer(parser);
      case VALUE_NUMBER_FLOAT -> JsNumbers.fromDouble(parser.getDoubleValue());
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      case VALUE_NULL -> null;
      case NOT_AVAILABLE, END_OBJECT, END_ARRAY, FIELD_NAME, VALUE_EMBEDDED_OBJECT ->
          throw new MalformedException("unexpected JSON token " + token);
    };
  }

  /** An integer literal as the JavaScript number it denotes ({@code -0} included). */
  private static Object integer(JsonParser parser) throws IOException {
    if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
      return JsNumbers.fromDouble(parser.getDoubleValue());
    }
    long value = parser.getLongValue();
    if (value == 0 && parser.getText().startsWith("-")) {
      return -0.0;
    }
    return JsNumbers.fromDouble(value);
  }

  private static Map<String, Object> object(JsonParser parser, int depth) throws IOException {
    Map<String, Object> object = new LinkedHashMap<>();
    JsonToken token;
    while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
      String key = parser.currentName();
      object.put(key, value(parser, next(parser), depth + 1));
    }
    if (token != JsonToken.END_OBJECT) {
      throw new MalformedException("unterminated JSON object");
    }
    return object;
  }

  private static List<Object> array(JsonParser parser, int depth) throws IOException {
    List<Object> array = new ArrayList<>();
    JsonToken token;
    while ((token = next(parser)) != JsonToken.END_ARRAY) {
      array.add(value(parser, token, depth + 1));
    }
    return array;
  }

  private static JsonToken next(JsonParser parser) throws IOException {
    JsonToken token = parser.nextToken();
    if (token == null) {
      throw new MalformedException("truncated JSON document");
    }
    return token;
  }
}
