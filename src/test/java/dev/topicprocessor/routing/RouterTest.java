package dev.topicprocessor.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topicprocessor.processor.builtin.Uppercase;
import dev.topicprocessor.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The routes file read again while the router serves: all or nothing. */
class RouterTest {

  @TempDir Path dir;

  private static final String ONE =
      """
      {"routes": [{"name": "seed", "cache": "c", "topic": "in", "processors": ["uppercase"],
                   "outbound": ["out"]}]}
      """;

  private Router router(Path file) {
    return Router.reading(
        Fixtures.settings(Map.of("TOPIC_PROCESSOR_ROUTES", file.toString())),
        name -> "uppercase".equals(name) ? Optional.of(new Uppercase()) : Optional.empty());
  }

  @Test
  void aReloadPutsTheNewRoutesInForceAllTogether() throws Exception {
    Path file = Files.writeString(dir.resolve("routes.json"), ONE);
    Router router = router(file);
    assertEquals(List.of("seed"), router.routes().stream().map(Route::name).toList());
    Files.writeString(
        file,
        """
        {"routes": [
          {"name": "seed", "cache": "c", "topic": "in", "processors": ["uppercase"],
           "outbound": ["out"]},
          {"name": "more", "cache": "c", "topic": "other", "outbound": ["elsewhere"]}]}
        """);
    List<Route> now = router.reload(routes -> {});
    assertEquals(List.of("seed", "more"), now.stream().map(Route::name).toList());
    assertEquals(1, router.match("c", "other").size(), "the new route serves at once");
  }

  @Test
  void aBrokenFileIsRefusedSayingWhyAndTheRoutesInForceStay() throws Exception {
    Path file = Files.writeString(dir.resolve("routes.json"), ONE);
    Router router = router(file);
    Files.writeString(file, "{\"routes\": [{\"name\": \"seed\", ");
    InvalidRoutesException broken =
        assertThrows(InvalidRoutesException.class, () -> router.reload(routes -> {}));
    assertTrue(broken.getMessage().contains("routes.json"), broken.getMessage());
    Files.writeString(
        file,
        """
        {"routes": [{"name": "seed", "cache": "c", "topic": "in", "processors": ["nosuch"],
                     "outbound": ["out"]}]}
        """);
    InvalidRoutesException unknown =
        assertThrows(InvalidRoutesException.class, () -> router.reload(routes -> {}));
    assertTrue(unknown.getMessage().contains("nosuch"), unknown.getMessage());
    assertEquals(List.of("seed"), router.routes().stream().map(Route::name).toList());
    assertEquals(1, router.match("c", "in").size(), "the old routes still serve");
  }

  @Test
  void routesRefusedBeforeTheSwapAreNeverInForce() throws Exception {
    Path file = Files.writeString(dir.resolve("routes.json"), ONE);
    Router router = router(file);
    Files.writeString(
        file,
        """
        {"routes": [{"name": "other", "cache": "c", "topic": "x", "outbound": ["y"]}]}
        """);
    List<String> seen = new java.util.ArrayList<>();
    InvalidRoutesException refused =
        assertThrows(
            InvalidRoutesException.class,
            () ->
                router.reload(
                    routes -> {
                      routes.forEach(r -> seen.add(r.name()));
                      throw new InvalidRoutesException("not now");
                    }));
    assertEquals("not now", refused.getMessage());
    assertEquals(List.of("other"), seen, "the new routes were shown before the swap");
    assertEquals(List.of("seed"), router.routes().stream().map(Route::name).toList());
  }
}
