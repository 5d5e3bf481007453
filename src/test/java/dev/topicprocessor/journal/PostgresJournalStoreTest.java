package dev.topicprocessor.journal;

import dev.topicprocessor.testing.StartedPostgres;
import java.sql.Connection;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The journal's SQL on PostgreSQL, the production database (a real server, started here). */
class PostgresJournalStoreTest extends JournalStoreContract {

  @RegisterExtension static final StartedPostgres postgres = new StartedPostgres();

  @Override
  DataSource database() throws Exception {
    DataSource dataSource = postgres.server().dataSource();
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS tp_event");
      s.execute("DROP TABLE IF EXISTS tp_event_seen");
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
