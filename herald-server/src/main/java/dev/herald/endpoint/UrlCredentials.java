package dev.herald.endpoint;

/**
 * Credentials in a URL's authority ({@code user:password@host}). Endpoints refuse them (they would
 * be shown wherever the URL is and were never sent: the HTTP client drops them), and endpoints
 * stored before that rule show them masked.
 */
public final class UrlCredentials {
  static final String MASK = "***";

  private UrlCredentials() {}

  /** True when the URL's authority has a {@code …@} part. */
  public static boolean present(String url) {
    return userInfoEnd(url) >= 0;
  }

  /** The URL with everything before the authority's last '@' replaced by {@code ***}. */
  public static String masked(String url) {
    int at = userInfoEnd(url);
    if (at < 0) {
      return url;
    }
    int start = url.indexOf("://") + 3;
    return url.substring(0, start) + MASK + url.substring(at);
  }

  /** Index of the '@' ending the user info, or -1. Works on any text, parseable or not. */
  private static int userInfoEnd(String url) {
    if (url == null) {
      return -1;
    }
    int scheme = url.indexOf("://");
    if (scheme < 0) {
      return -1;
    }
    int start = scheme + 3;
    int end = start;
    while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) {
      end++;
    }
    return url.lastIndexOf('@', end - 1) >= start ? url.lastIndexOf('@', end - 1) : -1;
  }
}
