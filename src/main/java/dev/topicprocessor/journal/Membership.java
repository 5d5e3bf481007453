package dev.topicprocessor.journal;

import dev.topicprocessor.metrics.ProcessorMetrics;
import dev.topicprocessor.support.DaemonThreads;
import dev.topicprocessor.support.ThrottledLog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * This node's membership of the nodes sharing the journal: it registers, sends a heartbeat every
 * tenth of the lease (at least every second), and asks for the leases it wants (a subscription, a
 * task that must run once) at every heartbeat, so that when their holder's heartbeat stops it takes
 * them over. It gives up what it holds, and stops claiming events, when its own heartbeat has not
 * been written for nearly a lease: by then the others may take its work over.
 */
@ApplicationScoped
public class Membership {

  private static final Logger LOG = Logger.getLogger(Membership.class.getName());
  private static final ThrottledLog failures = new ThrottledLog(LOG, Duration.ofSeconds(30));

  /** Nodes silent for this long are forgotten (their claims were free long before). */
  static final long FORGET_AFTER_MILLIS = 3_600_000;

  @Inject Journal journal;
  @Inject ProcessorMetrics metrics;

  /** A lease this node wants, and what to do when it gets it and when it loses it. */
  private record Wish(String name, String kind, Runnable onAcquired, Runnable onLost) {}

  private final List<Wish> wishes = new CopyOnWriteArrayList<>();
  private final Map<String, Boolean> held = new ConcurrentHashMap<>();
  private final String instance = UUID.randomUUID().toString();

  private NodeStore store;
  private String node;
  private long leaseMillis;
  private long beatMillis;
  private ScheduledExecutorService heartbeat;
  private long lastForget;

  /** When the last heartbeat that was written began (epoch ms), or 0. */
  private volatile long lastBeat;

  /** Why the last heartbeat could not be written (the journal's database away), or null. */
  private volatile String unreachable;

  /** Another start of this node registered after this one: this one takes no more work. */
  private volatile boolean superseded;

  private volatile Status status = new Status("", 0, List.of(), List.of());

  public Membership() {}

  /** Membership outside CDI (tests). */
  public Membership(Journal journal, ProcessorMetrics metrics) {
    this.journal = journal;
    this.metrics = metrics;
  }

