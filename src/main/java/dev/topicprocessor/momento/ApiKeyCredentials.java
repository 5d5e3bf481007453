package dev.topicprocessor.momento;

import momento.sdk.auth.CredentialProvider;

/**
 * An {@link ApiKey} for the Momento Java SDK. SDK 1.21.0's own {@code StringCredentialProvider}
 * refuses v2 keys ("Unable to parse control endpoint from auth token"); its {@code
 * CredentialProvider} is abstract, so this one hands the SDK the key and the endpoints derived from
 * it, for every kind of key.
 */
public final class ApiKeyCredentials extends CredentialProvider {

  private final ApiKey key;

  public ApiKeyCredentials(ApiKey key) {
    this.key = key;
  }

  public ApiKey key() {
    return key;
  }

  @Override
  public String getAuthToken() {
    return key.token();
  }

  @Override
  public String getControlEndpoint() {
    return key.controlEndpoint();
  }

  @Override
  public String getCacheEndpoint() {
    return key.cacheEndpoint();
  }

  @Override
  public String getStorageEndpoint() {
    return key.storageEndpoint();
  }

  @Override
  public String getTokenEndpoint() {
    return key.tokenEndpoint();
  }

  @Override
  public boolean isEndpointSecure() {
    return true;
  }

  @Override
  public int getPort() {
    return 443;
  }

  /** The key's kind and endpoints; never the key. */
  @Override
  public String toString() {
    return key.toString();
  }
}
