package dev.topicprocessor.processor.builtin;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import dev.topicprocessor.processor.Processor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Keeps or drops messages. Options:
 *
 * <ul>
 *   <li>{@code pattern}: a regular expression found in the text (or in the field);
 *   <li>{@code field}: a JSON Pointer into the message (which must then be JSON);
 *   <li>{@code equals}: the field's text must equal this (instead of {@code pattern});
 *   <li>{@code invert}: true to drop what matches and keep the rest.
 * </ul>
 *
 * With only {@code field}, a message is kept when the field exists and is not null.
 */
@ApplicationScoped
@Named("filter")
public class Filter implements Processor {

  @Override
  public Step configure(JsonNode options) {
    Options.allowOnly(options, "pattern", "field", "equals", "invert");
    String pattern = Options.text(options, "pattern");
    String field = Options.text(options, "field");
    String equals = Options.text(options, "equals");
    boolean invert = Options.flag(options, "invert");
    if (pattern != null && equals != null) {
      throw new IllegalArgumentException("give \"pattern\" or \"equals\", not both");
    }
    if (equals != null && field == null) {
      throw new IllegalArgumentException("\"equals\" needs a \"field\"");
    }
    if (pattern == null && field == null) {
      throw new IllegalArgumentException("give a \"pattern\", a \"field\", or both");
    }
    Predicate<String> valueTest;
    if (pattern != null) {
      try {
        Pattern compiled = Pattern.compile(pattern);
        valueTest = value -> compiled.matcher(value).find();
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException(
            "\"pattern\" is not a regular expression: " + e.getDescription());
      }
    } else if (equals != null) {
      valueTest = equals::equals;
    } else {
      valueTest = value -> true;
    }
    Predicate<String> keep;
    if (field == null) {
      keep = valueTest;
    } else {
      JsonPointer pointer = Options.pointer("field", field);
      keep =
          text -> {
            JsonNode value = Options.parse(text).at(pointer);
            if (value.isMissingNode() || value.isNull()) {
              return false;
            }
            return valueTest.test(value.isValueNode() ? value.asText() : Options.write(value));
          };
    }
    return message -> keep.test(message.text()) != invert ? List.of(message.text()) : List.of();
  }
}
