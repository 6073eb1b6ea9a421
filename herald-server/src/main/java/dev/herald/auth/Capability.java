package dev.herald.auth;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * What an app-portal token may do inside its application (Svix's {@code AppPortalCapability}).
 * Every route a portal token can reach names the one capability it needs; org keys hold them all.
 */
public enum Capability {
  /**
   * Read the application, its endpoints (secret excepted), messages, attempts, event types, stats.
   */
  VIEW_BASE("ViewBase"),
  /** Read an endpoint's signing secret. */
  VIEW_ENDPOINT_SECRET("ViewEndpointSecret"),
  /** Rotate (and so also read) an endpoint's signing secret. */
  MANAGE_ENDPOINT_SECRET("ManageEndpointSecret"),
  /**
   * Read, change and simulate endpoint transformations (the code may hold credentials, so reading
   * it needs this too).
   */
  MANAGE_TRANSFORMATIONS("ManageTransformations"),
  /** Make new attempts: resend, recover, send an example, send a message. */
  CREATE_ATTEMPTS("CreateAttempts"),
  /** Create, change and delete endpoints and their headers, including their secrets. */
  MANAGE_ENDPOINT("ManageEndpoint");

  private final String wireName;

  Capability(String wireName) {
    this.wireName = wireName;
  }

  /** The name Svix's API and SDKs use, e.g. {@code ViewBase}. */
  public String wireName() {
    return wireName;
  }

  public static Optional<Capability> fromWireName(String name) {
    return Arrays.stream(values()).filter(c -> c.wireName.equals(name)).findFirst();
  }

  /** Every capability: a token issued without a list, and every org key. */
  public static Set<Capability> all() {
    return EnumSet.allOf(Capability.class);
  }

  /**
   * The grant with what each capability implies added, as Svix describes them: managing a secret
   * includes reading it, and managing an endpoint includes its secret.
   */
  public static Set<Capability> withImplied(Set<Capability> granted) {
    EnumSet<Capability> out =
        granted.isEmpty() ? EnumSet.noneOf(Capability.class) : EnumSet.copyOf(granted);
    if (out.contains(MANAGE_ENDPOINT)) {
      out.add(MANAGE_ENDPOINT_SECRET);
    }
    if (out.contains(MANAGE_ENDPOINT_SECRET)) {
      out.add(VIEW_ENDPOINT_SECRET);
    }
    return Set.copyOf(out);
  }
}
