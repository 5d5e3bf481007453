package dev.topicprocessor.momento;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * Channels for Momento's {@code Pubsub} service made with the generated stubs (client-protos): what
 * a subscriber that must resume needs, since the Java SDK 1.21.0 cannot resume. TLS, the API key in
 * the {@code authorization} header of every call, and keep-alive pings so that a dead connection is
 * found.
 */
public final class PubsubChannels {

  private PubsubChannels() {}

  /**
   * To one of Momento's endpoints on 443 (the cache endpoint for Pubsub, the control endpoint for
   * webhooks), trusting the JVM's CAs. Local mode's channels come from {@code
   * LocalMomentoConnection.channel}, which trusts Local Momento's certificate alone.
   */
  public static ManagedChannel momento(String endpoint, String apiKey) {
    return build(NettyChannelBuilder.forAddress(endpoint, 443), apiKey);
  }

  private static ManagedChannel build(NettyChannelBuilder builder, String apiKey) {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), apiKey);
    try {
      return builder
          .sslContext(GrpcSslContexts.forClient().build())
          .intercept(MetadataUtils.newAttachHeadersInterceptor(headers))
          .keepAliveTime(20, TimeUnit.SECONDS)
          .keepAliveTimeout(10, TimeUnit.SECONDS)
          .keepAliveWithoutCalls(true)
          .build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot set up TLS for a Pubsub channel", e);
    }
  }
}
