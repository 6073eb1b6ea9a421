package dev.herald.transform;

import org.graalvm.polyglot.PolyglotException;

/**
 * A transformation call did not produce a webhook: the code threw, broke a limit, returned
 * something that is not a webhook, or could not be run. The message is the reason shown in the
 * attempt log and in {@code simulate}'s answer.
 */
public final class ScriptFailed extends RuntimeException {
  public ScriptFailed(String reason) {
    super(reason, null, false, false);
  }

  /** A script's exception as a reason: the limit that stopped it, or its error and line. */
  static ScriptFailed of(PolyglotException e, String tripped, SandboxLimits limits) {
    return new ScriptFailed(reason(e, tripped, limits));
  }

  static String reason(PolyglotException e, String tripped, SandboxLimits limits) {
    if (tripped != null) {
      return "stopped: " + tripped;
    }
    if (e.isResourceExhausted()) {
      String m = String.valueOf(e.getMessage());
      return m.startsWith("Statement count limit")
          ? "stopped: executed more than " + limits.statements() + " statements"
          : "stopped: " + m;
    }
    if (e.isCancelled() || e.isInterrupted()) {
      return "stopped: cancelled";
    }
    if (e.isSyntaxError()) {
      return "SyntaxError: " + e.getMessage();
    }
    String where =
        e.getSourceLocation() != null
                && "transformation.js".equals(e.getSourceLocation().getSource().getName())
            ? " (line " + e.getSourceLocation().getStartLine() + ")"
            : "";
    return e.getMessage() + where;
  }
}
