package dev.herald.auth;

/**
 * Who is calling: an org key ({@code appId == null}) manages the whole org; an app-portal token is
 * confined to one application.
 */
public record Principal(String orgId, String appId) {
  public boolean isAppScoped() {
    return appId != null;
  }
}
