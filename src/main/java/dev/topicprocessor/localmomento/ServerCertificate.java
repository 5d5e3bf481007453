package dev.topicprocessor.localmomento;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The TLS identity of a Local Momento: a self-signed certificate for the endpoint names clients
 * dial, made at start and kept in memory only, or kept in a file of the operator's choosing (owner
 * read/write only) so that it survives restarts.
 */
record ServerCertificate(PrivateKey privateKey, X509Certificate certificate) {

  private static final Duration VALIDITY = Duration.ofDays(90);

  /** A new key pair (EC P-256) and a certificate naming each host name and IP address given. */
  static ServerCertificate generate(List<String> dnsNames, List<String> ipAddresses) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
      KeyPair keys = generator.generateKeyPair();

      X500Name subject = new X500Name("CN=Local Momento " + dnsNames.get(0));
      Instant now = Instant.now();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              subject,
              new BigInteger(128, new SecureRandom()),
              Date.from(now.minus(Duration.ofHours(1))),
              Date.from(now.plus(VALIDITY)),
              subject,
              keys.getPublic());
      List<GeneralName> names = new ArrayList<>();
      dnsNames.forEach(n -> names.add(new GeneralName(GeneralName.dNSName, n)));
      ipAddresses.forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
      builder.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(names.toArray(GeneralName[]::new)));
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(
          Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      X509Certificate certificate =
          new JcaX509CertificateConverter()
              .getCertificate(
                  builder.build(
                      new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
      return new ServerCertificate(keys.getPrivate(), certificate);
    } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
      throw new IllegalStateException("cannot generate Local Momento's TLS certificate", e);
    }
  }

  private static final char[] STORE_PASSWORD = "local-momento".toCharArray();

  /**
   * The identity kept in {@code file} if it names every host and address given and stays valid for
   * a day more; otherwise a new one, written there.
   */
  static ServerCertificate loadOrGenerate(
      java.nio.file.Path file, List<String> dnsNames, List<String> ipAddresses) {
    try {
      if (java.nio.file.Files.isRegularFile(file)) {
        java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(file)) {
          store.load(in, STORE_PASSWORD);
        }
        X509Certificate certificate = (X509Certificate) store.getCertificate("local-momento");
        PrivateKey key = (PrivateKey) store.getKey("local-momento", STORE_PASSWORD);
        if (certificate != null && key != null && covers(certificate, dnsNames, ipAddresses)) {
          return new ServerCertificate(key, certificate);
        }
      }
      ServerCertificate made = generate(dnsNames, ipAddresses);
      java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(
          "local-momento",
          made.privateKey(),
          STORE_PASSWORD,
          new X509Certificate[] {made.certificate()});
      java.nio.file.Path dir = file.toAbsolutePath().getParent();
      java.nio.file.Files.createDirectories(dir);
      java.nio.file.Path temp = java.nio.file.Files.createTempFile(dir, "local-momento", ".p12");
      try (java.io.OutputStream out = java.nio.file.Files.newOutputStream(temp)) {
        store.store(out, STORE_PASSWORD);
      }
      java.nio.file.Files.move(
          temp,
          file,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      return made;
    } catch (java.io.IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot keep Local Momento's TLS identity in " + file, e);
    }
  }

  private static boolean covers(
      X509Certificate certificate, List<String> dnsNames, List<String> ipAddresses)
      throws GeneralSecurityException {
    if (certificate.getNotAfter().toInstant().isBefore(Instant.now().plus(Duration.ofDays(1)))) {
      return false;
    }
    List<String> named = new ArrayList<>();
    if (certificate.getSubjectAlternativeNames() != null) {
      certificate.getSubjectAlternativeNames().forEach(n -> named.add(String.valueOf(n.get(1))));
    }
    for (String ip : ipAddresses) {
      boolean found = false;
      for (String n : named) {
        try {
          found |= java.net.InetAddress.getByName(n).equals(java.net.InetAddress.getByName(ip));
        } catch (java.net.UnknownHostException e) {
          // a DNS name
        }
      }
      if (!found) {
        return false;
      }
    }
    return named.containsAll(dnsNames);
  }

  /** The certificate in PEM, for clients that want to trust it explicitly. */
  String certificatePem() {
    try {
      return "-----BEGIN CERTIFICATE-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
              .encodeToString(certificate.getEncoded())
          + "\n-----END CERTIFICATE-----\n";
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }
}
