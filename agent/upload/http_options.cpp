// The socket-free part of http_uploader.hpp, in every build (also VEIL_HTTP_CLIENT=OFF, where
// the C ABI still checks a pin's format): option checks and the pin's hex form.
#include <string_view>

#include "agent/upload/http_status.hpp"
#include "agent/upload/http_uploader.hpp"

namespace veil::detail {

namespace {
bool has_crlf(std::string_view s) { return s.find_first_of("\r\n") != std::string_view::npos; }
}  // namespace

result<void> http_options::validate() const {
  auto ep = parse_endpoint(endpoint);
  if (!ep) return std::move(ep).err();
  if (connect_timeout.count() <= 0 || io_timeout.count() <= 0)
    return make_error(errc::invalid_argument, "http_options: timeouts must be > 0");
  if (pin && !ep->tls)
    return make_error(errc::invalid_argument, "http_options: a key pin needs an https endpoint");
  if (has_crlf(api_key) || has_crlf(user_agent))
    return make_error(errc::invalid_argument, "http_options: CR/LF in a header value");
  if (max_response_bytes == 0)
    return make_error(errc::invalid_argument, "http_options: max_response_bytes must be > 0");
  return {};
}

result<spki_pin> parse_spki_pin(std::string_view hex) {
  if (hex.size() != 64)
    return make_error(errc::invalid_argument, "pin: expected 64 hex characters");
  spki_pin out{};
  auto nib = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < 32; ++i) {
    const int hi = nib(hex[2 * i]), lo = nib(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return make_error(errc::invalid_argument, "pin: not hex");
    out[i] = static_cast<unsigned char>(hi << 4 | lo);
  }
  return out;
}

}  // namespace veil::detail
