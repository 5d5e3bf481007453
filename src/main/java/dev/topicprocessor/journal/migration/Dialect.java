package dev.topicprocessor.journal.migration;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/** The little that differs between the journal's databases: the type of a binary column. */
final class Dialect {

  /** The largest payload the journal keeps: H2's limit for an inline binary column. */
  static final int MAX_BINARY_BYTES = 1_000_000;

  private final boolean postgres;

  private Dialect(boolean postgres) {
    this.postgres = postgres;
  }

  static Dialect of(Connection connection) throws SQLException {
    String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
    return new Dialect(product.contains("postgres"));
  }

  boolean postgres() {
    return postgres;
  }

  /** An inline binary column: PostgreSQL's BYTEA, H2's VARBINARY at its limit. */
  String binary() {
    return postgres ? "BYTEA" : "VARBINARY(" + MAX_BINARY_BYTES + ")";
  }

  static void run(Connection connection, String... statements) throws SQLException {
    try (Statement s = connection.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    }
  }
}
