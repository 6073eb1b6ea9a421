package dev.herald.auth;

import dev.herald.eventtype.FeatureFlags;
import java.time.Instant;
import java.util.Set;

/**
 * Who is calling: an org key ({@code appId == null}) manages the whole org with every capability;
 * an app-portal token is confined to one application and to the capabilities and feature flags it
 * was issued with.
 *
 * @param sessionId the portal session the token belongs to, or null
 * @param expiresAt when the token stops working, or null for keys that never expire
 */
public record Principal(
    String orgId,
    String appId,
    Set<Capability> capabilities,
    FeatureFlags featureFlags,
    String sessionId,
    Instant expiresAt) {

  public Principal {
    capabilities = Set.copyOf(capabilities);
  }

  /** A principal with every capability and no feature-flag restriction. */
  public Principal(String orgId, String appId) {
    this(orgId, appId, Capability.all(), FeatureFlags.ALL, null, null);
  }

  public boolean isAppScoped() {
    return appId != null;
  }

  public boolean can(Capability capability) {
    return capabilities.contains(capability);
  }
}
