// Unchecked accessors for simdjson DOM elements whose type was already tested: they return
// the value or a default without exceptions (simdjson's get() is warn_unused_result).
#pragma once

#include <simdjson.h>

#include <string_view>

namespace veil::detail::sj {

template <class T>
inline T get_or(simdjson::simdjson_result<T>&& r, T fallback = T{}) noexcept {
  T v{};
  if (std::move(r).get(v) != simdjson::SUCCESS) return fallback;
  return v;
}
inline std::string_view str(simdjson::dom::element e) noexcept { return get_or(e.get_string()); }
inline simdjson::dom::array arr(simdjson::dom::element e) noexcept { return get_or(e.get_array()); }
inline simdjson::dom::object obj(simdjson::dom::element e) noexcept {
  return get_or(e.get_object());
}
inline double dbl(simdjson::dom::element e) noexcept { return get_or(e.get_double()); }
inline std::int64_t i64(simdjson::dom::element e) noexcept { return get_or(e.get_int64()); }
inline std::uint64_t u64(simdjson::dom::element e) noexcept { return get_or(e.get_uint64()); }
inline bool boolean(simdjson::dom::element e) noexcept { return get_or(e.get_bool()); }

}  // namespace veil::detail::sj