  /** Registers this node in the opened journal and starts its heartbeat. */
  public synchronized void join() {
    if (heartbeat != null) {
      return;
    }
    store = journal.nodes();
    node = journal.nodeId();
    leaseMillis = journal.leaseMillis();
    beatMillis = Math.max(1000, leaseMillis / 10);
    long now = System.currentTimeMillis();
    NodeStore.Node before;
    try {
      before = store.register(node, instance, now);
    } catch (SQLException e) {
      throw new JournalException("cannot register node " + node + ": " + e.getMessage(), e);
    }
    lastBeat = now;
    if (before != null && now - before.heartbeatAt() < leaseMillis) {
      LOG.warning(
          "node "
              + node
              + " was seen alive "
              + (now - before.heartbeatAt())
              + " ms ago: if another node runs with this id, give each its own"
              + " TOPIC_PROCESSOR_NODE_ID (else this is the same node started again)");
    }
    metrics.nodes(() -> status.alive());
    refreshStatus(now);
    heartbeat =
        Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("topic-processor-heartbeat"));
    heartbeat.scheduleWithFixedDelay(this::beat, beatMillis, beatMillis, TimeUnit.MILLISECONDS);
    LOG.info(
        "node "
            + node
            + " joined: "
            + status.alive()
            + " node(s) alive; heartbeat every "
            + beatMillis
            + " ms, lease "
            + leaseMillis / 1000
            + " s");
  }

  /** This node's id. */
  public String node() {
    return node;
  }

  /**
   * Wants a lease: asks for it now and at every heartbeat until it has it; {@code onAcquired} runs
   * when it gets it, {@code onLost} when it no longer holds it (its heartbeat failed for too long,
   * or it is let go). Both run on the thread that asked or on the heartbeat's: keep them short.
   *
   * @param kind what it is, for the metric of takeovers: {@code subscription}, {@code task}
   */
  public void hold(String name, String kind, Runnable onAcquired, Runnable onLost) {
    Wish wish = new Wish(name, kind, onAcquired, onLost);
    synchronized (wishes) {
      if (wishes.stream().anyMatch(w -> w.name().equals(name))) {
        return; // wanted already
      }
      wishes.add(wish);
    }
    ask(wish, System.currentTimeMillis());
  }

  /**
   * No longer wants this lease: if it holds it, runs its {@code onLost} and lets go of it, so that
   * another node may take it at once.
   */
  public void release(String name) {
    Wish wish;
    synchronized (wishes) {
      wish = wishes.stream().filter(w -> w.name().equals(name)).findFirst().orElse(null);
      if (wish == null) {
        return;
      }
      wishes.remove(wish);
      letGo(wish);
    }
  }

  /** Whether this node holds this lease now. */
  public boolean holds(String name) {
    return held.containsKey(name) && valid();
  }

  /**
   * Whether this node's claims are still its own: its last heartbeat was written less than a lease
   * ago, less one heartbeat's margin.
   */
  public boolean valid() {
    return !superseded
        && (heartbeat == null || System.currentTimeMillis() - lastBeat < leaseMillis - beatMillis);
  }

  private void beat() {
    long now = System.currentTimeMillis();
    try {
      if (!store.beat(node, instance, now)) {
        supersededOrGone(now);
      } else {
        lastBeat = now;
      }
      unreachable = null;
    } catch (SQLException | RuntimeException e) {
      unreachable = JournalException.rootMessage(e);
      metrics.heartbeatFailed();
      failures.warn(() -> "node " + node + ": the heartbeat could not be written: " + e);
    }
    if (!valid()) {
      loseAll("its heartbeat was not written for " + (now - lastBeat) + " ms");
      return;
    }
    for (Wish wish : wishes) {
      ask(wish, now);
    }
    try {
      journal.recount();
      if (now - lastForget >= 60_000) {
        lastForget = now;
        store.forgetSilentSince(now - Math.max(FORGET_AFTER_MILLIS, 10 * leaseMillis));
      }
      refreshStatus(now);
    } catch (SQLException | RuntimeException e) {
      failures.warn(() -> "node " + node + ": the journal cannot be read now: " + e);
    }
  }

  /** The heartbeat found no row of this start: the node left, or started again elsewhere. */
  private void supersededOrGone(long now) throws SQLException {
    boolean registered = store.nodes().stream().anyMatch(n -> n.id().equals(node));
    if (registered) {
      if (!superseded) {
        LOG.severe(
            "node "
                + node
                + " was registered again by another process: this one takes no more work. Give"
                + " each node its own TOPIC_PROCESSOR_NODE_ID.");
      }
      superseded = true;
      loseAll("another process registered as node " + node);
    } else {
      store.register(node, instance, now); // forgotten while silent: back again
      lastBeat = now;
    }
  }

  private void ask(Wish wish, long now) {
    synchronized (wishes) { // not while it is being let go of
      if (valid() && wishes.contains(wish)) {
        askNow(wish, now);
      }
    }
  }

  private void askNow(Wish wish, long now) {
    try {
      NodeStore.LeaseState state = store.acquire(wish.name(), node, now, now - leaseMillis);
      if (state.held() && held.putIfAbsent(wish.name(), Boolean.TRUE) == null) {
        if (state.takenOverFrom() != null) {
          metrics.leasesTakenOver(wish.kind(), 1);
          LOG.warning(
              "node "
                  + node
                  + " took over "
                  + wish.name()
                  + " from node "
                  + state.takenOverFrom()
                  + ", whose heartbeat stopped more than "
                  + leaseMillis / 1000
                  + " s ago");
        } else {
          LOG.info("node " + node + " holds " + wish.name());
        }
        run(wish.onAcquired(), wish.name());
      } else if (!state.held() && held.remove(wish.name()) != null) {
        LOG.warning("node " + node + " lost " + wish.name() + " to node " + state.holder());
        run(wish.onLost(), wish.name());
      }
    } catch (SQLException | RuntimeException e) {
      failures.warn(() -> "node " + node + ": cannot ask for " + wish.name() + ": " + e);
    }
  }

  private void loseAll(String why) {
    for (Wish wish : wishes) {
      if (held.remove(wish.name()) != null) {
        LOG.warning("node " + node + " lets go of " + wish.name() + ": " + why);
        run(wish.onLost(), wish.name());
      }
    }
  }

  private static void run(Runnable action, String lease) {
    try {
      action.run();
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "lease " + lease + ": its action failed", e);
    }
  }

  /**
   * Lets go of every lease this node holds, running their {@code onLost} first, so that another
   * node takes them at once; the node stays registered (its claims stay its own).
   */
  public void releaseLeases() {
    List<Wish> all;
    synchronized (wishes) {
      all = new ArrayList<>(wishes);
      wishes.clear();
      all.forEach(this::letGo);
    }
  }

  private void letGo(Wish wish) {
    if (held.remove(wish.name()) != null) {
      run(wish.onLost(), wish.name());
      try {
        store.release(wish.name(), node);
        LOG.info("node " + node + " let go of " + wish.name());
      } catch (SQLException e) {
        failures.warn(() -> "node " + node + ": cannot let go of " + wish.name() + ": " + e);
      }
    }
  }

  /** Stops the heartbeat and leaves: what this node claimed or held is free at once. */
  public synchronized void leave() {
    if (heartbeat == null) {
      return;
    }
    releaseLeases();
    heartbeat.shutdownNow();
    try {
      heartbeat.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    heartbeat = null;
    if (superseded) {
      return; // the row is the other process's
    }
    try {
      store.leave(node, instance);
      LOG.info("node " + node + " left");
    } catch (SQLException e) {
      LOG.warning(
          "node "
              + node
              + " could not leave ("
              + e.getMessage()
              + "): its work is taken over when its lease runs out");
    }
  }

  /** Whether a node other than this one is alive now. */
  public boolean othersAlive() {
    long now = System.currentTimeMillis();
    try {
      return store.nodes().stream()
          .anyMatch(n -> !n.id().equals(node) && n.heartbeatAt() >= now - leaseMillis);
    } catch (SQLException e) {
      return status.alive() > 1;
    }
  }

  private void refreshStatus(long now) {
    try {
      List<NodeView> nodes = new ArrayList<>();
      int alive = 0;
      for (NodeStore.Node n : store.nodes()) {
        boolean up = n.heartbeatAt() >= now - leaseMillis;
        alive += up ? 1 : 0;
        nodes.add(new NodeView(n.id(), up, n.startedAt(), Math.max(0, now - n.heartbeatAt())));
      }
      List<LeaseView> leases =
          store.leases().stream().map(l -> new LeaseView(l.name(), l.holder())).toList();
      status = new Status(node, alive, nodes, leases);
    } catch (SQLException e) {
      failures.warn(() -> "node " + node + ": cannot read the nodes: " + e);
    }
  }

  /**
   * Why the journal cannot be written now, as the last heartbeat found (every tenth of a lease):
   * empty while it can.
   */
  public java.util.Optional<String> unavailable() {
    return java.util.Optional.ofNullable(unreachable);
  }

  /** What health shows: this node, the nodes alive, and who holds what (as of the last beat). */
  public Status status() {
    return status;
  }

  /** The nodes sharing the journal and their leases, as of the last heartbeat. */
  public record Status(String node, int alive, List<NodeView> nodes, List<LeaseView> leases) {}

  /** A node, alive while its heartbeat is current. */
  public record NodeView(String id, boolean alive, long startedAt, long heartbeatAgeMs) {}

  /** A lease and its holder. */
  public record LeaseView(String name, String holder) {}
}
