package dev.topicprocessor.momento;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import momento.sdk.TopicClient;
import momento.sdk.auth.StringCredentialProvider;
import momento.sdk.config.TopicConfigurations;
import momento.sdk.exceptions.InvalidArgumentException;
import org.junit.jupiter.api.Test;

class ApiKeyTest {

  /** The Rust SDK's published v2 test key: a shape, not a secret. */
  static final String RUST_V2_TEST_KEY =
      "eyJhbGciOiJIUzUxMiIsInR5cCI6IkpXVCJ9.eyJ0IjoiZyIsImp0aSI6InNvbWUtaWQifQ."
          + "GMr9nA6HE0ttB6llXct_2Sg5-fOKGFbJCdACZFgNbN1fhT6OPg_hVc8ThGzBrWC_RlsBpLA1nzqK3SOJDXYxAw";

  static final String ENDPOINT = "cell-1-us-east-1-1.prod.a.momentohq.com";

  static String v1(String endpoint, String apiKey) {
    String json = "{\"endpoint\":\"" + endpoint + "\",\"api_key\":\"" + apiKey + "\"}";
    return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  static String jwt(String claims) {
    Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
    return url.encodeToString(
            "{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
        + "."
        + url.encodeToString(claims.getBytes(StandardCharsets.UTF_8))
        + ".c2lnbmF0dXJlLW5vdC1jaGVja2VkLWhlcmU";
  }

  @Test
  void aV2KeyTakesItsEndpointsFromTheEndpointGivenBesideIt() {
    ApiKey key = ApiKey.parse(RUST_V2_TEST_KEY, Optional.of(ENDPOINT));
    assertEquals(ApiKey.Kind.V2, key.kind());
    assertEquals(RUST_V2_TEST_KEY, key.token(), "the key itself is the authorization value");
    assertEquals("cache." + ENDPOINT, key.cacheEndpoint());
    assertEquals("control." + ENDPOINT, key.controlEndpoint());
    assertEquals("token." + ENDPOINT, key.tokenEndpoint());
  }

  @Test
  void theSdkItselfRefusesAV2KeyWhichIsWhyTheProcessorReadsKeysItself() {
    // If this starts passing, a newer SDK reads v2 keys and ApiKeyCredentials may go.
    assertThrows(
        InvalidArgumentException.class, () -> new StringCredentialProvider(RUST_V2_TEST_KEY));
  }

  @Test
  void aV2KeyWithoutItsEndpointNamesTheEndpointSettingAsWhatIsMissing() {
    InvalidApiKeyException e =
        assertThrows(
            InvalidApiKeyException.class, () -> ApiKey.parse(RUST_V2_TEST_KEY, Optional.empty()));
    assertEquals(ApiKey.Part.ENDPOINT, e.part());
    assertTrue(e.getMessage().contains("v2"), e.getMessage());
    assertEquals(
        ApiKey.Part.ENDPOINT,
        assertThrows(
                InvalidApiKeyException.class,
                () -> ApiKey.parse(RUST_V2_TEST_KEY, Optional.of("  ")))
            .part(),
        "a blank endpoint is no endpoint");
  }

  @Test
  void aV1KeyGivesTheSameTokenAndEndpointsAsTheSdkReadsFromIt() {
    String key = v1("cell-4-us-west-2-1.prod.a.momentohq.com", "the-secret-part");
    ApiKey ours = ApiKey.parse(key, Optional.empty());
    StringCredentialProvider sdk = new StringCredentialProvider(key);
    assertEquals(ApiKey.Kind.V1, ours.kind());
    assertEquals(sdk.getAuthToken(), ours.token());
    assertEquals(sdk.getCacheEndpoint(), ours.cacheEndpoint());
    assertEquals(sdk.getControlEndpoint(), ours.controlEndpoint());
    assertEquals(sdk.getTokenEndpoint(), ours.tokenEndpoint());
    assertEquals(sdk.getStorageEndpoint(), ours.storageEndpoint());
  }

  @Test
  void aLegacyKeyGivesTheSameTokenAndEndpointsAsTheSdkReadsFromIt() {
    String key =
        jwt(
            "{\"sub\":\"someone\",\"c\":\"cache.cell-alpha-dev.preprod.a.momentohq.com\","
                + "\"cp\":\"control.cell-alpha-dev.preprod.a.momentohq.com\"}");
    ApiKey ours = ApiKey.parse(key, Optional.empty());
    StringCredentialProvider sdk = new StringCredentialProvider(key);
    assertEquals(ApiKey.Kind.LEGACY, ours.kind());
    assertEquals(sdk.getAuthToken(), ours.token());
    assertEquals(sdk.getCacheEndpoint(), ours.cacheEndpoint());
    assertEquals(sdk.getControlEndpoint(), ours.controlEndpoint());
    assertEquals(sdk.getTokenEndpoint(), ours.tokenEndpoint());
    assertNull(ours.storageEndpoint());
  }

  @Test
  void anEndpointGivenBesideAnOlderKeyWins() {
    ApiKey key =
        ApiKey.parse(v1("cell-4-us-west-2-1.prod.a.momentohq.com", "k"), Optional.of(ENDPOINT));
    assertEquals("cache." + ENDPOINT, key.cacheEndpoint());
    assertEquals("k", key.token());
  }

  @Test
  void theSdkBuildsATopicClientFromAV2KeyThroughOurCredentials() {
    ApiKeyCredentials credentials =
        new ApiKeyCredentials(ApiKey.parse(RUST_V2_TEST_KEY, Optional.of(ENDPOINT)));
    // The client connects lazily: making it proves the SDK takes the credentials.
    try (TopicClient client =
        TopicClient.create(credentials, TopicConfigurations.InRegion.latest())) {
      assertEquals("cache." + ENDPOINT, credentials.getCacheEndpoint());
      assertEquals(443, credentials.getPort());
      assertTrue(credentials.isEndpointSecure());
      assertFalse(client.toString().contains(RUST_V2_TEST_KEY));
    }
  }

  @Test
  void everyRefusalSaysWhichInputIsWrongAndNeverQuotesTheKey() {
    String v2 = RUST_V2_TEST_KEY;
    String v1Secret = "v1-secret-part-0123456789";
    List<Case> cases =
        List.of(
            new Case("", Optional.empty(), ApiKey.Part.KEY),
            new Case("not a key at all", Optional.empty(), ApiKey.Part.KEY),
            new Case("a.b", Optional.empty(), ApiKey.Part.KEY),
            new Case(v2 + ".extra", Optional.of(ENDPOINT), ApiKey.Part.KEY),
            new Case(v2.replace('e', '!'), Optional.of(ENDPOINT), ApiKey.Part.KEY),
            new Case(jwt("[1,2]"), Optional.of(ENDPOINT), ApiKey.Part.KEY),
            new Case(jwt("{\"sub\":\"x\"}"), Optional.empty(), ApiKey.Part.KEY),
            new Case(
                jwt("{\"c\":\"https://cache.x\",\"cp\":\"control.x\"}"),
                Optional.empty(),
                ApiKey.Part.KEY),
            new Case(v1("", v1Secret), Optional.empty(), ApiKey.Part.KEY),
            new Case(v1("bad host!", v1Secret), Optional.empty(), ApiKey.Part.KEY),
            new Case(v1("x.momentohq.com", ""), Optional.empty(), ApiKey.Part.KEY),
            new Case(
                Base64.getEncoder().encodeToString(v1Secret.getBytes(StandardCharsets.UTF_8)),
                Optional.empty(),
                ApiKey.Part.KEY),
            new Case(v2, Optional.of("https://" + ENDPOINT), ApiKey.Part.ENDPOINT),
            new Case(v2, Optional.of(ENDPOINT + ":443"), ApiKey.Part.ENDPOINT),
            new Case(v2, Optional.of(ENDPOINT + "/"), ApiKey.Part.ENDPOINT),
            // The key pasted into the endpoint's setting must not be quoted either.
            new Case(v2, Optional.of(v2), ApiKey.Part.ENDPOINT),
            new Case(v2, Optional.of(v1Secret + " x"), ApiKey.Part.ENDPOINT));
    for (Case c : cases) {
      InvalidApiKeyException e =
          assertThrows(
              InvalidApiKeyException.class, () -> ApiKey.parse(c.key(), c.endpoint()), c.key());
      assertEquals(c.part(), e.part(), c.key() + " / " + c.endpoint() + ": " + e.getMessage());
      for (String secret : List.of(v2, v2.split("\\.")[1], v2.split("\\.")[2], v1Secret)) {
        assertFalse(e.getMessage().contains(secret), "quoted a key: " + e.getMessage());
      }
      if (!c.key().isEmpty()) {
        assertFalse(e.getMessage().contains(c.key()), "quoted the key: " + e.getMessage());
      }
    }
  }

  @Test
  void toStringNamesTheKindAndEndpointButNotTheKey() {
    ApiKey key = ApiKey.parse(RUST_V2_TEST_KEY, Optional.of(ENDPOINT));
    assertEquals("ApiKey[V2, cache." + ENDPOINT + "]", key.toString());
    assertEquals(key.toString(), new ApiKeyCredentials(key).toString());
  }

  record Case(String key, Optional<String> endpoint, ApiKey.Part part) {}
}
