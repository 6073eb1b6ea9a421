package dev.herald.config;

/**
 * A setting has a value Herald cannot run with; the message names the setting and what is allowed.
 */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
