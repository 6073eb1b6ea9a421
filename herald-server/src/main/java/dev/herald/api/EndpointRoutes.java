package dev.herald.api;

import static dev.herald.auth.Capability.MANAGE_ENDPOINT;
import static dev.herald.auth.Capability.MANAGE_ENDPOINT_SECRET;
import static dev.herald.auth.Capability.VIEW_BASE;
import static dev.herald.auth.Capability.VIEW_ENDPOINT_SECRET;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.auth.Principal;
import dev.herald.endpoint.EndpointHeaders;
import dev.herald.endpoint.EndpointIn;
import dev.herald.endpoint.EndpointService;
import dev.herald.endpoint.SigningSecret;
import dev.herald.error.NotFound;
import dev.herald.error.ValidationFailed;
import dev.herald.eventtype.EventTypeService;
import dev.herald.json.BodyReader;
import dev.herald.json.Json;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /api/v1/app/{app_id}/endpoint}: endpoints, their secrets and custom headers. */
final class EndpointRoutes {
  /** Where customers' endpoints live. */
  static final String APP_ENDPOINTS = "/api/v1/app/{app_id}/endpoint";

  /** Where the operator's operational-webhook endpoints live (same shapes, org keys only). */
  static final String OPERATIONAL_ENDPOINTS = "/api/v1/operational-webhook/endpoint";

  static final long DEFAULT_GRACE_SECONDS = 86_400;
  static final long MAX_GRACE_SECONDS = 604_800;

  private final EndpointService endpoints;
  private final EventTypeService eventTypes;
  private final Requests requests;
  private final String base;
  private final Routes.Access access;

  EndpointRoutes(
      EndpointService endpoints,
      EventTypeService eventTypes,
      Requests requests,
      String base,
      Routes.Access access) {
    this.endpoints = endpoints;
    this.eventTypes = eventTypes;
    this.requests = requests;
    this.base = base;
    this.access = access;
  }

  void register(Routes r) {
    String one = base + "/{endpoint_id}";
    r.get(base, access, VIEW_BASE, this::list);
    r.post(base, access, MANAGE_ENDPOINT, this::create);
    r.get(one, access, VIEW_BASE, this::get);
    r.put(one, access, MANAGE_ENDPOINT, this::put);
    r.patch(one, access, MANAGE_ENDPOINT, this::patch);
    r.delete(one, access, MANAGE_ENDPOINT, this::delete);
    r.get(one + "/secret", access, VIEW_ENDPOINT_SECRET, this::getSecret);
    r.post(one + "/secret/rotate", access, MANAGE_ENDPOINT_SECRET, this::rotateSecret);
    // Credential-like header values are redacted when read, so reading headers is ViewBase.
    r.get(one + "/headers", access, VIEW_BASE, this::getHeaders);
    r.put(one + "/headers", access, MANAGE_ENDPOINT, this::putHeaders);
    r.patch(one + "/headers", access, MANAGE_ENDPOINT, this::patchHeaders);
  }

  /** The path's application; operational endpoints have none (their scope supplies it). */
  private static String app(Context ctx) {
    return ctx.pathParamMap().getOrDefault("app_id", "");
  }

  private void list(Context ctx, Principal p) {
    Responses.json(ctx, 200, endpoints.list(p.orgId(), app(ctx), Requests.page(ctx, false)));
  }

  private void create(Context ctx, Principal p) {
    EndpointIn in = EndpointIn.read(requests.body(ctx));
    eventTypes.refuseNewlyHidden(p.orgId(), p.featureFlags(), in.eventTypes(), List.of());
    Responses.json(ctx, 201, endpoints.create(p.orgId(), app(ctx), in));
  }

  private void get(Context ctx, Principal p) {
    Responses.json(ctx, 200, endpoints.get(p.orgId(), app(ctx), ctx.pathParam("endpoint_id")));
  }

  private void put(Context ctx, Principal p) {
    EndpointIn in = EndpointIn.read(requests.body(ctx));
    if (p.featureFlags().restricted()) {
      eventTypes.refuseNewlyHidden(
          p.orgId(), p.featureFlags(), in.eventTypes(), currentEventTypes(ctx, p));
    }
    var saved = endpoints.upsert(p.orgId(), app(ctx), ctx.pathParam("endpoint_id"), in);
    Responses.json(ctx, saved.created() ? 201 : 200, saved.endpoint());
  }

