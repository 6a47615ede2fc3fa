// Status and Result<T>: how every module boundary reports an expected failure.
//
// A Status is a code plus a one-line message meant for the person at the other end
// (operator, analyst, reviewer). Messages never contain secrets or raw identifiers.
// The codes follow the Abseil/gRPC canon so that the HTTP and exit-code mapping
// (status_codes.h) is one table. Exceptions never cross a module boundary: third-party
// code that throws is wrapped at its edge and converted here.
//
// Thread-safety: value types; safe to copy and move between threads.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace sz {

enum class Code {
  kOk = 0,
  kCancelled,           // the caller interrupted the operation
  kInvalidArgument,     // the request itself is wrong (bad name, malformed file, bad policy)
  kDeadlineExceeded,    // a time limit was hit
  kNotFound,            // the named object does not exist
  kAlreadyExists,       // the named object exists already
  kPermissionDenied,    // authenticated, but not allowed
  kResourceExhausted,   // memory, disk, quota or rate limit
  kFailedPrecondition,  // the system is not in a state that allows this
  kAborted,             // concurrency conflict; retrying may work
  kUnimplemented,
  kInternal,            // a bug: an invariant broke
  kUnavailable,         // transient: try again later
  kDataLoss,            // stored data is corrupted, truncated or tampered with
  kUnauthenticated,     // no valid credentials
};

std::string_view CodeName(Code code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  // "NOT_FOUND: dataset 'x' does not exist"
  std::string ToString() const;

  // Returns a copy with `context` prefixed to the message ("import: " + message).
  Status WithContext(std::string_view context) const;

 private:
  Code code_ = Code::kOk;
  std::string message_;
};

inline Status OkStatus() { return {}; }
Status InvalidArgument(std::string message);
Status NotFound(std::string message);
Status AlreadyExists(std::string message);
Status PermissionDenied(std::string message);
Status Unauthenticated(std::string message);
Status FailedPrecondition(std::string message);
Status ResourceExhausted(std::string message);
Status DataLoss(std::string message);
Status Internal(std::string message);
Status Cancelled(std::string message);
Status DeadlineExceeded(std::string message);
Status Unavailable(std::string message);
Status Aborted(std::string message);
Status Unimplemented(std::string message);

// Either a value or a non-OK Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : state_(std::move(status)) {  // NOLINT: implicit by design
    assert(!std::get<Status>(state_).ok() && "Result built from an OK status");
  }

  bool ok() const { return std::holds_alternative<T>(state_); }
  Status status() const { return ok() ? Status() : std::get<Status>(state_); }

  T& value() & { return std::get<T>(state_); }
  const T& value() const& { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> state_;
};

}  // namespace sz

#define SZ_CONCAT_INNER_(a, b) a##b
#define SZ_CONCAT_(a, b) SZ_CONCAT_INNER_(a, b)

// Returns early from the enclosing function if `expr` (a Status) is not OK.
#define SZ_RETURN_IF_ERROR(expr)                         \
  do {                                                   \
    ::sz::Status sz_status_ = (expr);                    \
    if (!sz_status_.ok()) return sz_status_;             \
  } while (false)

// `SZ_ASSIGN_OR_RETURN(auto x, MakeX());` binds the value or returns the error.
#define SZ_ASSIGN_OR_RETURN(lhs, expr) \
  SZ_ASSIGN_OR_RETURN_IMPL_(SZ_CONCAT_(sz_result_, __LINE__), lhs, expr)
#define SZ_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                              \
  if (!tmp.ok()) return tmp.status();             \
  lhs = std::move(tmp).value()
