package dev.herald.cli;

import dev.herald.config.ConfigException;
import dev.herald.config.HeraldConfig;
import dev.herald.store.DataDirectoryInUse;
import dev.herald.store.Database;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Applies pending database migrations and exits (for upgrades run before starting nodes). */
@Command(name = "migrate", description = "Apply database migrations and exit.")
final class MigrateCommand implements Callable<Integer> {

  @Override
  public Integer call() {
    try {
      HeraldConfig config = HeraldConfig.fromEnvironment(System.getenv());
      try (Database db = Database.open(config.databaseSettings())) {
        System.out.println("database is up to date (" + db.dialect().name() + ")");
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
