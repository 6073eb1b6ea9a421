package dev.herald.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.Api;
import dev.herald.testing.Backend;
import dev.herald.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code GET /docs}: Swagger UI, every file of it served by Herald itself. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DocsPageTest {
  private static final Pattern REFERENCE = Pattern.compile("(?:src|href)=\"([^\"]+)\"");
  private static final Map<String, String> CONTENT_TYPES =
      Map.of(".css", "text/css", ".js", "text/javascript", ".png", "image/png");

  private TestServer server;
  private Api anonymous;

  @BeforeAll
  void start() {
    server = TestServer.start(Backend.SQLITE);
    anonymous = server.anonymous();
  }

  @AfterAll
  void stop() {
    server.close();
  }

  static List<String> references(String html) {
    List<String> out = new ArrayList<>();
    Matcher m = REFERENCE.matcher(html);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  @Test
  void the_page_is_html_served_without_a_key_and_forbids_loading_from_elsewhere() {
    Api.Response page = anonymous.get("/docs");

    assertThat(page.status()).isEqualTo(200);
    assertThat(page.header("content-type")).startsWith("text/html");
    assertThat(page.header("content-security-policy")).contains("default-src 'self'");
    assertThat(page.text()).contains("<div id=\"swagger-ui\">");
  }

  @Test
  void every_file_the_page_references_is_served_locally_with_its_content_type() {
    List<String> references = references(anonymous.get("/docs").text());

    assertThat(references)
        .contains(
            "/docs/assets/swagger-ui.css",
            "/docs/assets/swagger-ui-bundle.js",
            "/docs/assets/herald-docs.js");
    for (String reference : references) {
      assertThat(reference)
          .as("served by Herald, not fetched elsewhere")
          .startsWith("/docs/assets/");
      Api.Response asset = anonymous.get(reference);
      String extension = reference.substring(reference.lastIndexOf('.'));
      assertThat(asset.status()).as(reference).isEqualTo(200);
      assertThat(asset.header("content-type"))
          .as(reference)
          .startsWith(CONTENT_TYPES.get(extension));
      assertThat(asset.header("x-content-type-options")).isEqualTo("nosniff");
      assertThat(asset.text()).as(reference).isNotEmpty();
    }
  }

  @Test
  void the_page_loads_the_openapi_document_of_this_node() {
    String script = anonymous.get("/docs/assets/herald-docs.js").text();

    assertThat(script).contains("url: \"/api/v1/openapi.json\"");
    Api.Response document = anonymous.get("/api/v1/openapi.json");
    assertThat(document.status()).isEqualTo(200);
    assertThat(document.header("content-type")).startsWith("application/json");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/docs/assets/index.html",
        "/docs/assets/swagger-ui.js",
        "/docs/assets/swagger-initializer.js",
        "/docs/assets/..%2F..%2Fopenapi%2Fherald-openapi.json",
        "/docs/assets/%2E%2E%2Fdocs.html",
        "/docs/assets/..%2F..%2FMETA-INF%2Fservices%2Fch.qos.logback.classic.spi.Configurator",
        "/docs/assets/..%2F..%2Fdev%2Fherald%2Fversion.properties",
        "/docs/assets/swagger-ui.css%00.class",
        "/docs/assets/../../openapi/docs.html",
        "/docs/assets/a/b/swagger-ui.css",
      })
  void nothing_outside_the_listed_assets_is_served(String path) {
    Api.Response r = anonymous.get(path);

    assertThat(r.status()).as(path).isIn(400, 404);
    assertThat(r.text())
        .doesNotContain(
            "id=\"swagger-ui\"",
            "\"openapi\"",
            "SwaggerUIBundle",
            "dev.herald.logging.LogConfigurator",
            "version=");
  }
}
