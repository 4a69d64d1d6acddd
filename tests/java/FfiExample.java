// gdprkit's C ABI from Java 22+ through the Foreign Function & Memory API, with no binding:
// the rights table of a purpose, the error path, and pseudonyms from a domain's exported key.
// From the repository's root (GDPRKIT_C_LIBRARY names the library; by default the installed
// libgdprkit.so.0):
//   java --enable-native-access=ALL-UNNAMED tests/java/FfiExample.java
import static java.lang.foreign.MemoryLayout.paddingLayout;
import static java.lang.foreign.MemoryLayout.structLayout;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.lang.foreign.AddressLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Stream;

public class FfiExample {
  static final Linker LINKER = Linker.nativeLinker();
  // The library stays loaded as long as the arena it was looked up with (here: the process).
  static final SymbolLookup LIB = SymbolLookup.libraryLookup(
      System.getenv().getOrDefault("GDPRKIT_C_LIBRARY", "libgdprkit.so.0"), Arena.global());
  static final ValueLayout.OfLong SIZE_T =
      (ValueLayout.OfLong) LINKER.canonicalLayouts().get("size_t"); // 64-bit platforms
  // A const char* the library returns: a pointer to a NUL-terminated UTF-8 string of unknown
  // length, read with getString(0). It copies the string into a Java String, which is what a
  // static, borrowed or last-error string needs.
  static final AddressLayout C_STRING =
      ADDRESS.withTargetLayout(MemoryLayout.sequenceLayout(Long.MAX_VALUE, JAVA_BYTE));

  static MethodHandle function(String name, MemoryLayout result, MemoryLayout... arguments) {
    FunctionDescriptor descriptor = result == null ? FunctionDescriptor.ofVoid(arguments)
                                                   : FunctionDescriptor.of(result, arguments);
    return LINKER.downcallHandle(LIB.find(name).orElseThrow(), descriptor);
  }

  static StructLayout struct(String name, MemoryLayout... fields) {
    return structLayout(fields).withName(name);
  }

  static long offset(StructLayout layout, String... path) {
    MemoryLayout.PathElement[] elements = new MemoryLayout.PathElement[path.length];
    for (int i = 0; i < path.length; i++) {
      elements[i] = MemoryLayout.PathElement.groupElement(path[i]);
    }
    return layout.byteOffset(elements);
  }

  // Versioned structs, as in the headers, with C's padding written out. <STRUCT>_VERSION is the
  // header's GDPRKIT_<STRUCT>_VERSION for the fields declared here: the init function is told it.
  static final int RIGHT_INFO_VERSION = 1;
  static final StructLayout RIGHT_INFO = struct( // gdprkit/c/policy.h
      "gdprkit_right_info", JAVA_INT.withName("version"), paddingLayout(4),
      C_STRING.withName("code"), C_STRING.withName("title"), JAVA_INT.withName("applies"),
      paddingLayout(4), C_STRING.withName("reason"));
  static final int VAULT_OPTIONS_VERSION = 1;
  static final StructLayout VAULT_OPTIONS = struct( // gdprkit/c/vault.h
      "gdprkit_vault_options", JAVA_INT.withName("version"), paddingLayout(4),
      ADDRESS.withName("actor"), JAVA_INT.withName("kdf_cost"),
      JAVA_INT.withName("create_if_missing"), JAVA_INT.withName("busy_timeout_ms"),
      paddingLayout(4)); // C rounds sizeof up to a multiple of the pointer's alignment
  static final int ID_OPTIONS_VERSION = 2;
  static final StructLayout ID_OPTIONS = struct( // gdprkit/c/vault.h
      "gdprkit_id_options", JAVA_INT.withName("version"),
      JAVA_INT.withName("cpr_require_modulus11"), JAVA_INT.withName("cpr_allow_replacement"),
      JAVA_INT.withName("pad_provider_number"), JAVA_INT.withName("cpr_allow_future"),
      JAVA_INT.withName("cpr_as_of"));
  static final int BATCH_OPTIONS_VERSION = 3;
  static final StructLayout BATCH_OPTIONS = struct( // gdprkit/c/vault.h
      "gdprkit_batch_options", JAVA_INT.withName("version"), ID_OPTIONS.withName("id_options"),
      JAVA_INT.withName("skip_invalid"), JAVA_INT.withName("key_version"),
      JAVA_INT.withName("errors"), ADDRESS.withName("progress"),
      ADDRESS.withName("progress_context"));

