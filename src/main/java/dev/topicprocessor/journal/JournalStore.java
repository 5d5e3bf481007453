package dev.topicprocessor.journal;

import dev.topicprocessor.event.Checkpoint;
import dev.topicprocessor.event.EventKey;
import dev.topicprocessor.event.InboundEvent;
import dev.topicprocessor.journal.migration.V1__Events;
import dev.topicprocessor.journal.migration.V2__InlineBodiesOnH2;
import dev.topicprocessor.journal.migration.V3__SourceNeutralEvents;
import dev.topicprocessor.journal.migration.V4__SubscriptionCheckpoints;
import dev.topicprocessor.journal.migration.V5__AggregationWindows;
import dev.topicprocessor.journal.migration.V6__NodesAndLeases;
import dev.topicprocessor.journal.migration.V7__DoneEventsLeaveOnlyTheirKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.migration.JavaMigration;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The journal's tables through plain JDBC: the same SQL on H2 and PostgreSQL (only the type of the
 * payload column differs). Creates or migrates its schema with Flyway when opened. Writes are
 * returned as {@link Write}s for the {@link GroupCommitWriter}; reads and operator actions run at
 * once.
 */
public final class JournalStore {

  public static final String PENDING = "PENDING";
  public static final String DEAD = "DEAD";

  /** The schema's migrations, in order (Flyway finds none by scanning: they are listed here). */
  private static final List<JavaMigration> MIGRATIONS =
      List.of(
          new V1__Events(),
          new V2__InlineBodiesOnH2(),
          new V3__SourceNeutralEvents(),
          new V4__SubscriptionCheckpoints(),
          new V5__AggregationWindows(),
          new V6__NodesAndLeases(),
          new V7__DoneEventsLeaveOnlyTheirKey());

  /** Flyway's record of the migrations applied. */
  static final String HISTORY_TABLE = "tp_schema_history";

  /**
   * The largest payload the journal keeps: H2's limit for an inline binary column. The webhook
   * endpoint accepts no larger body (see {@code TOPIC_PROCESSOR_MAX_BODY_BYTES}).
   */
  public static final int MAX_BODY_BYTES = 1_000_000;

  private static final Logger LOG = Logger.getLogger(JournalStore.class.getName());
  private static final String COLUMNS =
      "id, via, cache_name, topic_name, sequence_page, sequence_number, publish_timestamp,"
          + " event_timestamp, token_id, payload, payload_binary, accepted_at, attempts,"
          + " first_failure_at, last_reason, last_error, published, finished_at";
  private static final String KEY =
      "cache_name = ? AND topic_name = ? AND sequence_page = ? AND sequence_number = ?"
          + " AND publish_timestamp = ?";

  private final DataSource dataSource;

