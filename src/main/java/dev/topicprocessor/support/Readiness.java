package dev.topicprocessor.support;

import jakarta.enterprise.context.ApplicationScoped;

/** Whether the processor has finished starting and is not stopping. */
@ApplicationScoped
public class Readiness {

  private volatile boolean ready;
  private volatile String state = "starting";

  public boolean ready() {
    return ready;
  }

  public String state() {
    return state;
  }

  public void ready(boolean value, String newState) {
    ready = value;
    state = newState;
  }
}
