package dev.herald.portal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testing.Api;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser stand-in for the portal over plain HTTP: asks the API for a portal link, opens it on
 * the test server (the link's public origin is not served) and sends pages' GETs and form POSTs
 * with the session cookie. Redirects are not followed, so tests see them.
 */
final class PortalClient {
  private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

  /** The session cookie ({@code name=value}) a link was exchanged for. */
  record Session(String cookie) {}

  private final String baseUrl;
  private final String publicUrl;
  private final Api api;
  private final HttpClient http =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  PortalClient(String baseUrl, String publicUrl, Api api) {
    this.baseUrl = baseUrl;
    this.publicUrl = publicUrl;
    this.api = api;
  }

  String newApp(String name) {
    Api.Response r = api.post("/api/v1/app", Map.of("name", name));
    assertThat(r.status()).as("%s", r).isEqualTo(201);
    return r.field("id");
  }

  String link(String app, Map<String, ?> body) {
    Api.Response r = api.post("/api/v1/auth/app-portal-access/" + app, body);
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    assertThat(r.field("token")).startsWith("hpt_");
    return r.field("url");
  }

  /** The link's path and query, sent to the test server. */
  HttpResponse<String> open(String url) {
    assertThat(url).startsWith(publicUrl + "/portal/open?code=hpl_");
    return get(url.substring(publicUrl.length()), null);
  }

  Session sessionFor(String app, Map<String, ?> body) {
    HttpResponse<String> r = open(link(app, body));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
    String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
    return new Session(setCookie.substring(0, setCookie.indexOf(';')));
  }

  HttpResponse<String> get(String path, Session s) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path));
    if (s != null) {
      b.header("Cookie", s.cookie());
    }
    return send(b.GET().build());
  }

  /** A form POST; {@code form} is sent as given (add {@code _csrf} with {@link #csrf}). */
  HttpResponse<String> post(String path, Session s, Map<String, String> form) {
    String body =
        form.entrySet().stream()
            .map(
                e ->
                    URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                        + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    return send(
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .header("Cookie", s.cookie())
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  /** A form POST with the session's CSRF token added. */
  HttpResponse<String> submit(String path, Session s, Map<String, String> fields) {
    Map<String, String> form = new java.util.LinkedHashMap<>(fields);
    form.put("_csrf", csrf(s));
    return post(path, s, form);
  }

  String csrf(Session s) {
    Matcher m = CSRF.matcher(get("/portal", s).body());
    assertThat(m.find()).isTrue();
    return m.group(1);
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
