package dev.herald.delivery;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;

/**
 * What the SSRF guard would say about an endpoint URL before anything is sent to it, for forms that
 * show the answer as the URL is typed. The same guard and allow-list as deliveries; a name's
 * addresses can change later, so deliveries check again when they connect.
 */
public final class UrlCheck {

  /** The guard's answer: {@code sendable} and a sentence for the reader. */
  public record Answer(boolean sendable, String text) {}

  private final SsrfGuard guard;

  public UrlCheck(List<String> ssrfAllow) {
    this.guard = new SsrfGuard(ssrfAllow, Runnable::run);
  }

  public Answer check(String url) {
    URI uri;
    try {
      uri = new URI(url == null ? "" : url.strip());
    } catch (URISyntaxException e) {
      return new Answer(false, "This is not a URL.");
    }
    String scheme = uri.getScheme();
    if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
      return new Answer(false, "The URL must start with https:// or http://.");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      return new Answer(false, "The URL has no host name.");
    }
    int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equalsIgnoreCase("https") ? 443 : 80;
    try {
      String address = guard.resolve(uri.getHost(), port).getFirst().getAddress().getHostAddress();
      String host = uri.getHost().replaceAll("^\\[|\\]$", "");
      return new Answer(
          true,
          "Herald can send to " + host + (host.equals(address) ? "" : " (" + address + ")") + ".");
    } catch (SsrfGuard.BlockedAddressException e) {
      return new Answer(
          false,
          "Herald will not send to "
              + uri.getHost()
              + ": it resolves to a private or reserved address.");
    } catch (UnknownHostException e) {
      return new Answer(false, uri.getHost() + " does not resolve to any address (yet).");
    }
  }
}
