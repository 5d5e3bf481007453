package dev.topicprocessor.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topicprocessor.config.InvalidSettingException;
import dev.topicprocessor.event.InboundEvent;
import dev.topicprocessor.metrics.ProcessorMetrics;
import dev.topicprocessor.testing.Fixtures;
import dev.topicprocessor.testing.StartedPostgres;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Nodes sharing one PostgreSQL journal, each opened by URL as the application opens it, in real
 * time with a lease of 3 s (a heartbeat a second).
 */
class MembershipTest {

  private static final String PASSWORD = "not-in-any-log";
  private static final AtomicInteger databases = new AtomicInteger();
  @RegisterExtension static final StartedPostgres postgres = new StartedPostgres();

  private final List<Journal> journals = new ArrayList<>();
  private final List<Membership> memberships = new ArrayList<>();
  private String url;

  @BeforeEach
  void freshDatabase() throws Exception {
    String name = "membership_" + databases.incrementAndGet();
    postgres.server().createDatabase(name);
    url = postgres.server().url(name);
  }

  @AfterEach
  void close() {
    memberships.forEach(Membership::leave);
    journals.forEach(Journal::close);
  }

  private Journal journal(String node, Map<String, String> more) {
    Map<String, String> values = new HashMap<>();
    values.put("TOPIC_PROCESSOR_JOURNAL_URL", url + "?ApplicationName=topic-processor-test");
    values.put("TOPIC_PROCESSOR_JOURNAL_USER", "tp");
    values.put("TOPIC_PROCESSOR_JOURNAL_PASSWORD", PASSWORD);
    values.put("TOPIC_PROCESSOR_NODE_ID", node);
    values.put("TOPIC_PROCESSOR_LEASE_SECONDS", "3");
    values.putAll(more);
    Journal journal = new Journal(Fixtures.settings(values), new ProcessorMetrics());
    journal.open("shop");
    journals.add(journal);
    return journal;
  }

  private Membership join(Journal journal) {
    Membership membership = new Membership(journal, new ProcessorMetrics());
    membership.join();
    memberships.add(membership);
    return membership;
  }

  private static InboundEvent event(long sequence) {
    return InboundEvent.fromWebhook(
        "cache", "topic", sequence, 1000 + sequence, 1, "", "text " + sequence);
  }

  @Test
  void aJournalByUrlSaysWhereItIsButNotItsPasswordOrParameters() {
    Journal journal = journal("a", Map.of());
    assertTrue(journal.description().startsWith(url), journal.description());
    assertFalse(journal.description().contains(PASSWORD), journal.description());
    assertFalse(journal.description().contains("ApplicationName"), journal.description());
    assertEquals("a", journal.nodeId());
  }

  @Test
  void aJournalByUrlAndByJndiNameAtOnceIsRefused() {
    InvalidSettingException refused =
        org.junit.jupiter.api.Assertions.assertThrows(
            InvalidSettingException.class,
            () ->
                journal(
                    "a",
                    Map.of("TOPIC_PROCESSOR_JOURNAL_DATASOURCE", "java:comp/env/jdbc/Journal")));
    assertTrue(refused.getMessage().contains("TOPIC_PROCESSOR_JOURNAL_URL"), refused.getMessage());
  }

  @Test
  void anUnreachableJournalFailsTheStartSayingWhere() {
    url = "jdbc:postgresql://127.0.0.1:1/nowhere";
    JournalException refused =
        org.junit.jupiter.api.Assertions.assertThrows(
            JournalException.class, () -> journal("a", Map.of()));
    assertTrue(refused.getMessage().contains("127.0.0.1:1/nowhere"), refused.getMessage());
    assertFalse(refused.getMessage().contains(PASSWORD), refused.getMessage());
  }

  @Test
  void whatALiveNodeAcceptedIsItsOwnAndTheOthersTakeItOverWhenItsHeartbeatStops() throws Exception {
    Journal a = journal("a", Map.of());
    Journal b = journal("b", Map.of());
    Membership ma = join(a);
    Membership mb = join(b);
    for (int i = 1; i <= 5; i++) {
      assertNotNull(a.append(event(i)).get(10, TimeUnit.SECONDS));
    }
    assertEquals(5, a.ownDue(100).size(), "a's own");
    assertEquals(List.of(), b.claimDue(100), "a is alive: none of a's");
    assertTrue(mb.status().alive() >= 1);

    AtomicLong lostAt = new AtomicLong();
    AtomicLong takenAt = new AtomicLong();
    ma.hold("subscription c/t", "subscription", () -> {}, () -> lostAt.set(System.nanoTime()));
    mb.hold("subscription c/t", "subscription", () -> takenAt.set(System.nanoTime()), () -> {});
    assertTrue(ma.holds("subscription c/t"));
    assertFalse(mb.holds("subscription c/t"), "one holder at a time");

    long silentFrom = System.nanoTime();
    a.close(); // a can no longer write its heartbeat: as good as dead to the others
    assertTrue(
        Fixtures.await(() -> takenAt.get() != 0, Duration.ofSeconds(10)),
        "b takes the subscription over");
    assertTrue(lostAt.get() != 0 && lostAt.get() < takenAt.get(), "a let go before b took it");
    assertFalse(ma.valid(), "a stopped claiming");
    double seconds = (takenAt.get() - silentFrom) / 1e9;
    assertTrue(seconds >= 2 && seconds < 6, "taken over after the lease, in " + seconds + " s");
    List<JournalEntry> takenOver = b.claimDue(100);
    assertEquals(5, takenOver.size(), "b takes a's events over");
    assertTrue(
        Fixtures.await(
            () ->
                mb.status().leases().contains(new Membership.LeaseView("subscription c/t", "b"))
                    && mb.status().alive() == 1,
            Duration.ofSeconds(5)),
        "health shows who holds it, and one node alive: " + mb.status());
  }

