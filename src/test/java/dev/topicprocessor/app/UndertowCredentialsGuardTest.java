package dev.topicprocessor.app;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class UndertowCredentialsGuardTest {

  @Test
  void onlyBasicCredentialsThatAreNotBase64AreStopped() {
    assertTrue(UndertowCredentialsGuard.readableBasic("Bearer !!!"));
    assertTrue(UndertowCredentialsGuard.readableBasic("Basic b3BlcmF0b3I6cGFzc3dvcmQ="));
    assertTrue(UndertowCredentialsGuard.readableBasic("basic bm9jb2xvbg=="));
    assertFalse(UndertowCredentialsGuard.readableBasic("Basic !!!abc"));
    assertFalse(UndertowCredentialsGuard.readableBasic("BASIC a"));
  }
}
