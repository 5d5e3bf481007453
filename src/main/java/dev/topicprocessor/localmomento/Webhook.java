package dev.topicprocessor.localmomento;

import java.net.URI;

/**
 * A webhook as registered through the Webhook service: every message published to {@code topic} of
 * its cache is POSTed to {@code url}, signed with {@code secret}.
 */
record Webhook(String cache, String name, String topic, URI url, String secret) {

  /** The same webhook with a new secret, effective at once (Momento keeps no overlap window). */
  Webhook withSecret(String newSecret) {
    return new Webhook(cache, name, topic, url, newSecret);
  }

  @Override
  public String toString() {
    // Never print the secret.
    return "Webhook[" + cache + "/" + name + " topic=" + topic + " url=" + url + "]";
  }
}
