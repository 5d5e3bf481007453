package dev.topicprocessor.localmomento.client;

import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import io.grpc.NameResolverRegistry;
import io.grpc.internal.DnsNameResolverProvider;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves the host names of Local Momento endpoints (say {@code cache.momento.localhost:443},
 * which the Java SDK 1.21.0 TopicClient always dials) to the loopback address and port where the
 * TLS listener really is. Every other name goes to gRPC's own DNS resolver.
 *
 * <p>It registers once in gRPC's default registry. That registry lives in the class loader that
 * loaded grpc-api: inside a web application, it stays inside that application.
 */
final class LocalEndpointResolver extends NameResolverProvider {

  private static final String SCHEME = "dns";
  private static final LocalEndpointResolver INSTANCE = new LocalEndpointResolver();
  private static boolean registered;

  private final Map<String, InetSocketAddress> hosts = new ConcurrentHashMap<>();
  private final NameResolverProvider dns = new DnsNameResolverProvider();

  static synchronized void map(List<String> names, InetSocketAddress address) {
    names.forEach(name -> INSTANCE.hosts.put(name.toLowerCase(java.util.Locale.ROOT), address));
    if (!registered) {
      NameResolverRegistry.getDefaultRegistry().register(INSTANCE);
      registered = true;
    }
  }

  static synchronized void unmap(List<String> names, InetSocketAddress address) {
    names.forEach(name -> INSTANCE.hosts.remove(name.toLowerCase(java.util.Locale.ROOT), address));
    if (registered && INSTANCE.hosts.isEmpty()) {
      NameResolverRegistry.getDefaultRegistry().deregister(INSTANCE);
      registered = false;
    }
  }

  @Override
  public NameResolver newNameResolver(URI target, NameResolver.Args args) {
    if (SCHEME.equals(target.getScheme()) && target.getPath() != null) {
      String authority =
          target.getPath().startsWith("/") ? target.getPath().substring(1) : target.getPath();
      String host = hostOf(authority);
      InetSocketAddress address = hosts.get(host.toLowerCase(java.util.Locale.ROOT));
      if (address != null) {
        return new Fixed(authority, address);
      }
    }
    return dns.newNameResolver(target, args);
  }

  @Override
  public String getDefaultScheme() {
    return SCHEME;
  }

  @Override
  protected boolean isAvailable() {
    return true;
  }

  @Override
  protected int priority() {
    return 9; // above gRPC's DNS resolver (5), which it delegates to
  }

  private static String hostOf(String authority) {
    if (authority.startsWith("[")) {
      int end = authority.indexOf(']');
      return end > 0 ? authority.substring(1, end) : authority;
    }
    int colon = authority.lastIndexOf(':');
    return colon > 0 ? authority.substring(0, colon) : authority;
  }

  /** Always answers the same address; keeps the original authority for TLS host checks. */
  private static final class Fixed extends NameResolver {
    private final String authority;
    private final InetSocketAddress address;
    private Listener2 listener;

    Fixed(String authority, InetSocketAddress address) {
      this.authority = authority;
      this.address = address;
    }

    @Override
    public String getServiceAuthority() {
      return authority;
    }

    @Override
    public void start(Listener2 listener) {
      this.listener = listener;
      resolve();
    }

    @Override
    public void refresh() {
      resolve();
    }

    private void resolve() {
      listener.onResult(
          ResolutionResult.newBuilder()
              .setAddresses(List.of(new EquivalentAddressGroup(address)))
              .build());
    }

    @Override
    public void shutdown() {}
  }
}
