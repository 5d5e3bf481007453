package dev.topicprocessor.localmomento;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import momento.sdk.CacheClient;
import momento.sdk.auth.MomentoLocalProvider;
import momento.sdk.config.Configurations;
import momento.sdk.exceptions.MomentoErrorCode;
import momento.sdk.responses.cache.control.CacheCreateResponse;
import momento.sdk.responses.cache.control.CacheDeleteResponse;
import momento.sdk.responses.cache.control.CacheInfo;
import momento.sdk.responses.cache.control.CacheListResponse;
import org.junit.jupiter.api.Test;

/** The SDK 1.21.0 CacheClient's cache management through MomentoLocalProvider, over plaintext. */
class LocalMomentoCacheClientTest {

  @Test
  void cachesAreManagedThroughMomentoLocalProvider() throws Exception {
    try (LocalMomento momento = LocalMomento.start(LocalMomentoConfig.ephemeral());
        CacheClient client =
            CacheClient.create(
                new MomentoLocalProvider("127.0.0.1", momento.plaintextPort()),
                Configurations.Laptop.latest(),
                Duration.ofMinutes(1))) {
      CacheCreateResponse created = client.createCache("made-by-sdk").join();
      assertInstanceOf(CacheCreateResponse.Success.class, created, created::toString);
      assertTrue(momento.hasCache("made-by-sdk"));

      List<String> names =
          assertInstanceOf(CacheListResponse.Success.class, client.listCaches().join())
              .getCaches()
              .stream()
              .map(CacheInfo::name)
              .toList();
      assertEquals(List.of("default-cache", "made-by-sdk"), names);

      assertInstanceOf(CacheDeleteResponse.Success.class, client.deleteCache("made-by-sdk").join());
      CacheDeleteResponse again = client.deleteCache("made-by-sdk").join();
      assertEquals(
          MomentoErrorCode.NOT_FOUND_ERROR,
          assertInstanceOf(CacheDeleteResponse.Error.class, again).getErrorCode());
    }
  }
}
