package dev.herald.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.Version;
import dev.herald.json.Json;
import dev.herald.testing.Api;
import dev.herald.testing.Backend;
import dev.herald.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code GET /api/v1/openapi.json}: the checked-in document and the route table describe the same
 * routes, and what the document says about authentication is what the server does.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiDocumentTest {
  private static final Set<String> OPENAPI_METHODS =
      Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
  private static final Pattern PATH_PARAM = Pattern.compile("\\{([^}]+)}");

  private TestServer server;
  private JsonNode document;

  @BeforeAll
  void start() throws IOException {
    // With a metrics token, /metrics is served on the API port, behind that token.
    server =
        TestServer.builder(Backend.SQLITE)
            .setting("HERALD_METRICS_TOKEN", "metrics-token-0123456789")
            .start();
    try (InputStream in =
        OpenApiDocumentTest.class.getResourceAsStream(DocsRoutes.OPENAPI_RESOURCE)) {
      document = Json.MAPPER.readTree(in);
    }
  }

  @AfterAll
  void stop() {
    server.close();
  }

  /**
   * {@code "GET /api/v1/app/{app_id}"} for every HTTP route the server registers, except the HTML
   * pages for browsers ({@code /portal}, {@code /dashboard} and {@code GET /}, which sends a
   * browser to the dashboard): they are no API, so the document leaves them to docs/portal.md and
   * docs/dashboard.md, and docs/svix-compatibility.md lists them (SvixCompatibilityPageTest).
   */
  private Set<String> registeredRoutes() {
    Set<String> routes = new TreeSet<>();
    for (var parsed :
        HttpApi.create(server.herald().apiServices()).unsafe.internalRouter.allHttpHandlers()) {
      var endpoint = parsed.endpoint;
      if (endpoint.method.isHttpMethod() && !isPage(endpoint.path)) {
        routes.add(endpoint.method.name() + " " + endpoint.path);
      }
    }
    return routes;
  }

  private static boolean isPage(String path) {
    return path.equals("/") || path.startsWith("/portal") || path.startsWith("/dashboard");
  }

  private Set<String> documentedRoutes() {
    Set<String> routes = new TreeSet<>();
    document
        .path("paths")
        .properties()
        .forEach(
            path ->
                path.getValue()
                    .properties()
                    .forEach(
                        op -> {
                          if (OPENAPI_METHODS.contains(op.getKey())) {
                            routes.add(op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey());
                          }
                        }));
    return routes;
  }

  @Test
  void every_registered_route_is_documented_and_every_documented_route_is_registered() {
    Set<String> registered = registeredRoutes();

    assertThat(registered)
        .contains(
            "GET /api/v1/background-task/{task_id}",
            "GET /api/v1/openapi.json",
            "GET /docs",
            "GET /metrics",
            "POST /api/v1/operational-webhook/endpoint");
    assertThat(documentedRoutes()).containsExactlyInAnyOrderElementsOf(registered);
  }

  @Test
  void the_document_is_openapi_3_with_unique_operation_ids_and_declared_path_parameters() {
    assertThat(document.path("openapi").asText()).startsWith("3.");
    assertThat(document.path("info").path("title").asText()).isEqualTo("Herald API");
    Set<String> operationIds = new HashSet<>();
    List<String> problems = new ArrayList<>();
    document
        .path("paths")
        .properties()
        .forEach(
            path ->
                path.getValue()
                    .properties()
                    .forEach(
                        op -> {
                          String where = op.getKey() + " " + path.getKey();
                          String id = op.getValue().path("operationId").asText("");
                          if (id.isEmpty() || !operationIds.add(id)) {
                            problems.add(where + ": operationId missing or repeated: " + id);
                          }
                          Set<String> declared = new HashSet<>();
                          op.getValue()
                              .path("parameters")
                              .forEach(
                                  p -> {
                                    if (p.path("in").asText().equals("path")) {
                                      declared.add(p.path("name").asText());
                                    }
                                  });
                          Matcher m = PATH_PARAM.matcher(path.getKey());
                          Set<String> inPath = new HashSet<>();
                          while (m.find()) {
                            inPath.add(m.group(1));
                          }
                          if (!declared.equals(inPath)) {
                            problems.add(
                                where
                                    + ": path parameters "
                                    + inPath
                                    + " but declared "
                                    + declared);
                          }
                        }));
    assertThat(problems).isEmpty();
  }

  @Test
  void every_schema_reference_resolves() {
    List<String> refs = new ArrayList<>();
    collectRefs(document, refs);

    assertThat(refs).isNotEmpty();
    assertThat(refs)
        .allSatisfy(
            ref -> {
              assertThat(ref).startsWith("#/");
              assertThat(document.at(ref.substring(1)).isMissingNode()).as(ref).isFalse();
            });
  }

  @Test
  void the_security_scheme_is_a_bearer_api_key_required_by_default() {
    JsonNode scheme = document.at("/components/securitySchemes/HTTPBearer");

    assertThat(scheme.path("type").asText()).isEqualTo("http");
    assertThat(scheme.path("scheme").asText()).isEqualTo("bearer");
    assertThat(scheme.path("bearerFormat").asText()).isEqualTo("API key");
    assertThat(document.at("/security/0/HTTPBearer").isArray()).isTrue();
  }

  /**
   * Every operation, called without a key: those the document marks public ({@code security: []})
   * must not answer 401, all others must. Path parameters are filled with a placeholder; the key is
   * checked before anything else.
   */
  @Test
  void operations_need_a_key_exactly_when_the_document_says_so() {
    Api anonymous = server.anonymous();
    List<String> mismatches = new ArrayList<>();
    document
        .path("paths")
        .properties()
        .forEach(
            path ->
                path.getValue()
                    .properties()
                    .forEach(
                        op -> {
                          JsonNode security = op.getValue().get("security");
                          boolean documentedPublic =
                              security != null && security.isArray() && security.isEmpty();
                          String url = PATH_PARAM.matcher(path.getKey()).replaceAll("placeholder");
                          int status =
                              anonymous
                                  .send(
                                      op.getKey().toUpperCase(Locale.ROOT),
                                      url,
                                      null,
                                      java.util.Map.of())
                                  .status();
                          if (documentedPublic == (status == 401)) {
                            mismatches.add(
                                op.getKey()
                                    + " "
                                    + path.getKey()
                                    + " answered "
                                    + status
                                    + (documentedPublic
                                        ? " but is documented as public"
                                        : " but is documented as needing a key"));
                          }
                        }));
    assertThat(mismatches).isEmpty();
  }

  @Test
  void the_document_is_served_without_a_key_with_this_nodes_version() {
    Api.Response r = server.anonymous().get("/api/v1/openapi.json");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("content-type")).startsWith("application/json");
    assertThat(r.body().at("/info/version").asText()).isEqualTo(Version.current());
    assertThat(r.body().path("paths")).isEqualTo(document.path("paths"));
    assertThat(r.body().path("components")).isEqualTo(document.path("components"));
  }

  private static void collectRefs(JsonNode node, List<String> out) {
    if (node.isObject()) {
      node.properties()
          .forEach(
              e -> {
                if (e.getKey().equals("$ref")) {
                  out.add(e.getValue().asText());
                } else {
                  collectRefs(e.getValue(), out);
                }
              });
    } else if (node.isArray()) {
      node.forEach(n -> collectRefs(n, out));
    }
  }
}
