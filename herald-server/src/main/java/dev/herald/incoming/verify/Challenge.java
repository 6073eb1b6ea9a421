package dev.herald.incoming.verify;

/**
 * The answer a provider's endpoint check expects (Slack {@code url_verification}, Zoom {@code
 * endpoint.url_validation}, Twitch {@code webhook_callback_verification}): sent at once, after
 * verification, and no message is created.
 */
public record Challenge(int status, String contentType, String body) {}
