package dev.topicprocessor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topicprocessor.localmomento.SdkSubscriber;
import dev.topicprocessor.localmomento.client.LocalMomentoConnection;
import java.io.IOException;
import java.net.URL;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import momento.sdk.TopicClient;
import momento.sdk.config.TopicConfigurations;
import momento.sdk.responses.topic.TopicPublishResponse;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.OperateOnDeployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Undeploy is clean and a second deploy works: after each undeploy no thread of gRPC, the processor
 * or its Local Momento and none of its MBeans is left in the server, and the server logged no error
 * and no leak. The processor runs with Local Momento inside it, so that its threads are checked
 * too.
 */
@ExtendWith(LocalMomentoForTests.class)
@ExtendWith(ArquillianExtension.class)
class RedeployIT {

  static final String APP = "topic-processor-redeploy";
  static final String ENDPOINT = "redeploy.momento.localhost";
  static final int TLS_PORT = 19643;

  /**
   * Threads the processor, gRPC, Weld, H2 or Local Momento start (SDK retry schedulers are
   * "pool-N-...").
   */
  static final Pattern OURS =
      Pattern.compile(
          "grpc-.*|local-momento-.*|topic-processor-.*|HttpClient-.*|weld-.*|MVStore.*|H2 .*");

  @Deployment(name = "probe", order = 1, testable = false)
  static WebArchive probe() {
    return ShrinkWrap.create(WebArchive.class, "thread-probe.war")
        .addClasses(ThreadProbe.class, MBeanProbe.class);
  }

  /** A webhook route and a subscription route, so that both sources are undeployed. */
  @Deployment(name = "app", managed = false, testable = false)
  static WebArchive app() throws IOException {
    return Deployments.embeddedModeWar(
        APP + ".war",
        ENDPOINT,
        TLS_PORT,
        Map.of("TOPIC_PROCESSOR_ROUTES", Deployments.testResource("it-routes-both.json")));
  }

  @ArquillianResource Deployer deployer;

  @ArquillianResource
  @OperateOnDeployment("probe")
  URL probe;

  @Test
  void undeployLeavesNoThreadAndNoErrorAndRedeployWorks() throws Exception {
    ServerLog log = ServerLog.mark();
    // Threads already there belong to the server or to other applications.
    Set<String> before = threads();
    for (int round = 1; round <= 2; round++) {
      deployer.deploy("app");
      URL app = new URL(probe, "/" + APP + "/");
      assertEquals(200, new Http(app).get("api/health").statusCode(), "round " + round);
      new Http(app).awaitConnected("sub in", Duration.ofSeconds(15));
      seedFlow();
      assertTrue(
          threads().stream()
              .anyMatch(name -> OURS.matcher(name).matches() && !before.contains(name)),
          "the probe sees the processor's threads while it runs");
      List<String> mbeans = mbeans();
      for (String type : List.of("Pipeline", "Route", "Subscription", "Sink")) {
        assertTrue(
            mbeans.stream().anyMatch(n -> n.contains("type=" + type)),
            "a " + type + " MBean while it runs: " + mbeans);
      }

      deployer.undeploy("app");
      List<String> left = List.of();
      long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
      do {
        Thread.sleep(200);
        left =
            threads().stream()
                .filter(name -> OURS.matcher(name).matches() && !before.contains(name))
                .toList();
      } while (!left.isEmpty() && System.nanoTime() < deadline);
      assertEquals(List.of(), left, "threads left after undeploy, round " + round);
      assertEquals(List.of(), mbeans(), "MBeans left after undeploy, round " + round);
    }
    List<String> problems =
        log.linesSince().stream()
            .filter(RedeployIT::isProblem)
            .filter(line -> !line.contains("[Catalina-utility-"))
            .toList();
    assertEquals(List.of(), problems, "errors or leaks the server logged");
  }

  /**
   * "hello" published to the app's own Local Momento comes back "HELLO", by webhook and by
   * subscription.
   */
  private static void seedFlow() throws Exception {
    try (LocalMomentoConnection local =
            LocalMomentoConnection.connect(ENDPOINT, "127.0.0.1", TLS_PORT);
        TopicClient client = local.topicClient(TopicConfigurations.Laptop.latest());
        SdkSubscriber subscriber = SdkSubscriber.subscribe(client, "default-cache", "topic 2");
        SdkSubscriber subscribed = SdkSubscriber.subscribe(client, "default-cache", "sub out")) {
      assertInstanceOf(
          TopicPublishResponse.Success.class,
          client.publish("default-cache", "topic 1", "hello").join());
      assertEquals(List.of("HELLO"), subscriber.next(1, Duration.ofSeconds(15)));
      assertInstanceOf(
          TopicPublishResponse.Success.class,
          client.publish("default-cache", "sub in", "hi").join());
      assertEquals(List.of("HI"), subscribed.next(1, Duration.ofSeconds(15)), "by subscription");
    }
  }

  /** The processor's MBeans of this test's deployment in the server. */
  private List<String> mbeans() throws Exception {
    return Arrays.stream(new Http(probe).get("mbeans").body().split("\n"))
        .map(String::trim)
        .filter(name -> name.contains("context=/" + APP))
        .toList();
  }

  private Set<String> threads() throws Exception {
    String body = new Http(probe).get("threads").body();
    return Arrays.stream(body.split("\n")).map(String::trim).collect(Collectors.toSet());
  }

  private static boolean isProblem(String line) {
    return line.contains("SEVERE")
        || line.contains(" ERROR ")
        || line.contains("appears to have started a thread")
        || line.contains("failed to remove it");
  }
}
