package dev.topicprocessor.localmomento;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/**
 * Momento requires an {@code authorization} header on every call. Local Momento has no accounts:
 * any key is accepted, including the empty one that the SDKs' {@code MomentoLocalProvider} sends; a
 * call without the header is refused, as Momento refuses it.
 */
final class AuthorizationInterceptor implements ServerInterceptor {

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
    return next.startCall(call, headers);
  }
}
