package dev.topicprocessor.processor;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One processing step, chosen by name from the routes. Add your own by putting a CDI bean in the
 * WAR:
 *
 * <pre>{@code
 * @ApplicationScoped
 * @Named("reverse")
 * public class Reverse implements Processor {
 *   public Step configure(JsonNode options) {
 *     return message -> List.of(new StringBuilder(message.text()).reverse().toString());
 *   }
 * }
 * }</pre>
 *
 * and naming it in a route: {@code "processors": ["reverse"]}.
 */
public interface Processor {

  /**
   * Makes this processor's step for one route from the step's {@code options} (an empty object when
   * the route gives none). Called once when the routes are loaded; throw {@link
   * IllegalArgumentException} to refuse bad options, and the routes are refused with that message.
   */
  Step configure(JsonNode options);

  /** A configured step. It must be safe to call from several threads at once. */
  @FunctionalInterface
  interface Step {
    /**
     * Processes one message: return no text to drop it, one to transform it, several to emit
     * several messages. Throw {@link ProcessingException} when the message cannot be processed.
     */
    List<String> apply(Message message);
  }
}
