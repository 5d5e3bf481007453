package dev.topicprocessor.journal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.topicprocessor.config.JdbcUrls;
import dev.topicprocessor.support.DaemonThreads;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * The database the journal lives in: a DataSource from JNDI (the server's pool, closed by the
 * server), a JDBC URL or an embedded H2 file, each with a pool of the journal's own (closed with
 * it).
 */
final class JournalDatabase implements AutoCloseable {

  private final DataSource dataSource;
  private final String description;
  private final AutoCloseable owned;
  private final boolean embedded;

  private JournalDatabase(
      DataSource dataSource, String description, AutoCloseable owned, boolean embedded) {
    this.dataSource = dataSource;
    this.description = description;
    this.owned = owned;
    this.embedded = embedded;
  }

  /** The DataSource bound at {@code name}. */
  static JournalDatabase jndi(String name) {
    try {
      Object found = new InitialContext().lookup(name);
      if (found instanceof DataSource dataSource) {
        return new JournalDatabase(dataSource, "DataSource " + name, null, false);
      }
      throw new JournalException(
          "TOPIC_PROCESSOR_JOURNAL_DATASOURCE: " + name + " is not a javax.sql.DataSource");
    } catch (NamingException e) {
      throw new JournalException(
          "TOPIC_PROCESSOR_JOURNAL_DATASOURCE: no DataSource is bound at " + name, e);
    }
  }

  /**
   * The database at this JDBC URL, with a pool of its own. What is logged of the URL leaves out its
   * parameters, where a password could be.
   */
  static JournalDatabase url(String url, String user, String password, int poolSize) {
    if (!url.startsWith("jdbc:")) {
      throw new JournalException(
          "TOPIC_PROCESSOR_JOURNAL_URL must be a JDBC URL (jdbc:postgresql://host:port/database),"
              + " got '"
              + JdbcUrls.withoutCredentials(url)
              + "'");
    }
    HikariConfig config = new HikariConfig();
    config.setPoolName("topic-processor-journal");
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(poolSize);
    config.setMinimumIdle(Math.min(2, poolSize));
    config.setConnectionTimeout(5_000);
    config.setThreadFactory(DaemonThreads.named("topic-processor-journal-pool"));
    // The driver is loaded here, from the application: the server's DriverManager does not see
    // the drivers inside a WAR.
    String driver = driverOf(url);
    if (driver != null) {
      config.setDriverClassName(driver);
    }
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new JournalException(
          "cannot connect to the journal at "
              + JdbcUrls.withoutCredentials(url)
              + ": "
              + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()),
          e);
    }
    return new JournalDatabase(
        pool,
        JdbcUrls.withoutCredentials(url) + " (a pool of " + poolSize + ")",
        pool::close,
        false);
  }

  /** The driver class of the databases the journal knows, else null (DriverManager finds it). */
  private static String driverOf(String url) {
    if (url.startsWith("jdbc:postgresql:")) {
      return "org.postgresql.Driver";
    }
    if (url.startsWith("jdbc:h2:")) {
      return "org.h2.Driver";
    }
    return null;
  }

  /** An H2 database in {@code directory}/journal.mv.db, made if absent. */
  static JournalDatabase embedded(Path directory) {
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new JournalException("cannot create the journal's directory " + directory, e);
    }
    Path file = directory.resolve("journal");
    // WRITE_DELAY=0: a commit is written to the file before it returns. No trace file: errors
    // (a duplicate's key violation) reach the application, which logs what matters.
    JdbcConnectionPool pool =
        JdbcConnectionPool.create(
            "jdbc:h2:file:"
                + file.toAbsolutePath()
                + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0;TRACE_LEVEL_FILE=0",
            "topic-processor",
            "");
    pool.setMaxConnections(8);
    // the last connection closed closes the database file
    return new JournalDatabase(
        pool, "embedded H2 " + file.toAbsolutePath() + ".mv.db", pool::dispose, true);
  }

  DataSource dataSource() {
    return dataSource;
  }

  String description() {
    return description;
  }

  /**
   * Whether this is the embedded H2 file, which forces a commit to disk only when told ({@code
   * CHECKPOINT SYNC}).
   */
  boolean embedded() {
    return embedded;
  }

  /** Closes the pool the journal made; a server's DataSource is the server's to close. */
  @Override
  public void close() {
    if (owned != null) {
      try {
        owned.close();
      } catch (Exception e) {
        throw new JournalException("cannot close the journal's database: " + e.getMessage(), e);
      }
    }
  }
}
