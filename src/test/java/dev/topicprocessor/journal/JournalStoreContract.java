package dev.topicprocessor.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.topicprocessor.event.EventKey;
import dev.topicprocessor.event.InboundEvent;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the journal's SQL must do on every database it supports. */
abstract class JournalStoreContract {

  private final List<Integer> batches = Collections.synchronizedList(new ArrayList<>());
  private JournalStore store;
  private GroupCommitWriter writer;

  /** A fresh, empty database. */
  abstract DataSource database() throws Exception;

  /** What the journal runs after each commit on this database, or null. */
  String afterCommit() {
    return null;
  }

  @BeforeEach
  void open() throws Exception {
    DataSource dataSource = database();
    store = JournalStore.open(dataSource);
    writer = new GroupCommitWriter(dataSource, 512, batches::add, afterCommit());
  }

  @AfterEach
  void close() {
    writer.close();
  }

  /** Flyway's history table, as it names it (lower case, quoted: H2 folds to upper case). */
  private static final String HISTORY = "\"" + JournalStore.HISTORY_TABLE + "\"";

  @Test
  void theSchemaIsCreatedOnceAndReopeningMigratesNothing() throws Exception {
    List<String> applied = history();
    assertEquals(String.valueOf(JournalStore.schemaVersion()), applied.get(applied.size() - 1));
    JournalStore.open(store.dataSource()); // a second start
    assertEquals(applied, history());
  }

