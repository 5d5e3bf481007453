package dev.topicprocessor.processor.builtin;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.topicprocessor.processor.ProcessingException;
import dev.topicprocessor.processor.Processor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a new JSON object from parts of the message, chosen with JSON Pointers. Options:
 *
 * <ul>
 *   <li>{@code fields}: an object mapping each output field to a pointer into the message, e.g.
 *       {@code {"user": "/payload/user/id", "at": "/time"}};
 *   <li>{@code required}: true to fail the message when a pointer finds nothing (by default the
 *       field is left out).
 * </ul>
 */
@ApplicationScoped
@Named("reshape")
public class Reshape implements Processor {

  @Override
  public Step configure(JsonNode options) {
    Options.allowOnly(options, "fields", "required");
    JsonNode fields = options.get("fields");
    if (fields == null || !fields.isObject() || fields.isEmpty()) {
      throw new IllegalArgumentException(
          "\"fields\" must be an object of output names to JSON Pointers");
    }
    boolean required = Options.flag(options, "required");
    Map<String, JsonPointer> mapping = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = fields.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (!field.getValue().isTextual()) {
        throw new IllegalArgumentException(
            "field \"" + field.getKey() + "\" must map to a JSON Pointer string");
      }
      mapping.put(field.getKey(), Options.pointer(field.getKey(), field.getValue().textValue()));
    }
    return message -> {
      JsonNode input = Options.parse(message.text());
      ObjectNode output = Options.JSON.createObjectNode();
      List<String> missing = new ArrayList<>();
      mapping.forEach(
          (name, pointer) -> {
            JsonNode value = input.at(pointer);
            if (value.isMissingNode()) {
              missing.add(pointer.toString());
            } else {
              output.set(name, value);
            }
          });
      if (required && !missing.isEmpty()) {
        throw new ProcessingException("the message has nothing at " + missing);
      }
      return List.of(Options.write(output));
    };
  }
}
