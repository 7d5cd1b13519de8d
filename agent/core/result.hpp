// veil::errc, veil::error and veil::result<T>: the one error type of the library, so
// errors compose with Asio's error_code through one std::error_category.
// errc has its own std::error_category so our errors compose with Asio's error_code.
// Pure value types; no I/O, thread-compatible. Never thrown across the public API.
#pragma once

#include <string>
#include <system_error>
#include <utility>
#include <variant>

namespace veil {

/// Error codes of the library. Values are pinned: append, never renumber.
enum class errc {
  ok = 0,
  invalid_argument = 1,
  parse_error = 2,     // malformed JSON or envelope
  limit_exceeded = 3,  // size, depth, string or array limit
  policy_invalid = 4,  // a policy document does not validate
  io_error = 5,        // file system
  crypto_error = 6,    // libsodium failure
  not_found = 7,
  corrupt = 8,      // checksum or format mismatch in stored data
  unavailable = 9,  // network, server, queue full
  shut_down = 10,
  internal = 11,
};

const std::error_category& veil_category() noexcept;
inline std::error_code make_error_code(errc e) noexcept {
  return {static_cast<int>(e), veil_category()};
}

/// An error: a code plus a human message that says what and where (never a personal value).
struct error {
  errc code = errc::internal;
  std::string message;
};

/// Either a T or an error. Minimal on purpose (std::expected is C++23).
template <class T>
class [[nodiscard]] result {
 public:
  result(T v) : v_(std::in_place_index<0>, std::move(v)) {}      // NOLINT: implicit by design
  result(error e) : v_(std::in_place_index<1>, std::move(e)) {}  // NOLINT
  explicit operator bool() const noexcept { return v_.index() == 0; }
  bool ok() const noexcept { return v_.index() == 0; }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &std::get<0>(v_); }
  const T* operator->() const { return &std::get<0>(v_); }
  T& operator*() & { return std::get<0>(v_); }
  const T& operator*() const& { return std::get<0>(v_); }
  const error& err() const& { return std::get<1>(v_); }
  error&& err() && { return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, error> v_;
};

template <>
class [[nodiscard]] result<void> {
 public:
  result() = default;
  result(error e) : e_(std::move(e)), ok_(false) {}  // NOLINT
  explicit operator bool() const noexcept { return ok_; }
  bool ok() const noexcept { return ok_; }
  const error& err() const& { return e_; }
  error&& err() && { return std::move(e_); }

 private:
  error e_;
  bool ok_ = true;
};

inline error make_error(errc c, std::string msg) { return error{c, std::move(msg)}; }

}  // namespace veil

template <>
struct std::is_error_code_enum<veil::errc> : std::true_type {};
