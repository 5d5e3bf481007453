package dev.topicprocessor.localmomento.client;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Makes the JVM's default trust include Local Momento certificates, because the Java SDK 1.21.0
 * builds its TLS context from the default trust and offers no way to pass another.
 *
 * <p>It writes a PKCS12 trust store holding everything the JVM trusted before plus the Local
 * Momento certificates, and points {@code javax.net.ssl.trustStore} at it. This is JVM-wide: other
 * TLS clients created afterwards trust the same set, which still includes every CA they trusted.
 */
final class LocalTrust {

  // A trust store holds only public certificates; its password protects nothing secret.
  private static final String PASSWORD = "local-momento";

  private static final Set<X509Certificate> LOCAL = new LinkedHashSet<>();
  private static List<X509Certificate> inherited;

  private LocalTrust() {}

  static synchronized void trust(X509Certificate certificate) {
    if (!LOCAL.add(certificate)) {
      return;
    }
    try {
      if (inherited == null) {
        inherited = defaultTrust();
      }
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, PASSWORD.toCharArray());
      int n = 0;
      for (X509Certificate ca : inherited) {
        store.setCertificateEntry("inherited-" + n++, ca);
      }
      for (X509Certificate local : LOCAL) {
        store.setCertificateEntry("local-momento-" + n++, local);
      }
      // A new file each time: the JDK reloads its default trust when the path changes.
      Path file = Files.createTempFile("local-momento-trust-", ".p12");
      file.toFile().deleteOnExit();
      try (OutputStream out = Files.newOutputStream(file)) {
        store.store(out, PASSWORD.toCharArray());
      }
      // The path last: a TLS context built on another thread at this moment must not see the new
      // path with the old password, fail to open the store and cache that empty trust under the
      // new path (the JDK's cache key does not include the password).
      System.setProperty("javax.net.ssl.trustStorePassword", PASSWORD);
      System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
      System.setProperty("javax.net.ssl.trustStore", file.toString());
      // Load the new default trust now, under this lock. Without it, a TLS context built at the
      // same moment on another thread (two connections made at once) was seen to get the
      // previous trust and fail the handshake with a PKIX error.
      if (!defaultTrust().contains(certificate)) {
        throw new IllegalStateException("the JVM did not take up the new trust store");
      }
    } catch (IOException | GeneralSecurityException e) {
      LOCAL.remove(certificate);
      throw new IllegalStateException("cannot make the JVM trust Local Momento's certificate", e);
    }
  }

  private static List<X509Certificate> defaultTrust() throws GeneralSecurityException {
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init((KeyStore) null);
    List<X509Certificate> certificates = new ArrayList<>();
    for (TrustManager manager : factory.getTrustManagers()) {
      if (manager instanceof X509TrustManager x509) {
        certificates.addAll(List.of(x509.getAcceptedIssuers()));
      }
    }
    return certificates;
  }
}
