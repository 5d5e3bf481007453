package dev.topicprocessor.operations;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The JAX-RS application (Jersey) under {@code /api}. */
@ApplicationPath("api")
public class RestApplication extends Application {}
