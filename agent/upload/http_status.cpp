#include "agent/upload/http_status.hpp"

#include <algorithm>
#include <charconv>

#include "agent/upload/backoff.hpp"

namespace veil::detail {

result<http_endpoint> parse_endpoint(std::string_view url, std::string_view signal_path) {
  http_endpoint ep;
  auto bad = [&](const char* why) {
    return make_error(errc::invalid_argument, std::string("endpoint: ") + why);
  };
  if (url.starts_with("https://")) {
    url.remove_prefix(8);
  } else if (url.starts_with("http://")) {
    ep.tls = false;
    ep.port = 80;
    url.remove_prefix(7);
  } else {
    return bad("scheme must be http:// or https://");
  }
  const auto slash = url.find('/');
  std::string_view authority = url.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? std::string_view{} : url.substr(slash);
  if (authority.find('@') != std::string_view::npos)
    return bad("credentials in the URL are not allowed");
  if (path.find_first_of("?#") != std::string_view::npos)
    return bad("query or fragment not allowed");
  std::string_view port;
  if (authority.starts_with("[")) {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return bad("unterminated IPv6 literal");
    ep.host = std::string(authority.substr(1, close - 1));
    auto rest = authority.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return bad("junk after IPv6 literal");
      port = rest.substr(1);
    }
  } else {
    const auto colon = authority.rfind(':');
    ep.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
  }
  if (ep.host.empty()) return bad("missing host");
  if (!port.empty()) {
    unsigned p = 0;
    auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
    if (ec != std::errc{} || ptr != port.data() + port.size() || p == 0 || p > 65535)
      return bad("bad port");
    ep.port = static_cast<std::uint16_t>(p);
  }
  while (path.ends_with('/')) path.remove_suffix(1);
  ep.target = std::string(path) + std::string(signal_path);
  ep.base = std::string(path);
  ep.host_header = authority.starts_with("[") ? "[" + ep.host + "]" : ep.host;
  if (ep.port != (ep.tls ? 443 : 80)) ep.host_header += ":" + std::to_string(ep.port);
  return ep;
}

upload_response classify_http_status(int status, std::string_view reason_phrase,
                                     std::string_view retry_after,
                                     std::chrono::system_clock::time_point now) {
  upload_response r;
  r.http_status = status;
  r.reason = "http " + std::to_string(status);
  if (!reason_phrase.empty()) r.reason += " " + std::string(reason_phrase.substr(0, 64));
  if (status >= 200 && status < 300) {
    r.result = upload_result::ok;
    return r;
  }
  if (status == 413) {
    r.result = upload_result::too_large;
  } else if (status == 408 || status == 429 || (status >= 500 && status < 600) ||
             (status >= 300 && status < 400)) {
    // 5xx includes 500: a batch that crashes the collector is bounded by the spool's retry cap.
    r.result = upload_result::retry_later;
  } else if (status >= 400 && status < 500) {
    r.result = upload_result::rejected;
  } else {
    r.result = upload_result::retry_later;  // 1xx final or nonsense: try again later
    r.reason += " (unexpected status)";
  }
  if (r.result == upload_result::retry_later && !retry_after.empty())
    r.retry_after = parse_retry_after(retry_after, now);
  return r;
}

}  // namespace veil::detail
