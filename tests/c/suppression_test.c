/* The small-cell suppression area of the C ABI, used as a C program would:
 * a 2-D hierarchical cluster table (region > cluster > practice by age band,
 * with totals) goes in as a serialized gdprkit.v1.SuppressRequest in text,
 * JSON and binary form; the response's pattern is checked, and the pattern is
 * given back to gdprkit_suppression_audit. Then the bad paths: totals that do
 * not add up, a negative count, a duplicated cell, a hierarchy with a cycle,
 * an orphan code, garbage bytes, NULL arguments, unknown formats.
 * Compiled as C99 with -Wall -Wextra -pedantic -Werror against
 * include/gdprkit.h only (no protobuf: the binary messages are encoded and
 * decoded by hand below). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gdprkit.h"
#include "test_util.h"

/* Practices p1..p4 in clusters N (p1, p2) and S (p3, p4) of region "Total",
 * by age band. Leaf counts only: the library computes the totals.
 *            0-17  18-64  65+
 *   p1         3     40    22
 *   p2        12     35    18
 *   p3         9      2    30
 *   p4        15     28    25
 * Two cells are under the threshold of 5: (p1, 0-17) and (p3, 18-64). */
#include "suppression_table.h"

static const char kRequest[] = AGE_REQUEST_TEXT;

/* The table's 35 cells, the order of the response (cell index = position,
 * the age band fastest). */
static const char* const kPractices[] = {"Total", "N", "p1", "p2", "S", "p3", "p4"};
static const char* const kAges[] = {"Total", "0-17", "18-64", "65+"};

/* The text of response cell `name` in a text-format response: from its
 * name to the next cell (or the end), copied into buf. */
static const char* CellText(const char* response, const char* name, char* buf, size_t size) {
  char needle[128];
  const char* start;
  const char* end;
  size_t n;
  snprintf(needle, sizeof needle, "name: \"%s\"", name);
  start = strstr(response, needle);
  if (start == NULL) return NULL;
  end = strstr(start, "cells {");
  if (end == NULL) end = strstr(start, "total_cost");
  if (end == NULL) end = start + strlen(start);
  n = (size_t)(end - start);
  if (n >= size) n = size - 1;
  memcpy(buf, start, n);
  buf[n] = '\0';
  return buf;
}

/* 'P' primary, 'S' secondary, '.' published, '?' not found. */
static char StatusOf(const char* response, const char* practice, const char* age) {
  char name[96];
  char buf[2048];
  const char* text;
  snprintf(name, sizeof name, "age(practice=%s, age=%s)", practice, age);
  text = CellText(response, name, buf, sizeof buf);
  if (text == NULL) return '?';
  if (strstr(text, "CELL_STATUS_PRIMARY") != NULL) return 'P';
  if (strstr(text, "CELL_STATUS_SECONDARY") != NULL) return 'S';
  return '.';
}

/* The number read after `key` in the first cell named `name`; -1 if none. */
static double FieldOf(const char* response, const char* name, const char* key) {
  char buf[2048];
  const char* text = CellText(response, name, buf, sizeof buf);
  const char* at;
  if (text == NULL) return -1;
  at = strstr(text, key);
  if (at == NULL) return -1;
  return strtod(at + strlen(key), NULL);
}

static char g_pattern[7][4];

