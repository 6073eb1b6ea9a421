package dev.herald.bench;

import java.net.URI;
import java.util.List;

/** The applications and endpoints scenarios create through the API before measuring. */
final class Setup {
  private Setup() {}

  /**
   * {@code count} applications with one endpoint each (endpoint i at receiver URL i); their message
   * URIs.
   */
  static List<URI> appsWithOneEndpoint(Bench.Node node, HeraldApi api, Receiver receiver, int count)
      throws InterruptedException {
    List<String> appIds =
        HeraldApi.inParallel(
            count,
            i -> {
              String app = api.createApp("bench-" + i);
              api.createEndpoint(app, receiver.url(i));
              return app;
            });
    return appIds.stream().map(node::messageUri).toList();
  }

  /** One application with {@code count} endpoints (endpoint i at receiver URL i); its id. */
  static String appWithEndpoints(HeraldApi api, Receiver receiver, int count, String name)
      throws InterruptedException {
    String app = api.createApp(name);
    HeraldApi.inParallel(count, i -> api.createEndpoint(app, receiver.url(i)));
    return app;
  }
}
