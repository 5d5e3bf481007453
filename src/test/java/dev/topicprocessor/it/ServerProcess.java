package dev.topicprocessor.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The application server as an operator runs it: its own process, started by the server's own
 * script with the packaged WAR deployed, on an instance directory that outlives the process (where
 * the default journal lives). The same {@link #start()} every time: the "same run command".
 */
public final class ServerProcess implements AutoCloseable {

  private final String server;
  private final Path home;
  private final Path base;
  private final int httpPort;
  private final Map<String, String> settings;
  private final List<String> jvmOptions;
  private final Map<String, String> environment = new java.util.TreeMap<>();
  private final java.util.Set<String> unset = new java.util.TreeSet<>();
  private Process process;
  private int starts;

  /**
   * @param server {@code tomcat} or {@code wildfly}
   * @param base the instance directory, made afresh from the test server's configuration
   */
  ServerProcess(String server, Path base, int httpPort, Map<String, String> settings)
      throws IOException {
    this(server, base, httpPort, settings, List.of("-Xmx512m"));
  }

  /**
   * @param jvmOptions options of the server's JVM (heap, GC log, ...)
   */
  public ServerProcess(
      String server, Path base, int httpPort, Map<String, String> settings, List<String> jvmOptions)
      throws IOException {
    this.server = server;
    this.jvmOptions = List.copyOf(jvmOptions);
    this.base = base;
    this.httpPort = httpPort;
    this.settings = settings;
    delete(base);
    Path war = Path.of(System.getProperty("it.war", "target/topic-processor.war"));
    if ("wildfly".equals(server)) {
      home = Path.of(System.getProperty("it.wildfly.home"));
      copy(home.resolve("standalone/configuration"), base.resolve("configuration"));
      Files.createDirectories(base.resolve("deployments"));
      Files.copy(war, base.resolve("deployments/topic-processor.war"));
    } else {
      home = Path.of(System.getProperty("it.tomcat.home"));
      copy(home.resolve("conf"), base.resolve("conf"));
      for (String dir : List.of("logs", "temp", "work", "webapps")) {
        Files.createDirectories(base.resolve(dir));
      }
      Files.copy(war, base.resolve("webapps/topic-processor.war"));
    }
  }

  /**
   * Deploys one more WAR beside the application, as {@code <context>.war}; before {@link #start()}.
   */
  public void deploy(Path war, String context) throws IOException {
    Path deployments = base.resolve("wildfly".equals(server) ? "deployments" : "webapps");
    Files.copy(war, deployments.resolve(context + ".war"), StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * Sets an environment variable of the server's process from the next start: how a secret is given
   * (servers log their command line, and with it every {@code -D} option).
   */
  public void environment(String name, String value) {
    environment.put(name, value);
  }

  /**
   * Keeps an environment variable of the test JVM (say one the build sets for every test server)
   * from the server's process from the next start.
   */
  public void withoutEnvironment(String name) {
    unset.add(name);
  }

  /** Whether the server's process runs. */
  public boolean running() {
    return process != null && process.isAlive();
  }

  /** The server's JVM (not the script that started it), while it runs. */
  public ProcessHandle jvm() {
    return process
        .descendants()
        .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false))
        .findFirst()
        .orElse(process.toHandle());
  }

  /** Whether the processor's setting of this name is a secret (servers log every -D option). */
  private static boolean secret(String name) {
    for (dev.topicprocessor.config.Setting setting : dev.topicprocessor.config.Setting.values()) {
      if (setting.name().equals(name)) {
        return setting.secret();
      }
    }
    return false;
  }

  public URI url() {
    return URI.create("http://127.0.0.1:" + httpPort + "/topic-processor/");
  }

  public Path base() {
    return base;
  }

  /** What the server's process of the latest start printed (its console). */
  public Path consoleLog() {
    return base.resolve("console-" + starts + ".log");
  }

  /** Starts the server and waits until the application reports it is ready. */
  public void start() throws Exception {
    List<String> options = new ArrayList<>(jvmOptions);
    Map<String, String> secrets = new java.util.TreeMap<>(environment);
    settings.forEach(
        (name, value) -> {
          if (secret(name)) {
            secrets.put(name, value); // as the README tells operators: never a -D option
          } else {
            options.add("-D" + name + "=" + value);
          }
        });
    ProcessBuilder builder;
    if ("wildfly".equals(server)) {
      int offset = httpPort - 8080;
      List<String> command =
          new ArrayList<>(
              List.of(
                  "bash",
                  home.resolve("bin/standalone.sh").toString(),
                  "-Djboss.server.base.dir=" + base,
                  "-Djboss.socket.binding.port-offset=" + offset,
                  "-Djboss.bind.address=127.0.0.1",
                  "-Djboss.bind.address.management=127.0.0.1"));
      builder = new ProcessBuilder(command);
      builder.environment().put("JAVA_OPTS", String.join(" ", options));
    } else {
      options.add("-Dport.http=" + httpPort);
      builder = new ProcessBuilder("bash", home.resolve("bin/catalina.sh").toString(), "run");
      builder.environment().put("CATALINA_HOME", home.toString());
      builder.environment().put("CATALINA_BASE", base.toString());
      builder.environment().put("CATALINA_OPTS", String.join(" ", options));
    }
    unset.forEach(builder.environment()::remove);
    builder.environment().putAll(secrets);
    starts++;
    builder.redirectErrorStream(true);
    builder.redirectOutput(base.resolve("console-" + starts + ".log").toFile());
    process = builder.start();
    awaitReady(Duration.ofSeconds(180));
  }

  private void awaitReady(Duration max) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(server + " ended while starting; see " + consoleLog());
      }
      try {
        HttpResponse<String> health =
            Answers.send(
                client,
                HttpRequest.newBuilder(url().resolve("api/health"))
                    .timeout(Duration.ofSeconds(5))
                    .build());
        if (health.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(server + " was not ready within " + max);
  }

  /** kill -9 of the server's JVM: no shutdown hook, no undeploy, nothing flushed. */
  public void kill() throws InterruptedException {
    List<ProcessHandle> jvms = new ArrayList<>();
    process.descendants().forEach(jvms::add);
    jvms.add(process.toHandle());
    for (ProcessHandle jvm : jvms) {
      if (jvm.info().command().map(c -> c.endsWith("/java")).orElse(false)) {
        jvm.destroyForcibly(); // SIGKILL
      }
    }
    process.destroyForcibly();
    process.waitFor();
    for (ProcessHandle jvm : jvms) {
      jvm.onExit().join();
    }
  }

  @Override
  public void close() throws Exception {
    if (process != null && process.isAlive()) {
      kill();
    }
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  public static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
