package dev.topicprocessor.sink.topic;

import dev.topicprocessor.routing.Route;

/** How publishing one outbound message ended. */
public sealed interface PublishResult {

  Route.Destination destination();

  record Published(Route.Destination destination, int attempts) implements PublishResult {}

  /**
   * @param reason a short stable name (the metrics label), e.g. {@code too-large}
   * @param detail what happened, for the log
   * @param retriable whether a later attempt could succeed (for the journal to come)
   */
  record Failed(
      Route.Destination destination, String reason, String detail, int attempts, boolean retriable)
      implements PublishResult {}
}
