package dev.topicprocessor.processor;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.concurrent.CompletionStage;

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
     * several messages. Throw {@link ProcessingException} when the message cannot be processed,
     * {@link RetriableProcessingException} when it may be later.
     */
    List<String> apply(Message message);
  }

  /**
   * A step that answers later, so that waiting for a service does not hold a worker: return a stage
   * that completes with the texts, or exceptionally with a {@link ProcessingException} (a {@link
   * RetriableProcessingException} when the failure may pass). A stage not complete within {@code
   * TOPIC_PROCESSOR_PROCESSOR_TIMEOUT_MS} fails the event for now, and it is retried. The steps
   * after it run on the thread that completes the stage: keep them short.
   */
  @FunctionalInterface
  interface AsyncStep extends Step {
    CompletionStage<List<String>> applyAsync(Message message);

    /** Waits for {@link #applyAsync}; the engine never calls it. */
    @Override
    default List<String> apply(Message message) {
      return applyAsync(message).toCompletableFuture().join();
    }
  }
}
