package dev.herald.message;

import dev.herald.filter.FilterDocument;
import dev.herald.store.EndpointStore;
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

  /**
   * The fan-out: the endpoints among {@code routes} a message goes to, by event type and channels,
   * then by each endpoint's content filter. Messages and operational events both use it.
   */
  public static List<String> targets(
      List<EndpointStore.Route> routes, String eventType, List<String> channels, byte[] payload) {
    // Content filters look at the payload, parsed only if an endpoint that got this far has one.
    FilterDocument document = new FilterDocument(eventType, payload);
    return routes.stream()
        .filter(r -> matches(r.eventTypes(), r.channels(), eventType, channels))
        .filter(r -> r.accepts(document))
        .map(EndpointStore.Route::id)
        .toList();
  }
}
