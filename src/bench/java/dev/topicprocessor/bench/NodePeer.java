package dev.topicprocessor.bench;

import dev.topicprocessor.it.ProcessOutput;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The seed's handler ({@code src/bench/node/handler.mjs}) in its own Node.js process. */
final class NodePeer implements AutoCloseable {

  private final Process process;
  private final int port;

  /**
   * @param dir where {@code npm ci} installed it (handler.mjs and node_modules)
   */
  NodePeer(Path dir, int port, int momentoPlaintextPort) throws Exception {
    this.port = port;
    ProcessBuilder builder =
        new ProcessBuilder("node", "handler.mjs").directory(dir.toFile()).redirectErrorStream(true);
    builder.environment().put("PORT", String.valueOf(port));
    builder.environment().put("MOMENTO_LOCAL_PORT", String.valueOf(momentoPlaintextPort));
    process = builder.start();
    if (!ProcessOutput.awaitLine(
        process,
        "node-peer-output",
        line -> line.equals("listening"),
        line -> System.out.println("node peer: " + line),
        Duration.ofSeconds(30))) {
      process.destroyForcibly();
      throw new IllegalStateException("the Node.js peer did not start");
    }
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + port + "/");
  }

  ProcessHandle handle() {
    return process.toHandle();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
