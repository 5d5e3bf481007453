package dev.topicprocessor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The console page in a real browser: {@code src/test/browser/console.test.mjs} drives Debian's
 * chromium with playwright-core against the packaged WAR (publish "hello" and see "HELLO" live; a
 * message too large for Momento under dead letters, replayed and deleted; the charts after traffic;
 * pause holding the flow and resume bringing it through; no console error). On Tomcat. Without
 * chromium or {@code npm ci --prefix src/test/browser} it is skipped, unless {@code
 * TOPIC_PROCESSOR_TEST_BROWSER=required} (as in CI): then it fails.
 */
@ExtendWith(LocalMomentoForTests.class)
@ExtendWith(ArquillianExtension.class)
class ConsoleBrowserIT {

  private static final Path SCRIPTS = Path.of("src", "test", "browser").toAbsolutePath();
  private static final Path CHROMIUM =
      Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));

  @Deployment(testable = false)
  static WebArchive war() {
    return Deployments.packagedWar();
  }

  @ArquillianResource URL base;

  @Test
  void theConsoleWorksInABrowser() throws Exception {
    Assumptions.assumeTrue(
        "tomcat".equals(System.getProperty("it.server", "tomcat")), "the browser test: on Tomcat");
    String missing =
        !Files.isExecutable(CHROMIUM)
            ? "chromium is not installed (apt-get install chromium)"
            : !Files.isDirectory(SCRIPTS.resolve("node_modules/playwright-core"))
                ? "playwright-core is not installed (npm ci --prefix src/test/browser)"
                : null;
    if (missing != null) {
      if ("required".equals(System.getenv("TOPIC_PROCESSOR_TEST_BROWSER"))) {
        throw new IllegalStateException(missing);
      }
      Assumptions.abort(missing + ": the browser test is skipped");
    }
    Path output = Files.createTempFile("console-browser", ".txt");
    Process node =
        new ProcessBuilder("node", "console.test.mjs", base.toString(), "it-operator-token")
            .directory(SCRIPTS.toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    boolean ended = node.waitFor(3, TimeUnit.MINUTES);
    if (!ended) {
      node.destroyForcibly().waitFor();
    }
    String said = Files.readString(output, StandardCharsets.UTF_8);
    System.out.print(said);
    assertEquals(0, ended ? node.exitValue() : -1, "the browser test: " + said);
  }
}
