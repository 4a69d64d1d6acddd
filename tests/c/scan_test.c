/* The identifier scanner's C ABI (include/gdprkit/c/scan.h). */
#include <stdint.h>
#include <string.h>

#include "gdprkit.h"
#include "test_util.h"

int main(void) {
  uint64_t counts[GDPRKIT_SCAN_KINDS];
  gdprkit_scan_options o = GDPRKIT_SCAN_OPTIONS_INIT;
  gdprkit_scan_options f;
  const char* text = "CPR 010190-1234, CVR DK12345674, ydernr. 123456; ikke 320199-1234";
  int32_t day = 0;

  CHECK_OK(gdprkit_date_parse(&day, "2026-12-03"));
  o.as_of = day;
  CHECK_OK(gdprkit_scan_text(text, strlen(text), &o, counts));
  CHECK(counts[GDPRKIT_ID_CPR - 1] == 1);
  CHECK(counts[GDPRKIT_ID_CVR - 1] == 1);
  CHECK(counts[GDPRKIT_ID_GLN - 1] == 0);
  CHECK(counts[GDPRKIT_ID_PROVIDER_NUMBER - 1] == 1);
  CHECK(counts[GDPRKIT_ID_SOR - 1] == 0);

  /* Defaults (NULL options), an empty text, NULL with length 0. */
  CHECK_OK(gdprkit_scan_text(text, strlen(text), NULL, counts));
  CHECK(counts[GDPRKIT_ID_CPR - 1] == 1);
  CHECK_OK(gdprkit_scan_text(NULL, 0, NULL, counts));
  CHECK(counts[GDPRKIT_ID_CPR - 1] == 0);

  /* Only the kinds asked for. */
  o.kinds = 1u << GDPRKIT_ID_CVR;
  CHECK_OK(gdprkit_scan_text(text, strlen(text), &o, counts));
  CHECK(counts[GDPRKIT_ID_CPR - 1] == 0);
  CHECK(counts[GDPRKIT_ID_CVR - 1] == 1);

  /* Refusals name the problem, never the text. */
  o.kinds = 1u << GDPRKIT_ID_OTHER;
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_scan_text(text, strlen(text), &o, counts));
  CHECK(strstr(gdprkit_last_error(), "other") != NULL);
  CHECK(strstr(gdprkit_last_error(), "0101") == NULL);
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_scan_text(NULL, 3, NULL, counts));
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_scan_text(text, 3, NULL, NULL));
  o.kinds = 0;
  o.version = 99;
  CHECK_STATUS(GDPRKIT_INVALID_ARGUMENT, gdprkit_scan_text(text, strlen(text), &o, counts));

  CHECK_OK(gdprkit_scan_options_init(&f, GDPRKIT_SCAN_OPTIONS_VERSION));
  CHECK(f.version == GDPRKIT_SCAN_OPTIONS_VERSION && f.kinds == 0 && f.as_of == GDPRKIT_NO_DATE);
  return test_report("c_scan_test");
}