static void TestTextRequest(void) {
  char* out = (char*)1;
  size_t len = 99;
  size_t p, a;
  int primaries = 0, secondaries = 0;
  CHECK_OK(gdprkit_suppression_run(&out, &len, kRequest, strlen(kRequest),
                                   GDPRKIT_SUPPRESSION_FORMAT_TEXT));
  CHECK(out != NULL);
  if (out == NULL) return;
  CHECK(len == strlen(out)); /* NUL-terminated, no NUL inside */
  CHECK_STREQ(gdprkit_last_error(), "");
  CHECK_CONTAINS(out, "num_primary: 2");
  CHECK_CONTAINS(out, "passed: true");
  CHECK_CONTAINS(out, "proven_optimal: true");
  CHECK_CONTAINS(out, "method: SECONDARY_METHOD_OPTIMAL");

  for (p = 0; p < 7; ++p) {
    for (a = 0; a < 4; ++a) {
      g_pattern[p][a] = StatusOf(out, kPractices[p], kAges[a]);
      CHECK(g_pattern[p][a] != '?');
      if (g_pattern[p][a] == 'P') ++primaries;
      if (g_pattern[p][a] == 'S') ++secondaries;
    }
  }
  /* Exactly the two small cells are primary. */
  CHECK(primaries == 2);
  CHECK(g_pattern[2][1] == 'P');
  CHECK(g_pattern[5][2] == 'P');
  /* No relation (a practice's row, a cluster's or the region's column part)
   * has exactly one suppressed cell: that cell would be recomputed. */
  for (p = 0; p < 7; ++p) {
    int n = 0;
    for (a = 0; a < 4; ++a) n += g_pattern[p][a] != '.';
    CHECK(n != 1);
  }
  for (a = 0; a < 4; ++a) {
    /* Total = N + S; N = p1 + p2; S = p3 + p4. */
    int groups[3][3] = {{0, 1, 4}, {1, 2, 3}, {4, 5, 6}};
    size_t g, k;
    for (g = 0; g < 3; ++g) {
      int n = 0;
      for (k = 0; k < 3; ++k) n += g_pattern[groups[g][k]][a] != '.';
      CHECK(n != 1);
    }
  }
  CHECK(secondaries >= 4);
  /* The attacker cannot prove that (p1, 0-17) = 3 is below 5. */
  CHECK(FieldOf(out, "age(practice=p1, age=0-17)", "\n  upper: ") >= 5);
  CHECK(FieldOf(out, "age(practice=p1, age=0-17)", "\n    upper: ") == 2); /* 5 - 3 */
  CHECK(FieldOf(out, "age(practice=p1, age=0-17)", "\n  value: ") == 3);
  /* A computed total: the region total is 239. */
  CHECK(FieldOf(out, "age(practice=Total, age=Total)", "\n  value: ") == 239);
  gdprkit_suppression_bytes_free(out);

  /* The same request again gives the same bytes but the timing; the
   * pattern at least is the same. */
  CHECK_OK(gdprkit_suppression_run(&out, &len, kRequest, strlen(kRequest),
                                   GDPRKIT_SUPPRESSION_FORMAT_TEXT));
  if (out != NULL) {
    for (p = 0; p < 7; ++p) {
      for (a = 0; a < 4; ++a) CHECK(StatusOf(out, kPractices[p], kAges[a]) == g_pattern[p][a]);
    }
  }
  gdprkit_suppression_bytes_free(out);
}

