package dev.topicprocessor.it;

import java.io.File;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** The WAR that {@code mvn package} built: the tests check what users deploy. */
final class Deployments {

  private Deployments() {}

  static WebArchive packagedWar() {
    File war = new File(System.getProperty("it.war", "target/topic-processor.war"));
    if (!war.isFile()) {
      throw new IllegalStateException(war + " is missing: run the tests with mvn verify");
    }
    return ShrinkWrap.createFromZipFile(WebArchive.class, war);
  }
}
