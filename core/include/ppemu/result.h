#pragma once
// Errors are values: the core is also compiled to WASM, where C++ exceptions abort the module.
#include <optional>
#include <string>
#include <utility>

namespace ppemu {

struct Error {
  std::string message;  ///< one line, names the key or op at fault and what would be accepted
};

/// Success (empty) or an Error.
class Status {
 public:
  Status() = default;
  Status(Error e) : error_(std::move(e.message)), failed_(true) {}  // NOLINT: implicit on purpose
  bool ok() const { return !failed_; }
  const std::string& error() const { return error_; }

 private:
  std::string error_;
  bool failed_ = false;
};

/// A value or an Error.
template <class T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}                 // NOLINT
  Result(Error e) : error_(std::move(e.message)) {}             // NOLINT
  bool ok() const { return value_.has_value(); }
  const T& value() const& { return *value_; }
  T& value() & { return *value_; }
  T&& value() && { return std::move(*value_); }
  const T* operator->() const { return &*value_; }
  T* operator->() { return &*value_; }
  const std::string& error() const { return error_; }
  Status status() const { return ok() ? Status() : Status(Error{error_}); }

 private:
  std::optional<T> value_;
  std::string error_;
};

}  // namespace ppemu
