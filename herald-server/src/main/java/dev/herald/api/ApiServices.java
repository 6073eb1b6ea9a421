package dev.herald.api;

import dev.herald.application.ApplicationService;
import dev.herald.attempt.AttemptLog;
import dev.herald.auth.AuthService;
import dev.herald.auth.PortalSessions;
import dev.herald.config.HeraldConfig;
import dev.herald.endpoint.EndpointService;
import dev.herald.eventtype.EventTypeService;
import dev.herald.incoming.Ingest;
import dev.herald.incoming.SourceService;
import dev.herald.message.MessageService;
import dev.herald.ops.Metrics;
import dev.herald.store.Database;
import dev.herald.task.TaskService;
import dev.herald.transform.Transformations;
import java.time.InstantSource;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * Everything the HTTP API needs, named: the route table takes this record instead of the whole
 * node, so what the API can reach is visible in one place.
 *
 * @param draining true once the node is shutting down (the API then answers 503)
 * @param deliveriesHeld deliveries this node holds in memory, for readiness
 * @param publicUrl the origin links point to (depends on the port, so asked when needed)
 */
public record ApiServices(
    HeraldConfig config,
    Database database,
    InstantSource clock,
    Metrics metrics,
    AuthService auth,
    PortalSessions portalSessions,
    ApplicationService applications,
    EventTypeService eventTypes,
    EndpointService endpoints,
    EndpointService operationalEndpoints,
    MessageService messages,
    AttemptLog attemptLog,
    TaskService tasks,
    SourceService sources,
    Ingest ingest,
    Transformations transformations,
    BooleanSupplier draining,
    IntSupplier deliveriesHeld,
    Supplier<String> publicUrl) {}
