// Art. 12(3) deadlines of data subjects' requests (gdprkit/requests.h).
#include "gdprkit/requests.h"

namespace gdprkit {

DayNumber RequestDeadline(DayNumber received, bool extended) {
  if (!IsValidDay(received)) return kNoDate;
  // One period counted from receipt: one month, or three when extended by
  // "two further months" (the header says why not +2 from the first deadline).
  Period period;
  period.months = extended ? 3 : 1;
  return AddPeriod(received, period);
}

}  // namespace gdprkit
