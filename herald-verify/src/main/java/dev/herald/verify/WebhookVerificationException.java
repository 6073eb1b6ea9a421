package dev.herald.verify;

/**
 * Thrown when a webhook fails verification: missing or malformed headers, a timestamp outside the
 * tolerance, or no signature that matches a trusted secret.
 *
 * <p>Unchecked on purpose: a receiver usually maps every failure to one 4xx response, so forcing a
 * catch at each call site adds nothing. The messages match the Standard Webhooks reference
 * libraries, so logs and client code read the same whichever verifier produced them.
 */
public final class WebhookVerificationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public WebhookVerificationException(String message) {
    super(message);
  }
}
