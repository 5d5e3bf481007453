package dev.topicprocessor.it;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** The WAR that {@code mvn package} built: the tests check what users deploy. */
final class Deployments {

  private Deployments() {}

  /**
   * The packaged WAR under another name, in local mode with Local Momento inside it, set through
   * standard {@code env-entry} settings in its {@code web.xml} (JNDI wins over the test server's
   * system properties), on every server.
   */
  static WebArchive embeddedModeWar(String name, String endpoint, int tlsPort) throws IOException {
    return embeddedModeWar(name, endpoint, tlsPort, java.util.Map.of());
  }

  /** The same, with more settings. */
  static WebArchive embeddedModeWar(
      String name, String endpoint, int tlsPort, java.util.Map<String, String> more)
      throws IOException {
    java.util.Map<String, String> settings = new java.util.HashMap<>(more);
    settings.put("MOMENTO_LOCAL_ENDPOINT", "embedded");
    settings.put("LOCAL_MOMENTO_ENDPOINT", endpoint);
    settings.put("LOCAL_MOMENTO_PLAINTEXT_PORT", Integer.toString(tlsPort - 363));
    settings.put("LOCAL_MOMENTO_TLS_PORT", Integer.toString(tlsPort));
    return withSettings(name, settings);
  }

  /** The absolute path of a file of src/test/resources, as the test servers see it. */
  static String testResource(String name) {
    return java.nio.file.Path.of(System.getProperty("it.routes.dir", "target/test-classes"), name)
        .toAbsolutePath()
        .toString();
  }

  /** The packaged WAR under another name, with settings as {@code env-entry}s in its web.xml. */
  static WebArchive withSettings(String name, java.util.Map<String, String> settings)
      throws IOException {
    return withSettings(name, settings, "");
  }

  /** The same, with more of web.xml (resource definitions such as {@code <data-source>}). */
  static WebArchive withSettings(
      String name, java.util.Map<String, String> settings, String moreWebXml) throws IOException {
    WebArchive packaged = packagedWar();
    String webXml;
    try (InputStream in = packaged.get("WEB-INF/web.xml").getAsset().openStream()) {
      webXml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    StringBuilder entries = new StringBuilder();
    new java.util.TreeMap<>(settings).forEach((key, value) -> entries.append(entry(key, value)));
    entries.append(moreWebXml);
    WebArchive war = ShrinkWrap.create(WebArchive.class, name).merge(packaged);
    war.delete("WEB-INF/web.xml");
    return war.setWebXML(new StringAsset(webXml.replace("</web-app>", entries + "</web-app>")));
  }

  /** A journal directory of its own for a test's deployments. */
  static String journalDir(String test) {
    return System.getProperty("it.journal.dir", "target/it-journal") + "/" + test;
  }

  private static String entry(String name, String value) {
    return "  <env-entry>\n    <env-entry-name>"
        + name
        + "</env-entry-name>\n    <env-entry-type>java.lang.String</env-entry-type>\n"
        + "    <env-entry-value>"
        + value
        + "</env-entry-value>\n  </env-entry>\n";
  }

  static WebArchive packagedWar() {
    File war = new File(System.getProperty("it.war", "target/topic-processor.war"));
    if (!war.isFile()) {
      throw new IllegalStateException(war + " is missing: run the tests with mvn verify");
    }
    return ShrinkWrap.createFromZipFile(WebArchive.class, war);
  }
}
