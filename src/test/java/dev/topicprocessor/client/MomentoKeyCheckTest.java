package dev.topicprocessor.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topicprocessor.localmomento.LocalMomento;
import dev.topicprocessor.localmomento.LocalMomentoConfig;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The key check against a Local Momento that accepts one key, as Momento does. */
class MomentoKeyCheckTest {

  private static final String KEY = "the-one-key";
  private static LocalMomento momento;

  @BeforeAll
  static void start() throws Exception {
    momento = LocalMomento.start(LocalMomentoConfig.ephemeral().withApiKey(KEY));
  }

  @AfterAll
  static void stop() {
    momento.close();
  }

  private static Supplier<ManagedChannel> channels(String key) {
    return () -> {
      Metadata headers = new Metadata();
      headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), key);
      return NettyChannelBuilder.forAddress("127.0.0.1", momento.plaintextPort())
          .usePlaintext()
          .intercept(MetadataUtils.newAttachHeadersInterceptor(headers))
          .build();
    };
  }

  private static MomentoKeyCheck.Verdict answer(MomentoKeyCheck check) throws Exception {
    check.check();
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (System.nanoTime() < deadline) {
      MomentoKeyCheck.Verdict verdict = check.verdict();
      if (verdict.key() != MomentoKeyCheck.Key.UNCHECKED) {
        return verdict;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no answer within 15 s");
  }

  @Test
  void theKeyMomentoTakesIsAccepted() throws Exception {
    MomentoKeyCheck check = new MomentoKeyCheck(channels(KEY), () -> "default-cache");
    assertEquals(MomentoKeyCheck.Key.ACCEPTED, answer(check).key());
    check.close();
  }

  @Test
  void aKeyMomentoRefusesIsSaidRefusedNotUnavailable() throws Exception {
    MomentoKeyCheck check = new MomentoKeyCheck(channels("another-key"), () -> "default-cache");
    MomentoKeyCheck.Verdict verdict = answer(check);
    assertEquals(MomentoKeyCheck.Key.REFUSED, verdict.key(), verdict.toString());
    assertTrue(verdict.detail().startsWith("UNAUTHENTICATED"), verdict.detail());
    assertTrue(!verdict.detail().contains("another-key"), verdict.detail());
    check.close();
  }

  @Test
  void aCacheMomentoDoesNotHaveStillShowsTheKeyAccepted() throws Exception {
    MomentoKeyCheck check = new MomentoKeyCheck(channels(KEY), () -> "no-such-cache");
    MomentoKeyCheck.Verdict verdict = answer(check);
    assertEquals(MomentoKeyCheck.Key.ACCEPTED, verdict.key(), verdict.toString());
    check.close();
  }

  @Test
  void noAnswerIsUnreachable() {
    assertEquals(
        MomentoKeyCheck.Key.UNREACHABLE,
        MomentoKeyCheck.verdictOf(Status.UNAVAILABLE.withDescription("io")).key());
    assertEquals(
        MomentoKeyCheck.Key.UNREACHABLE, MomentoKeyCheck.verdictOf(Status.DEADLINE_EXCEEDED).key());
    assertEquals(
        MomentoKeyCheck.Key.ACCEPTED, MomentoKeyCheck.verdictOf(Status.PERMISSION_DENIED).key());
  }
}
