package dev.herald.endpoint;

import dev.herald.application.Application;
import dev.herald.application.ApplicationService;
import dev.herald.error.ValidationFailed;
import dev.herald.store.EventTypeStore;
import dev.herald.store.Sql;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Endpoints of customers' applications: filters name the org's event types; changes are announced.
 */
public final class ApplicationEndpoints implements EndpointScope {

  /** Hears endpoint changes inside their transaction (operational webhooks). */
  @FunctionalInterface
  public interface Listener {
    void changed(Sql sql, String eventType, Application app, Endpoint endpoint);
  }

  private final ApplicationService apps;
  private final EventTypeStore eventTypes;
  private final Listener listener;

  public ApplicationEndpoints(
      ApplicationService apps, EventTypeStore eventTypes, Listener listener) {
    this.apps = apps;
    this.eventTypes = eventTypes;
    this.listener = listener;
  }

  @Override
  public Application application(Sql sql, String orgId, String appIdOrUid) {
    return apps.find(sql, orgId, appIdOrUid);
  }

  @Override
  public void checkEventTypes(Sql sql, String orgId, List<String> wanted) {
    if (wanted == null || wanted.isEmpty()) {
      return;
    }
    var missing = new LinkedHashSet<>(wanted);
    eventTypes.existingNames(sql, orgId, wanted).forEach(missing::remove);
    if (!missing.isEmpty()) {
      throw ValidationFailed.of(
          "eventTypes",
          "event types do not exist: " + String.join(", ", missing),
          "value_error.event_type_not_found");
    }
  }

  @Override
  public void changed(Sql sql, String eventType, Application app, Endpoint endpoint) {
    listener.changed(sql, eventType, app, endpoint);
  }
}
