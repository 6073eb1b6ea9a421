package dev.herald.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.json.Json;
import dev.herald.testing.Backend;
import dev.herald.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * docs/svix-compatibility.md lists exactly the operations of Svix's open-source API that Herald
 * registers, those it does not, and Herald's own (issue 14 point 6). Operations are compared by
 * method and path with the parameter names left out ({@code GET /api/v1/app/{}}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SvixCompatibilityPageTest {
  private static final Path PAGE = Path.of("../docs/svix-compatibility.md");
  private static final String SVIX_OPENAPI = "/svix/svix-openapi.json";
  private static final Set<String> OPENAPI_METHODS =
      Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
  private static final Pattern OPERATION_ROW = Pattern.compile("^\\| `([A-Z]+) (/[^`\\s]*)` \\|");
  private static final Pattern PATH_PARAM = Pattern.compile("\\{[^}]+}");

  private TestServer server;

  @BeforeAll
  void start() {
    server = TestServer.builder(Backend.SQLITE).start();
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @Test
  void the_page_lists_every_svix_operation_herald_serves_and_nothing_else_as_working()
      throws IOException {
    Set<String> served = new TreeSet<>(svixOperations());
    served.retainAll(registeredOperations());

    assertThat(pageSection("What works")).containsExactlyInAnyOrderElementsOf(served);
  }

  @Test
  void the_page_lists_every_svix_operation_herald_does_not_serve_as_not_served()
      throws IOException {
    Set<String> missing = new TreeSet<>(svixOperations());
    missing.removeAll(registeredOperations());

    assertThat(pageSection("Not served yet")).containsExactlyInAnyOrderElementsOf(missing);
  }

  @Test
  void the_page_lists_every_operation_herald_adds_to_svix() throws IOException {
    Set<String> added = new TreeSet<>(registeredOperations());
    added.removeAll(svixOperations());

    assertThat(pageSection("What Herald adds")).containsExactlyInAnyOrderElementsOf(added);
  }

  private Set<String> registeredOperations() {
    Set<String> operations = new TreeSet<>();
    for (var parsed :
        HttpApi.create(server.herald().apiServices()).unsafe.internalRouter.allHttpHandlers()) {
      var endpoint = parsed.endpoint;
      if (endpoint.method.isHttpMethod()) {
        operations.add(operation(endpoint.method.name(), endpoint.path));
      }
    }
    return operations;
  }

  private static Set<String> svixOperations() throws IOException {
    JsonNode document;
    try (InputStream in = SvixCompatibilityPageTest.class.getResourceAsStream(SVIX_OPENAPI)) {
      document = Json.MAPPER.readTree(in);
    }
    Set<String> operations = new TreeSet<>();
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
                            operations.add(
                                operation(op.getKey().toUpperCase(Locale.ROOT), path.getKey()));
                          }
                        }));
    return operations;
  }

  /** The operations in the table rows under the page's "## {@code title}" heading. */
  private static List<String> pageSection(String title) throws IOException {
    Map<String, List<String>> sections = new HashMap<>();
    List<String> current = null;
    for (String line : Files.readAllLines(PAGE)) {
      if (line.startsWith("## ")) {
        current =
            sections.computeIfAbsent(line.substring(3).trim(), t -> new java.util.ArrayList<>());
        continue;
      }
      Matcher row = OPERATION_ROW.matcher(line);
      if (current != null && row.find()) {
        current.add(operation(row.group(1), row.group(2)));
      }
    }
    assertThat(sections).as("sections of " + PAGE).containsKey(title);
    return sections.get(title);
  }

  private static String operation(String method, String path) {
    return method + " " + PATH_PARAM.matcher(path).replaceAll("{}");
  }
}
