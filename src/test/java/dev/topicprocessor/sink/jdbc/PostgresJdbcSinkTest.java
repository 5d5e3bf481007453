package dev.topicprocessor.sink.jdbc;

import dev.topicprocessor.testing.PostgresServer;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The JDBC sink into PostgreSQL (a real server, started here). */
class PostgresJdbcSinkTest extends JdbcSinkContract {

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
  DataSource database() {
    return server.dataSource();
  }
}
