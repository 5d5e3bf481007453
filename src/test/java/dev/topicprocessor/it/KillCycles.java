package dev.topicprocessor.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code kill -9} / restart cycles of a server process while the test's load goes on: each cycle
 * lets the server run under load for a while, kills its JVM, and starts it again with the same
 * command (which waits until the application is ready). The load is the caller's and never stops
 * meanwhile.
 */
final class KillCycles {

  /**
   * One cycle (epoch ms): when SIGKILL was sent, when every JVM of the server was gone, and when
   * the server was ready again.
   */
  record Cycle(int number, long upSince, long killedAt, long deadAt, long upAgainAt) {
    double downSeconds() {
      return (upAgainAt - killedAt) / 1000.0;
    }

    /** Whether a moment (epoch ms) falls in this cycle: from its start up to its kill. */
    boolean before(long at) {
      return at < killedAt;
    }
  }

  /** What must hold before each kill, beside the time up (e.g. being mid-window). */
  interface Moment {
    void await() throws InterruptedException;
  }

  /** What to do once the server's JVMs are gone, before it starts again. */
  interface AfterDeath {
    void run(int cycle);
  }

  private KillCycles() {}

  /**
   * Runs {@code cycles} cycles, each killing the server after it ran {@code up} under load (and
   * {@code moment} came), and returns them.
   */
  static List<Cycle> run(ServerProcess server, int cycles, Duration up, Moment moment)
      throws Exception {
    return run(server, cycles, up, moment, cycle -> {});
  }

  /** As above, running {@code afterDeath} in each cycle once the server is gone. */
  static List<Cycle> run(
      ServerProcess server, int cycles, Duration up, Moment moment, AfterDeath afterDeath)
      throws Exception {
    List<Cycle> done = new ArrayList<>();
    long upSince = System.currentTimeMillis();
    for (int n = 1; n <= cycles; n++) {
      Thread.sleep(up.toMillis());
      moment.await();
      long killedAt = System.currentTimeMillis();
      server.kill();
      long deadAt = System.currentTimeMillis();
      afterDeath.run(n);
      server.start(); // the same command, the same instance directory
      long upAgain = System.currentTimeMillis();
      done.add(new Cycle(n, upSince, killedAt, deadAt, upAgain));
      upSince = upAgain;
    }
    return done;
  }

  /** The cycle in which something happened at {@code at}, or 0 after the last kill. */
  static int cycleOf(List<Cycle> cycles, long at) {
    for (Cycle cycle : cycles) {
      if (cycle.before(at)) {
        return cycle.number();
      }
    }
    return 0;
  }
}
