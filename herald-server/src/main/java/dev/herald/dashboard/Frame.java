package dev.herald.dashboard;

/**
 * What the layout of every signed-in page needs.
 *
 * @param csrf the session's CSRF token, for the sign-out form and htmx requests
 * @param active the section shown, highlighted in the navigation ("overview", "messages", …)
 */
public record Frame(String csrf, String active) {}
