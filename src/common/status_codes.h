// The one table mapping a status Code to a process exit code and an HTTP status.
// Front ends use these and nothing else, so a code means the same thing everywhere.
#pragma once

#include "common/status.h"

namespace sz {

// Exit codes: 0 ok, 1 internal, 2 usage/invalid input, 3 not found, 4 conflict,
// 5 denied (auth), 6 precondition, 7 resource limit, 8 data loss/tamper, 9 interrupted.
int ExitCodeFor(Code code);
int HttpStatusFor(Code code);

}  // namespace sz
