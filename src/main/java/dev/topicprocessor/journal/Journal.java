package dev.topicprocessor.journal;

import dev.topicprocessor.config.InvalidSettingException;
import dev.topicprocessor.config.Setting;
import dev.topicprocessor.config.Settings;
import dev.topicprocessor.event.Checkpoint;
import dev.topicprocessor.event.EventKey;
import dev.topicprocessor.event.InboundEvent;
import dev.topicprocessor.metrics.ProcessorMetrics;
import dev.topicprocessor.support.ServerPort;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Where accepted events live until they are processed: every event is committed here before its
 * webhook is answered, and leaves the backlog only when it is done or dead. An embedded H2 database
 * by default, or any DataSource from JNDI.
 */
@ApplicationScoped
public class Journal {

  private static final Logger LOG = Logger.getLogger(Journal.class.getName());

  /** SQLSTATE of a unique-key violation, on H2 and PostgreSQL alike. */
  private static final String UNIQUE_VIOLATION = "23505";

  @Inject Settings settings;
  @Inject ProcessorMetrics metrics;

  private final AtomicLong backlog = new AtomicLong();
  private final AtomicLong deadLetters = new AtomicLong();
  private JournalDatabase database;
  private JournalStore store;
  private NodeStore nodes;
  private String nodeId;
  private long leaseMillis;
  private GroupCommitWriter writer;
  private String description;

  public Journal() {}

  /** A journal outside CDI (tests); {@link #open} it. */
  public Journal(Settings settings, ProcessorMetrics metrics) {
    this.settings = settings;
    this.metrics = metrics;
  }

  /**
   * Opens the journal: the DataSource named by {@code TOPIC_PROCESSOR_JOURNAL_DATASOURCE}, else the
   * embedded database of this application ({@code contextName}) in the data directory.
   */
  public synchronized void open(String contextName) {
    if (store != null) {
      return;
    }
    database = database(contextName);
    DataSource dataSource = database.dataSource();
    description = database.description();
    nodeId = resolveNodeId();
    leaseMillis = 1000L * settings.integer(Setting.TOPIC_PROCESSOR_LEASE_SECONDS, 3, 86_400);
    try {
      store = JournalStore.open(dataSource);
      nodes = new NodeStore(dataSource);
      backlog.set(store.count(JournalStore.PENDING));
      deadLetters.set(store.count(JournalStore.DEAD));
    } catch (SQLException e) {
      closeDatabase();
      throw new JournalException(
          "cannot open the journal (" + description + "): " + e.getMessage(), e);
    }
    // H2 writes each commit to its file but forces it to disk only when told: a commit survives the
    // JVM being killed; CHECKPOINT SYNC once per group commit makes it survive power loss too.
    writer =
        new GroupCommitWriter(
            dataSource,
            512,
            metrics::journalCommit,
            database.embedded() ? "CHECKPOINT SYNC" : null);
    metrics.journal(backlog::get, deadLetters::get);
    LOG.info(
        "journal: "
            + description
            + "; "
            + backlog.get()
            + " event(s) pending from before, "
            + deadLetters.get()
            + " dead letter(s)");
  }

  /** {@code TOPIC_PROCESSOR_NODE_ID}, else this host's name and the server's HTTP port. */
  private String resolveNodeId() {
    String id =
        settings
            .get(Setting.TOPIC_PROCESSOR_NODE_ID)
            .orElseGet(() -> hostName() + ":" + ServerPort.http())
            .trim();
    if (id.isEmpty() || id.length() > 200) {
      throw new InvalidSettingException(
          Setting.TOPIC_PROCESSOR_NODE_ID, "must be 1 to 200 characters, got '" + id + "'");
    }
    return id;
  }

