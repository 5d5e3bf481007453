package dev.topicprocessor.journal;

import dev.topicprocessor.support.DaemonThreads;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Runs the journal's writes on one thread, as many as are waiting in one transaction: concurrent
 * requests share a commit, so durability costs one commit per batch rather than per event.
 * Consecutive writes of the same statement go as one JDBC batch. When a batch fails, each of its
 * writes is tried alone, so one bad write (a duplicate key) fails only its own caller; when no
 * connection can be had, the whole batch fails at once.
 */
final class GroupCommitWriter implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(GroupCommitWriter.class.getName());

  /** Writes committed together, or not at all: one caller's. */
  private record Queued(List<JournalStore.Write> writes, CompletableFuture<Void> done) {}

  private final DataSource dataSource;
  private final int maxBatch;
  private final IntConsumer batchSizes;
  private final String afterCommit;
  private final BlockingQueue<Queued> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private volatile boolean closing;

  /** The writer thread's own connection, kept between batches; dropped after an error. */
  private Connection connection;

  /**
   * @param afterCommit a statement run after each commit before the writes count as done (H2's
   *     {@code CHECKPOINT SYNC}, which forces the file to disk), or null
   */
  GroupCommitWriter(
      DataSource dataSource, int maxBatch, IntConsumer batchSizes, String afterCommit) {
    this.dataSource = dataSource;
    this.afterCommit = afterCommit;
    this.maxBatch = maxBatch;
    this.batchSizes = batchSizes;
    this.thread = DaemonThreads.named("topic-processor-journal-writer").newThread(this::run);
    thread.start();
  }

  /**
   * Queues writes that are committed together, in this order, or not at all; the future completes
   * once they are committed, or fails with the error.
   */
  CompletableFuture<Void> submit(JournalStore.Write... writes) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (closing) {
      done.completeExceptionally(new JournalException("the journal is closed"));
      return done;
    }
    queue.add(new Queued(List.of(writes), done));
    return done;
  }

  int queued() {
    return queue.size();
  }

  private void run() {
    List<Queued> batch = new ArrayList<>(maxBatch);
    while (true) {
      Queued first;
      try {
        first = queue.poll(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        break;
      }
      if (first == null) {
        if (closing) {
          break;
        }
        continue;
      }
      batch.add(first);
      queue.drainTo(batch, maxBatch - 1);
      commit(batch);
      batch.clear();
    }
    for (Queued left; (left = queue.poll()) != null; ) {
      left.done().completeExceptionally(new JournalException("the journal is closed"));
    }
    dropConnection();
  }

  /** The connection, opened if need be: one per writer, not one per batch (a pool's reset). */
  private Connection connection() throws SQLException {
    if (connection == null) {
      connection = dataSource.getConnection();
      connection.setAutoCommit(false);
    }
    return connection;
  }

  private void dropConnection() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // broken already
      }
      connection = null;
    }
  }

  private void commit(List<Queued> batch) {
    if (unavailable(batch)) {
      return;
    }
    try {
      execute(batch);
      batchSizes.accept(batch.size());
      batch.forEach(q -> q.done().complete(null));
    } catch (SQLException e) {
      if (batch.size() == 1) {
        batch.get(0).done().completeExceptionally(e);
        return;
      }
      LOG.log(Level.FINE, "journal batch of " + batch.size() + " failed; writing one by one", e);
      for (int i = 0; i < batch.size(); i++) {
        Queued one = batch.get(i);
        if (unavailable(batch.subList(i, batch.size()))) {
          return;
        }
        try {
          execute(List.of(one));
          one.done().complete(null);
        } catch (SQLException alone) {
          one.done().completeExceptionally(alone);
        }
      }
    } catch (RuntimeException e) {
      batch.forEach(q -> q.done().completeExceptionally(e));
    }
  }

  /**
   * Fails every write of {@code batch} at once when no connection can be had (the database away):
   * each would otherwise wait out the pool's timeout in turn, and the last of a batch of a hundred
   * would hear of it minutes later.
   */
  private boolean unavailable(List<Queued> batch) {
    try {
      connection();
      return false;
    } catch (SQLException e) {
      batch.forEach(q -> q.done().completeExceptionally(e));
      return true;
    }
  }

  private void execute(List<Queued> batch) throws SQLException {
    Connection c = connection();
    List<JournalStore.Write> writes = new ArrayList<>(batch.size());
    batch.forEach(queued -> writes.addAll(queued.writes()));
    // A statement prepared once per batch: a subscription's items alternate insert and checkpoint.
    Map<String, PreparedStatement> prepared = new HashMap<>();
    try {
      int i = 0;
      while (i < writes.size()) {
        String sql = writes.get(i).sql();
        PreparedStatement s = prepared.get(sql);
        if (s == null) {
          s = c.prepareStatement(sql);
          prepared.put(sql, s);
        }
        int from = i;
        while (i < writes.size() && writes.get(i).sql().equals(sql)) {
          i++;
        }
        if (i - from == 1) {
          writes.get(from).binder().bind(s);
          counted(writes.get(from), s.executeUpdate());
        } else {
          for (int k = from; k < i; k++) {
            writes.get(k).binder().bind(s);
            s.addBatch();
          }
          int[] counts = s.executeBatch();
          for (int k = 0; k < counts.length; k++) {
            counted(writes.get(from + k), counts[k]);
          }
        }
      }
      c.commit();
      if (afterCommit != null) {
        try (java.sql.Statement s = c.createStatement()) {
          s.execute(afterCommit);
        }
      }
    } catch (SQLException | RuntimeException e) {
      try {
        c.rollback();
      } catch (SQLException ignored) {
        // broken: dropped below
      }
      if (!(e instanceof SQLException sql) || !isConstraintViolation(sql)) {
        dropConnection(); // perhaps broken (database restarted): the next batch opens another
      }
      if (e instanceof BatchUpdateException b && b.getNextException() != null) {
        throw b.getNextException();
      }
      throw e;
    } finally {
      closeAll(prepared.values());
    }
  }

  private static void closeAll(java.util.Collection<PreparedStatement> statements) {
    for (PreparedStatement s : statements) {
      try {
        s.close();
      } catch (SQLException ignored) {
        // closing a statement of a batch that is over
      }
    }
  }

  private static void counted(JournalStore.Write write, int rows) {
    if (write.rows() != null) {
      write.rows().accept(rows);
    }
  }

  /** SQLSTATE class 23: the write was refused (a duplicate key), the connection is fine. */
  private static boolean isConstraintViolation(SQLException e) {
    String state = e.getSQLState();
    return state != null && state.startsWith("23");
  }

  /** Commits what is queued (at most {@code max}), then stops; later writes fail. */
  @Override
  public void close() {
    close(Duration.ofSeconds(10));
  }

  void close(Duration max) {
    closing = true;
    try {
      thread.join(max.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      thread.interrupt();
      LOG.warning("journal writer did not finish within " + max.toSeconds() + " s");
    }
  }
}
