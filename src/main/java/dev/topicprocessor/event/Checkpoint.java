package dev.topicprocessor.event;

/**
 * Where a subscription to a topic stands: the position of the last item taken in, committed in the
 * same transaction as that item's event. A subscription resumes just after it.
 *
 * @param sequencePage the topic's sequence page of that item
 * @param sequenceNumber its sequence number; 0 when nothing was taken in yet
 */
public record Checkpoint(String cache, String topic, long sequencePage, long sequenceNumber) {

  /** Whether an item was taken in yet; if not, a subscription starts from now. */
  public boolean started() {
    return sequenceNumber > 0;
  }

  /** The sequence number to resume at: the one after the last taken in. */
  public long resumeAt() {
    return started() ? sequenceNumber + 1 : 0;
  }
}
