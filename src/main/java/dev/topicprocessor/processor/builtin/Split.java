package dev.topicprocessor.processor.builtin;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import dev.topicprocessor.processor.ProcessingException;
import dev.topicprocessor.processor.Processor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.util.ArrayList;
import java.util.List;

/**
 * Emits one message per element of a JSON array: the message itself, or the array at the JSON
 * Pointer in option {@code field}. String elements are emitted as their text, others as JSON.
 */
@ApplicationScoped
@Named("split")
public class Split implements Processor {

  @Override
  public Step configure(JsonNode options) {
    Options.allowOnly(options, "field");
    String field = Options.text(options, "field");
    JsonPointer pointer = field == null ? JsonPointer.empty() : Options.pointer("field", field);
    return message -> {
      JsonNode array = Options.parse(message.text()).at(pointer);
      if (!array.isArray()) {
        throw new ProcessingException(
            "expected a JSON array at \"" + pointer + "\", found " + array.getNodeType());
      }
      List<String> out = new ArrayList<>(array.size());
      array.forEach(e -> out.add(e.isTextual() ? e.textValue() : Options.write(e)));
      return out;
    };
  }
}
