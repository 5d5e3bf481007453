package dev.topicprocessor.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real PostgreSQL server for the tests of one class: started before them, stopped after them.
 * {@code @RegisterExtension static final StartedPostgres postgres = new StartedPostgres();}
 */
public final class StartedPostgres implements BeforeAllCallback, AfterAllCallback {

  private PostgresServer server;

  public PostgresServer server() {
    return server;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    server = PostgresServer.start();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (server != null) {
      server.close();
      server = null;
    }
  }
}
