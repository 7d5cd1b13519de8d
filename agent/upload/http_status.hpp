// http_status: the socket-free half of the HTTP uploader (Beast's handle_request apart from I/O):
// endpoint URL parsing and the mapping of an HTTP status to what the caller must do (retry, drop,
// split). Pure functions, thread-safe, no exceptions escape.
//   2xx -> ok; 408, 429, 5xx, 3xx (redirects are never followed: the data must not move to another
//   host) -> retry_later, honouring Retry-After; 413 -> too_large; any other 4xx -> rejected.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "agent/core/result.hpp"
#include "agent/upload/uploader.hpp"

namespace veil::detail {

struct http_endpoint {
  bool tls = true;
  std::string host;  // name or IP literal, without brackets
  std::uint16_t port = 443;
  std::string target;       // "<base path>/v1/logs"
  std::string base;         // "<base path>" ("" for none): rights requests go below it
  std::string host_header;  // "host[:port]" as sent in Host:
};

/// "http(s)://host[:port][/base]" -> where to POST logs. No userinfo, query or fragment.
result<http_endpoint> parse_endpoint(std::string_view url,
                                     std::string_view signal_path = "/v1/logs");

upload_response classify_http_status(int status, std::string_view reason_phrase,
                                     std::string_view retry_after,
                                     std::chrono::system_clock::time_point now);

}  // namespace veil::detail
