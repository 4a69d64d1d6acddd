// The names of the consent vocabulary (common/vocabulary.h): written here and nowhere else.
#include "gdprkit/consent.h"

namespace gdprkit {}  // namespace gdprkit