/* Audits the pattern of TestTextRequest, and the small cells alone. */
static void TestAudit(void) {
  char request[8192];
  char* out = NULL;
  size_t len = 0;
  size_t p, a, used;
  const char* base =
      "tables { tables {\n"
      "  name: \"age\"\n" DIMENSIONS LEAF_CELLS_BUT_P4_65 CELL("p4", "65+", "25") "} }\n"
      "rules { threshold: 5 }\n";

  /* Only the two small cells: each is recomputed from its row. */
  used = (size_t)snprintf(request, sizeof request,
                          "%s suppressed_locations { table: \"age\" codes: \"p1\" codes: \"0-17\" }"
                          " suppressed_locations { table: \"age\" codes: \"p3\" codes: \"18-64\" }",
                          base);
  CHECK(used < sizeof request);
  CHECK_OK(gdprkit_suppression_audit(&out, &len, request, strlen(request),
                                     GDPRKIT_SUPPRESSION_FORMAT_TEXT));
  CHECK(out != NULL);
  if (out != NULL) {
    CHECK(strstr(out, "passed: true") == NULL);
    CHECK(strstr(out, "safe: true") == NULL); /* false is not printed */
    CHECK_CONTAINS(out, "reason: ");
  }
  gdprkit_suppression_bytes_free(out);

  /* The pattern the library chose passes. */
  used = (size_t)snprintf(request, sizeof request, "%s", base);
  for (p = 0; p < 7; ++p) {
    for (a = 0; a < 4; ++a) {
      if (g_pattern[p][a] == '.') continue;
      used += (size_t)snprintf(request + used, sizeof request - used,
                               " suppressed_locations { table: \"age\""
                               " codes: \"%s\" codes: \"%s\" }",
                               kPractices[p], kAges[a]);
      CHECK(used < sizeof request);
    }
  }
  out = NULL;
  CHECK_OK(gdprkit_suppression_audit(&out, &len, request, strlen(request),
                                     GDPRKIT_SUPPRESSION_FORMAT_TEXT));
  CHECK(out != NULL);
  if (out != NULL) {
    CHECK_CONTAINS(out, "passed: true");
    CHECK(strstr(out, "reason: ") == NULL);
  }
  gdprkit_suppression_bytes_free(out);

  /* A cell that is not in the table. */
  used = (size_t)snprintf(request, sizeof request,
                          "%s suppressed_locations"
                          " { table: \"age\" codes: \"p9\" codes: \"0-17\" }",
                          base);
  out = (char*)1;
  len = 7;
  CHECK_STATUS(
      GDPRKIT_INVALID_ARGUMENT,
      gdprkit_suppression_audit(&out, &len, request, used, GDPRKIT_SUPPRESSION_FORMAT_TEXT));
  CHECK(out == NULL && len == 0);
  CHECK_ERROR_MENTIONS("gdprkit_suppression_audit");
  CHECK_ERROR_MENTIONS("p9");
}

static void TestJson(void) {
  /* A cluster total with two practices, one of them small, and the table
   * given as cells plus one relation. */
  static const char kJson[] = SEX_TABLE_JSON;
  char* out = NULL;
  size_t len = 0;
  CHECK_OK(
      gdprkit_suppression_run(&out, &len, kJson, strlen(kJson), GDPRKIT_SUPPRESSION_FORMAT_JSON));
  CHECK(out != NULL);
  if (out == NULL) return;
  CHECK(len == strlen(out));
  CHECK(out[0] == '{');
  CHECK_CONTAINS(out, "\"num_primary\":1");
  /* 2x2 interior: the whole rectangle goes. */
  CHECK_CONTAINS(out, "\"num_secondary\":3");
  CHECK_CONTAINS(out, "\"passed\":true");
  CHECK_CONTAINS(out, "\"name\":\"t(practice=p1, sex=F)\"");
  CHECK_CONTAINS(out, "CELL_STATUS_PRIMARY");
  gdprkit_suppression_bytes_free(out);
}

/* ---- Binary: a minimal protobuf encoder and decoder -------------------- */

typedef struct {
  unsigned char data[1024];
  size_t len;
} Buf;

static void PutByte(Buf* b, unsigned int v) {
  if (b->len < sizeof b->data) b->data[b->len++] = (unsigned char)v;
}

static void PutVarint(Buf* b, unsigned long long v) {
  while (v >= 0x80) {
    PutByte(b, (unsigned int)(v & 0x7f) | 0x80);
    v >>= 7;
  }
  PutByte(b, (unsigned int)v);
}

static void PutTag(Buf* b, unsigned int field, unsigned int wire) {
  PutVarint(b, ((unsigned long long)field << 3) | wire);
}

static void PutBytes(Buf* b, unsigned int field, const void* data, size_t len) {
  PutTag(b, field, 2);
  PutVarint(b, len);
  if (b->len + len <= sizeof b->data) {
    memcpy(b->data + b->len, data, len);
    b->len += len;
  }
}

