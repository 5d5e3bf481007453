package dev.topicprocessor.localmomento;

import dev.topicprocessor.localmomento.client.LocalApiKey;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar target/local-momento.jar [--option=value ...]}: Local Momento as its own
 * process. Every option can also come from an environment variable {@code LOCAL_MOMENTO_<OPTION>}
 * (upper case, dashes as underscores); the command line wins.
 */
public final class LocalMomentoMain {

  private static final Map<String, String> OPTIONS = new LinkedHashMap<>();

  static {
    OPTIONS.put("bind", "address both listeners bind to (default 127.0.0.1)");
    OPTIONS.put("plaintext-port", "plaintext gRPC port, -1 for off (default 9080)");
    OPTIONS.put("tls-port", "TLS gRPC port, -1 for off (default 9443)");
    OPTIONS.put("endpoint", "endpoint name in the TLS certificate (default momento.localhost)");
    OPTIONS.put(
        "caches", "comma-separated caches that exist from the start (default default-cache)");
    OPTIONS.put("history-size", "messages kept per topic for resuming subscribers (default 10000)");
    OPTIONS.put("heartbeat-seconds", "heartbeat interval of idle subscriptions (default 5)");
    OPTIONS.put("topic-idle-minutes", "minutes before an unused topic is forgotten (default 15)");
    OPTIONS.put("max-payload-bytes", "largest message Publish accepts (default 4096)");
    OPTIONS.put("webhooks-per-cache", "most webhooks per cache (default 5)");
    OPTIONS.put("webhook-timeout-seconds", "time limit of one webhook delivery (default 5)");
    OPTIONS.put(
        "api-key",
        "the one API key accepted; every other call is answered UNAUTHENTICATED, as Momento"
            + " does (default: any key)");
    OPTIONS.put(
        "certificate-file",
        "PKCS#12 file keeping the TLS identity across restarts, made if absent (default: a new"
            + " identity per start)");
  }

  private LocalMomentoMain() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    if (System.getProperty("http.maxConnections") == null) {
      // The JDK keeps 5 idle connections per host by default: with more webhook senders, every
      // other delivery would open a new connection, as no Momento delivery fleet does. Only here,
      // in a JVM of its own: embedded in an application, JVM-wide settings are the server's.
      System.setProperty("http.maxConnections", String.valueOf(LocalMomento.WEBHOOK_SENDERS));
    }
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
      System.setProperty(
          "java.util.logging.SimpleFormatter.format", "%1$tT.%1$tL %4$s %3$s: %5$s%6$s%n");
    }
    LocalMomentoConfig config;
    try {
      if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
        usage(System.out);
        return;
      }
      config = parse(args, System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("local-momento: " + e.getMessage());
      usage(System.err);
      System.exit(2);
      return;
    }
    LocalMomento momento = LocalMomento.start(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  momento.close();
                  System.out.println("Local Momento stopped.");
                  stopped.countDown();
                },
                "local-momento-shutdown"));
    printBanner(momento, System.out);
    stopped.await();
  }

  static LocalMomentoConfig parse(String[] args, Map<String, String> env) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String option : OPTIONS.keySet()) {
      String fromEnv =
          env.get("LOCAL_MOMENTO_" + option.toUpperCase(Locale.ROOT).replace('-', '_'));
      if (fromEnv != null && !fromEnv.isBlank()) {
        values.put(option, fromEnv.trim());
      }
    }
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument '" + arg + "'");
      }
      String name = arg.substring(2);
      String value;
      int equals = name.indexOf('=');
      if (equals >= 0) {
        value = name.substring(equals + 1);
        name = name.substring(0, equals);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new IllegalArgumentException("option --" + name + " needs a value");
      }
      if (!OPTIONS.containsKey(name)) {
        throw new IllegalArgumentException("unknown option --" + name);
      }
      values.put(name, value.trim());
    }

    LocalMomentoConfig config = LocalMomentoConfig.defaults();
    for (Map.Entry<String, String> entry : values.entrySet()) {
      String value = entry.getValue();
      config =
          switch (entry.getKey()) {
            case "bind" -> config.withBindAddress(value);
            case "plaintext-port" -> config.withPorts(integer(entry), config.tlsPort());
            case "tls-port" -> config.withPorts(config.plaintextPort(), integer(entry));
            case "endpoint" -> config.withEndpoint(value);
            case "caches" ->
                config.withCaches(
                    Arrays.stream(value.split(","))
                        .map(String::trim)
                        .filter(s -> !s.isEmpty())
                        .toList());
            case "history-size" -> config.withHistorySize(integer(entry));
            case "heartbeat-seconds" ->
                config.withHeartbeatInterval(Duration.ofSeconds(integer(entry)));
            case "topic-idle-minutes" ->
                config.withTopicIdleTimeout(Duration.ofMinutes(integer(entry)));
            case "max-payload-bytes" -> config.withMaxPayloadBytes(integer(entry));
            case "webhooks-per-cache" -> config.withWebhooksPerCache(integer(entry));
            case "webhook-timeout-seconds" ->
                config.withWebhookTimeout(Duration.ofSeconds(integer(entry)));
            case "certificate-file" -> config.withCertificateFile(java.nio.file.Path.of(value));
            case "api-key" -> config.withApiKey(value);
            default -> throw new IllegalStateException(entry.getKey());
          };
    }
    return config;
  }

  private static int integer(Map.Entry<String, String> option) {
    try {
      return Integer.parseInt(option.getValue());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "--" + option.getKey() + " must be a whole number, got '" + option.getValue() + "'");
    }
  }

  static void printBanner(LocalMomento momento, PrintStream out) {
    LocalMomentoConfig config = momento.config();
    String host = config.bindAddress();
    out.println("Local Momento is running.");
    if (momento.plaintextPort() >= 0) {
      out.printf(
          "  plaintext gRPC  %s:%d   any SDK's MomentoLocalProvider(\"%s\", %d)%n",
          host, momento.plaintextPort(), host, momento.plaintextPort());
    }
    if (momento.tlsPort() >= 0) {
      out.printf(
          "  TLS gRPC        %s:%d   Java SDK 1.21.0: LocalMomentoConnection.connect(\"%s\", %d)"
              + " (endpoint %s)%n",
          host, momento.tlsPort(), host, momento.tlsPort(), config.endpoint());
    }
    out.println("  caches          " + String.join(", ", config.caches()));
    if (config.apiKey() != null) {
      out.println(
          "  API key         only the one given (--api-key / LOCAL_MOMENTO_API_KEY); with"
              + " MOMENTO_ENDPOINT="
              + config.endpoint()
              + " for a v2 key");
    } else {
      out.println("  API key         any key; for the TLS endpoint use a v1 key naming it:");
      out.println("                  " + LocalApiKey.forEndpoint(config.endpoint()));
    }
    out.println("Stop it with Ctrl+C.");
    out.flush();
  }

  private static void usage(PrintStream out) {
    out.println("usage: java -jar local-momento.jar [--option=value ...]");
    OPTIONS.forEach((name, help) -> out.printf("  --%-24s %s%n", name, help));
    out.println(
        "Each option can also be set as LOCAL_MOMENTO_<OPTION>, e.g. LOCAL_MOMENTO_TLS_PORT.");
  }
}
