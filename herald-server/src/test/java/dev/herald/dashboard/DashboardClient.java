package dev.herald.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser stand-in for the dashboard over plain HTTP: signs in through the sign-in form as a
 * browser would (its sign-in cookie and hidden token), then sends the session cookie back.
 */
final class DashboardClient {
  private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
  private static final Pattern LOGIN = Pattern.compile("name=\"_login\" value=\"([^\"]+)\"");

  private final String baseUrl;
  private final HttpClient http =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private String cookie;

  DashboardClient(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  /** Signs in with the key; returns the sign-in answer (303 when it worked). */
  HttpResponse<String> signIn(String key) {
    HttpResponse<String> form = get("/dashboard/login");
    String loginCookie = cookieValue(form, "herald_dashboard_login");
    Matcher m = LOGIN.matcher(form.body());
    assertThat(m.find()).as(form.body()).isTrue();
    HttpResponse<String> r =
        send(
            "POST",
            "/dashboard/login",
            "herald_dashboard_login=" + loginCookie,
            Map.of("_login", m.group(1), "key", key));
    if (r.statusCode() == 303) {
      cookie = "herald_dashboard=" + cookieValue(r, "herald_dashboard");
    }
    return r;
  }

  String cookie() {
    return cookie;
  }

  void useCookie(String c) {
    cookie = c;
  }

  HttpResponse<String> get(String path) {
    return send("GET", path, cookie, null);
  }

  /** A form POST carrying the page's CSRF token (read from {@code /dashboard/keys}). */
  HttpResponse<String> postWithCsrf(String path, Map<String, String> form) {
    Map<String, String> withToken = new java.util.LinkedHashMap<>(form);
    withToken.put("_csrf", csrf());
    return post(path, withToken);
  }

  /** A POST as htmx sends it: the CSRF token in the {@code X-CSRF-Token} header. */
  HttpResponse<String> postWithHeader(String path, Map<String, String> form, String csrf) {
    String body =
        form.entrySet().stream()
            .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    return send(
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .header("Cookie", cookie)
            .header("HX-Request", "true")
            .header("X-CSRF-Token", csrf)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  HttpResponse<String> post(String path, Map<String, String> form) {
    return send("POST", path, cookie, form);
  }

  /** A POST with repeated fields (the health board's ticked endpoints). */
  HttpResponse<String> post(String path, List<Map.Entry<String, String>> form) {
    String body =
        form.stream()
            .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    return send(
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .header("Cookie", cookie)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  String csrf() {
    HttpResponse<String> page = get("/dashboard/keys");
    Matcher m = CSRF.matcher(page.body());
    assertThat(m.find()).as(page.body()).isTrue();
    return m.group(1);
  }

  static String cookieValue(HttpResponse<String> r, String name) {
    return r.headers().allValues("Set-Cookie").stream()
        .filter(c -> c.startsWith(name + "="))
        .map(c -> c.substring(name.length() + 1, c.indexOf(';')))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + name + " cookie in " + r.headers()));
  }

  static String setCookie(HttpResponse<String> r, String name) {
    return r.headers().allValues("Set-Cookie").stream()
        .filter(c -> c.startsWith(name + "="))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + name + " cookie in " + r.headers()));
  }

  private HttpResponse<String> send(
      String method, String path, String cookieHeader, Map<String, String> form) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path));
    if (cookieHeader != null) {
      b.header("Cookie", cookieHeader);
    }
    if (form == null) {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      String body =
          form.entrySet().stream()
              .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
              .collect(Collectors.joining("&"));
      b.header("Content-Type", "application/x-www-form-urlencoded")
          .method(method, HttpRequest.BodyPublishers.ofString(body));
    }
    return send(b.build());
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
