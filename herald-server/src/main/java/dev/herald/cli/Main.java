package dev.herald.cli;

import dev.herald.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code herald} command: {@code serve}, the operator's subcommands and the developer's {@code
 * listen} and {@code send}. {@code --help} and {@code --version} are inherited by every subcommand;
 * the settings each one reads are listed in its help (see {@link SettingsHelp}).
 */
@Command(
    name = "herald",
    scope = ScopeType.INHERIT,
    mixinStandardHelpOptions = true,
    versionProvider = Main.VersionProvider.class,
    description = "Self-hosted webhook delivery service, compatible with the Svix API.",
    subcommands = {
      ServeCommand.class,
      MigrateCommand.class,
      OrgCommand.class,
      ListenCommand.class,
      SendCommand.class
    })
public final class Main implements Runnable {

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command tree with each subcommand's settings footer: what {@link #main} runs. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    SettingsHelp.FOOTERS.forEach(
        (name, footer) ->
            cli.getSubcommands().get(name).getCommandSpec().usageMessage().footer(footer));
    return cli;
  }

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"Herald " + Version.current()};
    }
  }
}
