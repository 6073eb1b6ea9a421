package dev.herald.auth;

import dev.herald.json.BodyReader;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What an app-portal token is issued with (Svix's {@code AppPortalAccessIn} less the application).
 *
 * @param capabilities what the token may do, implied capabilities included; always holds ViewBase
 * @param featureFlags the flags whose event types the token sees
 * @param sessionId the portal session, or null; expire-all can end one session's tokens
 */
public record PortalGrant(
    Set<Capability> capabilities, Set<String> featureFlags, String sessionId, Duration ttl) {
  /** Svix accepts tokens valid from one hour to seven days. */
  public static final long MIN_EXPIRY_SECONDS = 3_600;

  public static final long MAX_EXPIRY_SECONDS = 604_800;

  /** Session ids are shown back to operators and portal pages: visible ASCII only. */
  public static final Pattern SESSION_ID_PATTERN = Pattern.compile("^[\\x21-\\x7E]+$");

  public static final int MAX_SESSION_ID_LENGTH = 256;

  public PortalGrant {
    capabilities = Set.copyOf(capabilities);
    featureFlags = Set.copyOf(featureFlags);
    Objects.requireNonNull(ttl, "ttl");
    if (!capabilities.contains(Capability.VIEW_BASE)) {
      throw new IllegalArgumentException("every portal token holds ViewBase");
    }
  }

  /**
   * Reads the grant fields of an app-portal-access body; {@code defaultTtl} applies when it names
   * no {@code expiry}. Does not validate: the caller does, once every field is read.
   *
   * <p>Capabilities: none given means all of them (as Svix does); {@code readOnly: true} means
   * ViewBase only and overrides any capabilities given (Svix's deprecated flag wins); a list given
   * must hold ViewBase, which Svix requires of every token. Unknown capability names are refused
   * even under readOnly.
   */
  public static PortalGrant read(BodyReader body, Duration defaultTtl) {
    Long expiry = body.integer("expiry", MIN_EXPIRY_SECONDS, MAX_EXPIRY_SECONDS);
    Boolean readOnly = body.bool("readOnly");
    boolean viewOnly = Boolean.TRUE.equals(readOnly);
    Set<Capability> asked = capabilities(body, viewOnly);
    List<String> flags = body.stringSet("featureFlags", 0, 100, 256, BodyReader.ID_PATTERN);
    String sessionId = body.string("sessionId", 1, MAX_SESSION_ID_LENGTH, SESSION_ID_PATTERN);
    Set<Capability> granted =
        viewOnly
            ? Set.of(Capability.VIEW_BASE)
            : asked == null || asked.isEmpty() ? Capability.all() : Capability.withImplied(asked);
    if (!granted.contains(Capability.VIEW_BASE)) {
      // Only reachable with problems already recorded; keeps the record's invariant.
      granted = Set.of(Capability.VIEW_BASE);
    }
    return new PortalGrant(
        granted,
        flags == null ? Set.of() : Set.copyOf(flags),
        sessionId,
        expiry == null ? defaultTtl : Duration.ofSeconds(expiry));
  }

  private static Set<Capability> capabilities(BodyReader body, boolean viewOnly) {
    List<String> names = body.stringSet("capabilities", 0, 100, 64, BodyReader.ID_PATTERN);
    if (names == null) {
      return null;
    }
    EnumSet<Capability> out = EnumSet.noneOf(Capability.class);
    for (String name : names) {
      Capability.fromWireName(name)
          .ifPresentOrElse(
              out::add,
              () ->
                  body.fail(
                      "capabilities",
                      "unknown capability \"" + name + "\"; permitted: " + permitted(),
                      "type_error.enum"));
    }
    if (!viewOnly && !names.isEmpty() && !out.contains(Capability.VIEW_BASE)) {
      body.fail(
          "capabilities",
          "ViewBase is required in every list of capabilities",
          "value_error.capability.view_base_required");
    }
    return out;
  }

  private static String permitted() {
    return Arrays.stream(Capability.values())
        .map(Capability::wireName)
        .collect(Collectors.joining(", "));
  }
}
