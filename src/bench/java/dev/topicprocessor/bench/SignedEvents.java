package dev.topicprocessor.bench;

import dev.topicprocessor.momento.WebhookSignature;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Webhook events as Momento sends them, signed, one per line for the wrk script: distinct (each has
 * its own sequence number) and fresh (stamped when written), so made just before each run.
 */
final class SignedEvents {

  /** Bytes of each event's text, about a short chat message. */
  static final int TEXT_BYTES = 100;

  private static final AtomicLong SEQUENCE = new AtomicLong();

  private SignedEvents() {}

  /** Writes {@code count} events of {@code cache}/{@code topic} signed with {@code secret}. */
  static Path write(Path file, String cache, String topic, String secret, int count)
      throws IOException {
    Files.createDirectories(file.getParent());
    long now = System.currentTimeMillis();
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (int i = 0; i < count; i++) {
        long sequence = SEQUENCE.incrementAndGet();
        String body =
            "{\"cache\":\""
                + cache
                + "\",\"topic\":\""
                + topic
                + "\",\"event_timestamp\":"
                + now
                + ",\"publish_timestamp\":"
                + now
                + ",\"topic_sequence_number\":"
                + sequence
                + ",\"token_id\":\"\",\"text\":\""
                + text(sequence)
                + "\"}";
        out.write(WebhookSignature.sign(secret, body.getBytes(StandardCharsets.UTF_8)));
        out.write(' ');
        out.write(body);
        out.write('\n');
      }
    }
    return file;
  }

  /** "bench event 42 " and then letters up to {@link #TEXT_BYTES}: work for the uppercase step. */
  static String text(long sequence) {
    StringBuilder text = new StringBuilder(TEXT_BYTES).append("bench event ").append(sequence);
    text.append(' ');
    while (text.length() < TEXT_BYTES) {
      text.append((char) ('a' + text.length() % 26));
    }
    return text.toString();
  }
}
