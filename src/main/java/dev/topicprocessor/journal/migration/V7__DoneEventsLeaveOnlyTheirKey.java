package dev.topicprocessor.journal.migration;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * A processed event leaves the event table at once, and only its key stays, in {@code
 * tp_event_seen}, for as long as the same delivery may come again: so the event table holds only
 * what is still to do (and dead letters), and an event costs fewer row and index writes (no "done"
 * update of two indexes, no purge of a wide row). Every key is recorded when its event is accepted;
 * the node that processed it is noted beside its key. The keys of the events already here are
 * carried over, and the processed ones leave.
 */
public class V7__DoneEventsLeaveOnlyTheirKey extends BaseJavaMigration {

  @Override
  public void migrate(Context context) throws Exception {
    Dialect.run(
        context.getConnection(),
        """
        CREATE TABLE tp_event_seen (
          cache_name VARCHAR(255) NOT NULL,
          topic_name VARCHAR(255) NOT NULL,
          sequence_page BIGINT NOT NULL,
          sequence_number BIGINT NOT NULL,
          publish_timestamp BIGINT NOT NULL,
          accepted_at BIGINT NOT NULL,
          processed_by VARCHAR(200),
          CONSTRAINT tp_event_seen_pk PRIMARY KEY
            (cache_name, topic_name, sequence_page, sequence_number, publish_timestamp)
        )
        """,
        "CREATE INDEX tp_event_seen_age ON tp_event_seen (accepted_at)",
        """
        INSERT INTO tp_event_seen (cache_name, topic_name, sequence_page, sequence_number,
          publish_timestamp, accepted_at, processed_by)
        SELECT cache_name, topic_name, sequence_page, sequence_number, publish_timestamp,
          COALESCE(finished_at, accepted_at), CASE WHEN state = 'DONE' THEN claimed_by END
        FROM tp_event
        """,
        "DELETE FROM tp_event WHERE state = 'DONE'",
        "DROP INDEX tp_event_finished");
  }
}
