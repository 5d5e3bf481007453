package dev.topicprocessor.source.webhook;

import dev.topicprocessor.config.Setting;
import dev.topicprocessor.config.Settings;
import dev.topicprocessor.event.InboundEvent;
import dev.topicprocessor.intake.Intake;
import dev.topicprocessor.intake.IntakeResult;
import dev.topicprocessor.metrics.ProcessorMetrics;
import dev.topicprocessor.momento.WebhookEvent;
import dev.topicprocessor.momento.WebhookSignature;
import dev.topicprocessor.problem.ProblemException;
import dev.topicprocessor.problem.ProblemType;
import dev.topicprocessor.support.Readiness;
import dev.topicprocessor.support.ThrottledLog;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code POST /api/webhooks/momento}: where Momento delivers events. Each request is checked in
 * order (size, signature, shape, freshness), committed through the {@link Intake} and answered 204;
 * every refusal is a problem+json answer, counted by reason.
 */
@ApplicationScoped
@Path("webhooks/momento")
public class MomentoWebhookResource {

  private static final Logger LOG = Logger.getLogger(MomentoWebhookResource.class.getName());

  @Inject Settings settings;
  @Inject WebhookSecrets secrets;
  @Inject Intake intake;
  @Inject ProcessorMetrics metrics;
  @Inject Readiness readiness;

  private static final ThrottledLog refusals = new ThrottledLog(LOG, Duration.ofSeconds(10));
  private int maxBodyBytes;
  private Freshness freshness;

  @PostConstruct
  void configure() {
    maxBodyBytes =
        settings.integer(Setting.TOPIC_PROCESSOR_MAX_BODY_BYTES, 1024, Intake.MAX_PAYLOAD_BYTES);
    freshness =
        new Freshness(
            Duration.ofSeconds(
                settings.integer(Setting.TOPIC_PROCESSOR_FRESHNESS_SECONDS, 1, 86_400)),
            Duration.ofSeconds(
                settings.integer(Setting.TOPIC_PROCESSOR_FUTURE_TOLERANCE_SECONDS, 0, 86_400)));
  }

  @POST
  @Consumes(MediaType.WILDCARD) // Momento documented no Content-Type: none is refused
  public Response receive(
      @Context HttpHeaders headers,
      @HeaderParam("Content-Length") String contentLength,
      InputStream body) {
    long start = System.nanoTime();
    try {
      if (!readiness.ready()) {
        throw new ProblemException(ProblemType.NOT_READY, "the processor is starting or stopping");
      }
      byte[] bytes = read(body, contentLength);
      String signature = signature(headers);
      if (signature == null || signature.isBlank()) {
        throw new ProblemException(
            ProblemType.SIGNATURE_MISSING,
            "the " + WebhookSignature.HEADER + " header is required");
      }
      if (!signedWithAKnownSecret(signature.trim(), bytes)) {
        throw new ProblemException(
            ProblemType.SIGNATURE_INVALID,
            "the " + WebhookSignature.HEADER + " header does not match the body");
      }
      WebhookEvent event = WebhookEventParser.parse(bytes);
      freshness.check(event, System.currentTimeMillis());
      IntakeResult result =
          intake.accept(
              InboundEvent.fromWebhook(
                  event.cache(),
                  event.topic(),
                  event.topicSequenceNumber(),
                  event.publishTimestamp(),
                  event.eventTimestamp(),
                  event.tokenId(),
                  event.text()));
      if (result instanceof IntakeResult.Overloaded overloaded) {
        throw new ProblemException(
            ProblemType.OVERLOADED, overloaded.reason() + "; the event was not accepted");
      }
      if (result instanceof IntakeResult.Unavailable unavailable) {
        throw new ProblemException(
            ProblemType.JOURNAL_UNAVAILABLE,
            "the event could not be recorded in the journal; it was not accepted",
            new IllegalStateException(unavailable.reason(), unavailable.cause()));
      }
      // Accepted, or a duplicate delivery: acknowledged again, not processed again.
      return Response.noContent().build();
    } catch (ProblemException e) {
      metrics.rejected(e.problemType());
      LOG.log(Level.FINE, "webhook refused: {0}", e.getMessage());
      if (e.problemType().status() >= 500) {
        // Momento will not send it again: say so (all are counted).
        refusals.warn(
            () -> "webhook refused, the event is lost: " + e.problem().detail() + causeOf(e));
      }
      return e.problem().toResponse();
    } finally {
      metrics.acknowledged(start);
    }
  }

  /**
   * Whether a secret in force signed the body. When none did, the webhooks' secrets are read again
   * from Momento (a rotation takes effect there at once) and the body checked once more.
   */
  private boolean signedWithAKnownSecret(String signature, byte[] body) {
    List<String> known = secrets.all();
    if (WebhookSignature.verify(signature, body, known)) {
      return true;
    }
    secrets.refresh();
    List<String> now = secrets.all();
    return now != known && WebhookSignature.verify(signature, body, now);
  }

  /** The one signature header's value, null when there is none. */
  private static String signature(HttpHeaders headers) {
    List<String> values = headers.getRequestHeader(WebhookSignature.HEADER);
    if (values == null || values.isEmpty()) {
      return null;
    }
    if (values.size() > 1) {
      throw new ProblemException(
          ProblemType.SIGNATURE_INVALID,
          "the request has "
              + values.size()
              + " "
              + WebhookSignature.HEADER
              + " headers; Momento sends one");
    }
    return values.get(0);
  }

  private static String causeOf(ProblemException e) {
    return e.getCause() == null ? "" : " (" + e.getCause().getMessage() + ")";
  }

  /** Reads the body, refusing it as soon as it is known to be too large. */
  private byte[] read(InputStream body, String contentLength) {
    if (contentLength != null) {
      try {
        if (Long.parseLong(contentLength.trim()) > maxBodyBytes) {
          throw tooLarge();
        }
      } catch (NumberFormatException e) {
        throw new ProblemException(ProblemType.BAD_REQUEST, "Content-Length is not a number");
      }
    }
    try {
      byte[] bytes = body == null ? new byte[0] : body.readNBytes(maxBodyBytes + 1);
      if (bytes.length > maxBodyBytes) {
        throw tooLarge();
      }
      return bytes;
    } catch (IOException e) {
      throw new ProblemException(ProblemType.BAD_REQUEST, "the body could not be read");
    }
  }

  private ProblemException tooLarge() {
    return new ProblemException(
        ProblemType.BODY_TOO_LARGE, "the body is larger than " + maxBodyBytes + " bytes");
  }
}