  private JournalStore(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Opens the journal in this database, creating or migrating its tables first. */
  public static JournalStore open(DataSource dataSource) throws SQLException {
    return open(dataSource, schemaVersion());
  }

  /** Opens it at an older schema version (for the test of a migration). */
  static JournalStore open(DataSource dataSource, int version) throws SQLException {
    JournalStore store = new JournalStore(dataSource);
    store.migrate(version);
    return store;
  }

  public DataSource dataSource() {
    return dataSource;
  }

  /** The schema version this code writes. */
  public static int schemaVersion() {
    return MIGRATIONS.size();
  }

  /**
   * Brings the schema to {@code target} with Flyway. A journal made by the hand-written migrations
   * before Flyway (a {@code tp_schema} table) is taken over at its version; a schema that holds
   * other tables but no journal yet starts from nothing.
   */
  private void migrate(int target) throws SQLException {
    int legacy = legacyVersion();
    try {
      MigrateResult result =
          Flyway.configure(JournalStore.class.getClassLoader())
              .dataSource(dataSource)
              .table(HISTORY_TABLE)
              .locations(new String[0])
              .javaMigrations(MIGRATIONS.toArray(JavaMigration[]::new))
              .baselineOnMigrate(true)
              .baselineVersion(String.valueOf(Math.max(0, legacy)))
              .baselineDescription(
                  legacy > 0 ? "journal schema " + legacy + " before Flyway" : "empty")
              .target(String.valueOf(target))
              .load()
              .migrate();
      if (result.migrationsExecuted > 0) {
        LOG.info(
            "journal schema migrated to version "
                + result.targetSchemaVersion
                + " ("
                + result.migrationsExecuted
                + " migration(s))");
      }
    } catch (FlywayException e) {
      Throwable cause = e.getCause() instanceof SQLException sql ? sql : e;
      throw new SQLException(
          "the journal's schema could not be migrated: " + e.getMessage(), cause);
    }
  }

  /** The version of a journal from before Flyway, or -1 when there is none (or Flyway has it). */
  private int legacyVersion() throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      boolean legacy = false;
      boolean history = false;
      try (ResultSet tables =
          c.getMetaData().getTables(c.getCatalog(), c.getSchema(), null, new String[] {"TABLE"})) {
        while (tables.next()) {
          String name = tables.getString("TABLE_NAME");
          legacy |= "tp_schema".equalsIgnoreCase(name);
          history |= HISTORY_TABLE.equalsIgnoreCase(name);
        }
      }
      if (!legacy || history) {
        return -1;
      }
      try (Statement s = c.createStatement();
          ResultSet r = s.executeQuery("SELECT version FROM tp_schema")) {
        int version = r.next() ? r.getInt(1) : 0;
        if (version > 2) {
          throw new SQLException(
              "the journal's schema is at version "
                  + version
                  + ", newer than this version of topic-processor knows");
        }
        return version;
      }
    }
  }

  // ---- writes, for the group commit ----

  /** Records a newly accepted event: pending, due at once, claimed by no node. */
  public static Write[] insert(InboundEvent event, long now) {
    return insert(event, now, null, null);
  }

  /** Records a newly accepted event: pending, due at once, claimed by {@code node}. */
  public static Write[] insert(InboundEvent event, long now, String node) {
    return insert(event, now, node, null);
  }

  /**
   * Records a newly accepted event, pending, due at once, claimed by {@code node}, and its key,
   * unless the journal has that key already (a delivery seen before, still pending or already
   * processed): then nothing is written and {@code inserted}, if given, gets 0 (else 1). A
   * duplicate is no error, so whatever else the same transaction writes (a subscription's
   * checkpoint) still goes in. Two nodes inserting the same new key at once still meet the unique
   * keys: one of them fails with a duplicate-key error.
   */
  public static Write[] insert(
      InboundEvent event, long now, String node, java.util.function.IntConsumer inserted) {
    Write row =
        new Write(
            "INSERT INTO tp_event (cache_name, topic_name, sequence_page, sequence_number,"
                + " publish_timestamp, via, event_timestamp, token_id, payload, payload_binary,"
                + " state, accepted_at, attempts, next_attempt_at, first_failure_at, claimed_by)"
                + " SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'PENDING', ?, 0, ?, 0, ?"
                + " WHERE NOT EXISTS (SELECT 1 FROM tp_event_seen WHERE "
                + KEY
                + ") AND NOT EXISTS (SELECT 1 FROM tp_event WHERE "
                + KEY
                + ")",
            s -> {
              int i = bindKey(s, 1, event.key());
              s.setString(i++, event.via().label());
              s.setLong(i++, event.eventTimestamp());
              s.setString(i++, event.tokenId());
              s.setBytes(i++, event.payload());
              s.setBoolean(i++, event.binary());
              s.setLong(i++, now);
              s.setLong(i++, now);
              s.setString(i++, node);
              i = bindKey(s, i, event.key());
              bindKey(s, i, event.key());
            },
            inserted);
    Write key =
        new Write(
            "INSERT INTO tp_event_seen (cache_name, topic_name, sequence_page, sequence_number,"
                + " publish_timestamp, accepted_at) SELECT ?, ?, ?, ?, ?, ?"
                + " WHERE NOT EXISTS (SELECT 1 FROM tp_event_seen WHERE "
                + KEY
                + ")",
            s -> {
              int i = bindKey(s, 1, event.key());
              s.setLong(i++, now);
              bindKey(s, i, event.key());
            });
    return new Write[] {row, key};
  }

  /**
   * The event was processed completely, by {@code node}: it leaves the journal; its key stays,
   * noting who processed it, until {@link #forgetKeys} (the same delivery coming again is known as
   * a duplicate).
   */
  public static Write[] done(EventKey key, String node) {
    return new Write[] {
      new Write("DELETE FROM tp_event WHERE " + KEY, s -> bindKey(s, 1, key)),
      new Write(
          "UPDATE tp_event_seen SET processed_by = ? WHERE " + KEY,
          s -> {
            s.setString(1, node);
            bindKey(s, 2, key);
          })
    };
  }

  /** The event failed for a reason that may pass: try again at {@code nextAttemptAt}. */
  public static Write retry(EventKey key, Failure failure, long nextAttemptAt) {
    return failed(key, PENDING, failure, nextAttemptAt, null);
  }

  /** The event failed for good: it becomes a dead letter. */
  public static Write dead(EventKey key, Failure failure, long now) {
    return failed(key, DEAD, failure, now, now);
  }

  private static Write failed(
      EventKey key, String state, Failure failure, long nextAttemptAt, Long finishedAt) {
    return new Write(
        "UPDATE tp_event SET state = ?, attempts = ?, first_failure_at = ?, last_reason = ?,"
            + " last_error = ?, published = ?, next_attempt_at = ?, finished_at = ? WHERE "
            + KEY,
        s -> {
          s.setString(1, state);
          s.setInt(2, failure.attempts());
          s.setLong(3, failure.firstFailureAt());
          s.setString(4, clip(failure.reason(), 64));
          s.setString(5, clip(failure.error(), 2000));
          s.setString(6, join(failure.published()));
          s.setLong(7, nextAttemptAt);
          if (finishedAt == null) {
            s.setNull(8, java.sql.Types.BIGINT);
          } else {
            s.setLong(8, finishedAt);
          }
          bindKey(s, 9, key);
        });
  }

  /**
   * Forgets the keys of events accepted up to {@code upTo} and published before {@code before} (too
   * old to come again); {@code deleted} gets how many went. Bounded by the caller, with {@link
   * #oldKeysCutoff}: one write holds the group commit that every acknowledgement waits for, and at
   * 4,000 events/s a minute's worth is 240,000 rows. A key whose event is still pending may go too:
   * the event's own row still refuses a duplicate.
   */
  public static Write forgetKeys(long upTo, long before, java.util.function.IntConsumer deleted) {
    return new Write(
        "DELETE FROM tp_event_seen WHERE accepted_at <= ? AND accepted_at < ?"
            + " AND publish_timestamp < ?",
        s -> {
          s.setLong(1, upTo);
          s.setLong(2, before);
          s.setLong(3, before);
        },
        deleted);
  }

  /**
   * The acceptance time up to which about {@code limit} keys accepted before {@code before} lie
   * (the {@code limit}-th oldest), or {@code before} when there are fewer: a range the age index
   * finds at once, where a {@code DELETE … LIMIT} through a subquery made H2 test every key.
   */
  public long oldKeysCutoff(long before, int limit) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT accepted_at FROM tp_event_seen WHERE accepted_at < ?"
                    + " ORDER BY accepted_at OFFSET ? ROWS FETCH NEXT 1 ROWS ONLY")) {
      s.setLong(1, before);
      s.setInt(2, Math.max(0, limit - 1));
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? r.getLong(1) : before;
      }
    }
  }

  /** A subscription's position, set whatever it stood at. */
  public static Write checkpoint(Checkpoint checkpoint, long now) {
    return new Write(
        "UPDATE tp_checkpoint SET sequence_page = ?, sequence_number = ?, updated_at = ?"
            + " WHERE cache_name = ? AND topic_name = ?",
        s -> {
          s.setLong(1, checkpoint.sequencePage());
          s.setLong(2, checkpoint.sequenceNumber());
          s.setLong(3, now);
          s.setString(4, checkpoint.cache());
          s.setString(5, checkpoint.topic());
        });
  }

  /**
   * A subscription took in the item at {@code next}, whose predecessor on its stream was at {@code
   * previous}: the checkpoint moves only if it stands at {@code previous}. So it never passes an
   * item that was not recorded, even when a later item's transaction commits before an earlier one
   * is recorded.
   */
  public static Write checkpointAfter(Checkpoint previous, Checkpoint next, long now) {
    return new Write(
        "UPDATE tp_checkpoint SET sequence_page = ?, sequence_number = ?, updated_at = ?"
            + " WHERE cache_name = ? AND topic_name = ? AND sequence_page = ?"
            + " AND sequence_number = ?",
        s -> {
          s.setLong(1, next.sequencePage());
          s.setLong(2, next.sequenceNumber());
          s.setLong(3, now);
          s.setString(4, next.cache());
          s.setString(5, next.topic());
          s.setLong(6, previous.sequencePage());
          s.setLong(7, previous.sequenceNumber());
        });
  }

  /** A message counted in a window of an aggregating route; a duplicate key if it was already. */
  public static Write addToWindow(WindowItem item, long now) {
    return new Write(
        "INSERT INTO tp_window_item (route_name, window_start, group_key, item_id, item_values,"
            + " added_at) VALUES (?, ?, ?, ?, ?, ?)",
        s -> {
          s.setString(1, item.route());
          s.setLong(2, item.windowStart());
          s.setString(3, clip(item.groupKey(), 1000));
          s.setString(4, item.itemId());
          s.setString(5, item.values());
          s.setLong(6, now);
        });
  }

  /** Forgets a window's messages up to {@code lastId}: they are in its result. */
  public static Write forgetWindow(String route, long windowStart, long lastId) {
    return new Write(
        "DELETE FROM tp_window_item WHERE route_name = ? AND window_start = ? AND id <= ?",
        s -> {
          s.setString(1, route);
          s.setLong(2, windowStart);
          s.setLong(3, lastId);
        });
  }

  // ---- reads ----

  /** The windows with messages not yet emitted, oldest first. */
  public List<OpenWindow> openWindows() throws SQLException {
    List<OpenWindow> windows = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT route_name, window_start, COUNT(*), COUNT(DISTINCT group_key)"
                    + " FROM tp_window_item GROUP BY route_name, window_start"
                    + " ORDER BY window_start, route_name");
        ResultSet r = s.executeQuery()) {
      while (r.next()) {
        windows.add(new OpenWindow(r.getString(1), r.getLong(2), r.getLong(3), r.getLong(4)));
      }
    }
    return windows;
  }

  /** A window's messages, in the order they were counted. */
  public List<WindowItem> windowItems(String route, long windowStart) throws SQLException {
    List<WindowItem> items = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT id, group_key, item_id, item_values FROM tp_window_item"
                    + " WHERE route_name = ? AND window_start = ? ORDER BY id")) {
      s.setString(1, route);
      s.setLong(2, windowStart);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          items.add(
              new WindowItem(
                  r.getLong(1),
                  route,
                  windowStart,
                  r.getString(2),
                  r.getString(3),
                  r.getString(4)));
        }
      }
    }
    return items;
  }

  /**
   * Whether an event of this inbound topic sent before {@code before} is still waiting for its
   * first attempt: a window ending then may still get messages from it.
   */
  public boolean untriedBefore(String cache, String topic, long before) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT 1 FROM tp_event WHERE state = 'PENDING' AND attempts = 0"
                    + " AND cache_name = ? AND topic_name = ? AND event_timestamp < ?"
                    + " FETCH FIRST 1 ROWS ONLY")) {
      s.setString(1, cache);
      s.setString(2, topic);
      s.setLong(3, before);
      try (ResultSet r = s.executeQuery()) {
        return r.next();
      }
    }
  }

  /**
   * Where the subscription to this topic stands; a topic never subscribed to gets its row now, at
   * "nothing taken in yet".
   */
  public Checkpoint checkpoint(String cache, String topic) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(true);
      try (PreparedStatement s =
          c.prepareStatement(
              "SELECT sequence_page, sequence_number FROM tp_checkpoint"
                  + " WHERE cache_name = ? AND topic_name = ?")) {
        s.setString(1, cache);
        s.setString(2, topic);
        try (ResultSet r = s.executeQuery()) {
          if (r.next()) {
            return new Checkpoint(cache, topic, r.getLong(1), r.getLong(2));
          }
        }
      }
      try (PreparedStatement s =
          c.prepareStatement(
              "INSERT INTO tp_checkpoint (cache_name, topic_name, sequence_page, sequence_number,"
                  + " updated_at) VALUES (?, ?, 0, 0, ?)")) {
        s.setString(1, cache);
        s.setString(2, topic);
        s.setLong(3, System.currentTimeMillis());
        s.executeUpdate();
      } catch (SQLException e) {
        if (!"23505".equals(e.getSQLState())) {
          throw e;
        }
        return checkpoint(cache, topic); // made meanwhile
      }
      return new Checkpoint(cache, topic, 0, 0);
    }
  }

  /** Pending events due by {@code now}, oldest first. */
  public List<Stored> due(long now, int limit) throws SQLException {
    return query(
        "SELECT "
            + COLUMNS
            + " FROM tp_event WHERE state = 'PENDING' AND next_attempt_at <= ?"
            + " ORDER BY next_attempt_at, id",
        limit,
        s -> s.setLong(1, now));
  }

  /** Pending events due by {@code now} that {@code node} claimed, oldest first. */
  public List<Stored> ownDue(long now, int limit, String node) throws SQLException {
    return query(
        "SELECT "
            + COLUMNS
            + " FROM tp_event WHERE state = 'PENDING' AND next_attempt_at <= ? AND claimed_by = ?"
            + " ORDER BY next_attempt_at, id",
        limit,
        s -> {
          s.setLong(1, now);
          s.setString(2, node);
        });
  }

  /**
   * Claims for {@code node} pending events due by {@code now} that no live node has claimed, oldest
   * first: events claimed by nobody, and those of nodes whose last heartbeat is before {@code
   * aliveSince} (taken over). Only those rows are locked, and rows another node is claiming at this
   * moment are skipped ({@code SKIP LOCKED}), so two nodes never claim the same event and a node's
   * own events are never locked by another.
   */
  public Claimed claimDue(long now, int limit, String node, long aliveSince) throws SQLException {
    List<Stored> rows = new ArrayList<>();
    java.util.Map<String, Integer> takenOver = new java.util.TreeMap<>();
    try (Connection c = dataSource.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        List<Long> toClaim = new ArrayList<>();
        try (PreparedStatement s =
            c.prepareStatement(
                "SELECT "
                    + COLUMNS
                    + ", claimed_by FROM tp_event WHERE state = 'PENDING' AND next_attempt_at <= ?"
                    + " AND (claimed_by IS NULL OR (claimed_by <> ? AND claimed_by NOT IN"
                    + " (SELECT node_id FROM tp_node WHERE heartbeat_at >= ?)))"
                    + " ORDER BY next_attempt_at, id FETCH FIRST "
                    + Math.max(1, limit)
                    + " ROWS ONLY FOR UPDATE SKIP LOCKED")) {
          s.setLong(1, now);
          s.setString(2, node);
          s.setLong(3, aliveSince);
          try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
              Stored row = stored(r);
              rows.add(row);
              String holder = r.getString(19);
              toClaim.add(row.id());
              if (holder != null) {
                takenOver.merge(holder, 1, Integer::sum);
              }
            }
          }
        }
        if (!toClaim.isEmpty()) {
          try (PreparedStatement s =
              c.prepareStatement("UPDATE tp_event SET claimed_by = ? WHERE id = ?")) {
            for (long id : toClaim) {
              s.setString(1, node);
              s.setLong(2, id);
              s.addBatch();
            }
            s.executeBatch();
          }
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(autoCommit);
      }
    }
    return new Claimed(rows, takenOver);
  }

  /** Events claimed, and of them how many each node whose heartbeat stopped had claimed. */
  public record Claimed(List<Stored> rows, java.util.Map<String, Integer> takenOver) {}

  public long count(String state) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM tp_event WHERE state = ?")) {
      s.setString(1, state);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    }
  }

  /** Dead letters with an id above {@code afterId}, by id. */
  public List<DeadLetter> deadLetters(long afterId, int limit) throws SQLException {
    return query(
            "SELECT " + COLUMNS + " FROM tp_event WHERE state = 'DEAD' AND id > ? ORDER BY id",
            limit,
            s -> s.setLong(1, afterId))
        .stream()
        .map(Stored::deadLetter)
        .toList();
  }

  public Optional<DeadLetter> deadLetter(long id) throws SQLException {
    return query(
            "SELECT " + COLUMNS + " FROM tp_event WHERE state = 'DEAD' AND id = ?",
            1,
            s -> s.setLong(1, id))
        .stream()
        .map(Stored::deadLetter)
        .findFirst();
  }

  // ---- operator actions ----

  /**
   * Makes dead letters pending again, due at once, with a fresh retry budget; outputs published
   * before are still not published again.
   *
   * @param id one dead letter, or all of them when null
   * @return how many were replayed
   */
  public int replay(Long id, long now) throws SQLException {
    return update(
        "UPDATE tp_event SET state = 'PENDING', attempts = 0, first_failure_at = 0,"
            + " next_attempt_at = ?, finished_at = NULL, claimed_by = NULL WHERE state = 'DEAD'"
            + (id == null ? "" : " AND id = ?"),
        s -> {
          s.setLong(1, now);
          if (id != null) {
            s.setLong(2, id);
          }
        });
  }

  /** Deletes one dead letter; returns whether there was one. */
  public boolean delete(long id) throws SQLException {
    return update("DELETE FROM tp_event WHERE state = 'DEAD' AND id = ?", s -> s.setLong(1, id))
        == 1;
  }

  private int update(String sql, Binder binder) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(true);
      try (PreparedStatement s = c.prepareStatement(sql)) {
        binder.bind(s);
        return s.executeUpdate();
      }
    }
  }

  private List<Stored> query(String sql, int limit, Binder binder) throws SQLException {
    List<Stored> rows = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setMaxRows(limit);
      binder.bind(s);
      try (ResultSet r = s.executeQuery()) {
        while (r.next() && rows.size() < limit) {
          rows.add(stored(r));
        }
      }
    }
    return rows;
  }

  /** The row at the result's cursor, read in the order of {@link #COLUMNS}. */
  private static Stored stored(ResultSet r) throws SQLException {
    long id = r.getLong(1);
    InboundEvent event =
        new InboundEvent(
            InboundEvent.Via.of(r.getString(2)),
            r.getString(3),
            r.getString(4),
            r.getLong(5),
            r.getLong(6),
            r.getLong(7),
            r.getLong(8),
            r.getString(9),
            r.getBytes(10),
            r.getBoolean(11));
    long acceptedAt = r.getLong(12);
    int attempts = r.getInt(13);
    long firstFailureAt = r.getLong(14);
    String reason = r.getString(15);
    String error = r.getString(16);
    List<String> published = split(r.getString(17));
    long finished = r.getLong(18);
    return new Stored(
        id,
        event,
        acceptedAt,
        attempts,
        firstFailureAt,
        reason,
        error,
        published,
        r.wasNull() ? 0 : finished);
  }

  private static int bindKey(PreparedStatement s, int from, EventKey key) throws SQLException {
    s.setString(from, key.cache());
    s.setString(from + 1, key.topic());
    s.setLong(from + 2, key.sequencePage());
    s.setLong(from + 3, key.sequenceNumber());
    s.setLong(from + 4, key.publishTimestamp());
    return from + 5;
  }

  private static String clip(String text, int max) {
    return text == null || text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }

  /** Output names never contain a newline (they are route names and indexes). */
  private static String join(Set<String> published) {
    return published.isEmpty() ? null : String.join("\n", published.stream().sorted().toList());
  }

  private static List<String> split(String published) {
    return published == null || published.isEmpty()
        ? List.of()
        : Arrays.asList(published.split("\n"));
  }

  /** Sets a statement's parameters. */
  @FunctionalInterface
  public interface Binder {
    void bind(PreparedStatement statement) throws SQLException;
  }

  /**
   * One statement for the group commit; {@code rows}, if not null, gets how many rows it changed.
   */
  public record Write(String sql, Binder binder, java.util.function.IntConsumer rows) {

    public Write(String sql, Binder binder) {
      this(sql, binder, null);
    }
  }

  /**
   * A message counted in a window.
   *
   * @param id the order it was counted in (0 before it is stored)
   * @param itemId unique per message and route: the same when the message is processed again
   * @param values what the window's result needs of it, as a JSON object
   */
  public record WindowItem(
      long id, String route, long windowStart, String groupKey, String itemId, String values) {}

  /** A window with messages not yet emitted. */
  public record OpenWindow(String route, long windowStart, long messages, long keys) {}

  /** A row as read. */
  public record Stored(
      long id,
      InboundEvent event,
      long acceptedAt,
      int attempts,
      long firstFailureAt,
      String reason,
      String error,
      List<String> published,
      long finishedAt) {

    public EventKey key() {
      return event.key();
    }

    DeadLetter deadLetter() {
      return new DeadLetter(id, event, acceptedAt, finishedAt, attempts, reason, error, published);
    }
  }
}
