package dev.topicprocessor.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

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

  @Test
  void theSchemaIsCreatedOnceAndReopeningMigratesNothing() throws Exception {
    JournalStore.open(store.dataSource()); // a second start
    try (Connection c = store.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT version FROM tp_schema")) {
      assertTrue(r.next());
      assertEquals(JournalStore.schemaVersion(), r.getInt(1));
      assertFalse(r.next(), "one version row");
    }
  }

  @Test
  void concurrentWritesShareCommits() throws Exception {
    List<CompletableFuture<Void>> writes = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      writes.add(writer.submit(JournalStore.insert(key(i), body(i), 1000 + i)));
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
    CompletableFuture<Void> a = writer.submit(JournalStore.insert(key(1), body(1), 1));
    CompletableFuture<Void> b = writer.submit(JournalStore.insert(key(2), body(2), 1));
    CompletableFuture<Void> again = writer.submit(JournalStore.insert(key(1), body(9), 1));
    CompletableFuture<Void> c = writer.submit(JournalStore.insert(key(3), body(3), 1));
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
    assertArrayEquals(body(1), store.due(Long.MAX_VALUE, 10).get(0).body());
  }

  @Test
  void anEventGoesFromPendingThroughRetryToDeadAndIsReplayed() throws Exception {
    EventKey key = key(7);
    write(JournalStore.insert(key, body(7), 100));
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
      write(JournalStore.insert(key(i), body(i), 1));
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
    write(JournalStore.insert(key(1), body(1), 1)); // published at 1001 (see key)
    write(JournalStore.insert(key(2), body(2), 1));
    write(JournalStore.insert(key(3), body(3), 1));
    write(JournalStore.done(key(1), 5));
    write(JournalStore.done(key(3), 5));
    int[] deleted = new int[1];
    write(JournalStore.purgeDone(1003, 10, n -> deleted[0] = n)); // before key 3's publish time
    assertEquals(1, deleted[0]);
    assertEquals(1, store.count(JournalStore.DONE));
    assertEquals(1, store.count(JournalStore.PENDING));
    // The purged event's key is free again: it would be a stale delivery by now anyway.
    write(JournalStore.insert(key(1), body(1), 6));
  }

  @Test
  void aPurgeDeletesAtMostItsLimitAndSaysHowMany() throws Exception {
    for (int i = 1; i <= 5; i++) {
      write(JournalStore.insert(key(i), body(i), 1));
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
    write(JournalStore.insert(key(1), body, 1));
    assertArrayEquals(body, store.due(1, 1).get(0).body());
  }

  @Test
  void eventsJournaledBySchemaOneSurviveTheMigration() throws Exception {
    writer.close();
    try (Connection c = store.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("DROP TABLE tp_event");
      s.execute("DROP TABLE tp_schema");
    }
    JournalStore.open(store.dataSource(), 1);
    byte[] body = "{\"text\":\"from schema 1\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    try (GroupCommitWriter old = new GroupCommitWriter(store.dataSource(), 512, n -> {}, null)) {
      old.submit(JournalStore.insert(key(7), body, 1)).get(30, TimeUnit.SECONDS);
    }

    store = JournalStore.open(store.dataSource());
    writer = new GroupCommitWriter(store.dataSource(), 512, batches::add, afterCommit());

    assertArrayEquals(body, store.due(1, 10).get(0).body());
    write(JournalStore.insert(key(8), new byte[JournalStore.MAX_BODY_BYTES], 1));
    write(JournalStore.done(key(7), 2));
    assertEquals(List.of(key(8)), keys(store.due(2, 10)));
    assertEquals(JournalStore.MAX_BODY_BYTES, store.due(2, 10).get(0).body().length);
  }

  private void write(JournalStore.Write write) throws Exception {
    writer.submit(write).get(30, TimeUnit.SECONDS);
  }

  private static EventKey key(int i) {
    return new EventKey("cache", "topic " + (i % 3), i, 1000 + i);
  }

  private static byte[] body(int i) {
    return ("{\"n\":" + i + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  private static List<EventKey> keys(List<JournalStore.Stored> rows) {
    return rows.stream().map(JournalStore.Stored::key).toList();
  }
}