  // The functions used below, with their C signatures (include/gdprkit.h, gdprkit/c/*.h).
  static final MethodHandle VERSION = function("gdprkit_version", C_STRING);
  static final MethodHandle LAST_ERROR = function("gdprkit_last_error", C_STRING);
  static final MethodHandle STATUS_NAME = function("gdprkit_status_name", C_STRING, JAVA_INT);
  static final MethodHandle LANGUAGE_PARSE =
      function("gdprkit_language_parse", JAVA_INT, ADDRESS, ADDRESS);
  static final MethodHandle RIGHT_TITLE =
      function("gdprkit_right_title", C_STRING, ADDRESS, JAVA_INT);
  static final MethodHandle POLICY_LOAD_FILE =
      function("gdprkit_policy_load_file", JAVA_INT, ADDRESS, ADDRESS, JAVA_INT);
  static final MethodHandle POLICY_FREE = function("gdprkit_policy_free", null, ADDRESS);
  static final MethodHandle POLICY_RIGHTS =
      function("gdprkit_policy_rights", JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
  static final MethodHandle RIGHTS_COUNT = function("gdprkit_rights_count", SIZE_T, ADDRESS);
  static final MethodHandle RIGHT_INFO_INIT =
      function("gdprkit_right_info_init", JAVA_INT, ADDRESS, JAVA_INT);
  static final MethodHandle RIGHTS_GET =
      function("gdprkit_rights_get", JAVA_INT, ADDRESS, ADDRESS, SIZE_T);
  static final MethodHandle RIGHTS_FREE = function("gdprkit_rights_free", null, ADDRESS);
  static final MethodHandle VAULT_OPTIONS_INIT =
      function("gdprkit_vault_options_init", JAVA_INT, ADDRESS, JAVA_INT);
  static final MethodHandle VAULT_CREATE_WITH_KEY = function(
      "gdprkit_vault_create_with_key", JAVA_INT, ADDRESS, ADDRESS, ADDRESS, SIZE_T, ADDRESS);
  static final MethodHandle VAULT_CLOSE = function("gdprkit_vault_close", null, ADDRESS);
  static final MethodHandle VAULT_CREATE_DOMAIN =
      function("gdprkit_vault_create_domain", JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
  static final MethodHandle VAULT_EXPORT_PSEUDONYM_KEY = function(
      "gdprkit_vault_export_pseudonym_key", JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS);
  static final MethodHandle SECRET_FREE = function("gdprkit_secret_free", null, ADDRESS);
  static final MethodHandle SECURE_WIPE = function("gdprkit_secure_wipe", null, ADDRESS, SIZE_T);
  static final MethodHandle PSEUDONYMIZER_FROM_EXPORTED_KEY =
      function("gdprkit_pseudonymizer_from_exported_key", JAVA_INT, ADDRESS, ADDRESS, SIZE_T);
  static final MethodHandle PSEUDONYMIZER_FREE =
      function("gdprkit_pseudonymizer_free", null, ADDRESS);
  static final MethodHandle PSEUDONYMIZER_PSEUDONYMIZE =
      function("gdprkit_pseudonymizer_pseudonymize", JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT,
          ADDRESS, SIZE_T, ADDRESS);
  static final MethodHandle BATCH_OPTIONS_INIT =
      function("gdprkit_batch_options_init", JAVA_INT, ADDRESS, JAVA_INT);
  static final MethodHandle ID_KIND_PARSE =
      function("gdprkit_id_kind_parse", JAVA_INT, ADDRESS, ADDRESS);
  static final MethodHandle ERRORS_PARSE =
      function("gdprkit_errors_parse", JAVA_INT, ADDRESS, ADDRESS);
  static final MethodHandle ID_PROBLEM_CODE =
      function("gdprkit_id_problem_code", C_STRING, JAVA_INT);
  static final MethodHandle ID_COLUMN_COUNT = function("gdprkit_id_column_count", SIZE_T, ADDRESS);
  static final MethodHandle ID_COLUMN_VALUES =
      function("gdprkit_id_column_values", ADDRESS, ADDRESS);
  static final MethodHandle ID_COLUMN_FREE = function("gdprkit_id_column_free", null, ADDRESS);

  static class GdprkitException extends RuntimeException {
    final int status;

    GdprkitException(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  /** Throws with the library's message when a call failed. */
  static void check(int status) throws Throwable {
    if (status != 0) {
      // Read the last error first: it is valid until this thread's next gdprkit call.
      String message = ((MemorySegment) LAST_ERROR.invokeExact()).getString(0);
      String name = ((MemorySegment) STATUS_NAME.invokeExact(status)).getString(0);
      throw new GdprkitException(status, name + ": " + message);
    }
  }

  public static void main(String[] args) throws Throwable {
    System.out.println("gdprkit " + ((MemorySegment) VERSION.invokeExact()).getString(0));
    // Memory allocated here (out-parameters, strings passed in, structs) is released when the
    // arena closes; what the library returns goes back to the library's own free functions.
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment out = arena.allocate(ADDRESS); // a T** out-parameter, reused below

      // 1. A policy and the rights table of one purpose.
      MemorySegment path = arena.allocateFrom("examples/policies/kontakt_laege.textproto");
      check((int) POLICY_LOAD_FILE.invokeExact(out, path, 0 /* GDPRKIT_FORMAT_AUTO */));
      MemorySegment policy = out.get(ADDRESS, 0);
      try {
        check(
            (int) POLICY_RIGHTS.invokeExact(out, policy, arena.allocateFrom("video-consultation")));
        MemorySegment rights = out.get(ADDRESS, 0);
        try {
          MemorySegment info = arena.allocate(RIGHT_INFO);
          check((int) RIGHT_INFO_INIT.invokeExact(info, RIGHT_INFO_VERSION)); // not a macro
          MemorySegment danish = arena.allocate(JAVA_INT);
          check((int) LANGUAGE_PARSE.invokeExact(arena.allocateFrom("da"), danish));
          long count = (long) RIGHTS_COUNT.invokeExact(rights);
          for (long i = 0; i < count; i++) {
            check((int) RIGHTS_GET.invokeExact(info, rights, i));
            // info's strings are borrowed from `rights`: getString copies them before it goes.
            MemorySegment code = info.get(C_STRING, offset(RIGHT_INFO, "code"));
            boolean applies = info.get(JAVA_INT, offset(RIGHT_INFO, "applies")) != 0;
            MemorySegment title =
                (MemorySegment) RIGHT_TITLE.invokeExact(code, danish.get(JAVA_INT, 0));
            System.out.printf(
                "%-5s %-3s %s%n", code.getString(0), applies ? "yes" : "no", title.getString(0));
          }
        } finally {
          RIGHTS_FREE.invokeExact(rights);
        }

        // 2. The error path: the status, and the message naming the function and the nearest ids.
        try {
          check((int) POLICY_RIGHTS.invokeExact(
              out, policy, arena.allocateFrom("video-consultaton")));
        } catch (GdprkitException e) {
          System.out.println("error: " + e.getMessage());
        }
        if (!out.get(ADDRESS, 0).equals(MemorySegment.NULL)) {
          throw new AssertionError("a failed call leaves its out-parameter NULL");
        }
      } finally {
        POLICY_FREE.invokeExact(policy);
      }

      // 3. Pseudonyms from a domain's exported key. Here the vault is made on the spot; normally
      //    the key text comes from `gdprkit vault export-key` on the machine that holds the vault.
      MemorySegment domain = arena.allocateFrom("cluster-report");
      MemorySegment key;
      Path folder = Files.createTempDirectory("gdprkit-ffm");
      try {
        MemorySegment vault = createVault(arena, folder.resolve("v.gdprkit"), domain);
        try {
          key = exportKey(arena, vault, domain);
        } finally {
          VAULT_CLOSE.invokeExact(vault);
        }
      } finally {
        deleteFolder(folder);
      }
      try {
        check((int) PSEUDONYMIZER_FROM_EXPORTED_KEY.invokeExact(out, key, key.byteSize()));
      } finally {
        SECRET_FREE.invokeExact(key); // wipes the key text; the handle holds its own copy
      }
      MemorySegment pseudonymizer = out.get(ADDRESS, 0);
      try {
        MemorySegment kind = arena.allocate(JAVA_INT);
        MemorySegment coerce = arena.allocate(JAVA_INT);
        check((int) ID_KIND_PARSE.invokeExact(kind, arena.allocateFrom("provider_number")));
        check((int) ERRORS_PARSE.invokeExact(arena.allocateFrom("coerce"), coerce));
        MemorySegment batch = arena.allocate(BATCH_OPTIONS);
        check((int) BATCH_OPTIONS_INIT.invokeExact(batch, BATCH_OPTIONS_VERSION));
        // A rejected row gives "" and its problem, instead of failing the batch.
        batch.set(JAVA_INT, offset(BATCH_OPTIONS, "errors"), coerce.get(JAVA_INT, 0));
        String[] rows = {"012345", "12A45", "54321"};
        MemorySegment values = arena.allocate(ADDRESS, rows.length); // const char* const*
        for (int i = 0; i < rows.length; i++) {
          values.setAtIndex(ADDRESS, i, arena.allocateFrom(rows[i]));
        }
        MemorySegment problems = arena.allocate(JAVA_BYTE, rows.length); // unsigned char[]
        check((int) PSEUDONYMIZER_PSEUDONYMIZE.invokeExact(out, problems, pseudonymizer,
            kind.get(JAVA_INT, 0), values, (long) rows.length, batch));
        MemorySegment column = out.get(ADDRESS, 0);
        try {
          long count = (long) ID_COLUMN_COUNT.invokeExact(column);
          // The array and its strings are borrowed from the column: give the array its length.
          MemorySegment pseudonyms = ((MemorySegment) ID_COLUMN_VALUES.invokeExact(column))
                                         .reinterpret(count * ADDRESS.byteSize());
          for (int i = 0; i < count; i++) {
            String pseudonym = pseudonyms.getAtIndex(C_STRING, i).getString(0);
            int problem = Byte.toUnsignedInt(problems.get(JAVA_BYTE, i));
            String code = ((MemorySegment) ID_PROBLEM_CODE.invokeExact(problem)).getString(0);
            System.out.printf(
                "row %d: %s %s%n", i, pseudonym.isEmpty() ? "(rejected)" : pseudonym, code);
          }
        } finally {
          ID_COLUMN_FREE.invokeExact(column); // wipes the values
        }
      } finally {
        PSEUDONYMIZER_FREE.invokeExact(pseudonymizer); // wipes the key
      }
    }
  }

  /**
   * A new vault at `file` with one domain, protected by a host key (random here; normally from the
   * host's key store).
   */
  static MemorySegment createVault(Arena arena, Path file, MemorySegment domain) throws Throwable {
    MemorySegment options = arena.allocate(VAULT_OPTIONS);
    check((int) VAULT_OPTIONS_INIT.invokeExact(options, VAULT_OPTIONS_VERSION));
    options.set(ADDRESS, offset(VAULT_OPTIONS, "actor"), arena.allocateFrom("ffi-example"));
    MemorySegment hostKey = arena.allocate(32); // GDPRKIT_HOST_KEY_BYTES
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    MemorySegment.copy(random, 0, hostKey, JAVA_BYTE, 0, random.length);
    Arrays.fill(random, (byte) 0);
    MemorySegment out = arena.allocate(ADDRESS);
    MemorySegment path = arena.allocateFrom(file.toString());
    int status = (int) VAULT_CREATE_WITH_KEY.invokeExact(out, path, hostKey, 32L, options);
    SECURE_WIPE.invokeExact(hostKey, 32L); // the library keeps its own copy
    check(status);
    MemorySegment vault = out.get(ADDRESS, 0);
    try {
      check((int) VAULT_CREATE_DOMAIN.invokeExact(vault, domain, MemorySegment.NULL));
    } catch (Throwable e) {
      VAULT_CLOSE.invokeExact(vault);
      throw e;
    }
    return vault;
  }

  /**
   * The exported pseudonym key of `domain`: a char* in the library's guarded memory (here a
   * segment of the text's length), to be given back to gdprkit_secret_free, which wipes it. It is
   * never copied into a Java String, which cannot be wiped.
   */
  static MemorySegment exportKey(Arena arena, MemorySegment vault, MemorySegment domain)
      throws Throwable {
    MemorySegment out = arena.allocate(ADDRESS);
    MemorySegment length = arena.allocate(SIZE_T);
    MemorySegment reason = arena.allocateFrom("ffm example"); // goes to the audit trail
    check((int) VAULT_EXPORT_PSEUDONYM_KEY.invokeExact(out, length, vault, domain, reason));
    return out.get(ADDRESS, 0).reinterpret(length.get(SIZE_T, 0));
  }

  static void deleteFolder(Path folder) throws IOException {
    try (Stream<Path> files = Files.walk(folder)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(file);
    }
  }
}
