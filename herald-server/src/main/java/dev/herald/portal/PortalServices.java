package dev.herald.portal;

import dev.herald.application.ApplicationService;
import dev.herald.attempt.AttemptLog;
import dev.herald.auth.PortalSessions;
import dev.herald.config.PortalConfig;
import dev.herald.delivery.UrlCheck;
import dev.herald.endpoint.EndpointService;
import dev.herald.eventtype.EventTypeService;
import dev.herald.message.MessageService;
import dev.herald.task.TaskService;
import java.time.InstantSource;
import java.util.function.Supplier;

/**
 * What the portal's pages reach: the same domain services the API calls, each called with the
 * session's principal so the portal makes exactly the API's checks.
 *
 * @param publicUrl the origin links point to (depends on the port, so asked when needed)
 * @param urlCheck the SSRF guard's answer on a URL typed into a form
 * @param config the portal's settings (framing)
 */
public record PortalServices(
    PortalSessions sessions,
    ApplicationService applications,
    EndpointService endpoints,
    EventTypeService eventTypes,
    MessageService messages,
    AttemptLog attemptLog,
    TaskService tasks,
    UrlCheck urlCheck,
    Supplier<String> publicUrl,
    InstantSource clock,
    PortalConfig config) {}
