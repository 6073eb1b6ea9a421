package dev.herald.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * An open portal session: the rights of the token it was opened with, and the token its forms must
 * send back (the cookie alone never authorises a change: another site can make the browser send
 * it).
 */
public record PortalSession(Principal principal, String csrfToken) {

  /** Constant-time, so response timing reveals nothing about the expected token. */
  public boolean csrfMatches(String presented) {
    return presented != null
        && MessageDigest.isEqual(
            presented.getBytes(StandardCharsets.UTF_8), csrfToken.getBytes(StandardCharsets.UTF_8));
  }
}