  @Test
  void aNodeThatLeavesHandsItsWorkOverAtOnce() throws Exception {
    Journal a = journal("a", Map.of());
    Journal b = journal("b", Map.of());
    Membership ma = join(a);
    Membership mb = join(b);
    assertNotNull(a.append(event(1)).get(10, TimeUnit.SECONDS));
    AtomicLong takenAt = new AtomicLong();
    ma.hold("task windows", "task", () -> {}, () -> {});
    mb.hold("task windows", "task", () -> takenAt.set(System.nanoTime()), () -> {});
    long leftAt = System.nanoTime();
    ma.leave();
    assertEquals(1, b.claimDue(100).size(), "a's event, at once");
    assertTrue(Fixtures.await(() -> takenAt.get() != 0, Duration.ofSeconds(5)));
    assertTrue((takenAt.get() - leftAt) / 1e9 < 2.5, "within a heartbeat, not a lease");
    assertEquals(1, mb.status().alive() > 0 ? countAlive(mb) : 0);
  }

  @Test
  void aLeaseLetGoOfAloneGoesToAnotherNodeAndTheRestStay() throws Exception {
    Membership ma = join(journal("a", Map.of()));
    Membership mb = join(journal("b", Map.of()));
    AtomicInteger subscribed = new AtomicInteger();
    AtomicLong takenAt = new AtomicLong();
    ma.hold(
        "subscription c/gone",
        "subscription",
        subscribed::incrementAndGet,
        subscribed::decrementAndGet);
    ma.hold("subscription c/gone", "subscription", subscribed::incrementAndGet, () -> {});
    ma.hold("subscription c/kept", "subscription", () -> {}, () -> {});
    assertEquals(1, subscribed.get(), "a lease wanted twice is held once");
    mb.hold("subscription c/gone", "subscription", () -> takenAt.set(System.nanoTime()), () -> {});
    assertFalse(mb.holds("subscription c/gone"));
    long releasedAt = System.nanoTime();
    ma.release("subscription c/gone");
    assertEquals(0, subscribed.get(), "its onLost ran");
    assertFalse(ma.holds("subscription c/gone"));
    assertTrue(ma.holds("subscription c/kept"), "the other lease stays");
    assertTrue(Fixtures.await(() -> takenAt.get() != 0, Duration.ofSeconds(5)));
    assertTrue((takenAt.get() - releasedAt) / 1e9 < 2.5, "within a heartbeat, not a lease");
    Thread.sleep(1_500); // a heartbeat of a's: it no longer asks for it
    assertFalse(ma.holds("subscription c/gone"));
    assertTrue(mb.holds("subscription c/gone"));
  }

  @Test
  void aDeadLetterIsSeenAndReplayedFromAnyNodeAndThenAnyNodeMayTakeIt() throws Exception {
    Journal a = journal("a", Map.of());
    Journal b = journal("b", Map.of());
    join(a);
    join(b);
    JournalEntry entry = a.append(event(1)).get(10, TimeUnit.SECONDS);
    a.dead(entry.key(), new Failure(1, 5, "too-large", "4097 bytes", java.util.Set.of()))
        .get(10, TimeUnit.SECONDS);
    List<DeadLetter> seen = b.deadLetters(0, 10);
    assertEquals(1, seen.size(), "b lists a's dead letter");
    assertEquals(1, b.replay(seen.get(0).id()), "b replays it");
    assertEquals(List.of(), a.ownDue(10), "no longer a's");
    assertEquals(1, b.claimDue(10).size(), "claimed by nobody: b may take it");
    assertEquals(List.of(), a.claimDue(10), "b has it now");
  }

  private static long countAlive(Membership membership) throws InterruptedException {
    Fixtures.await(() -> membership.status().nodes().size() == 1, Duration.ofSeconds(5));
    return membership.status().nodes().stream().filter(Membership.NodeView::alive).count();
  }
}
