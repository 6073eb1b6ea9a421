package dev.herald.incoming;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.herald.incoming.verify.Challenge;
import dev.herald.incoming.verify.InboundRequest;
import dev.herald.incoming.verify.Verdict;

/**
 * What a source would make of a request, explained: whether it verifies and why not, the event type
 * and de-duplication key it would get, whether that key was already seen, and the challenge answer
 * when it is a provider's endpoint check.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record DryRun(
    boolean valid,
    String reason,
    String detail,
    String eventType,
    String dedupeKey,
    Boolean duplicate,
    Challenge challenge,
    @JsonIgnore String fullKey) {

  static DryRun of(Source s, InboundRequest r) {
    Verdict v = s.verifier().type().verify(r, s.verifier(), r.receivedAt());
    Derived d = Derived.of(s, r);
    Challenge challenge =
        v instanceof Verdict.Valid
            ? s.verifier().type().challenge(r, s.verifier()).orElse(null)
            : null;
    if (v instanceof Verdict.Invalid invalid) {
      return new DryRun(
          false,
          invalid.reason().code(),
          invalid.detail(),
          d.eventType(),
          d.shownKey(),
          null,
          null,
          d.dedupeKey());
    }
    return new DryRun(
        true, null, null, d.eventType(), d.shownKey(), null, challenge, d.dedupeKey());
  }

  DryRun withDuplicate(boolean seen) {
    return new DryRun(valid, reason, detail, eventType, dedupeKey, seen, challenge, fullKey);
  }
}
