package dev.topicprocessor.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** Reads a child process's output on a daemon thread of its own, so that it never blocks. */
public final class ProcessOutput {

  private ProcessOutput() {}

  /**
   * Follows {@code process}'s output and waits until a line matches {@code ready}; every other line
   * goes to {@code others}.
   *
   * @return whether the line came within {@code max}
   */
  public static boolean awaitLine(
      Process process,
      String threadName,
      Predicate<String> ready,
      Consumer<String> others,
      Duration max)
      throws InterruptedException {
    CountDownLatch seen = new CountDownLatch(1);
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                  if (ready.test(line)) {
                    seen.countDown();
                  } else {
                    others.accept(line);
                  }
                }
              } catch (IOException e) {
                // ended
              }
            },
            threadName);
    reader.setDaemon(true);
    reader.start();
    return seen.await(max.toMillis(), TimeUnit.MILLISECONDS);
  }
}
