package dev.herald.transform;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Compiled transformations kept between calls, least recently used first out: one per endpoint, for
 * the code it was compiled from (a changed code is a miss and replaces it). A script is taken out
 * while a call uses it, so two calls never share a context.
 */
final class WarmContexts implements AutoCloseable {
  private final int capacity;
  private final LinkedHashMap<String, Script> scripts = new LinkedHashMap<>(16, 0.75f, true);

  WarmContexts(int capacity) {
    this.capacity = capacity;
  }

  /** The warm script for {@code key} if it was compiled from {@code code}; null otherwise. */
  Script take(String key, String code) {
    Script s;
    synchronized (this) {
      s = scripts.remove(key);
    }
    if (s != null && !s.code.equals(code)) {
      s.close();
      return null;
    }
    return s;
  }

  /** Keeps a script after a successful call, closing whatever it displaces. */
  void put(String key, Script s) {
    Script replaced;
    Script evicted = null;
    synchronized (this) {
      replaced = scripts.put(key, s);
      if (scripts.size() > capacity) {
        Map.Entry<String, Script> eldest = scripts.entrySet().iterator().next();
        evicted = eldest.getValue();
        scripts.remove(eldest.getKey());
      }
    }
    if (replaced != null && replaced != s) {
      replaced.close();
    }
    if (evicted != null) {
      evicted.close();
    }
  }

  synchronized int size() {
    return scripts.size();
  }

  @Override
  public void close() {
    synchronized (this) {
      scripts.values().forEach(Script::close);
      scripts.clear();
    }
  }
}
