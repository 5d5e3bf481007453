package dev.topicprocessor.operations;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The rule that keeps local mode local: who counts as a caller on this machine. */
class OperatorAccessTest {

  @Test
  void loopbackCallersAreThisMachinesInIpv4AndIpv6() {
    assertTrue(OperatorAccess.fromThisMachine("127.0.0.1", null, null));
    assertTrue(OperatorAccess.fromThisMachine("127.8.9.10", null, null));
    assertTrue(OperatorAccess.fromThisMachine("0:0:0:0:0:0:0:1", null, null));
    assertTrue(OperatorAccess.fromThisMachine("::1", null, null));
  }

  @Test
  void anyOtherAddressIsNot() {
    for (String address :
        new String[] {"192.0.2.2", "10.0.0.1", "0.0.0.0", "::", "fd00::2", "::ffff:192.0.2.2"}) {
      assertFalse(OperatorAccess.fromThisMachine(address, null, null), address);
    }
    assertFalse(OperatorAccess.fromThisMachine(null, null, null));
    assertFalse(OperatorAccess.fromThisMachine("", null, null));
  }

  @Test
  void aRequestRelayedByAProxyOnThisMachineIsNot() {
    assertFalse(OperatorAccess.fromThisMachine("127.0.0.1", "for=192.0.2.60", null));
    assertFalse(OperatorAccess.fromThisMachine("127.0.0.1", null, "192.0.2.60"));
    assertFalse(OperatorAccess.fromThisMachine("::1", null, "127.0.0.1"));
  }
}
