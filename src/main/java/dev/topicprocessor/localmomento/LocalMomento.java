package dev.topicprocessor.localmomento;

import dev.topicprocessor.localmomento.client.LocalMomentoConnection;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLException;

/**
 * Local Momento: Momento Topics, cache management and webhooks served over gRPC on loopback,
 * faithful enough that the official SDKs cannot tell it from the real service.
 *
 * <p>It listens twice: plaintext, where any SDK's {@code MomentoLocalProvider} connects, and TLS
 * with a certificate made at start for {@code cache.<endpoint>}, because the Java SDK 1.21.0
 * TopicClient only speaks TLS (see {@link LocalMomentoConnection}).
 *
 * <p>Everything it owns (listeners, event loops, threads) ends with {@link #close()}.
 */
public final class LocalMomento implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(LocalMomento.class.getName());

  /**
   * Webhook deliveries sent at once: enough that a receiver which commits in groups sees groups.
   */
  static final int WEBHOOK_SENDERS = 128;

  private final LocalMomentoConfig config;
  private final Caches caches;
  private final ServerCertificate certificate;
  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final ExecutorService callExecutor;
  private final ExecutorService fanout;
  private final ScheduledExecutorService ticker;
  private final PubsubService pubsub;
  private final WebhookDispatcher dispatcher;
  private final List<Server> servers = new ArrayList<>();
  private Server plaintext;
  private Server tls;

  private LocalMomento(LocalMomentoConfig config) {
    this.config = config;
    this.caches = new Caches(config.historySize(), config.caches());
    this.certificate =
        config.certificateFile() == null
            ? ServerCertificate.generate(dnsNames(config.endpoint()), ipAddresses(config))
            : ServerCertificate.loadOrGenerate(
                config.certificateFile(), dnsNames(config.endpoint()), ipAddresses(config));
    this.boss = new NioEventLoopGroup(1, threads("local-momento-accept"));
    this.workers = new NioEventLoopGroup(2, threads("local-momento-io"));
    this.callExecutor = Executors.newCachedThreadPool(threads("local-momento-call"));
    this.fanout =
        Executors.newFixedThreadPool(
            Math.max(2, Runtime.getRuntime().availableProcessors()),
            threads("local-momento-fanout"));
    this.ticker = Executors.newSingleThreadScheduledExecutor(threads("local-momento-ticker"));
    WebhookDispatcher dispatcher =
        new WebhookDispatcher(
            threads("local-momento-webhook"),
            config.webhookTimeout(),
            WEBHOOK_SENDERS,
            config.maxConcurrentDeliveries());
    this.pubsub = new PubsubService(caches, dispatcher, fanout, config.maxPayloadBytes());
    this.dispatcher = dispatcher;
  }

  /** Starts a Local Momento; it serves until {@link #close()}. */
  public static LocalMomento start(LocalMomentoConfig config) throws IOException {
    LocalMomento momento = new LocalMomento(config);
    try {
      momento.listen();
    } catch (IOException | RuntimeException e) {
      momento.close();
      throw e;
    }
    long period = config.heartbeatInterval().toMillis();
    momento.ticker.scheduleAtFixedRate(momento::tick, period, period, TimeUnit.MILLISECONDS);
    LOG.info(
        () ->
            "Local Momento started: plaintext "
                + momento.describe(momento.plaintext)
                + ", TLS "
                + momento.describe(momento.tls)
                + " for endpoint "
                + config.endpoint()
                + ", caches "
                + config.caches());
    return momento;
  }

  private void listen() throws IOException {
    List<BindableService> services =
        List.of(
            pubsub,
            new ControlService(caches, config.maxPayloadBytes()),
            new WebhookService(caches, config.webhooksPerCache()));
    if (config.plaintextPort() >= 0) {
      plaintext = serve(config.plaintextPort(), null, services);
    }
    if (config.tlsPort() >= 0) {
      SslContext ssl;
      try {
        ssl =
            GrpcSslContexts.configure(
                    SslContextBuilder.forServer(
                        certificate.privateKey(), certificate.certificate()))
                .build();
      } catch (SSLException e) {
        throw new IOException("cannot set up TLS", e);
      }
      tls = serve(config.tlsPort(), ssl, services);
    }
  }

  private Server serve(int port, SslContext ssl, List<BindableService> services)
      throws IOException {
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(
                new InetSocketAddress(InetAddress.getByName(config.bindAddress()), port))
            .channelType(NioServerSocketChannel.class)
            .bossEventLoopGroup(boss)
            .workerEventLoopGroup(workers)
            .executor(callExecutor)
            // The SDKs ping every 5-10 s even when idle; refusing that kills subscriptions.
            .permitKeepAliveTime(1, TimeUnit.SECONDS)
            .permitKeepAliveWithoutCalls(true)
            // Larger than any payload limit, so an over-size publish gets Momento's clear answer.
            .maxInboundMessageSize(8 * 1024 * 1024);
    if (ssl != null) {
      builder.sslContext(ssl);
    }
    AuthorizationInterceptor authorization = new AuthorizationInterceptor(config.apiKey());
    services.forEach(s -> builder.addService(ServerInterceptors.intercept(s, authorization)));
    Server server = builder.build().start();
    servers.add(server);
    return server;
  }

  private void tick() {
    try {
      long idleNanos = config.topicIdleTimeout().toNanos();
      for (Cache cache : caches.all()) {
        for (Topic topic : cache.topics()) {
          topic.subscriptions().forEach(Subscription::heartbeat);
        }
        cache.forgetIdleTopics(idleNanos);
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "heartbeat round failed", e);
    }
  }

  /** The port of the plaintext listener, or -1 when it is off. */
  public int plaintextPort() {
    return plaintext == null ? -1 : plaintext.getPort();
  }

  /** The port of the TLS listener, or -1 when it is off. */
  public int tlsPort() {
    return tls == null ? -1 : tls.getPort();
  }

  public LocalMomentoConfig config() {
    return config;
  }

  /** The certificate the TLS listener presents. */
  public X509Certificate certificate() {
    return certificate.certificate();
  }

  /** The certificate in PEM form. */
  public String certificatePem() {
    return certificate.certificatePem();
  }

  /**
   * A connection for Java SDK 1.21.0 clients in this JVM, over the TLS listener, trusting this
   * server's certificate.
   */
  public LocalMomentoConnection connection() {
    if (tls == null) {
      throw new IllegalStateException("the TLS listener is off");
    }
    return LocalMomentoConnection.connect(
        config.endpoint(), new InetSocketAddress(connectHost(), tlsPort()), certificate());
  }

  /** Whether a cache of that name exists now. */
  public boolean hasCache(String name) {
    return caches.all().stream().anyMatch(c -> c.name().equals(name));
  }

  public LocalMomentoStats stats() {
    int subscriptions = 0;
    for (Cache cache : caches.all()) {
      for (Topic topic : cache.topics()) {
        subscriptions += topic.subscriptionCount();
      }
    }
    return new LocalMomentoStats(pubsub.published(), subscriptions, dispatcher.stats());
  }

  /**
   * Ends every open subscription with UNAVAILABLE, as a Momento node restart does. SDKs resubscribe
   * and resume from the last sequence number they saw.
   */
  public void dropSubscriptions() {
    Status status = Status.UNAVAILABLE.withDescription("subscription dropped by Local Momento");
    caches.all().forEach(cache -> cache.endSubscriptions(status));
  }

  /**
   * Makes the next {@code times} publishes to a topic fail with {@code status} (UNAVAILABLE,
   * DEADLINE_EXCEEDED, ...), as Momento's own momento-local can inject errors: for testing how a
   * publisher copes. A later call for the same topic replaces the earlier one.
   */
  public void failPublishes(String cache, String topic, Status status, int times) {
    pubsub.failPublishes(cache, topic, status, times);
  }

  /**
   * Stops listening, lets subscribers receive what was published before (for a moment), ends every
   * stream and waits for every thread it started to finish.
   */
  @Override
  public void close() {
    for (Server server : servers) {
      server.shutdown(); // no new calls; subscriptions and publishes under way go on
    }
    pubsub.stopPublishing(Duration.ofSeconds(3)); // every publish answered OK is in its topic
    awaitSubscribersCaughtUp(Duration.ofSeconds(3));
    ticker.shutdownNow();
    dropSubscriptionsQuietly();
    for (Server server : servers) {
      await(server, 2);
      server.shutdownNow();
      await(server, 5);
    }
    fanout.shutdown();
    callExecutor.shutdown();
    dispatcher.close();
    awaitTermination(fanout);
    awaitTermination(callExecutor);
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    awaitTermination(ticker);
    LOG.info("Local Momento stopped");
  }

  private void awaitSubscribersCaughtUp(Duration max) {
    long deadline = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < deadline
        && caches.all().stream()
            .flatMap(cache -> cache.topics().stream())
            .flatMap(topic -> topic.subscriptions().stream())
            .anyMatch(subscription -> !subscription.caughtUp())) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void dropSubscriptionsQuietly() {
    Status status = Status.UNAVAILABLE.withDescription("Local Momento is shutting down");
    caches.all().forEach(cache -> cache.endSubscriptions(status));
  }

  private static void await(Server server, int seconds) {
    try {
      server.awaitTermination(seconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void awaitTermination(ExecutorService executor) {
    try {
      if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  private String describe(Server server) {
    return server == null ? "off" : config.bindAddress() + ":" + server.getPort();
  }

  private String connectHost() {
    String bind = config.bindAddress();
    return bind.equals("0.0.0.0") || bind.equals("::") ? "127.0.0.1" : bind;
  }

  private static List<String> dnsNames(String endpoint) {
    return List.of(
        "cache." + endpoint,
        "control." + endpoint,
        "token." + endpoint,
        "storage." + endpoint,
        endpoint,
        "localhost");
  }

  private static List<String> ipAddresses(LocalMomentoConfig config) {
    List<String> ips = new ArrayList<>(List.of("127.0.0.1", "::1"));
    String bind = config.bindAddress();
    if (bind.matches("[0-9.]+|[0-9a-fA-F:]+") && !ips.contains(bind)) {
      ips.add(bind);
    }
    return ips;
  }

  private static ThreadFactory threads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
