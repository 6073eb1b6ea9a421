package dev.herald.transform;

/**
 * A transformation call did not produce a webhook: the code threw, broke a limit, returned
 * something that is not a webhook, or could not be run. The message is the reason shown in the
 * attempt log and in {@code simulate}'s answer.
 */
public final class ScriptFailed extends RuntimeException {
  public ScriptFailed(String reason) {
    super(reason, null, false, false);
  }
}
