package dev.herald.operational;

import dev.herald.application.Application;
import dev.herald.application.ApplicationService;
import dev.herald.endpoint.Endpoint;
import dev.herald.endpoint.EndpointScope;
import dev.herald.error.ValidationFailed;
import dev.herald.store.Sql;
import java.util.ArrayList;
import java.util.List;

/**
 * The operator's operational-webhook endpoints: kept in the org's internal application, filtered by
 * Herald's own event types, and silent about their own changes.
 */
public final class OperationalEndpoints implements EndpointScope {
  private final ApplicationService apps;

  public OperationalEndpoints(ApplicationService apps) {
    this.apps = apps;
  }

  @Override
  public Application application(Sql sql, String orgId, String ignoredAppId) {
    return apps.internalApp(sql, orgId);
  }

  @Override
  public void checkEventTypes(Sql sql, String orgId, List<String> wanted) {
    if (wanted == null) {
      return;
    }
    List<String> unknown = new ArrayList<>(wanted);
    unknown.removeAll(OperationalEvents.TYPES);
    if (!unknown.isEmpty()) {
      throw ValidationFailed.of(
          "eventTypes",
          "not operational event types: "
              + String.join(", ", unknown)
              + " (known: "
              + String.join(", ", OperationalEvents.TYPES)
              + ")",
          "value_error.event_type_not_found");
    }
  }

  @Override
  public void changed(Sql sql, String eventType, Application app, Endpoint endpoint) {
    // Changes to the operator's own endpoints are not reported to themselves.
  }
}
