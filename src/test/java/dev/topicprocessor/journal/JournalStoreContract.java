package dev.topicprocessor.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.topicprocessor.event.Checkpoint;
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
import java.util.concurrent.Callable;
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
  void aDuplicateIsNotRecordedAgainAndTheFirstCopyStays() throws Exception {
    List<Integer> inserted = Collections.synchronizedList(new ArrayList<>());
    List<CompletableFuture<Void>> writes = new ArrayList<>();
    for (int i : new int[] {1, 2, 1, 3}) {
      writes.add(
          writer.submit(
              JournalStore.insert(
                  event(i, body(writes.size() == 2 ? 9 : i)),
                  1,
                  null,
                  n -> {
                    inserted.add(n);
                  })));
    }
    for (CompletableFuture<Void> w : writes) {
      w.get(30, TimeUnit.SECONDS);
    }
    assertEquals(List.of(1, 1, 0, 1), inserted);
    assertEquals(3, store.count(JournalStore.PENDING));
    assertArrayEquals(body(1), store.due(Long.MAX_VALUE, 10).get(0).event().payload());

    write(JournalStore.done(key(1), "node"));
    inserted.clear();
    write(JournalStore.insert(event(1, body(1)), 2, null, inserted::add));
    assertEquals(List.of(0), inserted, "processed, and still known as a duplicate");
    assertEquals(2, store.count(JournalStore.PENDING));
  }

  @Test
  void aFailingWriteFailsOnlyItsOwnCaller() throws Exception {
    JournalStore.Write node =
        new JournalStore.Write(
            "INSERT INTO tp_node (node_id, instance_id, started_at, heartbeat_at)"
                + " VALUES ('n', 'i', 1, 1)",
            s -> {});
    CompletableFuture<Void> a = writer.submit(JournalStore.insert(event(1, body(1)), 1));
    CompletableFuture<Void> first = writer.submit(node);
    CompletableFuture<Void> again = writer.submit(node);
    CompletableFuture<Void> c = writer.submit(JournalStore.insert(event(3, body(3)), 1));
    a.get(30, TimeUnit.SECONDS);
    first.get(30, TimeUnit.SECONDS);
    c.get(30, TimeUnit.SECONDS);
    try {
      again.get(30, TimeUnit.SECONDS);
      fail("the same node row was inserted twice");
    } catch (ExecutionException e) {
      assertEquals("23505", ((SQLException) e.getCause()).getSQLState());
    }
    assertEquals(2, store.count(JournalStore.PENDING));
  }

  @Test
  void aSubscriptionsItemsShareCommitsAndItsCheckpointMovesOnlyFromTheItemBefore()
      throws Exception {
    Checkpoint start = store.checkpoint("cache", "in");
    List<CompletableFuture<Void>> writes = new ArrayList<>();
    List<Integer> inserted = Collections.synchronizedList(new ArrayList<>());
    Checkpoint previous = start;
    for (int i = 1; i <= 50; i++) {
      InboundEvent item = taken(i);
      Checkpoint at = new Checkpoint("cache", "in", 3, i);
      writes.add(
          writer.submit(
              JournalStore.insert(item, 1, "node", inserted::add)[0],
              JournalStore.insert(item, 1, "node", null)[1],
              JournalStore.checkpointAfter(previous, at, 1)));
      previous = at;
    }
    for (CompletableFuture<Void> w : writes) {
      w.get(30, TimeUnit.SECONDS);
    }
    assertEquals(Collections.nCopies(50, 1), inserted);
    assertEquals(new Checkpoint("cache", "in", 3, 50), store.checkpoint("cache", "in"));

    // read again after a reconnect: not recorded twice, and no error
    writer
        .submit(
            JournalStore.insert(taken(50), 1, "node", inserted::add)[0],
            JournalStore.checkpointAfter(new Checkpoint("cache", "in", 3, 49), previous, 1))
        .get(30, TimeUnit.SECONDS);
    assertEquals(0, inserted.get(50));
    assertEquals(50, store.count(JournalStore.PENDING));

    // item 52 recorded while 51 is not: the checkpoint stays before 51
    writer
        .submit(
            JournalStore.insert(taken(52), 1, "node", inserted::add)[0],
            JournalStore.checkpointAfter(new Checkpoint("cache", "in", 3, 51), taken52(), 1))
        .get(30, TimeUnit.SECONDS);
    assertEquals(previous, store.checkpoint("cache", "in"));
  }

  private static Checkpoint taken52() {
    return new Checkpoint("cache", "in", 3, 52);
  }

  private static InboundEvent taken(int i) {
    return new InboundEvent(
        InboundEvent.Via.SUBSCRIPTION,
        "cache",
        "in",
        3,
        i,
        0,
        2000 + i,
        "publisher",
        ("item " + i).getBytes(StandardCharsets.UTF_8),
        false);
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

    write(JournalStore.done(key, "node"));
    assertEquals(0, store.count(JournalStore.PENDING));
    assertEquals(0, store.count(JournalStore.DEAD));
    assertEquals(1, keyCount(), "only its key is left");
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
  void onlyKeysOlderThanTheWindowAreForgottenAndAPendingEventStillRefusesItsDuplicate()
      throws Exception {
    write(JournalStore.insert(event(1, body(1)), 1)); // published at 1001 (see key)
    write(JournalStore.insert(event(2, body(2)), 1));
    write(JournalStore.insert(event(3, body(3)), 1));
    write(JournalStore.done(key(1), "node"));
    write(JournalStore.done(key(3), "node"));
    int[] deleted = new int[1];
    write(JournalStore.forgetKeys(store.oldKeysCutoff(1003, 10), 1003, n -> deleted[0] = n));
    assertEquals(2, deleted[0], "the keys of 1 (processed) and 2 (pending)");
    assertEquals(1, keyCount());
    assertEquals(1, store.count(JournalStore.PENDING));
    List<Integer> inserted = new ArrayList<>();
    // The forgotten key is free again: it would be a stale delivery by now anyway.
    write(JournalStore.insert(event(1, body(1)), 6, null, inserted::add));
    write(JournalStore.insert(event(2, body(2)), 6, null, inserted::add));
    write(JournalStore.insert(event(3, body(3)), 6, null, inserted::add));
    assertEquals(List.of(1, 0, 0), inserted, "2 is still pending, 3's key is kept");
  }

  @Test
  void forgettingKeysGoesAboutToItsLimitOldestFirstAndSaysHowMany() throws Exception {
    for (int i = 1; i <= 5; i++) {
      write(JournalStore.insert(event(i, body(i)), i)); // accepted at 1, 2, 3, 4, 5
      write(JournalStore.done(key(i), "node"));
    }
    int[] deleted = new int[1];
    write(JournalStore.forgetKeys(store.oldKeysCutoff(10_000, 3), 10_000, n -> deleted[0] = n));
    assertEquals(3, deleted[0]);
    assertEquals(2, keyCount());
    write(JournalStore.forgetKeys(store.oldKeysCutoff(10_000, 3), 10_000, n -> deleted[0] = n));
    assertEquals(2, deleted[0]);
    assertEquals(0, keyCount());
  }

  private int keyCount() throws SQLException {
    try (Connection c = store.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT COUNT(*) FROM tp_event_seen")) {
      r.next();
      return r.getInt(1);
    }
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
          new String[] {
            "tp_event",
            "tp_event_seen",
            "tp_checkpoint",
            "tp_window_item",
            "tp_node",
            "tp_lease",
            "tp_schema",
            HISTORY
          }) {
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

    List<Integer> inserted = new ArrayList<>();
    write(JournalStore.insert(event, 3, null, inserted::add));
    assertEquals(List.of(0), inserted, "the migrated event's key is known");
    write(JournalStore.insert(event(9, new byte[JournalStore.MAX_BODY_BYTES]), 1));
    write(JournalStore.done(event.key(), "node"));
    assertEquals(List.of(key(9)), keys(store.due(2, 10)));
    assertEquals(JournalStore.MAX_BODY_BYTES, store.due(2, 10).get(0).event().payload().length);
  }

  @Test
  void aLiveNodesClaimsAreItsOwnAndASilentNodesAreTakenOver() throws Exception {
    NodeStore nodes = new NodeStore(store.dataSource());
    nodes.register("a", "a-1", 1_000);
    nodes.register("b", "b-1", 1_000);
    for (int i = 1; i <= 3; i++) {
      write(JournalStore.insert(event(i, body(i)), 1, "a"));
    }
    write(JournalStore.insert(event(4, body(4)), 1)); // claimed by nobody
    JournalStore.Claimed byB = store.claimDue(10_000, 10, "b", 500);
    assertEquals(List.of(key(4)), keys(byB.rows()), "a is alive: only the unclaimed one");
    assertEquals(java.util.Map.of(), byB.takenOver());
    assertEquals(List.of(), store.claimDue(10_000, 10, "a", 500).rows(), "b's: b is alive");
    assertEquals(
        List.of(key(1), key(2), key(3)), keys(store.ownDue(10_000, 10, "a")), "a's own, not b's");

    nodes.beat("b", "b-1", 5_000); // a is silent since 1000
    JournalStore.Claimed takeover = store.claimDue(10_000, 10, "b", 2_000);
    assertEquals(List.of(key(1), key(2), key(3)), keys(takeover.rows()));
    assertEquals(java.util.Map.of("a", 3), takeover.takenOver());
    assertEquals(
        List.of(key(1), key(2), key(3), key(4)), keys(store.ownDue(10_000, 10, "b")), "all b's");
    assertEquals(List.of(), store.ownDue(10_000, 10, "a"), "none a's");
    assertEquals(List.of(), store.claimDue(10_000, 10, "a", 2_000).rows(), "b's now");
  }

  @Test
  void twoNodesClaimingAtOnceNeverGetTheSameEvent() throws Exception {
    NodeStore nodes = new NodeStore(store.dataSource());
    nodes.register("a", "a-1", 1_000);
    nodes.register("b", "b-1", 1_000);
    int events = 300;
    List<CompletableFuture<Void>> writes = new ArrayList<>();
    for (int i = 1; i <= events; i++) {
      writes.add(writer.submit(JournalStore.insert(event(i, body(i)), 1)));
    }
    CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    java.util.Map<EventKey, String> claimedBy = new java.util.concurrent.ConcurrentHashMap<>();
    List<EventKey> twice = Collections.synchronizedList(new ArrayList<>());
    java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(2);
    java.util.function.Function<String, Callable<Void>> node =
        name ->
            () -> {
              together.await();
              while (true) {
                List<JournalStore.Stored> rows = store.claimDue(10_000, 7, name, 0).rows();
                if (rows.isEmpty()) {
                  return null;
                }
                for (JournalStore.Stored row : rows) {
                  if (claimedBy.putIfAbsent(row.key(), name) != null) {
                    twice.add(row.key());
                  }
                  write(JournalStore.done(row.key(), "node")); // processed: no longer pending
                }
              }
            };
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      var a = pool.submit(node.apply("a"));
      var b = pool.submit(node.apply("b"));
      a.get(120, TimeUnit.SECONDS);
      b.get(120, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
    assertEquals(List.of(), twice, "events both nodes claimed");
    assertEquals(events, claimedBy.size(), "every event was claimed");
  }

  @Test
  void aLeaseHasOneHolderAtATimeAndIsTakenOverWhenItsHolderIsSilent() throws Exception {
    NodeStore nodes = new NodeStore(store.dataSource());
    nodes.register("a", "a-1", 1_000);
    nodes.register("b", "b-1", 1_000);
    assertEquals(new NodeStore.LeaseState(true, "a", null), nodes.acquire("sub x", "a", 1_000, 0));
    assertEquals(new NodeStore.LeaseState(false, "a", null), nodes.acquire("sub x", "b", 1_000, 0));
    assertEquals(new NodeStore.LeaseState(true, "a", null), nodes.acquire("sub x", "a", 2_000, 0));
    nodes.beat("b", "b-1", 50_000);
    assertEquals(
        new NodeStore.LeaseState(true, "b", "a"),
        nodes.acquire("sub x", "b", 50_000, 20_000),
        "a is silent since 1000");
    assertEquals(
        new NodeStore.LeaseState(false, "b", null), nodes.acquire("sub x", "a", 50_000, 20_000));
    assertEquals(
        List.of(new NodeStore.Lease("sub x", "b", 50_000)), nodes.leases(), "who holds what");
  }

  @Test
  void nodesAskingForTheSameLeasesAtOnceGetEachOnce() throws Exception {
    NodeStore nodes = new NodeStore(store.dataSource());
    List<String> names = List.of("a", "b", "c");
    for (String name : names) {
      nodes.register(name, name + "-1", 1_000);
    }
    java.util.Map<String, List<String>> holders = new java.util.concurrent.ConcurrentHashMap<>();
    java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(3);
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(3);
    try {
      List<java.util.concurrent.Future<Void>> asking = new ArrayList<>();
      for (String name : names) {
        asking.add(
            pool.submit(
                () -> {
                  together.await();
                  for (int lease = 0; lease < 30; lease++) {
                    if (nodes.acquire("lease " + lease, name, 2_000, 0).held()) {
                      holders
                          .computeIfAbsent(
                              "lease " + lease,
                              l -> Collections.synchronizedList(new ArrayList<>()))
                          .add(name);
                    }
                  }
                  return null;
                }));
      }
      for (var future : asking) {
        future.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(30, holders.size(), "every lease has a holder");
    holders.forEach((lease, held) -> assertEquals(1, held.size(), lease + " held by " + held));
  }

  @Test
  void aNodeThatLeavesFreesItsClaimsAndLeasesAtOnce() throws Exception {
    NodeStore nodes = new NodeStore(store.dataSource());
    nodes.register("a", "a-1", 1_000);
    nodes.register("b", "b-1", 1_000);
    write(JournalStore.insert(event(1, body(1)), 1, "a"));
    nodes.acquire("sub x", "a", 1_000, 0);
    nodes.leave("a", "a-1");
    assertEquals(
        java.util.Map.of("a", 1), store.claimDue(10_000, 10, "b", 0).takenOver(), "at once");
    assertEquals(new NodeStore.LeaseState(true, "b", null), nodes.acquire("sub x", "b", 1_000, 0));
    assertEquals(List.of("b"), nodes.nodes().stream().map(NodeStore.Node::id).toList());
  }

  @Test
  void aNodeStartedAgainSupersedesItsEarlierStart() throws Exception {
    NodeStore nodes = new NodeStore(store.dataSource());
    assertEquals(null, nodes.register("a", "a-1", 1_000));
    assertTrue(nodes.beat("a", "a-1", 2_000));
    assertEquals(new NodeStore.Node("a", 1_000, 2_000), nodes.register("a", "a-2", 3_000));
    assertFalse(nodes.beat("a", "a-1", 4_000), "the earlier start is no longer the node");
    assertTrue(nodes.beat("a", "a-2", 4_000));
    nodes.leave("a", "a-1");
    assertEquals(1, nodes.nodes().size(), "an earlier start cannot remove the node");
    assertEquals(1, nodes.forgetSilentSince(5_000));
    assertEquals(List.of(), nodes.nodes());
  }

  private void write(JournalStore.Write... writes) throws Exception {
    writer.submit(writes).get(30, TimeUnit.SECONDS);
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
