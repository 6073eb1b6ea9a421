package dev.herald.dashboard;

import dev.herald.application.ApplicationService;
import dev.herald.auth.AuthService;
import dev.herald.auth.DashboardSessions;
import dev.herald.endpoint.EndpointService;
import dev.herald.eventtype.EventTypeService;
import dev.herald.store.Database;
import dev.herald.task.TaskService;
import java.time.Duration;
import java.time.InstantSource;
import java.util.function.Supplier;

/**
 * What the operator dashboard reaches: the domain services the API calls (with the session's org
 * principal, so the dashboard makes the API's checks) and the database for its read-only views
 * across applications, whose SQL lives in {@code store}.
 *
 * @param operationalEndpoints the org's operational-webhook endpoints
 * @param publicUrl the origin links point to (depends on the port, so asked when needed)
 * @param portalTokenTtl how long a portal preview opened from the dashboard lasts
 */
public record DashboardServices(
    DashboardSessions sessions,
    AuthService auth,
    ApplicationService applications,
    EndpointService endpoints,
    EndpointService operationalEndpoints,
    EventTypeService eventTypes,
    TaskService tasks,
    Database database,
    Supplier<String> publicUrl,
    Duration portalTokenTtl,
    InstantSource clock) {}
