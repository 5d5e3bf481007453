package dev.topicprocessor.config;

/**
 * Every setting of the processor. Each is read, in this order, from a JNDI environment entry {@code
 * java:comp/env/<NAME>} (Tomcat's {@code context.xml}, WildFly's naming subsystem), a system
 * property {@code <NAME>}, an environment variable {@code <NAME>}, else its default.
 */
public enum Setting {
  MOMENTO_API_KEY(
      null,
      true,
      "Momento API key: a v2 key as the console issues it (with `MOMENTO_ENDPOINT`), or a v1 or"
          + " legacy key. Set: Momento mode. Unset: local mode (Local Momento)."),
  MOMENTO_ENDPOINT(
      null,
      false,
      "The endpoint the Momento console shows beside a v2 API key, e.g."
          + " `cell-1-us-east-1-1.prod.a.momentohq.com` (the processor reaches `cache.`,"
          + " `control.` and `token.` under it on 443). Required with a v2 key; with a v1 or legacy"
          + " key it replaces the endpoint inside the key."),
  MOMENTO_WEBHOOK_SECRETS(
      null,
      true,
      "Momento mode: comma-separated webhook secrets accepted for `momento-signature`, beside"
          + " those read from Momento for the webhooks the routes name. Optional when every webhook"
          + " route names its webhook. Re-read at each reload when it is a JNDI entry."),
  MOMENTO_WEBHOOK_SECRETS_FILE(
      null,
      false,
      "Momento mode: a file of webhook secrets (one per line, or comma-separated), accepted as"
          + " `MOMENTO_WEBHOOK_SECRETS` is; re-read at each reload (JMX or"
          + " `POST /api/pipeline/reload-routes`)."),
  MOMENTO_LOCAL_ENDPOINT(
      "embedded",
      false,
      "Local mode: `embedded` starts Local Momento inside the application; `host:port` uses the"
          + " TLS listener of one running as its own process (`java -jar local-momento.jar`)."),
  LOCAL_MOMENTO_ENDPOINT(
      "momento.localhost", false, "Local mode: the endpoint name of Local Momento."),
  LOCAL_MOMENTO_BIND("127.0.0.1", false, "Local mode, embedded: address Local Momento binds to."),
  LOCAL_MOMENTO_PLAINTEXT_PORT(
      "9080", false, "Local mode, embedded: plaintext gRPC port (`-1` off, `0` any free port)."),
  LOCAL_MOMENTO_TLS_PORT("9443", false, "Local mode, embedded: TLS gRPC port (`0` any free port)."),
  TOPIC_PROCESSOR_ROUTES(
      null, false, "Path of the routes file (JSON). Unset: the routes built into the WAR."),
  TOPIC_PROCESSOR_BASE_URL(
      null,
      false,
      "Local mode: the URL at which Local Momento reaches this application, e.g."
          + " `http://localhost:8080/topic-processor`. Unset: found from the server's HTTP"
          + " connector and the context path."),
  TOPIC_PROCESSOR_FRESHNESS_SECONDS(
      "60", false, "Events whose `publish_timestamp` is older than this are rejected."),
  TOPIC_PROCESSOR_FUTURE_TOLERANCE_SECONDS(
      "10", false, "Events whose `publish_timestamp` is further ahead than this are rejected."),
  TOPIC_PROCESSOR_MAX_BODY_BYTES(
      "65536", false, "Largest webhook body accepted (413 beyond); at most 1000000."),
  TOPIC_PROCESSOR_WORKERS(
      "4", false, "Threads processing events where the server has no managed executor (Tomcat)."),
  TOPIC_PROCESSOR_MANAGED_EXECUTOR(
      "java:jboss/ee/concurrency/executor/topic-processor",
      false,
      "JNDI name of the managed executor to process on (WildFly: made by"
          + " `server-config/wildfly/topic-processor.cli`); if absent,"
          + " `java:comp/DefaultManagedExecutorService`; if that is absent too (Tomcat), a pool"
          + " of `TOPIC_PROCESSOR_WORKERS` threads."),
  TOPIC_PROCESSOR_QUEUE_CAPACITY(
      "1000",
      false,
      "Events held in memory waiting for a worker; beyond it accepted events wait in the journal"
          + " and are read back as workers free up."),
  TOPIC_PROCESSOR_JOURNAL_DATASOURCE(
      null,
      false,
      "JNDI name of the `DataSource` holding the journal (PostgreSQL or H2), e.g."
          + " `java:comp/env/jdbc/TopicProcessorJournal` (Tomcat) or"
          + " `java:jboss/datasources/TopicProcessorJournal` (WildFly). Unset: an embedded H2"
          + " database in `TOPIC_PROCESSOR_DATA_DIR`."),
  TOPIC_PROCESSOR_JOURNAL_URL(
      null,
      false,
      "JDBC URL of the journal's database, with a pool of the processor's own (HikariCP), e.g."
          + " `jdbc:postgresql://127.0.0.1:5432/topicprocessor`: how several nodes share one"
          + " PostgreSQL journal. Not with `TOPIC_PROCESSOR_JOURNAL_DATASOURCE`."),
  TOPIC_PROCESSOR_JOURNAL_USER(null, false, "User of `TOPIC_PROCESSOR_JOURNAL_URL`."),
  TOPIC_PROCESSOR_JOURNAL_PASSWORD(
      null, true, "Password of `TOPIC_PROCESSOR_JOURNAL_URL` (a secret: never logged)."),
  TOPIC_PROCESSOR_JOURNAL_POOL_SIZE(
      "10", false, "Connections of the pool `TOPIC_PROCESSOR_JOURNAL_URL` gets, at most."),
  TOPIC_PROCESSOR_DATA_DIR(
      null,
      false,
      "Directory of the embedded journal (`<dir>/<context name>/journal.mv.db`). Unset:"
          + " `${jboss.server.data.dir}/topic-processor` on WildFly,"
          + " `${catalina.base}/data/topic-processor` on Tomcat, else"
          + " `~/.topic-processor`."),
  TOPIC_PROCESSOR_NODE_ID(
      null,
      false,
      "This node's name in the journal, unique among the nodes sharing it (at most 200"
          + " characters). Unset: `<host name>:<HTTP port>`."),
  TOPIC_PROCESSOR_LEASE_SECONDS(
      "30",
      false,
      "How long a node's claims on events, and the subscriptions it holds, outlive its last"
          + " heartbeat (sent every tenth of it, at least every second); then another node takes"
          + " them over."),
  TOPIC_PROCESSOR_JOURNAL_BACKLOG_LIMIT(
      "100000",
      false,
      "Accepted events not yet processed; beyond it webhooks are answered 503 (and Momento"
          + " drops them)."),
  TOPIC_PROCESSOR_RETRY_SECONDS(
      "86400",
      false,
      "How long an event whose publishing fails with a retriable error keeps being retried (also"
          + " across restarts) before it becomes a dead letter."),
  TOPIC_PROCESSOR_RETRY_INITIAL_BACKOFF_MS(
      "1000", false, "First delay before an event is processed again; doubles, with jitter."),
  TOPIC_PROCESSOR_RETRY_MAX_BACKOFF_MS("60000", false, "Longest delay between event retries."),
  TOPIC_PROCESSOR_SUBSCRIPTION_SILENCE_SECONDS(
      "60",
      false,
      "Subscription routes: a stream with no item and no heartbeat for this long is taken for"
          + " dead and reconnected."),
  TOPIC_PROCESSOR_SUBSCRIPTION_MAX_BACKOFF_MS(
      "30000",
      false,
      "Subscription routes: longest wait between reconnection attempts (exponential from 250 ms,"
          + " with jitter)."),
  TOPIC_PROCESSOR_SHUTDOWN_GRACE_SECONDS(
      "10",
      false,
      "At undeploy or shutdown, how long events being processed may take to finish; the rest"
          + " stay in the journal for the next start."),
  TOPIC_PROCESSOR_OPERATOR_TOKEN(
      null,
      true,
      "Bearer token for the dead-letter API (`Authorization: Bearer <token>`). Unset, in local"
          + " mode: callers on the loopback address are operators."),
  TOPIC_PROCESSOR_OPERATOR_ROLE(
      "topic-processor-operator",
      false,
      "Container role that may use the dead-letter API (HTTP Basic against the server's realm)."),
  TOPIC_PROCESSOR_PUBLISH_TIMEOUT_SECONDS("5", false, "Deadline of one publish to Momento."),
  TOPIC_PROCESSOR_PUBLISH_MAX_ATTEMPTS(
      "3",
      false,
      "Attempts per outbound message for retriable publish errors, before the event is retried"
          + " later from the journal."),
  TOPIC_PROCESSOR_PUBLISH_INITIAL_BACKOFF_MS(
      "100", false, "First retry delay; it doubles per attempt, with full jitter."),
  TOPIC_PROCESSOR_PUBLISH_MAX_BACKOFF_MS("5000", false, "Longest retry delay."),
  TOPIC_PROCESSOR_PROCESSOR_TIMEOUT_MS(
      "30000",
      false,
      "How long an asynchronous processor step may take; past it the event is retried later."),
  TOPIC_PROCESSOR_BREAKER_FAILURE_RATE(
      "50",
      false,
      "Per destination: the percentage of failed attempts (out of its last 20, once 10 are seen)"
          + " that opens its circuit breaker; while open, its events wait in the journal."),
  TOPIC_PROCESSOR_BREAKER_OPEN_MS(
      "5000",
      false,
      "How long a destination's breaker stays open before 3 trial deliveries decide whether it"
          + " closes."),
  TOPIC_PROCESSOR_DESTINATION_CONCURRENCY(
      "32", false, "Deliveries under way at once to one destination; the rest wait their turn."),
  TOPIC_PROCESSOR_CONSOLE(
      null,
      false,
      "`on`/`off`: the console API (publish to a topic, watch topics live) behind"
          + " `index.html`. Unset: on in local mode, off in Momento mode.");

  private final String defaultValue;
  private final boolean secret;
  private final String description;

  Setting(String defaultValue, boolean secret, String description) {
    this.defaultValue = defaultValue;
    this.secret = secret;
    this.description = description;
  }

  /** The default, or null when the setting has none. */
  public String defaultValue() {
    return defaultValue;
  }

  /** Whether the value must never be logged or shown. */
  public boolean secret() {
    return secret;
  }

  /**
   * The value as a log may show it: a JDBC URL without its parameters and user info, which may hold
   * a password; other values as they are (secrets are never shown at all).
   */
  public String shown(String value) {
    return this == TOPIC_PROCESSOR_JOURNAL_URL ? JdbcUrls.withoutCredentials(value) : value;
  }

  public String description() {
    return description;
  }
}
