#include "common/status_codes.h"

namespace sz {

namespace {
struct Row {
  Code code;
  int exit_code;
  int http_status;
};
constexpr Row kTable[] = {
    {Code::kOk, 0, 200},
    {Code::kCancelled, 9, 499},
    {Code::kInvalidArgument, 2, 400},
    {Code::kDeadlineExceeded, 7, 504},
    {Code::kNotFound, 3, 404},
    {Code::kAlreadyExists, 4, 409},
    {Code::kPermissionDenied, 5, 403},
    {Code::kResourceExhausted, 7, 429},
    {Code::kFailedPrecondition, 6, 412},
    {Code::kAborted, 4, 409},
    {Code::kUnimplemented, 1, 501},
    {Code::kInternal, 1, 500},
    {Code::kUnavailable, 7, 503},
    {Code::kDataLoss, 8, 500},
    {Code::kUnauthenticated, 5, 401},
};
const Row& Lookup(Code code) {
  for (const Row& row : kTable)
    if (row.code == code) return row;
  return kTable[static_cast<int>(Code::kInternal)];
}
}  // namespace

int ExitCodeFor(Code code) { return Lookup(code).exit_code; }
int HttpStatusFor(Code code) { return Lookup(code).http_status; }

}  // namespace sz
