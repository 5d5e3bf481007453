package dev.topicprocessor.localmomento;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import grpc.control_client._CreateCacheRequest;
import grpc.webhook._GetWebhookSecretRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Local Momento started with an API key answers every other key as Momento does. */
class LocalMomentoApiKeyTest {

  /** The Rust SDK's published v2 test key: the shape the console issues today. */
  static final String KEY =
      "eyJhbGciOiJIUzUxMiIsInR5cCI6IkpXVCJ9.eyJ0IjoiZyIsImp0aSI6InNvbWUtaWQifQ."
          + "GMr9nA6HE0ttB6llXct_2Sg5-fOKGFbJCdACZFgNbN1fhT6OPg_hVc8ThGzBrWC_RlsBpLA1nzqK3SOJDXYxAw";

  private static LocalMomento momento;

  @BeforeAll
  static void start() throws Exception {
    momento =
        LocalMomento.start(
            LocalMomentoMain.parse(
                new String[] {"--plaintext-port", "0", "--tls-port", "0"},
                Map.of("LOCAL_MOMENTO_API_KEY", KEY)));
  }

  @AfterAll
  static void stop() {
    momento.close();
  }

  @Test
  void theKeyItWasGivenIsAcceptedForEveryService() throws Exception {
    try (RawClient client = new RawClient(momento.plaintextPort(), KEY)) {
      client.publish("default-cache", "t", "hello");
      client.control.createCache(_CreateCacheRequest.newBuilder().setCacheName("c2").build());
    }
  }

  @Test
  void everyOtherKeyIsUnauthenticatedOnEveryService() throws Exception {
    for (String wrong : new String[] {KEY + "x", KEY.substring(1), "any-key", ""}) {
      try (RawClient client = new RawClient(momento.plaintextPort(), wrong)) {
        assertUnauthenticated(() -> client.publish("default-cache", "t", "hello"));
        assertUnauthenticated(
            () ->
                client.control.createCache(
                    _CreateCacheRequest.newBuilder().setCacheName("c3").build()));
        assertUnauthenticated(
            () ->
                client.webhooks.getWebhookSecret(
                    _GetWebhookSecretRequest.newBuilder()
                        .setCacheName("default-cache")
                        .setWebhookName("w")
                        .build()));
        RawClient.Stream stream = client.subscribe("default-cache", "t", 0, 0);
        Status end = stream.end.poll(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS);
        assertEquals(Status.Code.UNAUTHENTICATED, end == null ? null : end.getCode());
      }
    }
    try (RawClient client = new RawClient(momento.plaintextPort(), null)) {
      assertUnauthenticated(() -> client.publish("default-cache", "t", "hello"));
    }
  }

  @Test
  void theBannerSaysOnlyOneKeyIsAcceptedWithoutPrintingIt() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    LocalMomentoMain.printBanner(momento, new PrintStream(out, true, StandardCharsets.UTF_8));
    String banner = out.toString(StandardCharsets.UTF_8);
    assertTrue(banner.contains("only the one given"), banner);
    assertTrue(!banner.contains(KEY.substring(KEY.lastIndexOf('.'))), banner);
  }

  @Test
  void aKeyWithBlanksIsRefusedWithoutQuotingIt() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> LocalMomentoConfig.defaults().withApiKey("secret part"));
    assertTrue(!e.getMessage().contains("secret part"), e.getMessage());
  }

  private static void assertUnauthenticated(Runnable call) {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call::run);
    assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode(), e.toString());
  }
}
