package dev.herald.api;

import static dev.herald.api.Routes.Access.ORG;

import dev.herald.auth.Principal;
import dev.herald.error.ValidationFailed;
import dev.herald.incoming.Source;
import dev.herald.incoming.SourceIn;
import dev.herald.incoming.SourceService;
import dev.herald.incoming.SourceView;
import dev.herald.incoming.verify.InboundRequest;
import dev.herald.incoming.verify.VerifierRules;
import dev.herald.json.BodyReader;
import io.javalin.http.Context;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code /api/v1/app/{app_id}/source}: incoming-webhook sources, their secrets, ingest URLs,
 * request log and dry run. Sources hold the application's inbound credentials, so they are for org
 * keys only.
 */
final class SourceRoutes {
  static final String BASE = "/api/v1/app/{app_id}/source";
  private static final Set<String> STATUSES =
      Set.of("accepted", "duplicate", "challenge", "rejected");

  private final SourceService sources;
  private final Requests requests;
  private final Supplier<String> publicUrl;
  private final java.time.InstantSource clock;

  SourceRoutes(
      SourceService sources,
      Requests requests,
      Supplier<String> publicUrl,
      java.time.InstantSource clock) {
    this.sources = sources;
    this.requests = requests;
    this.publicUrl = publicUrl;
    this.clock = clock;
  }

  void register(Routes r) {
    String one = BASE + "/{source_id}";
    r.get(BASE, ORG, this::list);
    r.post(BASE, ORG, this::create);
    r.get(one, ORG, this::get);
    r.patch(one, ORG, this::patch);
    r.delete(one, ORG, this::delete);
    r.post(one + "/secret/rotate", ORG, this::rotateSecret);
    r.post(one + "/token/rotate", ORG, this::rotateToken);
    r.get(one + "/request", ORG, this::requestLog);
    r.post(one + "/verify", ORG, this::verify);
  }

  private SourceView view(Source s) {
    return SourceView.of(s, publicUrl.get(), clock.instant());
  }

  private void list(Context ctx, Principal p) {
    var page = sources.list(p.orgId(), ctx.pathParam("app_id"), Requests.page(ctx, false));
    Responses.json(ctx, 200, page.map(this::view));
  }

  private void create(Context ctx, Principal p) {
    Source.Settings in = SourceIn.create(requests.body(ctx));
    Responses.json(ctx, 201, view(sources.create(p.orgId(), ctx.pathParam("app_id"), in)));
  }

  private void get(Context ctx, Principal p) {
    Responses.json(
        ctx,
        200,
        view(sources.get(p.orgId(), ctx.pathParam("app_id"), ctx.pathParam("source_id"))));
  }

  private void patch(Context ctx, Principal p) {
    BodyReader body = requests.body(ctx);
    Source s =
        sources.update(
            p.orgId(),
            ctx.pathParam("app_id"),
            ctx.pathParam("source_id"),
            current -> SourceIn.patch(body, current));
    Responses.json(ctx, 200, view(s));
  }

  private void delete(Context ctx, Principal p) {
    sources.delete(p.orgId(), ctx.pathParam("app_id"), ctx.pathParam("source_id"));
    Responses.noContent(ctx);
  }

  private void rotateSecret(Context ctx, Principal p) {
    BodyReader body = requests.body(ctx);
    String secret = body.requiredString("secret");
    body.validate();
    Source s =
        sources.addSecret(
            p.orgId(),
            ctx.pathParam("app_id"),
            ctx.pathParam("source_id"),
            checkedSecret(ctx, p, secret));
    Responses.json(ctx, 200, view(s));
  }

  /** The new secret, refused with a 422 when the source's verifier could not use it. */
  private String checkedSecret(Context ctx, Principal p, String secret) {
    Source current = sources.get(p.orgId(), ctx.pathParam("app_id"), ctx.pathParam("source_id"));
    var problems = VerifierRules.check(current.verifier().withSecrets(List.of(secret)));
    if (!problems.isEmpty()) {
      throw new ValidationFailed(
          problems.stream()
              .map(x -> new ValidationFailed.Item(List.of("body", "secret"), x.msg(), x.type()))
              .toList());
    }
    return secret;
  }

  private void rotateToken(Context ctx, Principal p) {
    Source s = sources.rotateToken(p.orgId(), ctx.pathParam("app_id"), ctx.pathParam("source_id"));
    Responses.json(ctx, 200, view(s));
  }

  private void requestLog(Context ctx, Principal p) {
    String status = ctx.queryParam("status");
    if (status != null && !STATUSES.contains(status)) {
      throw Requests.queryError(
          "status", "one of accepted, duplicate, challenge, rejected", "type_error.enum");
    }
    var page =
        sources.requests(
            p.orgId(),
            ctx.pathParam("app_id"),
            ctx.pathParam("source_id"),
            status,
            Requests.page(ctx, true));
    Responses.json(ctx, 200, page.map(dev.herald.incoming.RequestRecord::view));
  }

  private void verify(Context ctx, Principal p) {
    InboundRequest r = captured(requests.body(ctx));
    Responses.json(
        ctx,
        200,
        sources.verify(p.orgId(), ctx.pathParam("app_id"), ctx.pathParam("source_id"), r));
  }

  /** The request described by a dry-run body: method, url, headers, body or bodyBase64. */
  private InboundRequest captured(BodyReader body) {
    String method = body.string("method", 1, 16, BodyReader.ID_PATTERN);
    String url = body.string("url");
    Map<String, String> headers = body.stringMap("headers");
    String text = body.string("body");
    String base64 = body.string("bodyBase64");
    Long receivedAt = body.integer("receivedAt", 0, 253_402_300_799L);
    if (text != null && base64 != null) {
      body.fail(
          "bodyBase64", "give body or bodyBase64, not both", "value_error.mutually_exclusive");
    }
    byte[] bytes = text == null ? new byte[0] : text.getBytes(StandardCharsets.UTF_8);
    if (base64 != null) {
      try {
        bytes = java.util.Base64.getDecoder().decode(base64);
      } catch (IllegalArgumentException e) {
        body.fail("bodyBase64", "not valid base64", "value_error.base64");
      }
    }
    String query = null;
    if (url != null) {
      try {
        query = URI.create(url).getRawQuery();
      } catch (IllegalArgumentException e) {
        body.fail("url", "not a valid URL", "value_error.url");
      }
    }
    body.validate();
    Map<String, List<String>> multi = new LinkedHashMap<>();
    if (headers != null) {
      headers.forEach((k, v) -> multi.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
    }
    return new InboundRequest(
        method == null ? "POST" : method,
        query,
        multi,
        bytes,
        receivedAt == null ? clock.instant() : Instant.ofEpochSecond(receivedAt));
  }
}
