package dev.herald.portal;

/**
 * What every signed-in portal page shows around its content ({@code portal/page.jte}): the
 * application's name, the navigation with the current section marked, the sign-out form and the
 * theme.
 *
 * @param section which navigation entry is current: {@code endpoints} or {@code catalogue}
 * @param csrf the session's CSRF token, for every form on the page
 */
public record PortalFrame(String appName, String section, String csrf, PortalTheme theme) {}
