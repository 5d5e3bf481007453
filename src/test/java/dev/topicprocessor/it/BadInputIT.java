package dev.topicprocessor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.topicprocessor.localmomento.SdkSubscriber;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Thousands of bad requests from a seed ({@link BadRequests}), each judged: a 4xx problem+json, or
 * 204 where it is in fact a valid event; never a 5xx, a stack trace or a hang. Valid events sent in
 * between all come out processed. {@code -Dit.bad-inputs=10000} sets the count (2,000 by default),
 * {@code -Dit.bad-inputs.seed=N} replays a run; both are printed.
 */
@ExtendWith(LocalMomentoForTests.class)
@ExtendWith(ArquillianExtension.class)
class BadInputIT {

  private static final Duration ANSWER_WITHIN = Duration.ofSeconds(15);
  private static final int VALID_EVERY = 20;

  @Deployment(testable = false)
  static WebArchive war() {
    return Deployments.packagedWar();
  }

  @ArquillianResource URL base;

  @Test
  void everyBadRequestGetsAClientErrorAndEveryValidEventIsProcessed() throws Exception {
    int count = Integer.getInteger("it.bad-inputs", 2_000);
    String seedProperty = System.getProperty("it.bad-inputs.seed", "");
    long seed = seedProperty.isBlank() ? System.nanoTime() : Long.parseLong(seedProperty.trim());
    String replay = "replay with -Dit.bad-inputs.seed=" + seed + " -Dit.bad-inputs=" + count;
    System.out.println("BadInputIT: " + count + " bad requests from seed " + seed);

    String host = base.getHost();
    int port = base.getPort();
    BadRequests requests =
        new BadRequests(
            seed, host, base.getPath(), LocalMomentoForTests.webhookSecret(), "it-operator-token");
    Map<String, Map<String, Integer>> answers = new TreeMap<>();
    List<String> wrong = new ArrayList<>();
    List<String> validTexts = new ArrayList<>();
    ServerLog log = ServerLog.mark();
    long started = System.nanoTime();

    try (SdkSubscriber processed =
        SdkSubscriber.subscribe(LocalMomentoForTests.client(), "default-cache", "topic 2")) {
      for (int i = 0; i < count; i++) {
        BadRequests.Attempt attempt = requests.next();
        RawHttp.Answer answer = RawHttp.exchange(host, port, attempt.request(), ANSWER_WITHIN);
        String verdict = judge(attempt.expect(), answer);
        answers
            .computeIfAbsent(attempt.kind(), k -> new TreeMap<>())
            .merge(label(answer), 1, Integer::sum);
        if (verdict != null) {
          wrong.add("#" + i + " " + attempt.kind() + ": " + verdict + " -> " + answer);
        }
        if (i % VALID_EVERY == 0) {
          String text = "bad-input run " + seed + " valid #" + i;
          RawHttp.Answer valid =
              RawHttp.exchange(
                  host, port, requests.validEvent("default-cache", "topic 1", text), ANSWER_WITHIN);
          if (valid.status() == 204) {
            validTexts.add(text);
          } else {
            wrong.add("#" + i + " the valid event between bad ones -> " + valid);
          }
        }
      }
      long millis = (System.nanoTime() - started) / 1_000_000;
      System.out.println(
          "BadInputIT: " + count + " bad requests in " + millis + " ms, answers by kind:");
      answers.forEach((kind, statuses) -> System.out.println("  " + kind + ": " + statuses));
      assertEquals(
          List.of(),
          wrong.subList(0, Math.min(wrong.size(), 20)),
          wrong.size() + " wrong answers (the first 20 shown); " + replay);

      Set<String> expected = new HashSet<>();
      validTexts.forEach(t -> expected.add(t.toUpperCase(Locale.ROOT)));
      Set<String> arrived = new HashSet<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!arrived.containsAll(expected) && System.nanoTime() < deadline) {
        String text = processed.texts.poll(200, java.util.concurrent.TimeUnit.MILLISECONDS);
        if (text != null) {
          arrived.add(text);
        }
      }
      expected.removeAll(arrived);
      assertEquals(Set.of(), expected, "valid events not processed; " + replay);
    }
    assertEquals(count / VALID_EVERY + (count % VALID_EVERY == 0 ? 0 : 1), validTexts.size());
    if (count >= 20 * requests.kindNames().size()) {
      assertEquals(Set.copyOf(requests.kindNames()), answers.keySet(), "every kind was tried");
    }
    List<String> lost =
        log.linesSince().stream().filter(l -> l.contains("the event is lost")).toList();
    assertEquals(List.of(), lost, "a bad input was logged as a lost event; " + replay);
    assertEquals(200, new Http(base).get("api/health").statusCode(), "still serving");
  }

  /** How the report counts an answer: its status, and whether it was a problem. */
  private static String label(RawHttp.Answer answer) {
    if (answer.status() == 0) {
      return answer.hung() ? "hung" : "closed";
    }
    return answer.status() + (answer.status() >= 400 && !isProblem(answer) ? " not a problem" : "");
  }

  /** Why an answer is wrong for what the request must get, or null when it is right. */
  static String judge(BadRequests.Expect expect, RawHttp.Answer answer) {
    if (answer.hung()) {
      return "no answer within " + ANSWER_WITHIN.toSeconds() + " s";
    }
    if (answer.status() >= 500) {
      return "a server error";
    }
    if (answer.body().contains("Exception") || answer.body().contains("\tat ")) {
      return "a stack trace or an exception's name in the answer";
    }
    boolean accepted = answer.status() == 204;
    boolean clientError = answer.status() >= 400 && answer.status() < 500;
    boolean closed = answer.status() == 0;
    return switch (expect) {
      case ACCEPTED -> accepted ? null : "not accepted";
      case PROBLEM -> isProblem(answer) ? null : "not a 4xx problem+json";
      case CLIENT_ERROR -> clientErrorVerdict(answer, clientError, closed);
      case ACCEPTED_OR_CLIENT_ERROR ->
          accepted ? null : clientErrorVerdict(answer, clientError, closed);
    };
  }

  /**
   * A refusal by HTTP's own rules: a 4xx (a problem if it is one of ours), or the connection closed
   * without an answer, as a server may do with what is not HTTP.
   */
  private static String clientErrorVerdict(
      RawHttp.Answer answer, boolean clientError, boolean closed) {
    if (closed) {
      return null;
    }
    if (!clientError) {
      return "not a 4xx";
    }
    if (answer.header("Content-Type").startsWith("application/problem+json")
        && !isProblem(answer)) {
      return "a malformed problem";
    }
    return null;
  }

  static boolean isProblem(RawHttp.Answer answer) {
    if (answer.status() < 400 || answer.status() >= 500) {
      return false;
    }
    if (!answer.header("Content-Type").startsWith("application/problem+json")) {
      return false;
    }
    try {
      JsonNode problem = Http.JSON.readTree(answer.body());
      return problem.get("type").asText().startsWith("urn:topic-processor:problem:")
          && problem.get("status").asInt() == answer.status()
          && !problem.path("detail").asText().isBlank();
    } catch (Exception e) {
      return false;
    }
  }
}
