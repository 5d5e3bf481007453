package dev.topicprocessor.journal.migration;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * On H2, bodies inline in the row (a BLOB is a separate LOB store, written and cleaned apart: most
 * of a commit's cost) and identities handed out 1,000 at a time (by default H2 flushes its sequence
 * every 32 inserts, in a commit of its own). PostgreSQL keeps BYTEA, which it stores inline
 * already, and its sequence.
 */
public class V2__InlineBodiesOnH2 extends BaseJavaMigration {

  @Override
  public void migrate(Context context) throws Exception {
    Dialect dialect = Dialect.of(context.getConnection());
    if (!dialect.postgres()) {
      Dialect.run(
          context.getConnection(),
          "ALTER TABLE tp_event ALTER COLUMN body SET DATA TYPE " + dialect.binary(),
          "ALTER TABLE tp_event ALTER COLUMN id SET CACHE 1000");
    }
  }
}