  private void patch(Context ctx, Principal p) {
    BodyReader body = requests.body(ctx);
    if (p.featureFlags().restricted()) {
      var current = endpoints.get(p.orgId(), app(ctx), ctx.pathParam("endpoint_id"));
      eventTypes.refuseNewlyHidden(
          p.orgId(),
          p.featureFlags(),
          EndpointIn.patch(current, body).eventTypes(),
          current.eventTypes());
    }
    Responses.json(
        ctx,
        200,
        endpoints.patch(
            p.orgId(),
            app(ctx),
            ctx.pathParam("endpoint_id"),
            current -> EndpointIn.patch(current, body)));
  }

  private List<String> currentEventTypes(Context ctx, Principal p) {
    try {
      return endpoints.get(p.orgId(), app(ctx), ctx.pathParam("endpoint_id")).eventTypes();
    } catch (NotFound e) {
      return List.of();
    }
  }

  private void delete(Context ctx, Principal p) {
    endpoints.delete(p.orgId(), app(ctx), ctx.pathParam("endpoint_id"));
    Responses.noContent(ctx);
  }

  private void getSecret(Context ctx, Principal p) {
    var e = endpoints.get(p.orgId(), app(ctx), ctx.pathParam("endpoint_id"));
    Responses.json(ctx, 200, Map.of("key", e.secret().text()));
  }

  private void rotateSecret(Context ctx, Principal p) {
    BodyReader body = requests.optionalBody(ctx);
    String keyText = body.string("key");
    SigningSecret key = null;
    if (keyText != null) {
      try {
        key = SigningSecret.parse(keyText);
      } catch (IllegalArgumentException e) {
        body.fail("key", e.getMessage(), "value_error.str.regex");
      }
    }
    Long grace = body.integer("gracePeriodSeconds", 0, MAX_GRACE_SECONDS);
    body.validate();
    endpoints.rotateSecret(
        p.orgId(),
        app(ctx),
        ctx.pathParam("endpoint_id"),
        key,
        Duration.ofSeconds(grace == null ? DEFAULT_GRACE_SECONDS : grace));
    Responses.noContent(ctx);
  }

  private void getHeaders(Context ctx, Principal p) {
    var e = endpoints.get(p.orgId(), app(ctx), ctx.pathParam("endpoint_id"));
    Responses.json(ctx, 200, EndpointHeaders.view(e.headers()));
  }

  private void putHeaders(Context ctx, Principal p) {
    Map<String, String> headers = readHeaders(requests.json(ctx), false);
    endpoints.updateHeaders(p.orgId(), app(ctx), ctx.pathParam("endpoint_id"), current -> headers);
    Responses.noContent(ctx);
  }

  private void patchHeaders(Context ctx, Principal p) {
    Map<String, String> patch = readHeaders(requests.json(ctx), true);
    endpoints.updateHeaders(
        p.orgId(),
        app(ctx),
        ctx.pathParam("endpoint_id"),
        current -> EndpointHeaders.merge(current, patch));
    Responses.noContent(ctx);
  }

  /**
   * Reads {@code {"headers": {...}}}; null values are allowed only in a patch (they delete). A
   * patch may also name headers to delete in {@code deleteHeaders}, as the Svix SDKs send it; then
   * {@code headers} may be left out.
   */
  private static Map<String, String> readHeaders(JsonNode root, boolean nullsAllowed) {
    JsonNode headers = root == null ? null : root.get("headers");
    JsonNode deletes = nullsAllowed && root != null ? root.get("deleteHeaders") : null;
    boolean hasDeletes = deletes != null && !deletes.isNull();
    if ((headers == null || headers.isNull()) && hasDeletes) {
      headers = Json.MAPPER.createObjectNode();
    }
    if (headers == null || !headers.isObject()) {
      throw ValidationFailed.of(
          "headers", "field required: an object of header names to values", "value_error.missing");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (var e : headers.properties()) {
      JsonNode v = e.getValue();
      if (v.isTextual()) {
        out.put(e.getKey(), v.textValue());
      } else if (v.isNull() && nullsAllowed) {
        out.put(e.getKey(), null);
      } else {
        throw new ValidationFailed(
            List.of(
                new ValidationFailed.Item(
                    List.of("body", "headers", e.getKey()),
                    "header values must be strings",
                    "type_error.str")));
      }
    }
    if (hasDeletes) {
      if (!deletes.isArray()) {
        throw ValidationFailed.of("deleteHeaders", "value is not a valid list", "type_error.list");
      }
      for (JsonNode name : deletes) {
        if (!name.isTextual()) {
          throw ValidationFailed.of(
              "deleteHeaders", "header names must be strings", "type_error.str");
        }
        out.put(name.textValue(), null);
      }
    }
    EndpointHeaders.validate(out);
    return out;
  }
}
