package dev.herald.api;

import dev.herald.auth.DashboardSessions;
import dev.herald.config.Role;
import dev.herald.dashboard.DashboardRoutes;
import dev.herald.dashboard.DashboardServices;
import dev.herald.delivery.UrlCheck;
import dev.herald.error.HeraldException;
import dev.herald.error.Unavailable;
import dev.herald.portal.PortalRoutes;
import dev.herald.portal.PortalServices;
import dev.herald.store.IdempotencyStore;
import io.javalin.Javalin;
import io.javalin.http.HttpResponseException;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;

/** The HTTP server and the whole route table. */
public final class HttpApi {
  /** Headroom above the payload limit for the JSON around a payload (event type, ids, channels). */
  private static final long ENVELOPE_BYTES = 64 * 1024;

  private HttpApi() {}

  public static Javalin create(ApiServices services) {
    var config = services.config();
    Requests requests = new Requests(config.http().maxPayloadBytes() + ENVELOPE_BYTES);
    Idempotency idempotency =
        new Idempotency(services.database(), new IdempotencyStore(), services.clock());
    return Javalin.create(
        c -> {
          c.concurrency.useVirtualThreads = true;
          c.http.maxRequestSize = 2 * (config.http().maxPayloadBytes() + ENVELOPE_BYTES);
          c.router.ignoreTrailingSlashes = true;
          // The buffer Javalin copies each response body through, allocated per response. Its
          // default, Jetty's 32 KiB output buffer, was 60 % of all Herald allocated under bench
          // throughput (JFR allocation samples), for answers of a few hundred bytes; Jetty still
          // buffers the output itself.
          c.http.responseBufferSize = 4096;
          // Our own connector, the one Javalin would make plus an idle timeout: a client that
          // stops sending mid-request (or holds an idle connection) is cut off after it (408).
          c.jetty.addConnector(
              (server, http) -> {
                ServerConnector connector =
                    new ServerConnector(server, new HttpConnectionFactory(http));
                connector.setHost(config.http().host());
                connector.setPort(config.http().port());
                connector.setIdleTimeout(config.http().idleTimeout().toMillis());
                return connector;
              });
          c.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
          c.startup.showJavalinBanner = false;
          c.requestLogger.http(RequestLog::log);

          c.routes.exception(HeraldException.class, ErrorMapping::handle);
          c.routes.exception(HttpResponseException.class, ErrorMapping::handleJavalin);
          c.routes.exception(Exception.class, ErrorMapping::unexpected);
          c.routes.error(
              404,
              ctx -> {
                if (ctx.attribute(Responses.BODY_ATTRIBUTE) == null) {
                  Responses.json(ctx, 404, ErrorMapping.notFoundBody(ctx));
                }
              });

          // No stored text may hold U+0000 (PostgreSQL refuses it): refuse it in any query value up
          // front.
          c.routes.before(
              "/api/*",
              ctx ->
                  ctx.queryParamMap()
                      .forEach(
                          (name, values) -> {
                            if (values.stream().anyMatch(v -> v.indexOf('\u0000') >= 0)) {
                              throw Requests.queryError(
                                  name,
                                  "the value may not contain the NUL character",
                                  "value_error.str.nul");
                            }
                          }));

          // A draining node refuses new API work so load balancers move on; health stays up.
          c.routes.before(
              "/api/*",
              ctx -> {
                if (services.draining().getAsBoolean()
                    && !ctx.path().startsWith("/api/v1/health")) {
                  throw new Unavailable(
                      "shutting_down", "this node is shutting down; retry on another node");
                }
              });

          Routes routes =
              new Routes(
                  c.routes,
                  services.auth(),
                  idempotency,
                  (orgId, appId) -> services.applications().get(orgId, appId));
          new HealthRoutes(services).register(routes);
          if (!config.hasRole(Role.API)) {
            return;
          }
          new AuthRoutes(
                  services.auth(),
                  services.applications(),
                  requests,
                  services.publicUrl(),
                  config.portal().tokenTtl())
              .register(routes);
          new ApplicationRoutes(services.applications(), requests).register(routes);
          new EventTypeRoutes(services.eventTypes(), requests).register(routes);
          new EndpointRoutes(
                  services.endpoints(),
                  services.eventTypes(),
                  requests,
                  EndpointRoutes.APP_ENDPOINTS,
                  Routes.Access.APP)
              .register(routes);
          new EndpointRoutes(
                  services.operationalEndpoints(),
                  services.eventTypes(),
                  requests,
                  EndpointRoutes.OPERATIONAL_ENDPOINTS,
                  Routes.Access.ORG)
              .register(routes);
          new MessageRoutes(services.messages(), requests, config.http().maxPayloadBytes())
              .register(routes);
          new FilterRoutes(requests).register(routes);
          new TransformationRoutes(services.transformations(), requests).register(routes);
          new AttemptRoutes(
                  services.attemptLog(),
                  services.messages(),
                  services.endpoints(),
                  services.eventTypes(),
                  services.tasks(),
                  requests)
              .register(routes);
          new SourceRoutes(services.sources(), requests, services.publicUrl(), services.clock())
              .register(routes);
          new IngestRoutes(
                  services.ingest(),
                  config.http().maxPayloadBytes(),
                  services.draining(),
                  services.clock())
              .register(routes);
          new ApiKeyRoutes(services.auth(), requests).register(routes);
          new DocsRoutes().register(routes);
          new PortalRoutes(
                  new PortalServices(
                      services.portalSessions(),
                      services.applications(),
                      services.endpoints(),
                      services.eventTypes(),
                      services.messages(),
                      services.attemptLog(),
                      services.tasks(),
                      new UrlCheck(config.delivery().ssrfAllow()),
                      services.publicUrl(),
                      services.clock(),
                      config.portal()))
              .register(c.routes);
          new DashboardRoutes(
                  new DashboardServices(
                      new DashboardSessions(services.database(), services.auth(), services.clock()),
                      services.auth(),
                      services.applications(),
                      services.endpoints(),
                      services.operationalEndpoints(),
                      services.eventTypes(),
                      services.tasks(),
                      services.database(),
                      services.publicUrl(),
                      config.portal().tokenTtl(),
                      services.clock()))
              .register(c.routes);
        });
  }
}
