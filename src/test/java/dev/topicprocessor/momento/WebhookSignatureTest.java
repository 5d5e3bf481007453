package dev.topicprocessor.momento;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

  // Momento's own unit test vector.
  private static final byte[] BODY =
      "{\"text\":\"some text\", \"another_field\": \"another field\" }"
          .getBytes(StandardCharsets.UTF_8);
  private static final String SIGNATURE =
      "b43f72787eb66410ff110295b036ef828e5686af21b414ce092f02c05deea3da";

  @Test
  void signsMomentosVector() {
    assertEquals(SIGNATURE, WebhookSignature.sign("1234567890", BODY));
  }

  @Test
  void verifiesAgainstAnyOfTheSecrets() {
    assertTrue(WebhookSignature.verify(SIGNATURE, BODY, List.of("1234567890")));
    assertTrue(WebhookSignature.verify(SIGNATURE, BODY, List.of("rotated-away", "1234567890")));
    assertTrue(WebhookSignature.verify(SIGNATURE.toUpperCase(), BODY, List.of("1234567890")));
  }

  @Test
  void refusesWrongSecretsBodiesAndMalformedSignatures() {
    assertFalse(WebhookSignature.verify(SIGNATURE, BODY, List.of("123456789")));
    assertFalse(WebhookSignature.verify(SIGNATURE, BODY, List.of()));
    byte[] reserialised =
        "{\"text\":\"some text\",\"another_field\":\"another field\"}"
            .getBytes(StandardCharsets.UTF_8);
    assertFalse(WebhookSignature.verify(SIGNATURE, reserialised, List.of("1234567890")));
    for (String bad :
        new String[] {
          null, "", SIGNATURE.substring(2), SIGNATURE + "00", "g" + SIGNATURE.substring(1)
        }) {
      assertFalse(WebhookSignature.verify(bad, BODY, List.of("1234567890")), String.valueOf(bad));
    }
  }

  @Test
  void newSecretsDiffer() {
    assertNotEquals(WebhookSignature.newSecret(), WebhookSignature.newSecret());
    assertEquals(43, WebhookSignature.newSecret().length());
  }
}
