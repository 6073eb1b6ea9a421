package dev.herald.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * An open operator dashboard session: the org key it was opened with ({@code keyId}) and its
 * rights, and the token its forms must send back (the cookie alone never authorises a change).
 */
public record DashboardSession(String keyId, Principal principal, String csrfToken) {

  /** Constant-time, so response timing reveals nothing about the expected token. */
  public boolean csrfMatches(String presented) {
    return presented != null
        && MessageDigest.isEqual(
            presented.getBytes(StandardCharsets.UTF_8), csrfToken.getBytes(StandardCharsets.UTF_8));
  }
}
