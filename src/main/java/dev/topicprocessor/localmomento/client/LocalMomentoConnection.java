package dev.topicprocessor.localmomento.client;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import momento.sdk.TopicClient;
import momento.sdk.auth.CredentialProvider;
import momento.sdk.auth.StringCredentialProvider;
import momento.sdk.config.TopicConfiguration;

/**
 * Connects the Momento Java SDK 1.21.0 to a Local Momento's TLS listener.
 *
 * <p>That SDK's TopicClient always dials {@code cache.<endpoint>:443} over TLS. A connection maps
 * the endpoint's host names to the listener's real address (a gRPC name resolver, inside the class
 * loader that loaded gRPC), hands out an API key naming the endpoint, and gives each client it
 * makes a channel that trusts exactly the listener's certificate. Nothing JVM-wide changes: no
 * {@code javax.net.ssl} property, no default trust.
 *
 * <pre>{@code
 * LocalMomentoConnection local = LocalMomentoConnection.connect("127.0.0.1", 9443);
 * try (TopicClient topics = local.topicClient(TopicConfigurations.Laptop.latest())) {
 *   topics.publish("default-cache", "topic 1", "hello").join();
 * }
 * }</pre>
 *
 * <p>{@link #connect(String, int)} learns the certificate from the listener itself (on loopback,
 * where only this machine can answer); {@link #connect(String, InetSocketAddress, X509Certificate)}
 * takes it from the caller.
 */
public final class LocalMomentoConnection implements AutoCloseable {

  /** The endpoint name a Local Momento uses unless configured otherwise. */
  public static final String DEFAULT_ENDPOINT = "momento.localhost";

  private final String endpoint;
  private final InetSocketAddress address;
  private final X509Certificate certificate;

  private LocalMomentoConnection(
      String endpoint, InetSocketAddress address, X509Certificate certificate) {
    this.endpoint = endpoint;
    this.address = address;
    this.certificate = certificate;
  }

  /** Connects to the TLS listener at host:port serving the default endpoint name. */
  public static LocalMomentoConnection connect(String host, int tlsPort) {
    return connect(DEFAULT_ENDPOINT, host, tlsPort);
  }

  /** Connects to the TLS listener at host:port serving the given endpoint name. */
  public static LocalMomentoConnection connect(String endpoint, String host, int tlsPort) {
    InetSocketAddress address = new InetSocketAddress(host, tlsPort);
    return connect(endpoint, address, fetchCertificate(endpoint, address));
  }

  /** Connects to the TLS listener at that address, trusting exactly that certificate. */
  public static LocalMomentoConnection connect(
      String endpoint, InetSocketAddress address, X509Certificate certificate) {
    Objects.requireNonNull(endpoint, "endpoint");
    requireNames(endpoint, address, certificate);
    LocalEndpointResolver.map(hostNames(endpoint), address);
    return new LocalMomentoConnection(endpoint, address, certificate);
  }

  /** The endpoint name, as in {@code cache.<endpoint>}. */
  public String endpoint() {
    return endpoint;
  }

  /** Where the TLS listener really is. */
  public InetSocketAddress address() {
    return address;
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /**
   * A Momento v1 API key naming this endpoint. Local Momento accepts any key; this one only tells
   * the SDK which endpoint to dial.
   */
  public String apiKey() {
    return LocalApiKey.forEndpoint(endpoint);
  }

  /**
   * The key and endpoints for the SDK. A client made from these alone (not through {@link
   * #topicClient}) needs the JVM to trust the listener's certificate.
   */
  public CredentialProvider credentialProvider() {
    return new StringCredentialProvider(apiKey());
  }

  /**
   * A new TopicClient connected here, trusting this listener's certificate; the caller closes it.
   */
  public TopicClient topicClient(TopicConfiguration configuration) {
    TopicClient client = TopicClient.create(credentialProvider(), configuration);
    SdkTopicChannel.use(client, channel("cache." + endpoint));
    return client;
  }

  /**
   * A new channel to this listener, presenting {@code authority} (say {@code cache.<endpoint>}),
   * trusting exactly its certificate and carrying the API key on every call; the caller shuts it
   * down.
   */
  public ManagedChannel channel(String authority) {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), apiKey());
    try {
      return NettyChannelBuilder.forAddress(address)
          .overrideAuthority(authority)
          .sslContext(GrpcSslContexts.forClient().trustManager(certificate).build())
          .intercept(MetadataUtils.newAttachHeadersInterceptor(headers))
          .keepAliveTime(20, TimeUnit.SECONDS)
          .keepAliveTimeout(10, TimeUnit.SECONDS)
          .keepAliveWithoutCalls(true)
          .build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot set up TLS to Local Momento", e);
    }
  }

  /**
   * A client for the cache and webhook management calls; the caller closes it. Local Momento's
   * webhook service is on its control endpoint, as Momento's was.
   */
  public LocalMomentoAdmin admin() {
    return new LocalMomentoAdmin(this);
  }

  /** Stops resolving this endpoint's names. Close the clients made from it first. */
  @Override
  public void close() {
    LocalEndpointResolver.unmap(hostNames(endpoint), address);
  }

  private static List<String> hostNames(String endpoint) {
    return List.of(
        "cache." + endpoint, "control." + endpoint, "token." + endpoint, "storage." + endpoint);
  }

  private static void requireNames(
      String endpoint, InetSocketAddress address, X509Certificate certificate) {
    String expected = "cache." + endpoint;
    try {
      Collection<List<?>> names = certificate.getSubjectAlternativeNames();
      if (names != null) {
        for (List<?> name : names) {
          if (Integer.valueOf(2).equals(name.get(0))
              && expected.equalsIgnoreCase((String) name.get(1))) {
            return;
          }
        }
      }
    } catch (CertificateParsingException e) {
      // fall through to the error below
    }
    throw new IllegalArgumentException(
        "the server at "
            + address
            + " is not a Local Momento for endpoint '"
            + endpoint
            + "': its certificate does not name "
            + expected);
  }

  /** Reads the certificate the listener presents, without trusting anything yet. */
  private static X509Certificate fetchCertificate(String endpoint, InetSocketAddress address) {
    X509Certificate[] presented = new X509Certificate[1];
    TrustManager capture =
        new X509TrustManager() {
          @Override
          public void checkClientTrusted(X509Certificate[] chain, String authType) {}

          @Override
          public void checkServerTrusted(X509Certificate[] chain, String authType) {
            presented[0] = chain[0];
          }

          @Override
          public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
          }
        };
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {capture}, null);
      try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
        socket.connect(address, 5_000);
        socket.setSoTimeout(5_000);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setServerNames(List.of(new SNIHostName("cache." + endpoint)));
        parameters.setApplicationProtocols(new String[] {"h2"});
        socket.setSSLParameters(parameters);
        socket.startHandshake();
      }
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(
          "cannot reach Local Momento's TLS listener at " + address + ": " + e.getMessage(), e);
    }
    if (presented[0] == null) {
      throw new IllegalStateException("the server at " + address + " presented no certificate");
    }
    return presented[0];
  }
}
