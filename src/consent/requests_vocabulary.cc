// The names of the requests vocabulary (common/vocabulary.h): written here and nowhere else.
#include "gdprkit/requests.h"

namespace gdprkit {}  // namespace gdprkit
