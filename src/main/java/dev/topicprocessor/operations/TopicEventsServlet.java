package dev.topicprocessor.operations;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.topicprocessor.problem.Problem;
import dev.topicprocessor.problem.ProblemException;
import dev.topicprocessor.problem.ProblemType;
import dev.topicprocessor.support.Json;
import dev.topicprocessor.support.NettyThreadLocals;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import momento.sdk.ISubscriptionCallbacks;
import momento.sdk.TopicClient;
import momento.sdk.responses.topic.TopicDiscontinuity;
import momento.sdk.responses.topic.TopicMessage;
import momento.sdk.responses.topic.TopicSubscribeResponse;

/**
 * {@code GET /api/console/events/{cache}/{topic}}: a topic live, as server-sent events, from a
 * TopicClient subscription. It holds its request thread while the browser watches (16 watchers at
 * most) rather than going asynchronous: with asynchronous requests weld-servlet leaves its
 * request-context thread-locals on the server's threads.
 */
@WebServlet(urlPatterns = "/api/console/events/*")
public class TopicEventsServlet extends HttpServlet {

  static final int MAX_WATCHERS = 16;
  private static final int MAX_BACKLOG = 1000;
  private static final Logger LOG = Logger.getLogger(TopicEventsServlet.class.getName());
  private static final ObjectMapper JSON = Json.mapper();

  @Inject ConsoleResource console;
  @Inject TopicClient client;
  @Inject Subscriptions subscriptions;
  @Inject OperatorAccess access;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    try {
      if (!console.enabled()) {
        problem(
            response, ProblemType.CONSOLE_DISABLED, "the console is off (TOPIC_PROCESSOR_CONSOLE)");
        return;
      }
      String path = request.getPathInfo();
      int slash = path == null ? -1 : path.indexOf('/', 1);
      try {
        access.requireThisMachineOrOperator(request);
        if (slash < 2 || slash == path.length() - 1) {
          throw new ProblemException(
              ProblemType.NOT_FOUND, "use /api/console/events/{cache}/{topic}");
        }
        ConsoleTopics.check(path.substring(1, slash), path.substring(slash + 1));
      } catch (ProblemException e) {
        problem(response, e.problemType(), e.problem().detail());
        return;
      }
      if (subscriptions.count() >= MAX_WATCHERS) {
        problem(response, ProblemType.OVERLOADED, "at most " + MAX_WATCHERS + " watchers at once");
        return;
      }
      subscriptions.serving();
      try {
        watch(path.substring(1, slash), path.substring(slash + 1), response);
      } finally {
        subscriptions.served();
      }
    } finally {
      NettyThreadLocals.clear();
    }
  }

  private void watch(String cache, String topic, HttpServletResponse response) throws IOException {
    BlockingQueue<String> events = new LinkedBlockingQueue<>(MAX_BACKLOG);
    ISubscriptionCallbacks callbacks =
        new ISubscriptionCallbacks() {
          @Override
          public void onItem(TopicMessage message) {
            String data =
                message instanceof TopicMessage.Text text
                    ? text.getValue()
                    : message instanceof TopicMessage.Binary binary
                        ? "(binary, " + binary.getValue().length + " bytes)"
                        : String.valueOf(message);
            offer(events, event("message", data));
          }

          @Override
          public void onDiscontinuity(TopicDiscontinuity gap) {
            offer(events, event("discontinuity", gap.toString()));
          }

          @Override
          public void onCompleted() {}

          @Override
          public void onError(Throwable t) {}
        };
    TopicSubscribeResponse subscribed;
    try {
      subscribed = client.subscribe(cache, topic, callbacks).get(15, TimeUnit.SECONDS);
    } catch (Exception e) {
      problem(response, ProblemType.PUBLISH_FAILED, "no answer from Momento: " + e);
      return;
    }
    if (subscribed instanceof TopicSubscribeResponse.Error error) {
      ProblemException refused = ConsoleTopics.refused(error);
      problem(response, refused.problemType(), refused.problem().detail());
      return;
    }
    TopicSubscribeResponse.Subscription subscription =
        (TopicSubscribeResponse.Subscription) subscribed;
    subscriptions.opened(subscription);
    try {
      response.setContentType("text/event-stream");
      response.setCharacterEncoding("UTF-8");
      response.setHeader("Cache-Control", "no-cache");
      PrintWriter out = response.getWriter();
      out.write(event("subscribed", cache + "/" + topic));
      out.flush();
      // Until the browser goes away (a write fails) or the application stops (unsubscribed).
      int quiet = 0;
      while (subscriptions.isOpen(subscription) && !out.checkError()) {
        String next = events.poll(1, TimeUnit.SECONDS);
        if (next != null) {
          out.write(next);
        } else if (++quiet % 2 == 0) {
          out.write(": keep-alive\n\n"); // finds out when the browser has gone
        } else {
          continue;
        }
        out.flush();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      subscriptions.closed(subscription);
      LOG.log(Level.FINE, "console stopped watching {0}/{1}", new Object[] {cache, topic});
    }
  }

  private static void offer(BlockingQueue<String> events, String event) {
    if (!events.offer(event)) {
      events.clear(); // the browser reads too slowly: say so rather than hold everything
      events.offer(event("discontinuity", "the page fell behind; messages were skipped"));
    }
  }

  /** One server-sent event; every line of the data on a data: line of its own. */
  static String event(String name, String data) {
    StringBuilder event = new StringBuilder("event: ").append(name).append('\n');
    for (String line : data.split("\r\n|\r|\n", -1)) {
      event.append("data: ").append(line).append('\n');
    }
    return event.append('\n').toString();
  }

  private static void problem(HttpServletResponse response, ProblemType type, String detail)
      throws IOException {
    Problem problem = Problem.of(type, detail);
    response.setStatus(type.status());
    problem.challenges(true).forEach(c -> response.addHeader("WWW-Authenticate", c));
    response.setContentType(Problem.MEDIA_TYPE);
    response.setCharacterEncoding("UTF-8");
    JSON.writeValue(response.getWriter(), problem);
  }
}
