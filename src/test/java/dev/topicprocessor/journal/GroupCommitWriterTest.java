package dev.topicprocessor.journal;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topicprocessor.event.Checkpoint;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

class GroupCommitWriterTest {

  /** PostgreSQL's driver pointed at a port nothing listens on; counts the connections asked. */
  static final class AwayDatabase extends PGSimpleDataSource {
    final AtomicInteger asked = new AtomicInteger();

    @Override
    public Connection getConnection() throws SQLException {
      asked.incrementAndGet();
      return super.getConnection();
    }
  }

  /**
   * With the database away, writes waiting together fail together: each asking for a connection of
   * its own would wait out the pool's timeout in turn (5 s each in production), so that the last of
   * a hundred heard of the outage minutes later.
   */
  @Test
  void withTheDatabaseAwayWritesWaitingTogetherFailTogether() throws Exception {
    AwayDatabase database = new AwayDatabase();
    try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      database.setServerNames(new String[] {"127.0.0.1"});
      database.setPortNumbers(new int[] {closed.getLocalPort()});
    }
    database.setDatabaseName("journal");
    List<CompletableFuture<Void>> writes = new ArrayList<>();
    try (GroupCommitWriter writer = new GroupCommitWriter(database, 512, n -> {}, null)) {
      for (int i = 0; i < 100; i++) {
        writes.add(writer.submit(JournalStore.checkpoint(new Checkpoint("c", "t", 1, i), 0)));
      }
      for (CompletableFuture<Void> write : writes) {
        ExecutionException failed =
            assertThrows(ExecutionException.class, () -> write.get(30, SECONDS));
        assertInstanceOf(SQLException.class, failed.getCause());
      }
    }
    assertTrue(
        database.asked.get() < 10,
        database.asked.get() + " connections asked for 100 writes submitted at once");
  }
}
