package dev.topicprocessor.journal;

import dev.topicprocessor.testing.PostgresServer;
import java.sql.Connection;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The journal's SQL on PostgreSQL, the production database (a real server, started here). */
class PostgresJournalStoreTest extends JournalStoreContract {

  private static PostgresServer server;

  @BeforeAll
  static void startPostgres() throws Exception {
    server = PostgresServer.start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @Override
  DataSource database() throws Exception {
    DataSource dataSource = server.dataSource();
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS tp_event");
      s.execute("DROP TABLE IF EXISTS tp_checkpoint");
      s.execute("DROP TABLE IF EXISTS tp_window_item");
      s.execute("DROP TABLE IF EXISTS tp_node");
      s.execute("DROP TABLE IF EXISTS tp_lease");
      s.execute("DROP TABLE IF EXISTS tp_schema");
      s.execute("DROP TABLE IF EXISTS \"" + JournalStore.HISTORY_TABLE + "\"");
    }
    return dataSource;
  }
}
