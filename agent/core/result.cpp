#include "agent/core/result.hpp"

namespace veil {
namespace {
class category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "veil"; }
  std::string message(int c) const override {
    switch (static_cast<errc>(c)) {
      case errc::ok: return "ok";
      case errc::invalid_argument: return "invalid argument";
      case errc::parse_error: return "parse error";
      case errc::limit_exceeded: return "limit exceeded";
      case errc::policy_invalid: return "invalid policy";
      case errc::io_error: return "i/o error";
      case errc::crypto_error: return "crypto error";
      case errc::not_found: return "not found";
      case errc::corrupt: return "corrupt data";
      case errc::unavailable: return "unavailable";
      case errc::shut_down: return "shut down";
      case errc::internal: return "internal error";
    }
    return "unknown veil error";
  }
};
}  // namespace

const std::error_category& veil_category() noexcept {
  static const category c;
  return c;
}
}  // namespace veil
