package dev.topicprocessor.localmomento.client;

import grpc.cache_client.pubsub.PubsubGrpc;
import io.grpc.ManagedChannel;
import java.lang.reflect.Field;
import momento.sdk.TopicClient;

/**
 * Puts a channel of ours under a Java SDK 1.21.0 {@code TopicClient}.
 *
 * <p>That SDK dials {@code cache.<endpoint>:443} over TLS with the JVM's default trust and offers
 * no way to pass another. Making the JVM trust Local Momento would change the trust of the whole
 * application server. Instead the client's channel, made but not yet connected (gRPC connects on
 * the first call), is replaced by one that trusts exactly Local Momento's certificate; the SDK's
 * stub is made again on it. This reaches into the SDK's private fields ({@code
 * TopicClient.scsTopicClient}, {@code ScsTopicClient.topicGrpcStubsManager}, its {@code channel}
 * and {@code stub}), which the pinned 1.21.0 has; an SDK without them fails here, loudly, at the
 * first client made, and {@code LocalMomentoConnectionTest} says so.
 */
final class SdkTopicChannel {

  private SdkTopicChannel() {}

  /** Replaces the client's channel with {@code channel}; the client closes it when it closes. */
  static void use(TopicClient client, ManagedChannel channel) {
    try {
      Object scsTopicClient = read(client, "scsTopicClient");
      Object stubs = read(scsTopicClient, "topicGrpcStubsManager");
      ManagedChannel original = (ManagedChannel) read(stubs, "channel");
      write(stubs, "channel", channel);
      write(stubs, "stub", PubsubGrpc.newStub(channel));
      original.shutdownNow(); // never connected: gRPC connects at the first call
    } catch (ReflectiveOperationException | RuntimeException e) {
      channel.shutdownNow();
      throw new IllegalStateException(
          "cannot give the Momento SDK's TopicClient a channel trusting Local Momento (this needs"
              + " the Java SDK 1.21.0): "
              + e,
          e);
    }
  }

  private static Object read(Object owner, String name) throws ReflectiveOperationException {
    return field(owner, name).get(owner);
  }

  private static void write(Object owner, String name, Object value)
      throws ReflectiveOperationException {
    field(owner, name).set(owner, value);
  }

  private static Field field(Object owner, String name) throws NoSuchFieldException {
    Field field = owner.getClass().getDeclaredField(name);
    field.setAccessible(true);
    return field;
  }
}
