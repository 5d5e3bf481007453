package dev.topicprocessor.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
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
    CountDownLatch listening = new CountDownLatch(1);
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                  if (line.equals("listening")) {
                    listening.countDown();
                  } else {
                    System.out.println("node peer: " + line);
                  }
                }
              } catch (IOException e) {
                // ended
              }
            },
            "node-peer-output");
    reader.setDaemon(true);
    reader.start();
    if (!listening.await(30, TimeUnit.SECONDS)) {
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