  /** The versions in Flyway's history, in the order they were applied. */
  private List<String> history() throws SQLException {
    List<String> versions = new ArrayList<>();
    try (Connection c = store.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT \"version\" FROM "
                    + HISTORY
                    + " WHERE \"success\" ORDER BY \"installed_rank\"")) {
      while (r.next()) {
        versions.add(r.getString(1));
      }
    }
    return versions;
  }

  @Test
  void concurrentWritesShareCommits() throws Exception {
    List<CompletableFuture<Void>> writes = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      writes.add(writer.submit(JournalStore.insert(event(i, body(i)), 1000 + i)));
    }
    for (CompletableFuture<Void> write : writes) {
      write.get(30, TimeUnit.SECONDS);
    }
    assertEquals(300, store.count(JournalStore.PENDING));
    assertEquals(300, batches.stream().mapToInt(Integer::intValue).sum());
    assertTrue(
        batches.size() < 300 && batches.stream().anyMatch(size -> size > 1),
        "300 queued writes were committed in " + batches.size() + " commits: " + batches);
  }

  @Test
  void aDuplicateFailsOnlyItsOwnWrite() throws Exception {
    CompletableFuture<Void> a = writer.submit(JournalStore.insert(event(1, body(1)), 1));
    CompletableFuture<Void> b = writer.submit(JournalStore.insert(event(2, body(2)), 1));
    CompletableFuture<Void> again = writer.submit(JournalStore.insert(event(1, body(9)), 1));
    CompletableFuture<Void> c = writer.submit(JournalStore.insert(event(3, body(3)), 1));
    a.get(30, TimeUnit.SECONDS);
    b.get(30, TimeUnit.SECONDS);
    c.get(30, TimeUnit.SECONDS);
    try {
      again.get(30, TimeUnit.SECONDS);
      fail("the same key was recorded twice");
    } catch (ExecutionException e) {
      assertEquals("23505", ((SQLException) e.getCause()).getSQLState());
    }
    assertEquals(3, store.count(JournalStore.PENDING));
    assertArrayEquals(body(1), store.due(Long.MAX_VALUE, 10).get(0).event().payload());
  }

  @Test
  void anEventGoesFromPendingThroughRetryToDeadAndIsReplayed() throws Exception {
    EventKey key = key(7);
    write(JournalStore.insert(event(7, body(7)), 100));
    assertEquals(List.of(key), keys(store.due(100, 10)));

    write(
        JournalStore.retry(
            key, new Failure(1, 150, "server-unavailable", "down", Set.of("r:0:0")), 5_000));
    assertEquals(List.of(), store.due(4_999, 10), "not due before its retry time");
    JournalStore.Stored again = store.due(5_000, 10).get(0);
    assertEquals(1, again.attempts());
    assertEquals(150, again.firstFailureAt());
    assertEquals(List.of("r:0:0"), again.published());

    write(
        JournalStore.dead(
            key, new Failure(2, 150, "too-large", "4097 bytes", Set.of("r:0:0", "r:1:0")), 9));
    assertEquals(List.of(), store.due(Long.MAX_VALUE, 10));
    assertEquals(1, store.count(JournalStore.DEAD));
    DeadLetter dead = store.deadLetters(0, 10).get(0);
    assertEquals(key, dead.key());
    assertEquals("too-large", dead.reason());
    assertEquals("4097 bytes", dead.error());
    assertEquals(2, dead.attempts());
    assertEquals(9, dead.deadAt());
    assertEquals(List.of("r:0:0", "r:1:0"), dead.published());
    assertEquals(dead.key(), store.deadLetter(dead.id()).orElseThrow().key());

    assertEquals(1, store.replay(dead.id(), 20_000));
    assertEquals(0, store.count(JournalStore.DEAD));
    JournalStore.Stored replayed = store.due(20_000, 10).get(0);
    assertEquals(0, replayed.attempts(), "a fresh retry budget");
    assertEquals(List.of("r:0:0", "r:1:0"), replayed.published(), "published outputs are kept");
    assertEquals(0, store.replay(dead.id(), 20_000), "only dead letters are replayed");

    write(JournalStore.done(key, 30_000));
    assertEquals(0, store.count(JournalStore.PENDING));
    assertEquals(1, store.count(JournalStore.DONE));
  }

  @Test
  void deadLettersArePagedByIdAndDeletedOneByOne() throws Exception {
    for (int i = 0; i < 5; i++) {
      write(JournalStore.insert(event(i, body(i)), 1));
      write(
          JournalStore.dead(
              key(i), new Failure(1, 1, "processor-failed", "bug " + i, Set.of()), 2));
    }
    List<DeadLetter> first = store.deadLetters(0, 2);
    List<DeadLetter> second = store.deadLetters(first.get(1).id(), 2);
    List<DeadLetter> third = store.deadLetters(second.get(1).id(), 2);
    assertEquals(List.of(key(0), key(1)), first.stream().map(DeadLetter::key).toList());
    assertEquals(List.of(key(2), key(3)), second.stream().map(DeadLetter::key).toList());
    assertEquals(List.of(key(4)), third.stream().map(DeadLetter::key).toList());

    assertTrue(store.delete(first.get(0).id()));
    assertFalse(store.delete(first.get(0).id()), "already deleted");
    assertEquals(4, store.count(JournalStore.DEAD));
    assertEquals(4, store.replay(null, 3));
    assertEquals(4, store.count(JournalStore.PENDING));
  }

  @Test
  void onlyProcessedEventsOlderThanTheWindowArePurged() throws Exception {
    write(JournalStore.insert(event(1, body(1)), 1)); // published at 1001 (see key)
    write(JournalStore.insert(event(2, body(2)), 1));
    write(JournalStore.insert(event(3, body(3)), 1));
    write(JournalStore.done(key(1), 5));
    write(JournalStore.done(key(3), 5));
    int[] deleted = new int[1];
    write(JournalStore.purgeDone(1003, 10, n -> deleted[0] = n)); // before key 3's publish time
    assertEquals(1, deleted[0]);
    assertEquals(1, store.count(JournalStore.DONE));
    assertEquals(1, store.count(JournalStore.PENDING));
    // The purged event's key is free again: it would be a stale delivery by now anyway.
    write(JournalStore.insert(event(1, body(1)), 6));
  }

  @Test
  void aPurgeDeletesAtMostItsLimitAndSaysHowMany() throws Exception {
    for (int i = 1; i <= 5; i++) {
      write(JournalStore.insert(event(i, body(i)), 1));
      write(JournalStore.done(key(i), 2));
    }
    int[] deleted = new int[1];
    write(JournalStore.purgeDone(10_000, 3, n -> deleted[0] = n));
    assertEquals(3, deleted[0]);
    assertEquals(2, store.count(JournalStore.DONE));
    write(JournalStore.purgeDone(10_000, 3, n -> deleted[0] = n));
    assertEquals(2, deleted[0]);
    assertEquals(0, store.count(JournalStore.DONE));
  }

  @Test
  void bodiesAreKeptByteForByte() throws Exception {
    byte[] body = {'{', 0, (byte) 0xff, (byte) 0xc3, '"', '\\', 'u', '0', '0', '0', '0', '}'};
    write(JournalStore.insert(event(1, body), 1));
    assertArrayEquals(body, store.due(1, 1).get(0).event().payload());
  }

  @Test
  void aJournalFromBeforeFlywayKeepsItsEventsAsSourceNeutralOnes() throws Exception {
    writer.close();
    JournalStore.open(emptied(), 2); // the tables of schema 2, as the hand-written migrations made
    try (Connection c = store.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("DROP TABLE " + HISTORY);
      s.execute("CREATE TABLE tp_schema (version INT NOT NULL)");
      s.execute("INSERT INTO tp_schema (version) VALUES (2)");
    }
    assertWebhookBodiesAreCarriedOver();
  }

  @Test
  void aJournalOfFlywaysFirstVersionKeepsItsEvents() throws Exception {
    writer.close();
    JournalStore.open(emptied(), 1);
    assertWebhookBodiesAreCarriedOver();
  }

  @Test
  void aDatabaseWithOtherTablesGetsTheJournalBesideThem() throws Exception {
    writer.close();
    DataSource dataSource = emptied();
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE someone_else (x INT)");
    }
    try {
      store = JournalStore.open(dataSource);
      writer = new GroupCommitWriter(dataSource, 512, batches::add, afterCommit());
      write(JournalStore.insert(event(1, body(1)), 1));
      assertEquals(1, store.count(JournalStore.PENDING));
    } finally {
      try (Connection c = dataSource.getConnection();
          Statement s = c.createStatement()) {
        s.execute("DROP TABLE someone_else");
      }
    }
  }

  /** The journal's database with none of its tables. */
  private DataSource emptied() throws SQLException {
    try (Connection c = store.dataSource().getConnection();
        Statement s = c.createStatement()) {
      for (String table :
          new String[] {"tp_event", "tp_checkpoint", "tp_window_item", "tp_schema", HISTORY}) {
        s.execute("DROP TABLE IF EXISTS " + table);
      }
    }
    return store.dataSource();
  }

  /**
   * Webhook bodies journaled by a schema before version 3 (one pending, one dead) come out of the
   * migration as the events they were, still recognised as duplicates.
   */
  private void assertWebhookBodiesAreCarriedOver() throws Exception {
    String pending =
        "{\"cache\":\"cache\",\"topic\":\"topic 1\",\"event_timestamp\":1700000000200,"
            + "\"publish_timestamp\":1700000000100,\"topic_sequence_number\":7,"
            + "\"token_id\":\"tok\",\"text\":\"caf\\u00e9 \\u0000\"}";
    String dead = "{\"cache\":\"cache\",\"topic\":\"topic 2\",\"text\":\"too big\"}";
    try (Connection c = store.dataSource().getConnection();
        java.sql.PreparedStatement s =
            c.prepareStatement(
                "INSERT INTO tp_event (cache_name, topic_name, sequence_number, publish_timestamp,"
                    + " body, state, accepted_at, attempts, next_attempt_at, first_failure_at,"
                    + " last_reason, finished_at) VALUES (?, ?, ?, ?, ?, ?, 1, 0, 1, 0, ?, ?)")) {
      s.setString(1, "cache");
      s.setString(2, "topic 1");
      s.setLong(3, 7);
      s.setLong(4, 1_700_000_000_100L);
      s.setBytes(5, pending.getBytes(StandardCharsets.UTF_8));
      s.setString(6, JournalStore.PENDING);
      s.setString(7, null);
      s.setNull(8, java.sql.Types.BIGINT);
      s.executeUpdate();
      s.setString(2, "topic 2");
      s.setLong(3, 8);
      s.setBytes(5, dead.getBytes(StandardCharsets.UTF_8));
      s.setString(6, JournalStore.DEAD);
      s.setString(7, "too-large");
      s.setLong(8, 2);
      s.executeUpdate();
    }

    store = JournalStore.open(store.dataSource());
    writer = new GroupCommitWriter(store.dataSource(), 512, batches::add, afterCommit());
    List<String> applied = history();
    assertEquals(String.valueOf(JournalStore.schemaVersion()), applied.get(applied.size() - 1));

    InboundEvent event = store.due(1, 10).get(0).event();
    assertEquals(InboundEvent.Via.WEBHOOK, event.via());
    assertEquals(new EventKey("cache", "topic 1", 0, 7, 1_700_000_000_100L), event.key());
    assertEquals(1_700_000_000_200L, event.eventTimestamp());
    assertEquals("tok", event.tokenId());
    assertEquals("café \u0000", event.text());
    DeadLetter letter = store.deadLetters(0, 10).get(0);
    assertEquals("too big", letter.event().text());
    assertEquals("too-large", letter.reason());

    try {
      write(JournalStore.insert(event, 3));
      fail("the migrated event's key was recorded again");
    } catch (ExecutionException e) {
      assertEquals("23505", ((SQLException) e.getCause()).getSQLState());
    }
    write(JournalStore.insert(event(9, new byte[JournalStore.MAX_BODY_BYTES]), 1));
    write(JournalStore.done(event.key(), 2));
    assertEquals(List.of(key(9)), keys(store.due(2, 10)));
    assertEquals(JournalStore.MAX_BODY_BYTES, store.due(2, 10).get(0).event().payload().length);
  }

  private void write(JournalStore.Write write) throws Exception {
    writer.submit(write).get(30, TimeUnit.SECONDS);
  }

  private static EventKey key(int i) {
    return event(i, body(i)).key();
  }

  private static InboundEvent event(int i, byte[] payload) {
    return new InboundEvent(
        InboundEvent.Via.WEBHOOK,
        "cache",
        "topic " + (i % 3),
        0,
        i,
        1000 + i,
        2000 + i,
        "",
        payload,
        false);
  }

  private static byte[] body(int i) {
    return ("{\"n\":" + i + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  private static List<EventKey> keys(List<JournalStore.Stored> rows) {
    return rows.stream().map(JournalStore.Stored::key).toList();
  }
}
