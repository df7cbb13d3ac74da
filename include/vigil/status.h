// Status and Result<T>: errors as values across every module boundary.
//
// A Status is OK or carries a code and a human-readable message. "Not found"
// is a normal outcome, not a crash. Exceptions never cross a module boundary:
// a module that calls code which may throw catches it and returns a Status.
//
// Thread-safety: Status and Result are values; distinct objects may be used
// from distinct threads freely.
#ifndef VIGIL_STATUS_H_
#define VIGIL_STATUS_H_

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace vigil {

class Status {
 public:
  enum class Code {
    kOk = 0,
    kNotFound,         // the object asked for does not exist
    kInvalidArgument,  // bad input: the message names file, line, column and rule
    kAlreadyExists,    // e.g. a file whose content was already ingested
    kIOError,          // the file system or the store failed
    kCorruption,       // stored data fails a check
    kPermissionDenied, // the caller may not do this
    kCancelled,        // the caller asked to stop
    kInternal,         // a bug in Vigil
  };

  Status() = default;  // OK

  static Status Ok() { return Status(); }
  static Status NotFound(std::string msg) { return Status(Code::kNotFound, std::move(msg)); }
  static Status InvalidArgument(std::string msg) {
    return Status(Code::kInvalidArgument, std::move(msg));
  }
  static Status AlreadyExists(std::string msg) {
    return Status(Code::kAlreadyExists, std::move(msg));
  }
  static Status IOError(std::string msg) { return Status(Code::kIOError, std::move(msg)); }
  static Status Corruption(std::string msg) { return Status(Code::kCorruption, std::move(msg)); }
  static Status PermissionDenied(std::string msg) {
    return Status(Code::kPermissionDenied, std::move(msg));
  }
  static Status Cancelled(std::string msg) { return Status(Code::kCancelled, std::move(msg)); }
  static Status Internal(std::string msg) { return Status(Code::kInternal, std::move(msg)); }

  bool ok() const { return code_ == Code::kOk; }
  bool IsNotFound() const { return code_ == Code::kNotFound; }
  bool IsInvalidArgument() const { return code_ == Code::kInvalidArgument; }
  bool IsAlreadyExists() const { return code_ == Code::kAlreadyExists; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

  // "OK", or "<code name>: <message>".
  std::string ToString() const;

 private:
  Status(Code code, std::string msg) : code_(code), message_(std::move(msg)) {}

  Code code_ = Code::kOk;
  std::string message_;
};

// Result<T> holds either a T or a non-OK Status.
// REQUIRES: a Result is never built from an OK Status.
template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}         // NOLINT: implicit by design
  Result(Status status) : value_(std::move(status)) {}  // NOLINT: implicit by design

  bool ok() const { return std::holds_alternative<T>(value_); }
  // The error; Status::Ok() when a value is held.
  Status status() const { return ok() ? Status::Ok() : std::get<Status>(value_); }

  // REQUIRES: ok().
  T& value() & { return std::get<T>(value_); }
  const T& value() const& { return std::get<T>(value_); }
  T&& value() && { return std::get<T>(std::move(value_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> value_;
};

}  // namespace vigil

// Return early from the enclosing function when `expr` yields a non-OK Status.
#define VIGIL_RETURN_IF_ERROR(expr)           \
  do {                                        \
    ::vigil::Status vigil_status_ = (expr);   \
    if (!vigil_status_.ok()) return vigil_status_; \
  } while (0)

#define VIGIL_CONCAT_INNER_(a, b) a##b
#define VIGIL_CONCAT_(a, b) VIGIL_CONCAT_INNER_(a, b)
// Declare `lhs` from a Result, or return its Status from the enclosing function.
#define VIGIL_ASSIGN_OR_RETURN(lhs, expr)                                 \
  auto VIGIL_CONCAT_(vigil_result_, __LINE__) = (expr);                   \
  if (!VIGIL_CONCAT_(vigil_result_, __LINE__).ok())                       \
    return VIGIL_CONCAT_(vigil_result_, __LINE__).status();               \
  lhs = std::move(VIGIL_CONCAT_(vigil_result_, __LINE__)).value()

#endif  // VIGIL_STATUS_H_
