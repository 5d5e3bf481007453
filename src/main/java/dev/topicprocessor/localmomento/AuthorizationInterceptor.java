package dev.topicprocessor.localmomento;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Momento requires an {@code authorization} header on every call. A call without it is refused, as
 * Momento refuses it. Configured with a key ({@code --api-key}), Local Momento stands in for the
 * service: every call that does not carry exactly that key is answered {@code UNAUTHENTICATED}.
 * Without one it has no accounts: any key is accepted, including the empty one that the SDKs'
 * {@code MomentoLocalProvider} sends.
 */
final class AuthorizationInterceptor implements ServerInterceptor {

  private final byte[] required;

  /**
   * @param required the one key accepted, or null for any
   */
  AuthorizationInterceptor(String required) {
    this.required = required == null ? null : required.getBytes(StandardCharsets.US_ASCII);
  }

  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String key = headers.get(AUTHORIZATION);
    if (key == null) {
      call.close(
          Status.UNAUTHENTICATED.withDescription(
              "Missing authorization header: an API key is required"),
          new Metadata());
      return new ServerCall.Listener<>() {};
    }
    if (required != null
        && !MessageDigest.isEqual(required, key.getBytes(StandardCharsets.US_ASCII))) {
      call.close(Status.UNAUTHENTICATED.withDescription("Invalid API key"), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    return next.startCall(call, headers);
  }
}
