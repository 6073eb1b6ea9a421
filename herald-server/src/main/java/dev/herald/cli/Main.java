package dev.herald.cli;

import dev.herald.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code herald} command: {@code serve} and the operator's subcommands. */
@Command(
    name = "herald",
    mixinStandardHelpOptions = true,
    versionProvider = Main.VersionProvider.class,
    description = "Self-hosted webhook delivery service, compatible with the Svix API.",
    subcommands = {ServeCommand.class, MigrateCommand.class, OrgCommand.class})
public final class Main implements Runnable {

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"Herald " + Version.current()};
    }
  }
}
