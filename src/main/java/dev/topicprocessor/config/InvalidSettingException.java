package dev.topicprocessor.config;

/** A setting's value cannot be used; the message names the setting, never a secret's value. */
public class InvalidSettingException extends RuntimeException {

  public InvalidSettingException(Setting setting, String problem) {
    super("setting " + setting + " " + problem);
  }
}
