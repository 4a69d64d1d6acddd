/* The test table of the suppression C tests (suppression_test.c,
 * suppression_threads_test.c) as gdprkit.v1 text: practices p1..p4 in
 * clusters N and S, by age band:
 *
 *            0-17  18-64  65+
 *   p1         3     40    22
 *   p2        12     35    18
 *   p3         9      2    30
 *   p4        15     28    25   (the last cell is given by each test)
 *
 * Two cells are under the threshold of 5: (p1, 0-17) and (p3, 18-64). */
#ifndef GDPRKIT_TESTS_C_SUPPRESSION_TABLE_H_
#define GDPRKIT_TESTS_C_SUPPRESSION_TABLE_H_

#define DIMENSIONS                                    \
  "  dimensions {\n"                                  \
  "    name: \"practice\"\n"                          \
  "    codes { code: \"Total\" }\n"                   \
  "    codes { code: \"N\" parent: \"Total\" }\n"     \
  "    codes { code: \"p1\" parent: \"N\" }\n"        \
  "    codes { code: \"p2\" parent: \"N\" }\n"        \
  "    codes { code: \"S\" parent: \"Total\" }\n"     \
  "    codes { code: \"p3\" parent: \"S\" }\n"        \
  "    codes { code: \"p4\" parent: \"S\" }\n"        \
  "  }\n"                                             \
  "  dimensions {\n"                                  \
  "    name: \"age\"\n"                               \
  "    codes { code: \"Total\" }\n"                   \
  "    codes { code: \"0-17\" parent: \"Total\" }\n"  \
  "    codes { code: \"18-64\" parent: \"Total\" }\n" \
  "    codes { code: \"65+\" parent: \"Total\" }\n"   \
  "  }\n"

#define CELL(p, a, v) "  cells { codes: \"" p "\" codes: \"" a "\" value: " v " }\n"

/* clang-format 14 reflows these macro continuations differently on every
 * run, so they are left as written. */
/* clang-format off */
#define LEAF_CELLS_BUT_P4_65 \
  CELL("p1", "0-17", "3") CELL("p1", "18-64", "40") CELL("p1", "65+", "22") \
  CELL("p2", "0-17", "12") CELL("p2", "18-64", "35") CELL("p2", "65+", "18") \
  CELL("p3", "0-17", "9") CELL("p3", "18-64", "2") CELL("p3", "65+", "30") \
  CELL("p4", "0-17", "15") CELL("p4", "18-64", "28")
/* clang-format on */

/* The whole table as a text-format SuppressRequest: threshold 5, optimal
 * method. */
/* clang-format off */
#define AGE_REQUEST_TEXT \
  "tables { tables {\n" \
  "  name: \"age\"\n" DIMENSIONS LEAF_CELLS_BUT_P4_65 CELL("p4", "65+", "25") \
  "} }\n" \
  "rules { threshold: 5 }\n" \
  "options { method: SECONDARY_METHOD_OPTIMAL }\n"
/* clang-format on */

/* A second table as a JSON request: a cluster total with two practices, one
 * of them small, by sex; heuristic method. */
#define SEX_TABLE_JSON                                                                         \
  "{\"tables\": {\"tables\": [{\"name\": \"t\", \"dimensions\": ["                             \
  "{\"name\": \"practice\", \"codes\": [{\"code\": \"Total\"}, "                               \
  "{\"code\": \"p1\", \"parent\": \"Total\"}, {\"code\": \"p2\", \"parent\": \"Total\"}]},"    \
  "{\"name\": \"sex\", \"codes\": [{\"code\": \"all\"}, "                                      \
  "{\"code\": \"F\", \"parent\": \"all\"}, {\"code\": \"M\", \"parent\": \"all\"}]}],"         \
  "\"cells\": [{\"codes\": [\"p1\", \"F\"], \"value\": 2}, {\"codes\": [\"p1\", \"M\"], "      \
  "\"value\": 20}, {\"codes\": [\"p2\", \"F\"], \"value\": 14}, {\"codes\": [\"p2\", \"M\"], " \
  "\"value\": 11}]}]},"                                                                        \
  "\"rules\": {\"threshold\": 5}, \"options\": {\"method\": \"SECONDARY_METHOD_HEURISTIC\"}}"

#endif /* GDPRKIT_TESTS_C_SUPPRESSION_TABLE_H_ */
