package dev.topicprocessor.processor.builtin;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.topicprocessor.processor.ProcessingException;
import dev.topicprocessor.support.Json;
import java.util.Iterator;
import java.util.Set;

/** Reading processor options and message JSON, with errors that say what is wrong. */
final class Options {

  static final ObjectMapper JSON = Json.mapper();

  private Options() {}

  /** Refuses options other than those named. */
  static void allowOnly(JsonNode options, String... names) {
    if (!options.isObject()) {
      throw new IllegalArgumentException("options must be a JSON object");
    }
    Set<String> allowed = Set.of(names);
    for (Iterator<String> it = options.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!allowed.contains(name)) {
        throw new IllegalArgumentException(
            "unknown option \"" + name + "\"" + (allowed.isEmpty() ? "" : "; known: " + allowed));
      }
    }
  }

  static String text(JsonNode options, String name) {
    JsonNode node = options.get(name);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw new IllegalArgumentException("option \"" + name + "\" must be a string");
    }
    return node.textValue();
  }

  static boolean flag(JsonNode options, String name) {
    JsonNode node = options.get(name);
    if (node == null || node.isNull()) {
      return false;
    }
    if (!node.isBoolean()) {
      throw new IllegalArgumentException("option \"" + name + "\" must be true or false");
    }
    return node.booleanValue();
  }

  static JsonPointer pointer(String name, String value) {
    try {
      return JsonPointer.compile(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "option \"" + name + "\" is not a JSON Pointer (like /a/b): " + value);
    }
  }

  /** The message text as JSON, or a processing failure saying it is not. */
  static JsonNode parse(String text) {
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      throw new ProcessingException("the message is not JSON");
    }
  }

  static String write(JsonNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (Exception e) {
      throw new ProcessingException("cannot write JSON: " + e.getMessage(), e);
    }
  }
}
