package dev.topicprocessor.journal.migration;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Several nodes share one journal: each registers and sends heartbeats ({@code tp_node}); a pending
 * event names the node that claimed it, valid while that node's heartbeat is current; a lease
 * ({@code tp_lease}) gives one node at a time a subscription or a task that must run once.
 */
public class V6__NodesAndLeases extends BaseJavaMigration {

  @Override
  public void migrate(Context context) throws Exception {
    Dialect.run(
        context.getConnection(),
        """
        CREATE TABLE tp_node (
          node_id VARCHAR(200) PRIMARY KEY,
          instance_id VARCHAR(64) NOT NULL,
          started_at BIGINT NOT NULL,
          heartbeat_at BIGINT NOT NULL
        )
        """,
        """
        CREATE TABLE tp_lease (
          lease_name VARCHAR(600) PRIMARY KEY,
          holder VARCHAR(200) NOT NULL,
          acquired_at BIGINT NOT NULL
        )
        """,
        "ALTER TABLE tp_event ADD COLUMN claimed_by VARCHAR(200)");
  }
}
