package dev.herald.testing;

/** The databases Herald runs on; API and store tests run once on each. */
public enum Backend {
  SQLITE,
  POSTGRES
}
