package dev.herald.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.function.Supplier;

/**
 * The dashboard's cookies: sent only to {@code /dashboard}, never readable by scripts, Secure
 * behind https. The session cookie is Lax (kept on plain links from elsewhere, not on other sites'
 * POSTs); the sign-in token is Strict, for the sign-in form only.
 */
final class DashboardCookies {
  static final String LOGIN_COOKIE = "herald_dashboard_login";

  private final Supplier<String> publicUrl;
  private final InstantSource clock;

  DashboardCookies(Supplier<String> publicUrl, InstantSource clock) {
    this.publicUrl = publicUrl;
    this.clock = clock;
  }

  String session(String value, Instant expiresAt) {
    long maxAge = Math.max(0, Duration.between(clock.instant(), expiresAt).toSeconds());
    return cookie(DashboardRequests.COOKIE, value, "Lax", maxAge);
  }

  String sessionCleared() {
    return cookie(DashboardRequests.COOKIE, "", "Lax", 0);
  }

  /** Sign-in CSRF: the form's hidden token must equal this cookie (a site cannot set it). */
  String login(String token) {
    return cookie(LOGIN_COOKIE, token, "Strict", 3600);
  }

  String loginCleared() {
    return cookie(LOGIN_COOKIE, "", "Strict", 0);
  }

  private String cookie(String name, String value, String sameSite, long maxAge) {
    StringBuilder c = new StringBuilder(name).append('=').append(value);
    c.append("; Path=/dashboard; HttpOnly; SameSite=").append(sameSite);
    c.append("; Max-Age=").append(maxAge);
    if (publicUrl.get().regionMatches(true, 0, "https:", 0, 6)) {
      c.append("; Secure");
    }
    return c.toString();
  }
}
