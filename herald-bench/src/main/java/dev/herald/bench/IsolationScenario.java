package dev.herald.bench;

import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Whether dead endpoints cost healthy ones anything: another application's endpoints hang every
 * request until Herald's request timeout.
 */
@Command(
    name = "isolation",
    mixinStandardHelpOptions = true,
    description =
        "100 endpoints that hang until the request timeout plus one healthy endpoint under load: "
            + "healthy delivery rate and latency versus the same run without the hanging endpoints.")
final class IsolationScenario extends NeighbourScenario {

  @Option(
      names = "--hanging",
      description = "endpoints that never answer (default: ${DEFAULT-VALUE})")
  int hanging = 100;

  @Option(
      names = "--hang-rate",
      description =
          "messages per second to the hanging application; each goes to every hanging endpoint (default: ${DEFAULT-VALUE})")
  double hangRate = 10;

  @Override
  String name() {
    return "isolation";
  }

  @Override
  int others() {
    return hanging;
  }

  @Override
  double othersRate() {
    return hangRate;
  }

  @Override
  String othersWord() {
    return "hanging";
  }

  @Override
  void prepareOthers(Receiver others) {
    others.mode(Receiver.Mode.HANG);
  }

  @Override
  void othersParams(Map<String, Object> p) {
    p.put("hanging", hanging);
    p.put("rate", rate);
    p.put("hang_rate", hangRate);
  }
}
