package dev.herald.dashboard;

/**
 * The sign-in page.
 *
 * @param token the sign-in token, also in the sign-in cookie
 * @param error why the last attempt was refused, or null
 */
public record LoginView(String token, String error) {}
