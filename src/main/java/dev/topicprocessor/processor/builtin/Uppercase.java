package dev.topicprocessor.processor.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.topicprocessor.processor.Processor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.util.List;
import java.util.Locale;

/** The seed's processor: the text in upper case. Options: none. */
@ApplicationScoped
@Named("uppercase")
public class Uppercase implements Processor {

  @Override
  public Step configure(JsonNode options) {
    Options.allowOnly(options);
    return message -> List.of(message.text().toUpperCase(Locale.ROOT));
  }
}
