package dev.topicprocessor.journal.migration;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Where each subscription stands: the position of the last item taken in from its topic, written in
 * the same transaction as that item's event.
 */
public class V4__SubscriptionCheckpoints extends BaseJavaMigration {

  @Override
  public void migrate(Context context) throws Exception {
    Dialect.run(
        context.getConnection(),
        """
        CREATE TABLE tp_checkpoint (
          cache_name VARCHAR(255) NOT NULL,
          topic_name VARCHAR(255) NOT NULL,
          sequence_page BIGINT NOT NULL,
          sequence_number BIGINT NOT NULL,
          updated_at BIGINT NOT NULL,
          PRIMARY KEY (cache_name, topic_name)
        )
        """);
  }
}
