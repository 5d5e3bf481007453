package dev.topicprocessor.localmomento;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** Argument checks shared by the services, with the statuses Momento answers. */
final class Requests {

  /** Momento names the limit it hit in this trailer; the SDKs read it. */
  static final Metadata.Key<String> ERROR_CAUSE =
      Metadata.Key.of("err", Metadata.ASCII_STRING_MARSHALLER);

  private Requests() {}

  static String requireName(String what, String value) {
    if (value == null || value.isBlank()) {
      throw invalidArgument(what + " must not be empty");
    }
    return value;
  }

  static StatusRuntimeException invalidArgument(String message) {
    return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
  }

  static StatusRuntimeException limitExceeded(String message, String cause) {
    Metadata trailers = new Metadata();
    trailers.put(ERROR_CAUSE, cause);
    return Status.RESOURCE_EXHAUSTED.withDescription(message).asRuntimeException(trailers);
  }
}
