package dev.topicprocessor.source.subscription;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topicprocessor.config.Settings;
import dev.topicprocessor.event.Checkpoint;
import dev.topicprocessor.event.InboundEvent;
import dev.topicprocessor.intake.Intake;
import dev.topicprocessor.journal.Journal;
import dev.topicprocessor.journal.JournalEntry;
import dev.topicprocessor.localmomento.LocalMomento;
import dev.topicprocessor.localmomento.LocalMomentoConfig;
import dev.topicprocessor.localmomento.client.LocalMomentoConnection;
import dev.topicprocessor.metrics.ProcessorMetrics;
import dev.topicprocessor.testing.Fixtures;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import momento.sdk.TopicClient;
import momento.sdk.config.TopicConfigurations;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The subscription source against Local Momento and the embedded journal, without a server: what it
 * takes in, where it resumes, and how it waits for a full journal.
 */
class SubscriptionSourceTest {

  private static final String TOPIC = "in";

  @TempDir Path dir;
  private LocalMomento momento;
  private LocalMomentoConnection connection;
  private TopicClient client;
  private Journal journal;
  private Intake intake;
  private SubscriptionSource cut;
  private final List<JournalEntry> taken = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    momento =
        LocalMomento.start(
            LocalMomentoConfig.ephemeral().withEndpoint("subscription-test.momento.localhost"));
    connection = momento.connection();
    client = connection.topicClient(TopicConfigurations.Laptop.latest());
    // Local Momento sends a heartbeat every 5 s: a silence limit of 2 s makes the watchdog act.
    Map<String, String> values =
        Map.of(
            "TOPIC_PROCESSOR_JOURNAL_BACKLOG_LIMIT", "3",
            "TOPIC_PROCESSOR_SUBSCRIPTION_SILENCE_SECONDS", "2",
            "TOPIC_PROCESSOR_SUBSCRIPTION_MAX_BACKOFF_MS", "500");
    Settings settings = Fixtures.settings(values);
    ProcessorMetrics metrics = new ProcessorMetrics();
    journal = Fixtures.journal(dir, "subscription", values, metrics);
    intake = new Intake(journal, settings, metrics);
    intake.open(taken::add);
    cut = new SubscriptionSource();
    cut.intake = intake;
    cut.settings = settings;
    cut.metrics = metrics;
  }

  @AfterEach
  void stop() throws Exception {
    cut.stop(Duration.ofSeconds(5));
    journal.close();
    client.close();
    connection.close();
    momento.close();
  }

  private void subscribe() throws Exception {
    cut.open(() -> connection.channel("cache." + connection.endpoint()));
    cut.subscribe(SUBSCRIBED);
    assertTrue(await(() -> !cut.status().isEmpty() && cut.status().get(0).connected()));
  }

  private static final SubscriptionSource.SubscribedTopic SUBSCRIBED =
      new SubscriptionSource.SubscribedTopic("default-cache", TOPIC);

  private void publish(String text) {
    client.publish("default-cache", TOPIC, text).join();
  }

  private void done(int count) throws Exception {
    for (JournalEntry entry : taken.subList(0, count)) {
      journal.done(entry.key()).get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void itemsAreTakenInWithTheirPositionAndTheCheckpointMovesWithThem() throws Exception {
    subscribe();
    publish("a");
    publish("b");
    assertTrue(await(() -> taken.size() == 2));
    InboundEvent first = taken.get(0).event();
    assertEquals(InboundEvent.Via.SUBSCRIPTION, first.via());
    assertEquals("a", first.text());
    assertEquals(1, first.sequenceNumber());
    assertTrue(first.sequencePage() != 0, "the topic's page");
    Checkpoint checkpoint = journal.checkpoint("default-cache", TOPIC);
    assertEquals(2, checkpoint.sequenceNumber());
    assertEquals(first.sequencePage(), checkpoint.sequencePage());
    assertEquals(2, cut.status().get(0).lastSequence());
  }

  @Test
  void afterAStopItResumesAfterItsCheckpointWithNothingMissedOrTwice() throws Exception {
    subscribe();
    publish("before 1");
    publish("before 2");
    assertTrue(await(() -> taken.size() == 2));
    done(2);
    cut.stop(Duration.ofSeconds(5));

    publish("while stopped 1");
    publish("while stopped 2");
    subscribe();
    publish("after");
    assertTrue(await(() -> taken.size() == 5), "taken: " + texts());
    assertEquals(
        List.of("before 1", "before 2", "while stopped 1", "while stopped 2", "after"), texts());
    assertEquals(0, cut.status().get(0).gaps());
  }

  @Test
  void letGoAndTakenAgainItResumesAfterItsCheckpoint() throws Exception {
    subscribe();
    publish("held 1");
    assertTrue(await(() -> taken.size() == 1));
    cut.unsubscribe(SUBSCRIBED);
    assertEquals(List.of(), cut.status(), "no longer subscribed");
    publish("let go 1");
    publish("let go 2");
    cut.subscribe(SUBSCRIBED);
    assertTrue(await(() -> taken.size() == 3), "taken: " + taken.size());
    assertEquals(
        List.of("held 1", "let go 1", "let go 2"),
        taken.stream().map(e -> e.event().text()).toList());
  }

  @Test
  void whileTheJournalIsFullItReadsNothingMoreAndThenGoesOn() throws Exception {
    subscribe();
    for (int i = 1; i <= 6; i++) {
      publish("m" + i);
    }
    assertTrue(await(() -> taken.size() == 3), "up to the backlog limit of 3");
    assertTrue(await(() -> cut.status().get(0).paused()), "paused");
    Thread.sleep(500);
    assertEquals(3, taken.size(), "nothing more while the journal is full");

    done(3); // the engine would do this: room again
    assertTrue(await(() -> taken.size() == 6), "taken: " + texts());
    assertEquals(List.of("m1", "m2", "m3", "m4", "m5", "m6"), texts(), "in order, none dropped");
    assertTrue(await(() -> !cut.status().get(0).paused()));
  }

  @Test
  void aRefusedLastItemIsTakenInOnceThereIsRoomThoughNoItemComesAfterIt() throws Exception {
    subscribe();
    for (int i = 1; i <= 4; i++) {
      publish("m" + i);
    }
    assertTrue(await(() -> taken.size() == 3), "up to the backlog limit of 3");
    assertTrue(await(() -> cut.status().get(0).paused()), "paused at the fourth");

    done(3); // nothing is published after m4: only the subscriber's own retry can take it in
    assertTrue(await(() -> taken.size() == 4), "taken: " + texts());
    assertEquals(List.of("m1", "m2", "m3", "m4"), texts());
    assertTrue(
        await(() -> journal.checkpoint("default-cache", TOPIC).sequenceNumber() == 4),
        "the checkpoint at the last item");
  }

  @Test
  void aSilentStreamIsEndedAndOpenedAgainFromTheCheckpoint() throws Exception {
    subscribe();
    publish("before");
    assertTrue(await(() -> taken.size() == 1));
    assertTrue(
        await(() -> cut.status().get(0).reconnects() >= 1),
        "reconnected after the silence: " + cut.status());
    assertTrue(cut.status().get(0).lastError().startsWith("silent for"), cut.status().toString());
    assertTrue(await(() -> cut.status().get(0).connected()), "connected again");
    publish("after");
    assertTrue(await(() -> taken.size() == 2), "taken: " + texts());
    assertEquals(List.of("before", "after"), texts(), "nothing missed or twice");
  }

  private List<String> texts() {
    return taken.stream().map(entry -> entry.event().text()).toList();
  }

  private static boolean await(BooleanSupplier condition) throws InterruptedException {
    return Fixtures.await(condition, Duration.ofSeconds(15));
  }
}
