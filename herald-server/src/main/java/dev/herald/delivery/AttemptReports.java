package dev.herald.delivery;

import dev.herald.store.Sql;
import java.time.Instant;

/**
 * Where the attempt writer reports what operators are told about (Svix's operational webhooks), in
 * the transaction that records the attempt. Defined here so delivery does not depend on the package
 * that turns reports into messages (which itself depends on delivery to send them).
 */
public interface AttemptReports {
  /** A message that failed this many attempts at an endpoint is reported as failing. */
  int FAILING_AFTER_ATTEMPTS = 4;

  /**
   * {@code message.attempt.failing}, {@code .exhausted} or {@code .recovered}, about one attempt.
   */
  void attemptEvent(
      Sql sql,
      String eventType,
      String orgId,
      String appId,
      String messageId,
      String endpointId,
      String attemptId,
      int responseStatusCode,
      Instant attemptedAt);

  /** {@code endpoint.disabled}, for an endpoint the failure tracker just disabled. */
  void endpointDisabled(Sql sql, String endpointId);
}
