package dev.herald.portal;

import dev.herald.attempt.EndpointHealth;
import dev.herald.endpoint.Endpoint;
import java.time.Instant;

/** What {@code portal/endpoint-overview.jte} shows: an endpoint's last 24 hours and its state. */
public record EndpointOverviewView(
    PortalFrame frame,
    Endpoint endpoint,
    EndpointHealth health,
    Sparkline sparkline,
    boolean canManage) {

  /**
   * Why the endpoint is disabled, or null while it is enabled. Herald disables an endpoint itself
   * only after it kept failing (it then still has {@code failingSince}).
   */
  public String disabledReason() {
    if (!endpoint.disabled()) {
      return null;
    }
    Instant since = endpoint.failingSince();
    return since == null
        ? "It was disabled by you or by the application that manages it."
        : "Herald disabled it because every delivery to it has failed since "
            + Times.shown(since)
            + ".";
  }

  /** The failing endpoint's state while it is still enabled, or null when it is healthy. */
  public String failingNote() {
    Instant since = endpoint.failingSince();
    return endpoint.disabled() || since == null
        ? null
        : "Deliveries have been failing since "
            + Times.shown(since)
            + ". Herald keeps retrying and disables the endpoint if they keep failing.";
  }
}
