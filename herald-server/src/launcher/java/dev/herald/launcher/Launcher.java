package dev.herald.launcher;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The entry point of {@code herald.jar}: checks the Java version before any of Herald loads, so
 * that {@code java -jar herald.jar} on an old JVM prints one line naming the Java it needs instead
 * of an {@code UnsupportedClassVersionError} stack trace.
 *
 * <p>This class is compiled for Java 8 by a compiler run of its own (see herald-server's pom), so
 * that it loads on any JVM still in use. Herald itself is compiled for Java 21, so it cannot be
 * linked here at compile time: its {@code main} is looked up by name, the one place where Herald
 * reaches code that way.
 */
public final class Launcher {
  /**
   * The Java feature release Herald is compiled for; LauncherTest keeps it equal to the build's.
   */
  static final int REQUIRED_JAVA = 21;

  static final String HERALD_MAIN = "dev.herald.cli.Main";

  private Launcher() {}

  public static void main(String[] args) throws Throwable {
    int running = featureRelease(System.getProperty("java.specification.version"));
    if (running < REQUIRED_JAVA) {
      System.err.println(tooOld(running, System.getProperty("java.home")));
      System.exit(1);
    }
    MethodHandle main =
        MethodHandles.publicLookup()
            .findStatic(
                Class.forName(HERALD_MAIN),
                "main",
                MethodType.methodType(void.class, String[].class));
    // invokeExact throws what Herald's main throws, unwrapped, as if it had been called directly.
    main.invokeExact(args);
  }

  static String tooOld(int running, String javaHome) {
    return "Herald needs Java "
        + REQUIRED_JAVA
        + " or newer, but this is Java "
        + running
        + " ("
        + javaHome
        + "): install a JDK or JRE "
        + REQUIRED_JAVA
        + "+ (e.g. Eclipse Temurin) and run herald.jar with its java.";
  }

  /**
   * 8 for "1.8", 17 for "17". A value this code cannot read is taken as new enough: a future
   * version scheme must not lock Herald out.
   */
  static int featureRelease(String specificationVersion) {
    if (specificationVersion == null) {
      return Integer.MAX_VALUE;
    }
    String version =
        specificationVersion.startsWith("1.")
            ? specificationVersion.substring(2)
            : specificationVersion;
    int dot = version.indexOf('.');
    try {
      return Integer.parseInt(dot < 0 ? version : version.substring(0, dot));
    } catch (NumberFormatException e) {
      return Integer.MAX_VALUE;
    }
  }
}
