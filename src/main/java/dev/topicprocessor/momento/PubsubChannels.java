package dev.topicprocessor.momento;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
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

  /** To Momento's cache endpoint ({@code cache.<endpoint>:443}), trusting the JVM's CAs. */
  public static ManagedChannel momento(String cacheEndpoint, String apiKey) {
    return build(NettyChannelBuilder.forAddress(cacheEndpoint, 443), null, apiKey);
  }

  /**
   * To a server at {@code address} that presents {@code certificate} for {@code authority} (a Local
   * Momento's TLS listener).
   */
  public static ManagedChannel trusting(
      InetSocketAddress address, String authority, X509Certificate certificate, String apiKey) {
    return build(
        NettyChannelBuilder.forAddress(address).overrideAuthority(authority), certificate, apiKey);
  }

  private static ManagedChannel build(
      NettyChannelBuilder builder, X509Certificate trusted, String apiKey) {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), apiKey);
    try {
      return builder
          .sslContext(
              trusted == null
                  ? GrpcSslContexts.forClient().build()
                  : GrpcSslContexts.forClient().trustManager(trusted).build())
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