static void PutDouble(Buf* b, unsigned int field, double v) {
  unsigned long long bits;
  int i;
  memcpy(&bits, &v, sizeof bits);
  PutTag(b, field, 1);
  for (i = 0; i < 8; ++i) PutByte(b, (unsigned int)((bits >> (8 * i)) & 0xff));
}

/* LinearCell { name = 1; value = 2; } */
static void PutLinearCell(Buf* b, const char* name, double value) {
  Buf cell;
  cell.len = 0;
  PutBytes(&cell, 1, name, strlen(name));
  PutDouble(&cell, 2, value);
  PutBytes(b, 2, cell.data, cell.len);
}

/* Reads a varint at *pos; 0 at the end or on a malformed varint. */
static unsigned long long GetVarint(const unsigned char* d, size_t len, size_t* pos) {
  unsigned long long v = 0;
  int shift = 0;
  while (*pos < len && shift < 64) {
    unsigned char c = d[(*pos)++];
    v |= (unsigned long long)(c & 0x7f) << shift;
    if ((c & 0x80) == 0) return v;
    shift += 7;
  }
  return 0;
}

/* The top-level varint fields of a SuppressResponse: num_primary (3),
 * num_secondary (4), method (5), and audit (8) -> passed (1). Returns 0 on
 * a malformed message. */
static int DecodeResponse(const unsigned char* d, size_t len, long* num_primary,
                          long* num_secondary, long* method, int* passed, long* num_cells) {
  size_t pos = 0;
  *num_primary = *num_secondary = *method = *num_cells = 0;
  *passed = 0;
  while (pos < len) {
    unsigned long long key = GetVarint(d, len, &pos);
    unsigned int field = (unsigned int)(key >> 3), wire = (unsigned int)(key & 7);
    if (wire == 0) {
      unsigned long long v = GetVarint(d, len, &pos);
      if (field == 3) *num_primary = (long)v;
      if (field == 4) *num_secondary = (long)v;
      if (field == 5) *method = (long)v;
    } else if (wire == 1) {
      pos += 8;
    } else if (wire == 5) {
      pos += 4;
    } else if (wire == 2) {
      unsigned long long n = GetVarint(d, len, &pos);
      if (n > len - pos) return 0;
      if (field == 1) ++*num_cells;
      if (field == 8) {
        size_t sub = pos, end = pos + (size_t)n;
        while (sub < end) {
          unsigned long long k = GetVarint(d, end, &sub);
          if ((k & 7) == 0) {
            unsigned long long v = GetVarint(d, end, &sub);
            if ((k >> 3) == 1) *passed = (int)v;
          } else if ((k & 7) == 2) {
            sub += (size_t)GetVarint(d, end, &sub);
          } else if ((k & 7) == 1) {
            sub += 8;
          } else if ((k & 7) == 5) {
            sub += 4;
          } else {
            return 0;
          }
        }
      }
      pos += (size_t)n;
    } else {
      return 0;
    }
  }
  return pos == len;
}

