package dev.topicprocessor.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.topicprocessor.support.Json;
import jakarta.ws.rs.ext.ContextResolver;

/**
 * The mapper Jackson's JAX-RS provider reads and writes the API's JSON with: the application's own
 * ({@link Json}), whose buffers stay off the server's request threads.
 */
public class JsonMapperResolver implements ContextResolver<ObjectMapper> {

  private static final ObjectMapper MAPPER = Json.mapper();

  @Override
  public ObjectMapper getContext(Class<?> type) {
    return MAPPER;
  }
}
