package dev.herald.endpoint;

import dev.herald.application.Application;
import dev.herald.store.Sql;
import java.util.List;

/**
 * What an {@link EndpointService} manages endpoints of: customers' applications (the Svix API), or
 * the org's operational-webhook endpoints. The same service code serves both.
 */
public interface EndpointScope {

  /**
   * The application a path's {@code app_id} names (or the internal one, for operational endpoints).
   */
  Application application(Sql sql, String orgId, String appIdOrUid);

  /** Rejects (422) event-type filters that name types this scope does not know. */
  void checkEventTypes(Sql sql, String orgId, List<String> wanted);

  /** Called inside the transaction after an endpoint was created, updated or deleted. */
  void changed(Sql sql, String eventType, Application app, Endpoint endpoint);
}
