package dev.topicprocessor.sink;

/**
 * One output on its way to one destination.
 *
 * @param id the output's stable id, the same for every attempt and every replay of the same output
 *     and different for any other output: what a destination uses to recognise a repeat ({@code
 *     webhook-id}, a unique key, a message property)
 * @param text the output as the route's last step left it
 * @param from the event and route it came from
 */
public record Delivery(String id, String text, From from) {

  /**
   * Where an output came from.
   *
   * @param route the route's name
   * @param sequencePage the inbound topic's sequence page (0 when the source does not say)
   * @param publishTimestamp epoch ms, 0 when the source does not say (subscriptions)
   * @param eventTimestamp epoch ms when Momento sent it, or when it was taken in
   * @param via {@code webhook} or {@code subscription}
   */
  public record From(
      String route,
      String cache,
      String topic,
      long sequencePage,
      long sequenceNumber,
      long publishTimestamp,
      long eventTimestamp,
      String tokenId,
      String via) {}
}
