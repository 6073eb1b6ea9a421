package dev.herald.message;

import java.util.List;

/** Which endpoints a message goes to, exactly as Svix defines the filters. */
public final class Subscription {
  private Subscription() {}

  /**
   * An endpoint with no event-type filter takes every type; one with a filter takes only those
   * types. An endpoint with no channel filter takes every message; one with channels takes only
   * messages sharing at least one of them (so a message without channels never reaches it).
   */
  public static boolean matches(
      List<String> endpointEventTypes,
      List<String> endpointChannels,
      String eventType,
      List<String> channels) {
    boolean typeMatches =
        endpointEventTypes == null
            || endpointEventTypes.isEmpty()
            || endpointEventTypes.contains(eventType);
    if (!typeMatches) {
      return false;
    }
    if (endpointChannels == null || endpointChannels.isEmpty()) {
      return true;
    }
    if (channels == null) {
      return false;
    }
    for (String c : channels) {
      if (endpointChannels.contains(c)) {
        return true;
      }
    }
    return false;
  }
}
