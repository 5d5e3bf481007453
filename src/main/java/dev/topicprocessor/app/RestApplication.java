package dev.topicprocessor.app;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Map;

/** The JAX-RS application (Jersey) under {@code /api}. */
@ApplicationPath("api")
public class RestApplication extends Application {

  @Override
  public Map<String, Object> getProperties() {
    // No WADL: nothing here needs it, and it would want JAXB.
    return Map.of("jersey.config.server.wadl.disableWadl", true);
  }
}