static void TestBinary(void) {
  /* SuppressRequest { relations (2) { cells (2)...; relations (3) { cells
   * (1, packed) coefficients (2, packed) } } options (6) { method (1) =
   * OPTIMAL } }: total = a + b + c with a = 2 small. */
  Buf req, rel, relation, packed;
  char* out = NULL;
  size_t len = 0;
  long num_primary, num_secondary, method, num_cells;
  int passed;
  int i;
  const double coefs[4] = {-1, 1, 1, 1};
  req.len = rel.len = relation.len = packed.len = 0;
  PutLinearCell(&rel, "total", 40);
  PutLinearCell(&rel, "a", 2);
  PutLinearCell(&rel, "b", 17);
  PutLinearCell(&rel, "c", 21);
  for (i = 0; i < 4; ++i) PutVarint(&packed, (unsigned long long)i);
  PutBytes(&relation, 1, packed.data, packed.len);
  packed.len = 0;
  for (i = 0; i < 4; ++i) {
    unsigned long long bits;
    int k;
    memcpy(&bits, &coefs[i], sizeof bits);
    for (k = 0; k < 8; ++k) PutByte(&packed, (unsigned int)((bits >> (8 * k)) & 0xff));
  }
  PutBytes(&relation, 2, packed.data, packed.len);
  PutBytes(&rel, 3, relation.data, relation.len);
  PutBytes(&req, 2, rel.data, rel.len);
  {
    Buf options;
    options.len = 0;
    PutTag(&options, 1, 0);
    PutVarint(&options, 2);
    PutBytes(&req, 6, options.data, options.len);
  }

  CHECK_OK(gdprkit_suppression_run(&out, &len, (const char*)req.data, req.len,
                                   GDPRKIT_SUPPRESSION_FORMAT_BINARY));
  CHECK(out != NULL);
  if (out == NULL) return;
  CHECK(len > 0);
  CHECK(out[len] == '\0');
  CHECK(DecodeResponse((const unsigned char*)out, len, &num_primary, &num_secondary, &method,
                       &passed, &num_cells));
  CHECK(num_cells == 4);
  CHECK(num_primary == 1);
  CHECK(num_secondary == 1); /* the smallest partner, b */
  CHECK(method == 2);
  CHECK(passed == 1);
  gdprkit_suppression_bytes_free(out);

  /* Truncated: every proper prefix either fails cleanly or parses as a
   * shorter message; nothing crashes. */
  {
    size_t cut;
    for (cut = 1; cut < req.len; ++cut) {
      gdprkit_status st;
      out = NULL;
      st = gdprkit_suppression_run(&out, &len, (const char*)req.data, cut,
                                   GDPRKIT_SUPPRESSION_FORMAT_BINARY);
      CHECK(st == GDPRKIT_OK || (out == NULL && len == 0 && gdprkit_last_error()[0] != '\0'));
      gdprkit_suppression_bytes_free(out);
    }
  }
}

/* ---- Bad input --------------------------------------------------------- */

/* Runs a text request that must fail with `code` and a message naming
 * `needle`. */
static void ExpectTextError(int line, const char* request, gdprkit_status code,
                            const char* needle) {
  char* out = (char*)1;
  size_t len = 5;
  gdprkit_status st = gdprkit_suppression_run(&out, &len, request, strlen(request),
                                              GDPRKIT_SUPPRESSION_FORMAT_TEXT);
  ++test_checks;
  if (st != code || out != NULL || len != 0 || strstr(gdprkit_last_error(), needle) == NULL) {
    ++test_failures;
    fprintf(stderr, "%s:%d: expected %s mentioning \"%s\"; got %s: %s\n", __FILE__, line,
            gdprkit_status_name(code), needle, gdprkit_status_name(st), gdprkit_last_error());
  }
  if (st == GDPRKIT_OK) gdprkit_suppression_bytes_free(out);
}

