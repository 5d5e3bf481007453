package dev.topicprocessor.app;

import com.fasterxml.jackson.jakarta.rs.json.JacksonJsonProvider;
import dev.topicprocessor.operations.ConsoleResource;
import dev.topicprocessor.operations.DeadLetterResource;
import dev.topicprocessor.operations.HealthResource;
import dev.topicprocessor.operations.MetricsResource;
import dev.topicprocessor.operations.PipelineResource;
import dev.topicprocessor.problem.ProblemMappers;
import dev.topicprocessor.source.webhook.MomentoWebhookResource;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Map;
import java.util.Set;

/**
 * The JAX-RS application (Jersey) under {@code /api}: its resources, problem mappers and Jackson's
 * JSON provider with the application's mapper, listed rather than scanned for (scanning would also
 * register every other {@code @Provider} in the WAR's libraries, such as Jackson's JAXB variant).
 */
@ApplicationPath("api")
public class RestApplication extends Application {

  @Override
  public Set<Class<?>> getClasses() {
    return Set.of(
        MomentoWebhookResource.class,
        HealthResource.class,
        MetricsResource.class,
        ConsoleResource.class,
        DeadLetterResource.class,
        PipelineResource.class,
        ProblemMappers.Problems.class,
        ProblemMappers.WebApplicationErrors.class,
        ProblemMappers.Unexpected.class,
        JacksonJsonProvider.class,
        JsonMapperResolver.class);
  }

  @Override
  public Map<String, Object> getProperties() {
    // No WADL: nothing here needs it, and it would want JAXB.
    return Map.of("jersey.config.server.wadl.disableWadl", true);
  }
}
