package dev.topicprocessor.journal;

import java.nio.file.Path;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.io.TempDir;

/** The journal's SQL on the embedded database, as the processor opens it by default. */
class H2JournalStoreTest extends JournalStoreContract {

  @TempDir Path dir;

  @Override
  String afterCommit() {
    return "CHECKPOINT SYNC";
  }

  @Override
  DataSource database() {
    JdbcDataSource dataSource = new JdbcDataSource();
    dataSource.setURL("jdbc:h2:file:" + dir.resolve("journal") + ";WRITE_DELAY=0");
    return dataSource;
  }
}
