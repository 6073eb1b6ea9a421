package dev.herald.portal;

import dev.herald.endpoint.Endpoint;
import java.util.List;

/**
 * What {@code portal/endpoint-advanced.jte} shows: the signing secret (only when revealed and the
 * session may read it, with the previous secrets still signing during a rotation's overlap) and the
 * custom headers, whose values are never shown.
 *
 * @param secret the current secret when revealed, else null
 * @param error why the last header change was refused, or null
 */
public record EndpointAdvancedView(
    PortalFrame frame,
    Endpoint endpoint,
    boolean canViewSecret,
    boolean canRotate,
    boolean canManage,
    String secret,
    List<Endpoint.OldSecret> previousSecrets,
    List<String> headerNames,
    String error) {

  public EndpointAdvancedView {
    previousSecrets = List.copyOf(previousSecrets);
    headerNames = List.copyOf(headerNames);
  }
}
