package dev.topicprocessor.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.topicprocessor.testing.Receiver;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** The README's asynchronous processor, as written there, against a real price service. */
class ReadmePriceProcessorTest {

  // ---- as in the README ("Processors") ----
  @ApplicationScoped
  @Named("price")
  public static class Price implements Processor {
    private final HttpClient http = HttpClient.newHttpClient();

    public Step configure(JsonNode options) {
      URI service = URI.create(options.path("url").asText());
      return (AsyncStep)
          message ->
              http.sendAsync(
                      HttpRequest.newBuilder(service)
                          .POST(HttpRequest.BodyPublishers.ofString(message.text()))
                          .build(),
                      HttpResponse.BodyHandlers.ofString())
                  .thenApply(
                      answer -> {
                        if (answer.statusCode() >= 500) {
                          throw new RetriableProcessingException(
                              "price service: HTTP " + answer.statusCode());
                        }
                        if (answer.statusCode() != 200) {
                          throw new ProcessingException("price service refused: " + answer.body());
                        }
                        return List.of(answer.body());
                      });
    }
  }

  // ---- end of the README's code ----

  private static Processor.AsyncStep step(Receiver receiver) throws Exception {
    return (Processor.AsyncStep)
        new Price()
            .configure(
                new ObjectMapper().readTree("{\"url\": \"" + receiver.url("/price") + "\"}"));
  }

  private static Message message(String text) {
    return new Message(text, new Origin("shop", "orders", 1, 0, 0, 0, "", "webhook"));
  }

  @Test
  void itGoesOnWithTheServicesAnswerAndSaysWhetherAFailureMayPass() throws Exception {
    try (Receiver receiver = Receiver.start(0)) {
      Processor.AsyncStep price = step(receiver);
      receiver.answer("/price", r -> new Receiver.Answer(200, Map.of(), r.body() + " at 42"));
      assertEquals(
          List.of("order at 42"), price.applyAsync(message("order")).toCompletableFuture().join());

      receiver.answer("/price", r -> Receiver.Answer.of(503));
      CompletionException down =
          assertThrows(
              CompletionException.class,
              () -> price.applyAsync(message("order")).toCompletableFuture().join());
      assertInstanceOf(RetriableProcessingException.class, down.getCause());

      receiver.answer("/price", r -> new Receiver.Answer(404, Map.of(), "no such product"));
      CompletionException refused =
          assertThrows(
              CompletionException.class,
              () -> price.applyAsync(message("order")).toCompletableFuture().join());
      assertEquals(ProcessingException.class, refused.getCause().getClass(), "a failure for good");
      assertEquals("price service refused: no such product", refused.getCause().getMessage());
    }
  }
}
