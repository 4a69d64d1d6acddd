// The C ABI from Java's Foreign Function & Memory API (Java 22+), with no binding in between
// (docs/ffi.md). CTest's c_java_ffm runs it from the repository's root, in source-file mode:
//   GDPRKIT_C_LIBRARY=build/libgdprkit.so.0 \
//     java --enable-native-access=ALL-UNNAMED tests/java/GdprkitFfm.java [check ...]
// It uses the declarations of FfiExample.java (the example docs/ffi.md shows, found beside this
// file by the multi-file source launcher) and declares the few more it needs. Each check prints
// "ok   <name>" or "FAIL <name>: <why>"; the exit status is 1 when any failed.
import static java.lang.foreign.MemoryLayout.paddingLayout;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class GdprkitFfm extends FfiExample {
  static final int OK = 0, INVALID_ARGUMENT = 3, NOT_FOUND = 5;
  static final Path POLICY = Path.of("examples", "policies", "kontakt_laege.textproto");

  // Functions the example does not use.
  static final MethodHandle POLICY_LOAD_BYTES =
      function("gdprkit_policy_load_bytes", JAVA_INT, ADDRESS, ADDRESS, SIZE_T, JAVA_INT, ADDRESS);
  static final MethodHandle VAULT_PSEUDONYMIZE = function("gdprkit_vault_pseudonymize", JAVA_INT,
      ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, SIZE_T, ADDRESS);
  static final MethodHandle PSEUDONYMIZER_DOMAIN =
      function("gdprkit_pseudonymizer_domain", C_STRING, ADDRESS);
  static final MethodHandle FINDINGS_FREE = function("gdprkit_findings_free", null, ADDRESS);

  // Consent and requests (gdprkit/c/consent.h): the layouts and functions of the consent flow.
  static final Path PRACTIO = Path.of("examples", "policies", "practio.textproto");
  static final int CONSENT_RECORDS_VERSION = 1;
  static final StructLayout CONSENT_RECORDS = struct( // columns of `count` rows
      "gdprkit_consent_records", JAVA_INT.withName("version"), paddingLayout(4),
      SIZE_T.withName("count"), ADDRESS.withName("subjects"), ADDRESS.withName("purposes"),
      ADDRESS.withName("states"), ADDRESS.withName("at"), ADDRESS.withName("valid_until"),
      ADDRESS.withName("notice_versions"), ADDRESS.withName("notice_texts"),
      ADDRESS.withName("notice_digests"), ADDRESS.withName("channels"),
      ADDRESS.withName("recorded_by"), ADDRESS.withName("evidence"));
  static final int CONSENT_CHECK_VERSION = 1;
  static final StructLayout CONSENT_CHECK = struct("gdprkit_consent_check",
      JAVA_INT.withName("version"), JAVA_INT.withName("intact"), JAVA_LONG.withName("entries"),
      C_STRING.withName("head"), JAVA_LONG.withName("first_broken_entry"),
      C_STRING.withName("problem"), C_STRING.withName("ledger_id"), JAVA_INT.withName("keyed"),
      paddingLayout(4));
  static final MethodHandle DATE_PARSE =
      function("gdprkit_date_parse", JAVA_INT, ADDRESS, ADDRESS);
  static final MethodHandle DATE_FORMAT =
      function("gdprkit_date_format", JAVA_INT, ADDRESS, SIZE_T, JAVA_INT);
  static final MethodHandle CONSENT_STATE_NAME =
      function("gdprkit_consent_state_name", C_STRING, JAVA_INT);
  static final MethodHandle CONSENT_STATE_PARSE =
      function("gdprkit_consent_state_parse", JAVA_INT, ADDRESS, ADDRESS);
  static final MethodHandle CONSENT_RECORDS_INIT =
      function("gdprkit_consent_records_init", JAVA_INT, ADDRESS, JAVA_INT);
  static final MethodHandle CONSENT_CHECK_INIT =
      function("gdprkit_consent_check_init", JAVA_INT, ADDRESS, JAVA_INT);
  static final MethodHandle CONSENT_LEDGER_CREATE = function(
      "gdprkit_consent_ledger_create", JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS);
  static final MethodHandle CONSENT_LEDGER_FREE =
      function("gdprkit_consent_ledger_free", null, ADDRESS);
  static final MethodHandle CONSENT_LEDGER_ENTRIES =
      function("gdprkit_consent_ledger_entries", JAVA_LONG, ADDRESS);
  static final MethodHandle CONSENT_LEDGER_RECORD =
      function("gdprkit_consent_ledger_record", JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
  static final MethodHandle CONSENT_LEDGER_STATES = function("gdprkit_consent_ledger_states",
      JAVA_INT, ADDRESS, ADDRESS, ADDRESS, SIZE_T, ADDRESS, JAVA_INT);
  static final MethodHandle CONSENT_LEDGER_WITHDRAWALS =
      function("gdprkit_consent_ledger_withdrawals", JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS,
          ADDRESS, JAVA_LONG);
  static final MethodHandle CONSENT_WITHDRAWALS_FREE =
      function("gdprkit_consent_withdrawals_free", null, ADDRESS, ADDRESS);
  static final MethodHandle CONSENT_LEDGER_VERIFY =
      function("gdprkit_consent_ledger_verify", JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
  static final MethodHandle CONSENT_VERIFICATION_GET =
      function("gdprkit_consent_verification_get", JAVA_INT, ADDRESS, ADDRESS);
  static final MethodHandle CONSENT_VERIFICATION_FREE =
      function("gdprkit_consent_verification_free", null, ADDRESS);
  static final MethodHandle REQUEST_DEADLINE =
      function("gdprkit_request_deadline", JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);

  interface Check {
    void run(Arena arena) throws Throwable;
  }

  static String lastError() throws Throwable {
    return ((MemorySegment) LAST_ERROR.invokeExact()).getString(0);
  }

  static String statusName(int status) throws Throwable {
    return ((MemorySegment) STATUS_NAME.invokeExact(status)).getString(0);
  }

  static void expect(int status, int want) throws Throwable {
    if (status != want) {
      String error = lastError(); // before the next call clears it
      throw new AssertionError(statusName(status) + " (want " + statusName(want) + "): " + error);
    }
  }

  static void require(boolean condition, String what) {
    if (!condition)
      throw new AssertionError(what);
  }

  static void requireEqual(Object got, Object want, String what) {
    if (!got.equals(want))
      throw new AssertionError(what + ": got " + got + ", want " + want);
  }

  static boolean isNull(MemorySegment pointer) {
    return pointer.equals(MemorySegment.NULL);
  }

  /** A T** out-parameter holding a non-NULL pointer, so that a check sees the call clear it. */
  static MemorySegment staleOut(Arena arena) {
    MemorySegment out = arena.allocate(ADDRESS);
    out.set(ADDRESS, 0, MemorySegment.ofAddress(1234));
    return out;
  }

  record Right(String code, boolean applies, String title, String reason) {}

  static List<Right> rightsTable(Arena arena, String purpose) throws Throwable {
    MemorySegment out = arena.allocate(ADDRESS);
    expect((int) POLICY_LOAD_FILE.invokeExact(out, arena.allocateFrom(POLICY.toString()), 0), OK);
    MemorySegment policy = out.get(ADDRESS, 0);
    try {
      expect((int) POLICY_RIGHTS.invokeExact(out, policy, arena.allocateFrom(purpose)), OK);
    } finally {
      POLICY_FREE.invokeExact(policy); // the rights outlive their policy
    }
    MemorySegment rights = out.get(ADDRESS, 0);
    try {
      MemorySegment info = arena.allocate(RIGHT_INFO);
      expect((int) RIGHT_INFO_INIT.invokeExact(info, RIGHT_INFO_VERSION), OK);
      List<Right> table = new ArrayList<>();
      long count = (long) RIGHTS_COUNT.invokeExact(rights);
      for (long i = 0; i < count; i++) {
        expect((int) RIGHTS_GET.invokeExact(info, rights, i), OK);
        table.add(new Right(info.get(C_STRING, offset(RIGHT_INFO, "code")).getString(0),
            info.get(JAVA_INT, offset(RIGHT_INFO, "applies")) != 0,
            info.get(C_STRING, offset(RIGHT_INFO, "title")).getString(0),
            info.get(C_STRING, offset(RIGHT_INFO, "reason")).getString(0)));
      }
      return table;
    } finally {
      RIGHTS_FREE.invokeExact(rights);
    }
  }

  static void checkRightsTableOfAPurpose(Arena arena) throws Throwable {
    List<Right> table = rightsTable(arena, "video-consultation");
    List<String> codes = table.stream().map(Right::code).toList();
    requireEqual(codes,
        List.of("A13", "A14", "A15", "A16", "A17", "A18", "A19", "A20", "A21", "A22", "A7-3"),
        "codes");
    Set<String> applies = new TreeSet<>();
    for (Right right : table) {
      if (right.applies())
        applies.add(right.code());
      require(!right.reason().isEmpty(), right.code() + " has no reason");
    }
    requireEqual(applies, new TreeSet<>(List.of("A13", "A15", "A16", "A17", "A18", "A19")),
        "rights that apply");
    requireEqual(table.get(4).title(), "Art. 17: right to erasure", "English title of A17");
    requireEqual(lastError(), "", "the last error after a success");
  }

  /**
   * Each struct layout declared in FfiExample.java agrees with the library: its init function,
   * told the layout's version, writes the version and the macro's values at the offsets declared
   * and no byte past the layout's size.
   */
  static void checkStructLayoutsAgreeWithTheInitFunctions(Arena arena) throws Throwable {
    MemorySegment info = initialised(arena, RIGHT_INFO, RIGHT_INFO_INIT, RIGHT_INFO_VERSION);
    require(isNull(info.get(ADDRESS, offset(RIGHT_INFO, "code"))), "right_info.code is NULL");
    require(isNull(info.get(ADDRESS, offset(RIGHT_INFO, "reason"))), "right_info.reason is NULL");

    MemorySegment vault =
        initialised(arena, VAULT_OPTIONS, VAULT_OPTIONS_INIT, VAULT_OPTIONS_VERSION);
    require(isNull(vault.get(ADDRESS, offset(VAULT_OPTIONS, "actor"))), "actor is NULL");
    requireEqual(vault.get(JAVA_INT, offset(VAULT_OPTIONS, "busy_timeout_ms")), 0, "timeout");

    MemorySegment batch =
        initialised(arena, BATCH_OPTIONS, BATCH_OPTIONS_INIT, BATCH_OPTIONS_VERSION);
    requireEqual(batch.get(JAVA_INT, offset(BATCH_OPTIONS, "id_options", "version")),
        ID_OPTIONS_VERSION, "id_options.version");
    // GDPRKIT_ID_OPTIONS_INIT: { version, 0, 1, 1, 0, GDPRKIT_NO_DATE }
    int[] idOptions = {
        batch.get(JAVA_INT, offset(BATCH_OPTIONS, "id_options", "cpr_require_modulus11")),
        batch.get(JAVA_INT, offset(BATCH_OPTIONS, "id_options", "cpr_allow_replacement")),
        batch.get(JAVA_INT, offset(BATCH_OPTIONS, "id_options", "pad_provider_number")),
        batch.get(JAVA_INT, offset(BATCH_OPTIONS, "id_options", "cpr_allow_future")),
        batch.get(JAVA_INT, offset(BATCH_OPTIONS, "id_options", "cpr_as_of"))};
    requireEqual(Arrays.toString(idOptions),
        Arrays.toString(new int[] {0, 1, 1, 0, Integer.MIN_VALUE}), "id_options fields");
    requireEqual(batch.get(JAVA_INT, offset(BATCH_OPTIONS, "errors")), 0, "errors (RAISE)");
    require(isNull(batch.get(ADDRESS, offset(BATCH_OPTIONS, "progress"))), "progress is NULL");

    MemorySegment records =
        initialised(arena, CONSENT_RECORDS, CONSENT_RECORDS_INIT, CONSENT_RECORDS_VERSION);
    requireEqual(CONSENT_RECORDS.byteSize(), 104L, "sizeof(gdprkit_consent_records)");
    requireEqual(records.get(SIZE_T, offset(CONSENT_RECORDS, "count")), 0L, "records.count");
    require(isNull(records.get(ADDRESS, offset(CONSENT_RECORDS, "evidence"))), "evidence is NULL");
    MemorySegment check =
        initialised(arena, CONSENT_CHECK, CONSENT_CHECK_INIT, CONSENT_CHECK_VERSION);
    requireEqual(CONSENT_CHECK.byteSize(), 56L, "sizeof(gdprkit_consent_check)");
    requireEqual(check.get(JAVA_LONG, offset(CONSENT_CHECK, "first_broken_entry")), -1L,
        "first_broken_entry");
    requireEqual(check.get(JAVA_INT, offset(CONSENT_CHECK, "keyed")), 0, "keyed");
  }

  /**
   * A struct of `layout` set by `init` for `version`, in a buffer 64 bytes longer than the layout
   * and filled with 0xA5 beforehand, after checking that the layout is padded as C pads it, that
   * init wrote the version and that it did not touch those 64 bytes.
   */
  static MemorySegment initialised(Arena arena, StructLayout layout, MethodHandle init, int version)
      throws Throwable {
    MemorySegment buffer = arena.allocate(layout.byteSize() + 64, layout.byteAlignment());
    buffer.fill((byte) 0xA5);
    expect((int) init.invokeExact(buffer, version), OK);
    String name = layout.name().orElseThrow();
    // C pads a struct's size to a multiple of its alignment (an array of them, or a copy of
    // one, covers the padding); the init function, assigning field by field, may not show it.
    require(layout.byteSize() % layout.byteAlignment() == 0,
        name + ": " + layout.byteSize() + " bytes, not padded to its alignment as in C");
    requireEqual(buffer.get(JAVA_INT, offset(layout, "version")), version, name + ".version");
    for (long i = layout.byteSize(); i < buffer.byteSize(); i++) {
      require(buffer.get(JAVA_BYTE, i) == (byte) 0xA5,
          "the init function wrote byte " + i + " past the " + layout.byteSize() + " bytes of "
              + name);
    }
    return buffer.asSlice(0, layout);
  }

  static void checkAStructWithoutItsVersionIsRefusedNamingTheInitFunction(Arena arena)
      throws Throwable {
    MemorySegment out = arena.allocate(ADDRESS);
    expect((int) POLICY_LOAD_FILE.invokeExact(out, arena.allocateFrom(POLICY.toString()), 0), OK);
    MemorySegment policy = out.get(ADDRESS, 0);
    MemorySegment rights = MemorySegment.NULL;
    try {
      expect((int) POLICY_RIGHTS.invokeExact(out, policy, arena.allocateFrom("video-consultation")),
          OK);
      rights = out.get(ADDRESS, 0);
      MemorySegment info = arena.allocate(RIGHT_INFO); // zeroed: version 0, as without the init
      expect((int) RIGHTS_GET.invokeExact(info, rights, 0L), INVALID_ARGUMENT);
      String message = lastError();
      require(message.contains("gdprkit_right_info.version is 0"), message);
      require(
          message.contains(
              "GDPRKIT_RIGHT_INFO_INIT, or gdprkit_right_info_init(&s, GDPRKIT_RIGHT_INFO_VERSION)"),
          message);
      // A layout this library does not know: refused, and nothing written.
      expect((int) RIGHT_INFO_INIT.invokeExact(info, 99), INVALID_ARGUMENT);
      require(info.get(JAVA_INT, 0) == 0, "version 99 wrote the struct");
      require(lastError().contains("gdprkit_right_info_init: version 99"), lastError());
      expect((int) RIGHT_INFO_INIT.invokeExact(info, RIGHT_INFO_VERSION), OK);
      expect((int) RIGHTS_GET.invokeExact(info, rights, 0L), OK);
      requireEqual(info.get(C_STRING, offset(RIGHT_INFO, "code")).getString(0), "A13", "right 0");
    } finally {
      RIGHTS_FREE.invokeExact(rights);
      POLICY_FREE.invokeExact(policy);
    }
  }

  static void checkErrorsReachJavaWithTheirStatusAndMessage(Arena arena) throws Throwable {
    // A policy file that does not exist.
    MemorySegment out = staleOut(arena);
    MemorySegment missing = arena.allocateFrom("examples/policies/no-such-policy.textproto");
    expect((int) POLICY_LOAD_FILE.invokeExact(out, missing, 0), NOT_FOUND);
    require(isNull(out.get(ADDRESS, 0)), "a failed load leaves *out NULL");
    String message = lastError();
    require(message.startsWith("gdprkit_policy_load_file: ") && message.contains("no-such-policy"),
        message);

    // A bad policy: an unknown field, named with its line and column and the nearest fields.
    byte[] text =
        "schema: \"gdprkit.v1\"\npurposes { idd: \"x\" }\n".getBytes(StandardCharsets.UTF_8);
    MemorySegment data = arena.allocate(text.length);
    MemorySegment.copy(text, 0, data, JAVA_BYTE, 0, text.length);
    out = staleOut(arena);
    expect((int) POLICY_LOAD_BYTES.invokeExact(
               out, data, (long) text.length, 1, arena.allocateFrom("bad.textproto")),
        INVALID_ARGUMENT);
    require(isNull(out.get(ADDRESS, 0)), "a failed load leaves *out NULL");
    message = lastError();
    require(message.startsWith("gdprkit_policy_load_bytes: bad.textproto:2:")
            && message.contains("\"idd\"") && message.contains("did you mean: id"),
        message);
    // ... and through the example's check(): a GdprkitException with the status and its name.
    try {
      check((int) POLICY_LOAD_BYTES.invokeExact(
          out, data, (long) text.length, 1, arena.allocateFrom("bad.textproto")));
      throw new AssertionError("check() did not throw");
    } catch (GdprkitException e) {
      requireEqual(e.status, INVALID_ARGUMENT, "status");
      require(e.getMessage().startsWith("INVALID_ARGUMENT: gdprkit_policy_load_bytes: "),
          e.getMessage());
    }

    // A purpose with a typo, and a NULL out-parameter.
    expect((int) POLICY_LOAD_FILE.invokeExact(out, arena.allocateFrom(POLICY.toString()), 0), OK);
    requireEqual(lastError(), "", "the last error after a success");
    MemorySegment policy = out.get(ADDRESS, 0);
    try {
      MemorySegment rights = staleOut(arena);
      MemorySegment typo = arena.allocateFrom("video-consultaton");
      expect((int) POLICY_RIGHTS.invokeExact(rights, policy, typo), NOT_FOUND);
      require(isNull(rights.get(ADDRESS, 0)), "a failed call leaves *out NULL");
      require(lastError().contains("did you mean \"video-consultation\""), lastError());
      expect((int) POLICY_RIGHTS.invokeExact(MemorySegment.NULL, policy, typo), INVALID_ARGUMENT);
      requireEqual(lastError(), "gdprkit_policy_rights: argument out is NULL", "message");
    } finally {
      POLICY_FREE.invokeExact(policy);
    }
    // Every free function accepts NULL.
    for (MethodHandle free : List.of(POLICY_FREE, RIGHTS_FREE, FINDINGS_FREE, VAULT_CLOSE,
             ID_COLUMN_FREE, PSEUDONYMIZER_FREE, SECRET_FREE, CONSENT_LEDGER_FREE,
             CONSENT_VERIFICATION_FREE)) {
      free.invokeExact(MemorySegment.NULL);
    }
  }

  static MemorySegment strings(Arena arena, List<String> rows) {
    MemorySegment values = arena.allocate(ADDRESS, rows.size());
    for (int i = 0; i < rows.size(); i++) {
      values.setAtIndex(ADDRESS, i, arena.allocateFrom(rows.get(i)));
    }
    return values;
  }

  /** The values of a column, copied; then the column is freed. */
  static List<String> takeColumn(MemorySegment column) throws Throwable {
    try {
      long count = (long) ID_COLUMN_COUNT.invokeExact(column);
      MemorySegment values = ((MemorySegment) ID_COLUMN_VALUES.invokeExact(column))
                                 .reinterpret((count + 1) * ADDRESS.byteSize());
      require(isNull(values.getAtIndex(ADDRESS, count)), "the values end with NULL");
      List<String> copy = new ArrayList<>();
      for (long i = 0; i < count; i++) copy.add(values.getAtIndex(C_STRING, i).getString(0));
      return copy;
    } finally {
      ID_COLUMN_FREE.invokeExact(column);
    }
  }

  static void checkPseudonymiseAColumnWithAnExportedKey(Arena arena) throws Throwable {
    MemorySegment kindOut = arena.allocate(JAVA_INT);
    MemorySegment coerceOut = arena.allocate(JAVA_INT);
    expect((int) ID_KIND_PARSE.invokeExact(kindOut, arena.allocateFrom("provider_number")), OK);
    expect((int) ERRORS_PARSE.invokeExact(arena.allocateFrom("coerce"), coerceOut), OK);
    int kind = kindOut.get(JAVA_INT, 0);
    int coerce = coerceOut.get(JAVA_INT, 0);
    List<String> rows = List.of("012345", "12A45", "54321");
    MemorySegment values = strings(arena, rows);
    MemorySegment batch = arena.allocate(BATCH_OPTIONS);
    expect((int) BATCH_OPTIONS_INIT.invokeExact(batch, BATCH_OPTIONS_VERSION), OK);
    MemorySegment out = arena.allocate(ADDRESS);

    // The vault's own pseudonyms, and the domain's exported key.
    MemorySegment domain = arena.allocateFrom("cluster-report");
    List<String> inVault;
    MemorySegment key;
    Path folder = Files.createTempDirectory("gdprkit-ffm-test");
    try {
      MemorySegment vault = createVault(arena, folder.resolve("v.gdprkit"), domain);
      try {
        batch.set(JAVA_INT, offset(BATCH_OPTIONS, "errors"), coerce);
        expect((int) VAULT_PSEUDONYMIZE.invokeExact(
                   out, MemorySegment.NULL, vault, domain, kind, values, (long) rows.size(), batch),
            OK);
        inVault = takeColumn(out.get(ADDRESS, 0));
        key = exportKey(arena, vault, domain);
      } finally {
        VAULT_CLOSE.invokeExact(vault);
      }
    } finally {
      deleteFolder(folder);
    }

    // The key text: "gdprkit-pseudonym-key-v2:<domain>:...", NUL-terminated at its length.
    MemorySegment pseudonymizer;
    try {
      String prefix = "gdprkit-pseudonym-key-v2:cluster-report:";
      byte[] head = key.asSlice(0, prefix.length()).toArray(JAVA_BYTE);
      requireEqual(new String(head, StandardCharsets.UTF_8), prefix, "exported key text");
      require(key.reinterpret(key.byteSize() + 1).get(JAVA_BYTE, key.byteSize()) == 0,
          "the key text ends with NUL at *out_len");
      expect((int) PSEUDONYMIZER_FROM_EXPORTED_KEY.invokeExact(out, key, key.byteSize()), OK);
      pseudonymizer = out.get(ADDRESS, 0);
    } finally {
      SECRET_FREE.invokeExact(key);
    }
    try {
      requireEqual(((MemorySegment) PSEUDONYMIZER_DOMAIN.invokeExact(pseudonymizer)).getString(0),
          "cluster-report", "the pseudonymizer's domain");
      // errors RAISE (what the init function sets): the bad row fails the batch, named by its
      // index and never by its value; nothing is written.
      expect((int) BATCH_OPTIONS_INIT.invokeExact(batch, BATCH_OPTIONS_VERSION), OK);
      MemorySegment column = staleOut(arena);
      MemorySegment problems = arena.allocate(JAVA_BYTE, rows.size());
      problems.fill((byte) 0x7F);
      expect((int) PSEUDONYMIZER_PSEUDONYMIZE.invokeExact(
                 column, problems, pseudonymizer, kind, values, (long) rows.size(), batch),
          INVALID_ARGUMENT);
      require(isNull(column.get(ADDRESS, 0)), "a failed batch leaves *out NULL");
      String message = lastError();
      require(message.contains("row 1") && !message.contains("12A45"), message);
      require(problems.get(JAVA_BYTE, 0) == 0x7F, "a failed batch wrote out_problems");

      batch.set(JAVA_INT, offset(BATCH_OPTIONS, "errors"), coerce);
      expect((int) PSEUDONYMIZER_PSEUDONYMIZE.invokeExact(
                 column, problems, pseudonymizer, kind, values, (long) rows.size(), batch),
          OK);
      List<String> pseudonyms = takeColumn(column.get(ADDRESS, 0));
      requireEqual(pseudonyms, inVault, "the exported key's pseudonyms against the vault's");
      require(pseudonyms.get(0).matches("ps1_[a-z2-7]{26}"), pseudonyms.get(0));
      require(pseudonyms.get(1).isEmpty() && !pseudonyms.get(2).equals(pseudonyms.get(0)),
          pseudonyms.toString());
      List<String> problemCodes = new ArrayList<>();
      for (int i = 0; i < rows.size(); i++) {
        int problem = Byte.toUnsignedInt(problems.get(JAVA_BYTE, i));
        problemCodes.add(((MemorySegment) ID_PROBLEM_CODE.invokeExact(problem)).getString(0));
      }
      requireEqual(problemCodes, List.of("ok", "bad_character", "ok"), "problems");
    } finally {
      PSEUDONYMIZER_FREE.invokeExact(pseudonymizer);
    }
  }

  // A vault token ("tk_" and 32 base32 characters), as the C tests build one; never a CPR number.
  static final String SUBJECT = "tk_" + "abcdefghijklmnopqrstuvwxyz234567";
  static final long GIVEN_AT = 1767607200L; // 2026-01-05T10:00:00Z
  static final long WITHDRAWN_AT = 1772442000L; // 2026-03-02T09:00:00Z

  static int day(Arena arena, String text) throws Throwable {
    MemorySegment out = arena.allocate(JAVA_INT);
    expect((int) DATE_PARSE.invokeExact(out, arena.allocateFrom(text)), OK);
    return out.get(JAVA_INT, 0);
  }

  static String dateText(Arena arena, int day) throws Throwable {
    MemorySegment text = arena.allocate(16); // GDPRKIT_DATE_TEXT_SIZE
    expect((int) DATE_FORMAT.invokeExact(text, text.byteSize(), day), OK);
    return text.getString(0);
  }

  static int stateCode(Arena arena, String name) throws Throwable {
    MemorySegment out = arena.allocate(JAVA_INT);
    expect((int) CONSENT_STATE_PARSE.invokeExact(out, arena.allocateFrom(name)), OK);
    return out.get(JAVA_INT, 0);
  }

  /**
   * Practio's research-contact consent from Java: a ledger, a "given" and a "withdrawn" record
   * as columns, the subject's state as of two days, the withdrawals, the chain verified, a typo
   * in the purpose refused; and a request's deadline, plain and extended.
   */
  static void checkConsentGivenWithdrawnAndARequestDeadline(Arena arena) throws Throwable {
    MemorySegment out = staleOut(arena);
    expect((int) POLICY_LOAD_FILE.invokeExact(out, arena.allocateFrom(PRACTIO.toString()), 0), OK);
    MemorySegment policy = out.get(ADDRESS, 0);
    Path folder = Files.createTempDirectory("gdprkit-ffm-consent");
    MemorySegment ledger = MemorySegment.NULL;
    try {
      Path file = folder.resolve("consent.db");
      expect((int) CONSENT_LEDGER_CREATE.invokeExact(
                 out, arena.allocateFrom(file.toString()), policy, MemorySegment.NULL),
          OK);
      ledger = out.get(ADDRESS, 0);
      requireEqual(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)),
          "rw-------", "the ledger's file mode");

      // Two records as columns (the state codes asked of the library by name).
      int rows = 2;
      MemorySegment records = arena.allocate(CONSENT_RECORDS);
      expect((int) CONSENT_RECORDS_INIT.invokeExact(records, CONSENT_RECORDS_VERSION), OK);
      MemorySegment states = arena.allocate(JAVA_BYTE, rows);
      states.set(JAVA_BYTE, 0, (byte) stateCode(arena, "given"));
      states.set(JAVA_BYTE, 1, (byte) stateCode(arena, "withdrawn"));
      Map<String, MemorySegment> columns = new LinkedHashMap<>();
      columns.put("subjects", strings(arena, List.of(SUBJECT, SUBJECT)));
      columns.put("purposes", strings(arena, List.of("research-contact", "research-contact")));
      columns.put("states", states);
      columns.put("at", arena.allocateFrom(JAVA_LONG, GIVEN_AT, WITHDRAWN_AT));
      columns.put("notice_versions", strings(arena, List.of("research-v3", "research-v3")));
      String notice = "Du kan til enhver tid trække dit samtykke tilbage.";
      columns.put("notice_texts", strings(arena, List.of(notice, notice)));
      columns.put("channels", strings(arena, List.of("web", "web")));
      columns.put("recorded_by", strings(arena, List.of("java-ffm", "java-ffm")));
      records.set(SIZE_T, offset(CONSENT_RECORDS, "count"), (long) rows);
      for (Map.Entry<String, MemorySegment> column : columns.entrySet()) {
        records.set(ADDRESS, offset(CONSENT_RECORDS, column.getKey()), column.getValue());
      }
      MemorySegment appended = arena.allocate(JAVA_LONG);
      expect((int) CONSENT_LEDGER_RECORD.invokeExact(appended, ledger, records), OK);
      requireEqual(appended.get(JAVA_LONG, 0), 2L, "records appended");
      requireEqual((long) CONSENT_LEDGER_ENTRIES.invokeExact(ledger), 2L, "entries");

      // The subject's state as of two days: a column in, a column of codes out.
      MemorySegment subjects = strings(arena, List.of(SUBJECT));
      MemorySegment purpose = arena.allocateFrom("research-contact");
      MemorySegment codes = arena.allocate(JAVA_BYTE, 1);
      List<String> seen = new ArrayList<>();
      for (String on : List.of("2026-02-01", "2026-03-02")) {
        expect((int) CONSENT_LEDGER_STATES.invokeExact(
                   codes, ledger, subjects, 1L, purpose, day(arena, on)),
            OK);
        int code = Byte.toUnsignedInt(codes.get(JAVA_BYTE, 0));
        seen.add(((MemorySegment) CONSENT_STATE_NAME.invokeExact(code)).getString(0));
      }
      requireEqual(seen, List.of("given", "withdrawn"), "states on 2026-02-01 and 2026-03-02");

      // The withdrawals (a sweep's consent_withdrawn): arrays the caller gives back.
      MemorySegment names = staleOut(arena);
      MemorySegment days = staleOut(arena);
      MemorySegment count = arena.allocate(SIZE_T);
      expect((int) CONSENT_LEDGER_WITHDRAWALS.invokeExact(
                 names, days, count, ledger, purpose, WITHDRAWN_AT + 60),
          OK);
      long n = count.get(SIZE_T, 0);
      MemorySegment subjectArray = names.get(ADDRESS, 0).reinterpret((n + 1) * ADDRESS.byteSize());
      MemorySegment dayArray = days.get(ADDRESS, 0).reinterpret(n * JAVA_INT.byteSize());
      try {
        requireEqual(n, 1L, "withdrawals");
        requireEqual(subjectArray.getAtIndex(C_STRING, 0).getString(0), SUBJECT, "who withdrew");
        require(isNull(subjectArray.getAtIndex(ADDRESS, 1)), "the subjects end with NULL");
        requireEqual(dateText(arena, dayArray.getAtIndex(JAVA_INT, 0)), "2026-03-02", "when");
      } finally {
        CONSENT_WITHDRAWALS_FREE.invokeExact(names.get(ADDRESS, 0), days.get(ADDRESS, 0));
      }

      // The chain verifies.
      expect((int) CONSENT_LEDGER_VERIFY.invokeExact(out, ledger, MemorySegment.NULL), OK);
      MemorySegment verification = out.get(ADDRESS, 0);
      try {
        MemorySegment check = arena.allocate(CONSENT_CHECK);
        expect((int) CONSENT_CHECK_INIT.invokeExact(check, CONSENT_CHECK_VERSION), OK);
        expect((int) CONSENT_VERIFICATION_GET.invokeExact(check, verification), OK);
        requireEqual(check.get(JAVA_INT, offset(CONSENT_CHECK, "intact")), 1, "intact");
        requireEqual(check.get(JAVA_LONG, offset(CONSENT_CHECK, "entries")), 2L, "verified");
        require(check.get(C_STRING, offset(CONSENT_CHECK, "head")).getString(0).matches(
                    "[0-9a-f]{64}"),
            "the head is 64 hex digits");
      } finally {
        CONSENT_VERIFICATION_FREE.invokeExact(verification);
      }

      // A purpose with a typo: NOT_FOUND naming the nearest id, and nothing written.
      codes.set(JAVA_BYTE, 0, (byte) 0x6E);
      expect((int) CONSENT_LEDGER_STATES.invokeExact(codes, ledger, subjects, 1L,
                 arena.allocateFrom("research-contakt"), day(arena, "2026-03-02")),
          NOT_FOUND);
      String message = lastError();
      require(message.startsWith("gdprkit_consent_ledger_states: ")
              && message.contains("\"research-contact\"") && !message.contains(SUBJECT),
          message);
      requireEqual(codes.get(JAVA_BYTE, 0), (byte) 0x6E, "a refused call wrote out_states");
    } finally {
      CONSENT_LEDGER_FREE.invokeExact(ledger);
      POLICY_FREE.invokeExact(policy);
      deleteFolder(folder);
    }

    // The Art. 12(3) deadline of a request received 2026-01-31, by the month-end rule.
    MemorySegment due = arena.allocate(JAVA_INT);
    int received = day(arena, "2026-01-31");
    expect((int) REQUEST_DEADLINE.invokeExact(due, received, 0), OK);
    requireEqual(dateText(arena, due.get(JAVA_INT, 0)), "2026-02-28", "deadline");
    expect((int) REQUEST_DEADLINE.invokeExact(due, received, 1), OK);
    requireEqual(dateText(arena, due.get(JAVA_INT, 0)), "2026-04-30", "extended deadline");
    expect((int) REQUEST_DEADLINE.invokeExact(MemorySegment.NULL, received, 0), INVALID_ARGUMENT);
  }

  /**
   * docs/ffi.md shows FfiExample.java as it is, and the example prints what the page says it
   * prints (up to the pseudonyms, which change with every key, and the lines left out as "...").
   */
  static void checkTheFfiDocExampleRunsAsWritten(Arena arena) throws Throwable {
    String page = Files.readString(Path.of("docs", "ffi.md"));
    String example = Files.readString(Path.of("tests", "java", "FfiExample.java"));
    Matcher block = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(page);
    require(block.find(), "docs/ffi.md has no ```java block");
    List<String> shownLines = block.group(1).lines().toList();
    List<String> fileLines = example.lines().toList();
    for (int i = 0; i < Math.max(shownLines.size(), fileLines.size()); i++) {
      String shownLine = i < shownLines.size() ? shownLines.get(i) : "(the end)";
      String fileLine = i < fileLines.size() ? fileLines.get(i) : "(the end)";
      requireEqual(shownLine, fileLine,
          "line " + (i + 1) + " of docs/ffi.md's ```java block against FfiExample.java");
    }
    require(!block.find(), "docs/ffi.md has more than one ```java block");

    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
    try {
      FfiExample.main(new String[0]);
    } finally {
      System.setOut(stdout);
    }
    List<String> lines = printed.toString(StandardCharsets.UTF_8).lines().toList();
    String version = ((MemorySegment) VERSION.invokeExact()).getString(0);
    requireEqual(lines.get(0), "gdprkit " + version, "first line");
    require(lines.contains("A17   yes Art. 17: Ret til sletning"), lines.toString());
    require(lines.contains("A20   no  Art. 20: Ret til dataportabilitet"), lines.toString());
    require(lines.contains("error: NOT_FOUND: gdprkit_policy_rights: no purpose "
                + "\"video-consultaton\" in policy examples/policies/kontakt_laege.textproto; "
                + "did you mean \"video-consultation\"?"),
        lines.toString());
    int n = lines.size();
    require(lines.get(n - 3).matches("row 0: ps1_[a-z2-7]{26} ok"), lines.get(n - 3));
    requireEqual(lines.get(n - 2), "row 1: (rejected) bad_character", "row 1");
    require(lines.get(n - 1).matches("row 2: ps1_[a-z2-7]{26} ok"), lines.get(n - 1));

    Matcher shown =
        Pattern.compile("Java example prints.*?```text\n(.*?)```", Pattern.DOTALL).matcher(page);
    require(shown.find(), "docs/ffi.md does not show what the Java example prints");
    for (String line : shown.group(1).lines().toList()) {
      if (!line.equals("...") && !line.startsWith("row ") && !line.startsWith("gdprkit ")) {
        require(lines.contains(line), "the page shows a line the example does not print: " + line);
      }
    }
  }

  public static void main(String[] args) throws Throwable {
    if (System.getenv("GDPRKIT_C_LIBRARY") == null) {
      System.err.println("GDPRKIT_C_LIBRARY is not set (CTest's c_java_ffm sets it to the library"
          + " it built)");
      System.exit(2);
    }
    Map<String, Check> checks = new LinkedHashMap<>();
    checks.put("rights_table_of_a_purpose", GdprkitFfm::checkRightsTableOfAPurpose);
    checks.put("struct_layouts_agree_with_the_init_functions",
        GdprkitFfm::checkStructLayoutsAgreeWithTheInitFunctions);
    checks.put("a_struct_without_its_version_is_refused_naming_the_init_function",
        GdprkitFfm::checkAStructWithoutItsVersionIsRefusedNamingTheInitFunction);
    checks.put("errors_reach_java_with_their_status_and_message",
        GdprkitFfm::checkErrorsReachJavaWithTheirStatusAndMessage);
    checks.put("pseudonymise_a_column_with_an_exported_key",
        GdprkitFfm::checkPseudonymiseAColumnWithAnExportedKey);
    checks.put("consent_given_withdrawn_and_a_request_deadline",
        GdprkitFfm::checkConsentGivenWithdrawnAndARequestDeadline);
    checks.put(
        "the_ffi_doc_example_runs_as_written", GdprkitFfm::checkTheFfiDocExampleRunsAsWritten);

    List<String> names = args.length > 0 ? List.of(args) : List.copyOf(checks.keySet());
    boolean failed = false;
    for (String name : names) {
      Check check = checks.get(name);
      if (check == null) {
        System.out.println("FAIL " + name + ": no such check (" + checks.keySet() + ")");
        failed = true;
        continue;
      }
      try (Arena arena = Arena.ofConfined()) {
        check.run(arena);
        System.out.println("ok   " + name);
      } catch (Throwable e) { // report every check, then fail
        failed = true;
        System.out.println("FAIL " + name + ": " + e);
      }
    }
    System.exit(failed ? 1 : 0);
  }
}
