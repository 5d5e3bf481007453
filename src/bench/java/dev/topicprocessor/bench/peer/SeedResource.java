package dev.topicprocessor.bench.peer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.topicprocessor.momento.WebhookSignature;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import momento.sdk.TopicClient;
import momento.sdk.responses.topic.TopicPublishResponse;

/**
 * The seed's handler written the plain Jakarta way: a JAX-RS resource that checks the webhook's
 * signature (as topic-processor does, so that the two differ only in what topic-processor keeps),
 * upper-cases the text and publishes it to "topic 2" of the event's cache with the TopicClient
 * inside the request, then answers. It keeps nothing: an event whose publish fails, or that arrives
 * while the server is down, is gone.
 */
@Path("/")
public class SeedResource {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final TopicClient client;
  private final List<String> secrets;

  SeedResource(TopicClient client, List<String> secrets) {
    this.client = client;
    this.secrets = secrets;
  }

  @POST
  @Consumes(MediaType.WILDCARD)
  public Response handle(@HeaderParam(WebhookSignature.HEADER) String signature, byte[] body) {
    if (signature == null || !WebhookSignature.verify(signature.trim(), body, secrets)) {
      return Response.status(401).build();
    }
    JsonNode event;
    try {
      event = JSON.readTree(body);
    } catch (IOException e) {
      return Response.status(400).build();
    }
    String cache = event.path("cache").asText("");
    String text = event.path("text").asText(null);
    if (cache.isEmpty() || text == null) {
      return Response.status(400).build();
    }
    TopicPublishResponse published =
        client.publish(cache, "topic 2", text.toUpperCase(Locale.ROOT)).join();
    if (published instanceof TopicPublishResponse.Success) {
      return Response.ok("{\"status\":\"success\"}", MediaType.APPLICATION_JSON).build();
    }
    return Response.status(503).build();
  }
}
