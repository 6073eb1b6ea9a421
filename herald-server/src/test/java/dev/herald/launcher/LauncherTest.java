package dev.herald.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The jar's entry point on an old and on a current JVM, and the build on an old JDK (issue 14 point
 * 1). The old JVM is a real one: /usr/bin/java or a JDK under /usr/lib/jvm older than 21 (CI
 * machines have Java 17).
 */
class LauncherTest {
  private static final Path JVMS = Path.of("/usr/lib/jvm");
  private static final Pattern RELEASE_VERSION =
      Pattern.compile("(?m)^JAVA_VERSION=\"(?:1\\.)?(\\d+)");
  private static final int CLASS_FILE_MAJOR_OF_JAVA_8 = 52;
  private static final int CLASS_FILE_MAJOR_OFFSET = 44; // major 65 is Java 21

  private record Run(int exitCode, List<String> lines) {}

  @Test
  void an_old_java_is_told_in_one_line_which_java_herald_needs() throws Exception {
    Optional<Path> oldJava = javaOlderThan(Launcher.REQUIRED_JAVA);
    assumeTrue(
        oldJava.isPresent(),
        "no JDK older than Java "
            + Launcher.REQUIRED_JAVA
            + " under "
            + JVMS
            + " to run the launcher on");

    Run run =
        run(oldJava.get().toString(), "-cp", launcherClasses(), Launcher.class.getName(), "serve");

    assertThat(run.exitCode()).as("%s", run).isEqualTo(1);
    assertThat(run.lines()).as("%s", run).hasSize(1);
    assertThat(run.lines().getFirst())
        .startsWith("Herald needs Java 21 or newer, but this is Java ")
        .contains("Temurin")
        .doesNotContain("Exception");
  }

  @Test
  void the_build_on_an_old_jdk_stops_at_its_first_step_naming_the_jdk_herald_needs()
      throws Exception {
    Optional<Path> oldJava = javaOlderThan(Launcher.REQUIRED_JAVA);
    assumeTrue(
        oldJava.isPresent(),
        "no JDK older than Java " + Launcher.REQUIRED_JAVA + " under " + JVMS + " to run Maven on");
    Path root = Path.of("..").toAbsolutePath().normalize();
    String javaHome = oldJava.get().getParent().getParent().toString();

    // Offline: the enforcer plugin is already in the local repository, this build resolved it.
    Run run =
        runIn(
            root,
            Map.of("JAVA_HOME", javaHome),
            root.resolve("mvnw").toString(),
            "-o",
            "-q",
            "-N",
            "validate");

    assertThat(run.exitCode()).as("%s", run).isNotZero();
    assertThat(run.lines())
        .as("%s", run)
        .anyMatch(
            line ->
                line.contains("Herald needs JDK 21 or newer to build; this Maven runs on Java "))
        .noneMatch(line -> line.contains("release version"));
  }

  @Test
  void a_current_java_runs_herald_with_the_arguments_given() throws Exception {
    String java = ProcessHandle.current().info().command().orElseThrow();

    Run run =
        run(java, "-cp", System.getProperty("java.class.path"), Launcher.class.getName(), "--help");

    assertThat(run.exitCode()).as("%s", run).isZero();
    assertThat(String.join("\n", run.lines())).contains("Usage: herald");
  }

  @Test
  void the_launcher_loads_on_java_8_and_names_the_java_herald_is_compiled_for() throws Exception {
    assertThat(classFileMajor(Launcher.class)).isEqualTo(CLASS_FILE_MAJOR_OF_JAVA_8);
    assertThat(classFileMajor(Class.forName(Launcher.HERALD_MAIN)))
        .as("Herald's main class is compiled for Launcher.REQUIRED_JAVA")
        .isEqualTo(Launcher.REQUIRED_JAVA + CLASS_FILE_MAJOR_OFFSET);
  }

  @Test
  void reads_both_version_schemes_and_lets_an_unreadable_one_through() {
    assertThat(Launcher.featureRelease("1.8")).isEqualTo(8);
    assertThat(Launcher.featureRelease("17")).isEqualTo(17);
    assertThat(Launcher.featureRelease("25")).isEqualTo(25);
    assertThat(Launcher.featureRelease("banana")).isEqualTo(Integer.MAX_VALUE);
    assertThat(Launcher.featureRelease(null)).isEqualTo(Integer.MAX_VALUE);
  }

  // The JDKs under /usr/lib/jvm and the one /usr/bin/java leads to, by their "release" file.
  private static Optional<Path> javaOlderThan(int feature) throws IOException {
    List<Path> homes = new ArrayList<>();
    Path systemJava = Path.of("/usr/bin/java");
    if (Files.isExecutable(systemJava)) {
      homes.add(systemJava.toRealPath().getParent().getParent());
    }
    if (Files.isDirectory(JVMS)) {
      try (Stream<Path> installed = Files.list(JVMS)) {
        installed.forEach(homes::add);
      }
    }
    return homes.stream()
        .filter(home -> Files.isExecutable(home.resolve("bin/java")))
        .filter(home -> featureOf(home).filter(f -> f < feature).isPresent())
        .map(home -> home.resolve("bin/java"))
        .findFirst();
  }

  private static Optional<Integer> featureOf(Path javaHome) {
    try {
      Matcher m = RELEASE_VERSION.matcher(Files.readString(javaHome.resolve("release")));
      return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static String launcherClasses() throws Exception {
    return Path.of(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI())
        .toString();
  }

  private static int classFileMajor(Class<?> type) throws IOException {
    try (InputStream in = type.getResourceAsStream(type.getSimpleName() + ".class");
        DataInputStream data = new DataInputStream(in)) {
      data.readInt(); // 0xCAFEBABE
      data.readUnsignedShort(); // minor
      return data.readUnsignedShort();
    }
  }

  private static Run run(String... command) throws IOException, InterruptedException {
    return runIn(Path.of("."), Map.of(), command);
  }

  private static Run runIn(Path dir, Map<String, String> env, String... command)
      throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder(new ArrayList<>(List.of(command)))
            .directory(dir.toFile())
            .redirectErrorStream(true);
    builder
        .environment()
        .keySet()
        .removeIf(k -> k.startsWith("HERALD_") || k.startsWith("JAVA_TOOL"));
    builder.environment().putAll(env);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the process exits").isTrue();
    return new Run(process.exitValue(), output.lines().filter(l -> !l.isBlank()).toList());
  }
}
