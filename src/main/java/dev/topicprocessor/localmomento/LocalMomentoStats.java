package dev.topicprocessor.localmomento;

/**
 * What a Local Momento has done since it started.
 *
 * @param published messages accepted by Publish
 * @param activeSubscriptions subscription streams open now
 * @param webhooks webhook deliveries by outcome
 */
public record LocalMomentoStats(long published, int activeSubscriptions, Webhooks webhooks) {

  /**
   * Webhook deliveries by outcome; each delivery is one attempt, never retried.
   *
   * @param attempted POSTs sent
   * @param delivered answered 2xx
   * @param rejected answered with another status
   * @param timedOut not answered within the delivery timeout
   * @param unreachable the connection failed
   * @param dropped not attempted: too many deliveries were in flight
   * @param skippedBinary not attempted: binary messages have no webhook representation
   */
  public record Webhooks(
      long attempted,
      long delivered,
      long rejected,
      long timedOut,
      long unreachable,
      long dropped,
      long skippedBinary) {

    /** Attempts that did not end in a 2xx answer. */
    public long failed() {
      return rejected + timedOut + unreachable;
    }
  }
}
