package dev.topicprocessor.operations;

import dev.topicprocessor.event.InboundEvent;
import dev.topicprocessor.journal.DeadLetter;
import dev.topicprocessor.journal.Journal;
import dev.topicprocessor.problem.ProblemException;
import dev.topicprocessor.problem.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * {@code /api/dead-letters}: events that failed for good, for an operator to inspect, replay (after
 * a fix) or delete. Every call needs operator rights ({@link OperatorAccess}); replays and deletes
 * are logged with who did them.
 */
@ApplicationScoped
@Path("dead-letters")
@Produces(MediaType.APPLICATION_JSON)
public class DeadLetterResource {

  private static final Logger LOG = Logger.getLogger(DeadLetterResource.class.getName());
  private static final int LIST_TEXT = 200;

  @Inject Journal journal;
  @Inject OperatorAccess access;
  @Inject PipelineOperations operations;

  /** A page of dead letters, oldest first; {@code next} is the {@code after} of the next page. */
  @GET
  public Map<String, Object> list(
      @QueryParam("after") @DefaultValue("0") String after,
      @QueryParam("limit") @DefaultValue("50") String limit,
      @Context HttpServletRequest request) {
    access.require(request);
    long afterId = number("after", after, 0, Long.MAX_VALUE);
    int size = (int) number("limit", limit, 1, 500);
    List<DeadLetter> page = journal.deadLetters(afterId, size);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("total", journal.deadLetterCount());
    body.put("items", page.stream().map(d -> describe(d, false)).toList());
    body.put("next", page.size() == size ? page.get(page.size() - 1).id() : null);
    return body;
  }

  @GET
  @Path("{id}")
  public Map<String, Object> get(@PathParam("id") String id, @Context HttpServletRequest request) {
    access.require(request);
    return describe(find(id), true);
  }

  @POST
  @Path("{id}/replay")
  public Map<String, Object> replay(
      @PathParam("id") String id, @Context HttpServletRequest request) {
    access.require(request);
    DeadLetter letter = find(id);
    int replayed = journal.replay(letter.id());
    LOG.info(
        "dead letter "
            + letter.id()
            + " ("
            + letter.key()
            + ") replayed by "
            + OperatorAccess.who(request));
    return Map.of("replayed", replayed);
  }

  @POST
  @Path("replay")
  public Map<String, Object> replayAll(@Context HttpServletRequest request) {
    access.require(request);
    return Map.of("replayed", operations.replayDeadLetters(OperatorAccess.who(request)));
  }

  @DELETE
  @Path("{id}")
  public Response delete(@PathParam("id") String id, @Context HttpServletRequest request) {
    access.require(request);
    DeadLetter letter = find(id);
    if (!journal.delete(letter.id())) {
      throw notFound(id);
    }
    LOG.info(
        "dead letter "
            + letter.id()
            + " ("
            + letter.key()
            + ") deleted by "
            + OperatorAccess.who(request));
    return Response.noContent().build();
  }

  private DeadLetter find(String id) {
    return journal.deadLetter(number("id", id, 1, Long.MAX_VALUE)).orElseThrow(() -> notFound(id));
  }

  private static ProblemException notFound(String id) {
    return new ProblemException(ProblemType.NOT_FOUND, "there is no dead letter " + id);
  }

  private static long number(String name, String value, long min, long max) {
    try {
      long number = Long.parseLong(value.trim());
      if (number >= min && number <= max) {
        return number;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new ProblemException(
        ProblemType.BAD_REQUEST, name + " must be a whole number from " + min + " to " + max);
  }

  private static Map<String, Object> describe(DeadLetter letter, boolean full) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", letter.id());
    body.put("cache", letter.key().cache());
    body.put("topic", letter.key().topic());
    body.put("sequenceNumber", letter.key().sequenceNumber());
    body.put("publishTimestamp", letter.key().publishTimestamp());
    body.put("acceptedAt", Instant.ofEpochMilli(letter.acceptedAt()).toString());
    body.put("deadAt", Instant.ofEpochMilli(letter.deadAt()).toString());
    body.put("attempts", letter.attempts());
    body.put("reason", letter.reason());
    body.put("error", letter.error());
    InboundEvent event = letter.event();
    String text = event.text();
    if (full) {
      body.put("published", letter.published());
      body.put("event", describe(event));
    } else {
      body.put("text", text.length() > LIST_TEXT ? text.substring(0, LIST_TEXT) + "…" : text);
    }
    return body;
  }

  /** The event as it was taken in, under the names of Momento's webhook event. */
  private static Map<String, Object> describe(InboundEvent event) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("via", event.via().label());
    body.put("cache", event.cache());
    body.put("topic", event.topic());
    body.put("sequence_page", event.sequencePage());
    body.put("topic_sequence_number", event.sequenceNumber());
    body.put("publish_timestamp", event.publishTimestamp());
    body.put("event_timestamp", event.eventTimestamp());
    body.put("token_id", event.tokenId());
    if (event.binary()) {
      body.put("binary", Base64.getEncoder().encodeToString(event.payload()));
    } else {
      body.put("text", event.text());
    }
    return body;
  }
}
