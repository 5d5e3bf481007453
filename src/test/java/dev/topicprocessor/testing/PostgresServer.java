package dev.topicprocessor.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A throwaway PostgreSQL server from Debian's packages (`apt-get install postgresql`), in a
 * temporary directory on a free loopback port. Without PostgreSQL installed the tests that need it
 * are skipped, unless {@code TOPIC_PROCESSOR_TEST_POSTGRES=required} (as in CI): then they fail.
 */
public final class PostgresServer implements AutoCloseable {

  private final Path bin;
  private final Path data;
  private final int port;
  private final boolean asPostgresUser;

  private PostgresServer(Path bin, Path data, int port, boolean asPostgresUser) {
    this.bin = bin;
    this.data = data;
    this.port = port;
    this.asPostgresUser = asPostgresUser;
  }

  public static PostgresServer start() throws Exception {
    Optional<Path> bin = findBin();
    if (bin.isEmpty()) {
      String message = "PostgreSQL is not installed (apt-get install postgresql)";
      if ("required".equals(System.getenv("TOPIC_PROCESSOR_TEST_POSTGRES"))) {
        throw new IllegalStateException(message);
      }
      Assumptions.abort(message + ": the PostgreSQL journal tests are skipped");
    }
    boolean root = "root".equals(System.getProperty("user.name"));
    Path data = Files.createTempDirectory("tp-postgres");
    if (root) {
      run(List.of("chown", "postgres:postgres", data.toString()));
    }
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    PostgresServer server = new PostgresServer(bin.get(), data, port, root);
    server.pg(
        "initdb",
        "-D",
        data.resolve("db").toString(),
        "-A",
        "trust",
        "-U",
        "tp",
        "-E",
        "UTF8",
        "--no-sync");
    server.resume();
    return server;
  }

  /** Stops the server as an operator's {@code pg_ctl stop} does: every connection is cut. */
  public void halt() throws IOException, InterruptedException {
    pg("pg_ctl", "-D", data.resolve("db").toString(), "-m", "fast", "-w", "stop");
  }

  /** Starts the server (again), on the same port with the same data. */
  public void resume() throws IOException, InterruptedException {
    pg(
        "pg_ctl",
        "-D",
        data.resolve("db").toString(),
        "-o",
        "-p " + port + " -k " + data + " -c listen_addresses=127.0.0.1",
        "-l",
        data.resolve("log").toString(),
        "-w",
        "start");
  }

  /** The loopback port it listens on; database {@code postgres}, user {@code tp}, no password. */
  public int port() {
    return port;
  }

  /** The JDBC URL of {@code database} on it. */
  public String url(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  /** Makes a new, empty database on it. */
  public void createDatabase(String name) throws java.sql.SQLException {
    try (java.sql.Connection c = dataSource().getConnection();
        java.sql.Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
  }

  public PGSimpleDataSource dataSource() {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setServerNames(new String[] {"127.0.0.1"});
    dataSource.setPortNumbers(new int[] {port});
    dataSource.setDatabaseName("postgres");
    dataSource.setUser("tp");
    return dataSource;
  }

  @Override
  public void close() throws Exception {
    try {
      pg("pg_ctl", "-D", data.resolve("db").toString(), "-m", "immediate", "-w", "stop");
    } finally {
      try (Stream<Path> files = Files.walk(data)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private void pg(String... command) throws IOException, InterruptedException {
    List<String> line = new ArrayList<>();
    if (asPostgresUser) {
      line.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    line.add(bin.resolve(command[0]).toString());
    line.addAll(List.of(command).subList(1, command.length));
    run(line);
  }

  private static void run(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException(command + " failed: " + new String(output));
    }
  }

  private static Optional<Path> findBin() throws IOException {
    Path root = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(root)) {
      return Optional.empty();
    }
    try (Stream<Path> versions = Files.list(root)) {
      return versions
          .map(v -> v.resolve("bin"))
          .filter(b -> Files.isExecutable(b.resolve("postgres")))
          .max(Comparator.comparing(b -> Integer.parseInt(b.getParent().getFileName().toString())));
    }
  }
}
