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
        .addClasses(ThreadProbe.class, MBeanProbe.class, ClassLoaderProbe.class);
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

  /**
   * The packaged WAR against the tests' Local Momento with a journal of its own, for the cycles
   * under load: what its events publish outlives its undeploy.
   */
  @Deployment(name = "cycled", managed = false, testable = false)
  static WebArchive cycled() throws IOException {
    return Deployments.withSettings(
        CYCLED + ".war",
        Map.of("TOPIC_PROCESSOR_DATA_DIR", Deployments.journalDir("RedeployIT-cycled")));
  }

  static final String CYCLED = "topic-processor-cycled";
  static final int CYCLES = 20;

  /** The class of a web application's class loader, on each server. */
  static final String LOADER =
      "wildfly".equals(System.getProperty("it.server"))
          ? "org.jboss.modules.ModuleClassLoader"
          : "org.apache.catalina.loader.ParallelWebappClassLoader";

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
      List<String> mbeans = mbeans(APP);
      for (String type : List.of("Pipeline", "Route", "Subscription", "Sink")) {
        assertTrue(
            mbeans.stream().anyMatch(n -> n.contains("type=" + type)),
            "a " + type + " MBean while it runs: " + mbeans);
      }

      deployer.undeploy("app");
      assertEquals(List.of(), threadsLeft(before), "threads left after undeploy, round " + round);
      assertEquals(List.of(), mbeans(APP), "MBeans left after undeploy, round " + round);
    }
    List<String> problems =
        log.linesSince().stream()
            .filter(RedeployIT::isProblem)
            .filter(line -> !line.contains("[Catalina-utility-"))
            .toList();
    assertEquals(List.of(), problems, "errors or leaks the server logged");
  }

  @Test
  void twentyRedeploysUnderLightLoadLeaveNoThreadNoClassLoaderAndProcessEveryEvent()
      throws Exception {
    Set<String> before = threads();
    long[] start = classes();
    long[] afterFirst = null;
    long deployedClasses = 0;
    Map<String, Long> acknowledged = new java.util.concurrent.ConcurrentHashMap<>();
    StringBuilder report = new StringBuilder();
    try (ResumingSubscriber topic2 =
        new ResumingSubscriber(
            Integer.getInteger("it.local-momento.plaintext.port", 19080),
            "default-cache",
            "topic 2")) {
      topic2.awaitLive();
      for (int cycle = 1; cycle <= CYCLES + 1; cycle++) {
        deployer.deploy("cycled");
        Http app = new Http(new URL(probe, "/" + CYCLED + "/"));
        if (cycle == 1) {
          // Counted as loaded since the start: other tests' loaders may be unloading meanwhile.
          deployedClasses = classes()[2] - start[2];
        }
        if (cycle > CYCLES) {
          break; // the last deploy only takes over what the last undeploy left
        }
        // Light load, up to the undeploy: the last events are likely still being processed.
        for (int i = 0; i < 10; i++) {
          String text = "cycle-" + cycle + "-" + i;
          if (app.signed(Http.event("default-cache", "topic 1", text, 0)).statusCode() / 100 == 2) {
            acknowledged.put(text.toUpperCase(java.util.Locale.ROOT), (long) cycle);
          }
          Thread.sleep(20);
        }
        deployer.undeploy("cycled");
        List<String> left = threadsLeft(before);
        assertEquals(List.of(), left, "threads left after undeploy " + cycle);
        assertEquals(List.of(), mbeans(CYCLED), "MBeans left after undeploy " + cycle);
        if (cycle == 1 || cycle % 5 == 0) {
          long[] now = classes();
          report.append(
              String.format(
                  "after undeploy %d: %d classes loaded, %d %s%n", cycle, now[0], now[1], LOADER));
          if (cycle == 1) {
            afterFirst = now;
          }
        }
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!topic2.counts().keySet().containsAll(acknowledged.keySet())
          && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      Set<String> lost = new java.util.TreeSet<>(acknowledged.keySet());
      lost.removeAll(topic2.counts().keySet());
      deployer.undeploy("cycled");
      // Classes unload when their loader is collected; a thread ending by itself (the JDK
      // HttpClient's selector) may hold one for a moment.
      long[] end = classes();
      for (int i = 0;
          i < 30 && (end[1] > afterFirst[1] || leaked(afterFirst, end, deployedClasses, 0));
          i++) {
        Thread.sleep(1000);
        end = classes();
      }
      report.append(
          String.format(
              "%d undeploy/redeploy cycles (%s): before %d classes, %d loaders; one deployment"
                  + " loads %d classes; after the first undeploy %d and %d, after the last %d and"
                  + " %d; %d events acknowledged, %d lost%n",
              CYCLES,
              System.getProperty("it.server", "tomcat"),
              start[0],
              start[1],
              deployedClasses,
              afterFirst[0],
              afterFirst[1],
              end[0],
              end[1],
              acknowledged.size(),
              lost.size()));
      System.out.print(report);
      java.nio.file.Files.writeString(
          java.nio.file.Path.of(
              "target", "redeploy-" + System.getProperty("it.server", "tomcat") + ".txt"),
          report);
      assertEquals(Set.of(), lost, "events acknowledged before an undeploy never processed");
      assertEquals(CYCLES * 10, acknowledged.size(), "every event of the light load acknowledged");
      // One loader may still linger after 30 s of collections (Tomcat, once in a suite: the
      // loaders went 7 after the first undeploy, 8 from the 15th on): a leak per redeploy leaves
      // twenty, and one that lingers is told apart and printed.
      if (end[1] > afterFirst[1]) {
        System.out.println("RedeployIT: one deployment's class loader still lingers: " + report);
      }
      assertTrue(
          end[1] <= afterFirst[1] + LINGERING,
          "no class loader of the application survives, but one lingering: " + report);
      assertTrue(
          !leaked(afterFirst, end, deployedClasses, LINGERING),
          "no deployment's classes stay, but one lingering's: " + report);
    }
  }

  /** The deployments whose class loader may still be on its way out after the last undeploy. */
  private static final int LINGERING = 1;

  /**
   * Whether more than {@code lingering} deployments' classes and a quarter of one more stayed
   * loaded since {@code first}.
   */
  private static boolean leaked(long[] first, long[] now, long deployedClasses, int lingering) {
    return now[0] - first[0] > lingering * deployedClasses + deployedClasses / 4;
  }

  /**
   * Classes loaded, live class loaders of the server's web applications (after full GCs), and
   * classes loaded since the server started.
   */
  private long[] classes() throws Exception {
    String[] line = new Http(probe).get("classes?loader=" + LOADER).body().trim().split(" ");
    return new long[] {Long.parseLong(line[0]), Long.parseLong(line[1]), Long.parseLong(line[2])};
  }

  /**
   * The threads of ours not there {@code before}, once they had 15 s and full collections to end:
   * the JDK 17 {@code HttpClient}, which cannot be closed, ends its selector thread once it is
   * collected.
   */
  private List<String> threadsLeft(Set<String> before) throws Exception {
    List<String> left;
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    do {
      left =
          threads().stream()
              .filter(name -> OURS.matcher(name).matches() && !before.contains(name))
              .toList();
      if (left.isEmpty()) {
        return left;
      }
      classes(); // full collections
      Thread.sleep(200);
    } while (System.nanoTime() < deadline);
    return left;
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

  /** The processor's MBeans of a deployment of this test in the server. */
  private List<String> mbeans(String app) throws Exception {
    return Arrays.stream(new Http(probe).get("mbeans").body().split("\n"))
        .map(String::trim)
        .filter(name -> name.contains("context=/" + app))
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
