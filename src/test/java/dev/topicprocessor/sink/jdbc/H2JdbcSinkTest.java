package dev.topicprocessor.sink.jdbc;

import java.nio.file.Path;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.io.TempDir;

/** The JDBC sink into H2. */
class H2JdbcSinkTest extends JdbcSinkContract {

  @TempDir Path dir;

  @Override
  DataSource database() {
    JdbcDataSource dataSource = new JdbcDataSource();
    dataSource.setURL("jdbc:h2:" + dir.resolve("shop"));
    return dataSource;
  }
}