static void TestBadTables(void) {
  /* A given total that does not add up: p1's row total is 65, not 60. */
  ExpectTextError(__LINE__,
                  "tables { tables { name: \"age\"\n" DIMENSIONS LEAF_CELLS_BUT_P4_65 CELL(
                      "p4", "65+", "25") CELL("p1", "Total", "60") "} }",
                  GDPRKIT_INVALID_ARGUMENT, "do not add up");
  ExpectTextError(__LINE__,
                  "tables { tables { name: \"age\"\n" DIMENSIONS LEAF_CELLS_BUT_P4_65 CELL(
                      "p4", "65+", "25") CELL("p1", "Total", "60") "} }",
                  GDPRKIT_INVALID_ARGUMENT, "p1");
  /* A negative count. */
  ExpectTextError(__LINE__,
                  "tables { tables { name: \"age\"\n" DIMENSIONS LEAF_CELLS_BUT_P4_65 CELL(
                      "p4", "65+", "-25") "} }",
                  GDPRKIT_INVALID_ARGUMENT, "negative");
  ExpectTextError(__LINE__,
                  "tables { tables { name: \"age\"\n" DIMENSIONS LEAF_CELLS_BUT_P4_65 CELL(
                      "p4", "65+", "-25") "} }",
                  GDPRKIT_INVALID_ARGUMENT, "p4");
  /* NaN. */
  ExpectTextError(__LINE__,
                  "tables { tables { name: \"age\"\n" DIMENSIONS LEAF_CELLS_BUT_P4_65 CELL(
                      "p4", "65+", "nan") "} }",
                  GDPRKIT_INVALID_ARGUMENT, "p4");
  /* A duplicated cell. */
  ExpectTextError(__LINE__,
                  "tables { tables { name: \"age\"\n" DIMENSIONS LEAF_CELLS_BUT_P4_65 CELL(
                      "p4", "65+", "25") CELL("p2", "0-17", "12") "} }",
                  GDPRKIT_INVALID_ARGUMENT, "p2");
  ExpectTextError(__LINE__,
                  "tables { tables { name: \"age\"\n" DIMENSIONS LEAF_CELLS_BUT_P4_65 CELL(
                      "p4", "65+", "25") CELL("p2", "0-17", "12") "} }",
                  GDPRKIT_INVALID_ARGUMENT, "appears twice");
  /* A missing cell. */
  ExpectTextError(__LINE__,
                  "tables { tables { name: \"age\"\n" DIMENSIONS LEAF_CELLS_BUT_P4_65 "} }",
                  GDPRKIT_INVALID_ARGUMENT, "missing");
  /* A cell with a code the hierarchy lacks. */
  ExpectTextError(__LINE__,
                  "tables { tables { name: \"age\"\n" DIMENSIONS LEAF_CELLS_BUT_P4_65 CELL(
                      "p5", "65+", "25") "} }",
                  GDPRKIT_INVALID_ARGUMENT, "p5");
  /* A hierarchy with a cycle: a -> b -> a beside the total. */
  ExpectTextError(__LINE__,
                  "tables { tables { name: \"c\" dimensions { name: \"d\"\n"
                  "  codes { code: \"Total\" } codes { code: \"x\" parent: \"Total\" }\n"
                  "  codes { code: \"a\" parent: \"b\" } codes { code: \"b\" parent: \"a\" } }\n"
                  "  cells { codes: \"x\" value: 3 } } }",
                  GDPRKIT_INVALID_ARGUMENT, "cycle");
  /* An orphan code: its parent is not a code of the hierarchy. */
  ExpectTextError(__LINE__,
                  "tables { tables { name: \"c\" dimensions { name: \"d\"\n"
                  "  codes { code: \"Total\" } codes { code: \"x\" parent: \"Total\" }\n"
                  "  codes { code: \"y\" parent: \"nowhere\" } }\n"
                  "  cells { codes: \"x\" value: 3 } } }",
                  GDPRKIT_INVALID_ARGUMENT, "nowhere");
  /* Rules out of range, an unknown enum number. */
  ExpectTextError(__LINE__,
                  "tables { tables { name: \"age\"\n" DIMENSIONS LEAF_CELLS_BUT_P4_65 CELL(
                      "p4", "65+", "25") "} } rules { threshold: -1 }",
                  GDPRKIT_INVALID_ARGUMENT, "threshold");
  ExpectTextError(__LINE__,
                  "tables { tables { name: \"age\"\n" DIMENSIONS LEAF_CELLS_BUT_P4_65 CELL(
                      "p4", "65+", "25") "} } options { cost: 42 }",
                  GDPRKIT_INVALID_ARGUMENT, "cost model");
  /* A primary cell whose only partners must be published. */
  ExpectTextError(__LINE__,
                  "relations { cells { name: \"t\" value: 10 mark: CELL_MARK_SAFE }"
                  " cells { name: \"a\" value: 3 }"
                  " cells { name: \"b\" value: 7 mark: CELL_MARK_SAFE }"
                  " relations { cells: [0, 1, 2] coefficients: [-1, 1, 1] } }",
                  GDPRKIT_FAILED_PRECONDITION, "a");
  /* Text that does not parse, and an empty request. */
  ExpectTextError(__LINE__, "tables { tables {", GDPRKIT_INVALID_ARGUMENT, "text-format");
  ExpectTextError(__LINE__, "", GDPRKIT_INVALID_ARGUMENT, "no tables");
}

