package dev.herald.cli;

import dev.herald.auth.AuthService;
import dev.herald.config.ConfigException;
import dev.herald.config.HeraldConfig;
import dev.herald.id.Ids;
import dev.herald.store.ApiKeyStore;
import dev.herald.store.DataDirectoryInUse;
import dev.herald.store.Database;
import java.time.InstantSource;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Creates a new org (tenant) with its own admin key, printed once. */
@Command(
    name = "create-org",
    description = "Create a new org (tenant) and print its admin API key once.")
final class OrgCommand implements Callable<Integer> {

  @Parameters(index = "0", description = "A name for the org.")
  String name;

  @Override
  public Integer call() {
    try {
      HeraldConfig config = HeraldConfig.fromEnvironment(System.getenv());
      try (Database db = Database.open(config.databaseSettings())) {
        var auth =
            new AuthService(
                db, new ApiKeyStore(), new Ids(InstantSource.system()), InstantSource.system());
        var created = auth.createOrg(name);
        System.out.println("org " + created.orgId() + " created; its admin API key (shown once):");
        System.out.println(created.key());
      }
      return 0;
    } catch (ConfigException e) {
      System.err.println("herald: invalid configuration: " + e.getMessage());
      return 2;
    } catch (DataDirectoryInUse e) {
      System.err.println("herald: " + e.getMessage());
      return 2;
    }
  }
}
