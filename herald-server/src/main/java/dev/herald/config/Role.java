package dev.herald.config;

/** What a node does: serve the API, deliver, or both (the default). */
public enum Role {
  API,
  WORKER
}
