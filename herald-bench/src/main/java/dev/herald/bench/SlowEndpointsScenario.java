package dev.herald.bench;

import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Whether slow endpoints that still answer cost healthy ones anything. Unlike hanging ones they
 * never look dead, so Herald gives them their full concurrency; at the defaults they take more work
 * than they can answer (100 endpoints, 10 messages a second each, answering after 2 s with 10
 * requests at a time), so their backlog grows at the front of the queue for the whole phase.
 */
@Command(
    name = "slow-endpoints",
    mixinStandardHelpOptions = true,
    description =
        "100 endpoints that answer after 2 s, sent more than they can take, plus one healthy endpoint"
            + " under load: healthy delivery rate and latency versus the same run without them.")
final class SlowEndpointsScenario extends NeighbourScenario {

  @Option(
      names = "--slow",
      description = "endpoints that answer slowly (default: ${DEFAULT-VALUE})")
  int slow = 100;

  @Option(
      names = "--slow-rate",
      description =
          "messages per second to the slow application; each goes to every slow endpoint (default: ${DEFAULT-VALUE})")
  double slowRate = 10;

  @Option(
      names = "--answer-after",
      converter = Durations.class,
      description = "how long a slow endpoint takes to answer 204 (default: ${DEFAULT-VALUE})")
  Duration answerAfter = Duration.ofSeconds(2);

  @Override
  String name() {
    return "slow-endpoints";
  }

  @Override
  int others() {
    return slow;
  }

  @Override
  double othersRate() {
    return slowRate;
  }

  @Override
  String othersWord() {
    return "slow";
  }

  @Override
  void prepareOthers(Receiver others) {
    others.slowBy(answerAfter);
    others.mode(Receiver.Mode.SLOW);
  }

  @Override
  void othersParams(Map<String, Object> p) {
    p.put("slow", slow);
    p.put("rate", rate);
    p.put("slow_rate", slowRate);
    p.put("answer_after", Durations.format(answerAfter));
  }
}