  private static String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      return Optional.ofNullable(System.getenv("HOSTNAME")).orElse("localhost");
    }
  }

  /** This node's name among those sharing the journal. */
  public String nodeId() {
    return nodeId;
  }

  /** How long a node's claims and leases outlive its last heartbeat. */
  public long leaseMillis() {
    return leaseMillis;
  }

  /** The nodes sharing this journal and their leases. */
  NodeStore nodes() {
    return nodes;
  }

  /** The database the settings name: by URL, by JNDI name, else the embedded one. */
  private JournalDatabase database(String contextName) {
    Optional<String> url = settings.get(Setting.TOPIC_PROCESSOR_JOURNAL_URL);
    Optional<String> jndi = settings.get(Setting.TOPIC_PROCESSOR_JOURNAL_DATASOURCE);
    if (url.isPresent() && jndi.isPresent()) {
      throw new InvalidSettingException(
          Setting.TOPIC_PROCESSOR_JOURNAL_URL,
          "is set together with TOPIC_PROCESSOR_JOURNAL_DATASOURCE: set one of them");
    }
    if (url.isPresent()) {
      return JournalDatabase.url(
          url.get(),
          settings.get(Setting.TOPIC_PROCESSOR_JOURNAL_USER).orElse(null),
          settings.get(Setting.TOPIC_PROCESSOR_JOURNAL_PASSWORD).orElse(null),
          settings.integer(Setting.TOPIC_PROCESSOR_JOURNAL_POOL_SIZE, 2, 1000));
    }
    if (jndi.isPresent()) {
      return JournalDatabase.jndi(jndi.get());
    }
    return JournalDatabase.embedded(
        dataDirectory().resolve(contextName.isEmpty() ? "ROOT" : contextName));
  }

  /** The default data directory: the server's own where it has one. */
  Path dataDirectory() {
    return settings
        .get(Setting.TOPIC_PROCESSOR_DATA_DIR)
        .map(Path::of)
        .orElseGet(
            () -> {
              String wildfly = System.getProperty("jboss.server.data.dir");
              if (wildfly != null) {
                return Path.of(wildfly, "topic-processor");
              }
              String tomcat = System.getProperty("catalina.base");
              if (tomcat != null) {
                return Path.of(tomcat, "data", "topic-processor");
              }
              return Path.of(System.getProperty("user.home"), ".topic-processor");
            });
  }

  public String description() {
    return description;
  }

  /**
   * Records an accepted event. The future completes once it is committed, with the entry to
   * process, or with null when the journal already has this event (a duplicate delivery); it fails
   * with a {@link JournalException} when the event could not be recorded.
   */
  public CompletableFuture<JournalEntry> append(InboundEvent event) {
    return record(event);
  }

  /**
   * Records an item a subscription took in and moves its checkpoint to it, in one transaction, if
   * the checkpoint stands at {@code previous} (the item before it on the stream). The future
   * completes as {@link #append} does; a duplicate moves the checkpoint too.
   */
  public CompletableFuture<JournalEntry> appendTaken(InboundEvent event, Checkpoint previous) {
    Checkpoint next =
        new Checkpoint(event.cache(), event.topic(), event.sequencePage(), event.sequenceNumber());
    return record(event, JournalStore.checkpointAfter(previous, next, System.currentTimeMillis()));
  }

  /** The event and its key, and {@code alongside} in the same transaction. */
  private CompletableFuture<JournalEntry> record(
      InboundEvent event, JournalStore.Write... alongside) {
    JournalEntry entry = JournalEntry.fresh(event);
    return insert(event, alongside)
        .handle(
            (inserted, error) -> {
              if (error != null) {
                Throwable cause = error instanceof CompletionException ? error.getCause() : error;
                if (cause instanceof SQLException sql
                    && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                  return null; // the same new event recorded at this moment by another node
                }
                throw recordingFailed("the event", error);
              }
              return inserted ? entry : null;
            });
  }

  /**
   * Writes the event and its key, and {@code alongside} in the same transaction; completes with
   * whether the event was new (then it joins the backlog) or a duplicate.
   */
  private CompletableFuture<Boolean> insert(InboundEvent event, JournalStore.Write... alongside) {
    AtomicInteger inserted = new AtomicInteger();
    List<JournalStore.Write> writes =
        new ArrayList<>(
            List.of(JournalStore.insert(event, System.currentTimeMillis(), nodeId, inserted::set)));
    writes.addAll(List.of(alongside));
    return writer
        .submit(writes.toArray(JournalStore.Write[]::new))
        .thenApply(
            ok -> {
              if (inserted.get() == 0) {
                return false;
              }
              backlog.incrementAndGet();
              return true;
            });
  }

  /**
   * Sets a subscription's checkpoint, whatever it stood at: for a subscriber that knows every item
   * up to {@code at} is recorded. Completes once committed.
   */
  public CompletableFuture<Void> saveCheckpoint(Checkpoint at) {
    return writer
        .submit(JournalStore.checkpoint(at, System.currentTimeMillis()))
        .handle(
            (ok, error) -> {
              if (error != null) {
                throw recordingFailed("the checkpoint", error);
              }
              return null;
            });
  }

  private static JournalException recordingFailed(String what, Throwable error) {
    Throwable cause = error instanceof CompletionException ? error.getCause() : error;
    return new JournalException(what + " could not be recorded: " + cause, cause);
  }

  /**
   * Counts a message in a window of an aggregating route. The future completes with true once it is
   * committed, with false when this message was counted already.
   */
  public CompletableFuture<Boolean> addToWindow(JournalStore.WindowItem item) {
    return writer
        .submit(JournalStore.addToWindow(item, System.currentTimeMillis()))
        .handle(
            (ok, error) -> {
              if (error == null) {
                return true;
              }
              Throwable cause = error instanceof CompletionException ? error.getCause() : error;
              if (cause instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                return false;
              }
              throw new JournalException("the message could not be counted: " + cause, cause);
            });
  }

  /**
   * Records a window's result as an event to deliver and forgets the messages in it ({@code lastId}
   * and before), in one transaction: a crash leaves either the window or its result.
   */
  public CompletableFuture<Void> closeWindow(
      InboundEvent result, String route, long windowStart, long lastId) {
    return insert(result, JournalStore.forgetWindow(route, windowStart, lastId))
        .thenAccept(inserted -> {});
  }

  /** The windows with messages not yet emitted, oldest first. */
  public List<JournalStore.OpenWindow> openWindows() {
    return read(store::openWindows);
  }

  /** A window's messages, in the order they were counted. */
  public List<JournalStore.WindowItem> windowItems(String route, long windowStart) {
    return read(() -> store.windowItems(route, windowStart));
  }

  /** Whether an event of this topic sent before {@code before} awaits its first attempt. */
  public boolean untriedBefore(String cache, String topic, long before) {
    return read(() -> store.untriedBefore(cache, topic, before));
  }

  /**
   * Where the subscription to this topic stands (made at "nothing taken in yet" the first time).
   */
  public Checkpoint checkpoint(String cache, String topic) {
    return read(() -> store.checkpoint(cache, topic));
  }

  /** The event is processed: it leaves the backlog. */
  public CompletableFuture<Void> done(EventKey key) {
    return writer.submit(JournalStore.done(key, nodeId)).thenRun(backlog::decrementAndGet);
  }

  /** The event will be processed again at {@code nextAttemptAt}, also after a restart. */
  public CompletableFuture<Void> retry(EventKey key, Failure failure, long nextAttemptAt) {
    return writer.submit(JournalStore.retry(key, failure, nextAttemptAt));
  }

  /** The event failed for good and becomes a dead letter. */
  public CompletableFuture<Void> dead(EventKey key, Failure failure) {
    return writer
        .submit(JournalStore.dead(key, failure, System.currentTimeMillis()))
        .thenRun(
            () -> {
              backlog.decrementAndGet();
              deadLetters.incrementAndGet();
              metrics.deadLettered(failure.reason());
            });
  }

  /**
   * Forgets at most {@code limit} keys of events accepted and published before {@code before}, too
   * old to be delivered again; completes with how many it forgot.
   */
  public CompletableFuture<Integer> forgetOldKeys(long before, int limit) {
    AtomicInteger deleted = new AtomicInteger();
    return writer
        .submit(
            JournalStore.forgetKeys(
                read(() -> store.oldKeysCutoff(before, limit)), before, deleted::set))
        .thenApply(done -> deleted.get());
  }

  /** Pending events due now that this node claimed (accepted, or claimed before), oldest first. */
  public List<JournalEntry> ownDue(int limit) {
    return read(() -> store.ownDue(System.currentTimeMillis(), limit, nodeId)).stream()
        .map(JournalEntry::of)
        .toList();
  }

  /**
   * Claims for this node pending events due now that no live node has claimed, oldest first: those
   * of no node, and those of nodes whose heartbeat stopped more than a lease ago (taken over, and
   * counted).
   */
  public List<JournalEntry> claimDue(int limit) {
    long now = System.currentTimeMillis();
    JournalStore.Claimed claimed =
        read(() -> store.claimDue(now, limit, nodeId, now - leaseMillis));
    claimed
        .takenOver()
        .forEach(
            (node, count) -> {
              metrics.leasesTakenOver("events", count);
              LOG.warning(
                  "journal: took over "
                      + count
                      + " event(s) claimed by node "
                      + node
                      + ", whose heartbeat stopped more than "
                      + leaseMillis / 1000
                      + " s ago");
            });
    return claimed.rows().stream().map(JournalEntry::of).toList();
  }

  /**
   * Counts again the pending events and dead letters of every node: the counts kept here see only
   * what this node did.
   */
  public void recount() {
    backlog.set(read(() -> store.count(JournalStore.PENDING)));
    deadLetters.set(read(() -> store.count(JournalStore.DEAD)));
  }

  /** Accepted events not yet done or dead. */
  public long backlog() {
    return backlog.get();
  }

  public long deadLetterCount() {
    return deadLetters.get();
  }

  public List<DeadLetter> deadLetters(long afterId, int limit) {
    return read(() -> store.deadLetters(afterId, limit));
  }

  public Optional<DeadLetter> deadLetter(long id) {
    return read(() -> store.deadLetter(id));
  }

  /**
   * Replays one dead letter, or all when {@code id} is null: they become pending and are processed
   * again with a fresh retry budget.
   */
  public int replay(Long id) {
    int replayed = read(() -> store.replay(id, System.currentTimeMillis()));
    backlog.addAndGet(replayed);
    deadLetters.addAndGet(-replayed);
    metrics.replayed(replayed);
    return replayed;
  }

  public boolean delete(long id) {
    boolean deleted = read(() -> store.delete(id));
    if (deleted) {
      deadLetters.decrementAndGet();
    }
    return deleted;
  }

  /** Commits what is queued, then closes the database (embedded) or lets the DataSource be. */
  @PreDestroy
  public synchronized void close() {
    if (writer != null) {
      writer.close(Duration.ofSeconds(10));
      writer = null;
    }
    store = null;
    nodes = null;
    closeDatabase();
  }

  private void closeDatabase() {
    if (database != null) {
      database.close();
      database = null;
    }
  }

  private interface Read<T> {
    T get() throws SQLException;
  }

  private static <T> T read(Read<T> read) {
    try {
      return read.get();
    } catch (SQLException e) {
      throw new JournalException("journal: " + e.getMessage(), e);
    }
  }
}
