package dev.topicprocessor.journal;

import dev.topicprocessor.event.EventKey;
import dev.topicprocessor.event.InboundEvent;
import java.util.Set;

/**
 * An accepted event as the journal knows it, on its way to being processed.
 *
 * @param attempts processing attempts that ended in a retriable failure so far
 * @param firstFailureAt when the first of them ended (epoch ms), or 0 when none did
 * @param published the outputs already published by earlier attempts, never published again
 */
public record JournalEntry(
    InboundEvent event, int attempts, long firstFailureAt, Set<String> published) {

  public JournalEntry {
    published = Set.copyOf(published);
  }

  public static JournalEntry fresh(InboundEvent event) {
    return new JournalEntry(event, 0, 0, Set.of());
  }

  /** A row read back from the journal. */
  static JournalEntry of(JournalStore.Stored row) {
    return new JournalEntry(
        row.event(), row.attempts(), row.firstFailureAt(), Set.copyOf(row.published()));
  }

  public EventKey key() {
    return event.key();
  }
}
