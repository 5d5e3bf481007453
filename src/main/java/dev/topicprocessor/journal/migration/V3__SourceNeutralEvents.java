package dev.topicprocessor.journal.migration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.topicprocessor.support.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * The journal keeps the source-neutral event instead of the webhook body: how it came in, its
 * sequence page, event time, token id and payload, and the page joins the unique key. Every row
 * journaled before (pending, processed or dead) is carried over: its webhook body is read once
 * here, and the body column goes.
 */
public class V3__SourceNeutralEvents extends BaseJavaMigration {

  private static final ObjectMapper JSON = Json.mapper();
  private static final int PAGE = 500;

  @Override
  public void migrate(Context context) throws Exception {
    Connection c = context.getConnection();
    Dialect dialect = Dialect.of(c);
    Dialect.run(
        c,
        "ALTER TABLE tp_event ADD COLUMN via VARCHAR(16) DEFAULT 'webhook' NOT NULL",
        "ALTER TABLE tp_event ADD COLUMN sequence_page BIGINT DEFAULT 0 NOT NULL",
        "ALTER TABLE tp_event ADD COLUMN event_timestamp BIGINT DEFAULT 0 NOT NULL",
        "ALTER TABLE tp_event ADD COLUMN token_id VARCHAR(1000000) DEFAULT '' NOT NULL",
        "ALTER TABLE tp_event ADD COLUMN payload_binary BOOLEAN DEFAULT FALSE NOT NULL",
        "ALTER TABLE tp_event ADD COLUMN payload " + dialect.binary());
    carryOver(c);
    Dialect.run(
        c,
        "ALTER TABLE tp_event DROP COLUMN body",
        "ALTER TABLE tp_event ALTER COLUMN payload SET NOT NULL",
        "ALTER TABLE tp_event DROP CONSTRAINT tp_event_key",
        "ALTER TABLE tp_event ADD CONSTRAINT tp_event_key UNIQUE (cache_name, topic_name,"
            + " sequence_page, sequence_number, publish_timestamp)",
        // the version table of the hand-written migrations before Flyway
        "DROP TABLE IF EXISTS tp_schema");
  }

  /** Fills the new columns from each row's webhook body, a page of rows at a time. */
  private static void carryOver(Connection c) throws SQLException {
    long after = -1;
    try (PreparedStatement read =
            c.prepareStatement(
                "SELECT id, body FROM tp_event WHERE id > ? ORDER BY id LIMIT " + PAGE);
        PreparedStatement write =
            c.prepareStatement(
                "UPDATE tp_event SET event_timestamp = ?, token_id = ?, payload = ? WHERE id = ?")) {
      while (true) {
        read.setLong(1, after);
        int rows = 0;
        try (ResultSet r = read.executeQuery()) {
          while (r.next()) {
            rows++;
            after = r.getLong(1);
            byte[] body = r.getBytes(2);
            JsonNode event = parse(body);
            write.setLong(1, event == null ? 0 : event.path("event_timestamp").asLong(0));
            write.setString(2, event == null ? "" : event.path("token_id").asText(""));
            // A body that does not parse (none should: each was checked before it was kept) is
            // kept whole as the payload rather than lost.
            write.setBytes(
                3,
                event != null && event.path("text").isTextual()
                    ? event.get("text").textValue().getBytes(StandardCharsets.UTF_8)
                    : body);
            write.setLong(4, after);
            write.addBatch();
          }
        }
        if (rows == 0) {
          return;
        }
        write.executeBatch();
      }
    }
  }

  private static JsonNode parse(byte[] body) {
    try {
      JsonNode node = JSON.readTree(body);
      return node != null && node.isObject() ? node : null;
    } catch (IOException e) {
      return null;
    }
  }
}
