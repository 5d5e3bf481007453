package dev.topicprocessor.journal;

import dev.topicprocessor.momento.WebhookEvent;
import java.util.Set;

/**
 * An accepted event as the journal knows it, on its way to being processed.
 *
 * @param attempts processing attempts that ended in a retriable failure so far
 * @param firstFailureAt when the first of them ended (epoch ms), or 0 when none did
 * @param published the outputs already published by earlier attempts, never published again
 */
public record JournalEntry(
    EventKey key, WebhookEvent event, int attempts, long firstFailureAt, Set<String> published) {

  public JournalEntry {
    published = Set.copyOf(published);
  }

  public static JournalEntry fresh(WebhookEvent event) {
    return new JournalEntry(EventKey.of(event), event, 0, 0, Set.of());
  }
}