static void TestBadArguments(void) {
  char* out = (char*)1;
  size_t len = 3;
  static const char kGarbage[] = "\xff\xff\xff\xff\x0f\x12\x99";

  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_suppression_run(&out, &len, kGarbage, sizeof kGarbage - 1,
                                       GDPRKIT_SUPPRESSION_FORMAT_BINARY));
  CHECK(out == NULL && len == 0);
  CHECK_ERROR_MENTIONS("gdprkit_suppression_run");
  CHECK_ERROR_MENTIONS("not a valid serialized gdprkit.v1.SuppressRequest");

  out = (char*)1;
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_suppression_audit(&out, &len, kGarbage, sizeof kGarbage - 1,
                                         GDPRKIT_SUPPRESSION_FORMAT_BINARY));
  CHECK(out == NULL);
  CHECK_ERROR_MENTIONS("gdprkit.v1.AuditRequest");

  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_suppression_run(&out, &len, "{\"tables\": 3}", 13,
                                                                 GDPRKIT_SUPPRESSION_FORMAT_JSON));
  CHECK_ERROR_MENTIONS("JSON");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_suppression_run(&out, &len, kRequest, strlen(kRequest),
                                       GDPRKIT_SUPPRESSION_FORMAT_JSON));

  /* NULL arguments. */
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_suppression_run(NULL, &len, kRequest, strlen(kRequest),
                                       GDPRKIT_SUPPRESSION_FORMAT_TEXT));
  CHECK_ERROR_MENTIONS("argument out is NULL");
  CHECK(len == 0);
  out = (char*)1;
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_suppression_run(&out, NULL, kRequest, strlen(kRequest),
                                       GDPRKIT_SUPPRESSION_FORMAT_TEXT));
  CHECK_ERROR_MENTIONS("argument out_len is NULL");
  CHECK(out == NULL);
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_suppression_run(&out, &len, NULL, 10, GDPRKIT_SUPPRESSION_FORMAT_TEXT));
  CHECK_ERROR_MENTIONS("argument request is NULL");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_suppression_audit(NULL, NULL, NULL, 0, GDPRKIT_SUPPRESSION_FORMAT_TEXT));
  CHECK_ERROR_MENTIONS("gdprkit_suppression_audit: argument out is NULL");
  /* NULL with length 0 is an empty message: no tables. */
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_suppression_run(&out, &len, NULL, 0, GDPRKIT_SUPPRESSION_FORMAT_BINARY));
  CHECK_ERROR_MENTIONS("no tables");
  CHECK(out == NULL && len == 0);

  /* Unknown formats. */
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_suppression_run(&out, &len, kRequest, strlen(kRequest), 3));
  CHECK_ERROR_MENTIONS("unknown format 3");
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT,
               gdprkit_suppression_audit(&out, &len, kRequest, strlen(kRequest), -1));
  CHECK_ERROR_MENTIONS("unknown format -1");

  /* A success clears the last error; free accepts NULL. */
  CHECK_OK(gdprkit_suppression_run(&out, &len, kRequest, strlen(kRequest),
                                   GDPRKIT_SUPPRESSION_FORMAT_TEXT));
  CHECK_STREQ(gdprkit_last_error(), "");
  gdprkit_suppression_bytes_free(out);
  gdprkit_suppression_bytes_free(NULL);
}

int main(void) {
  TestTextRequest();
  TestAudit();
  TestJson();
  TestBinary();
  TestBadTables();
  TestBadArguments();
  return test_report("suppression_test");
}
