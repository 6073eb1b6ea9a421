package dev.herald.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** Receivers on Java 11 can load the library (issue 14 point 5): its classes are Java 11 files. */
class JavaVersionTest {
  private static final int CLASS_FILE_MAJOR_OF_JAVA_11 = 55;

  @Test
  void every_class_of_the_library_is_compiled_for_java_11() throws IOException {
    for (String name :
        new String[] {
          "Webhook",
          "WebhookVerificationException",
          "TrustedKey",
          "TrustedKey$Hmac",
          "TrustedKey$Ed25519"
        }) {
      assertThat(classFileMajor(name)).as(name).isEqualTo(CLASS_FILE_MAJOR_OF_JAVA_11);
    }
  }

  private static int classFileMajor(String simpleName) throws IOException {
    try (InputStream in = Webhook.class.getResourceAsStream(simpleName + ".class");
        DataInputStream data = new DataInputStream(in)) {
      data.readInt(); // 0xCAFEBABE
      data.readUnsignedShort(); // minor
      return data.readUnsignedShort();
    }
  }
}
