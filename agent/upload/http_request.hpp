// http_request: the transport-independent half of one upload exchange: method, URL, target and
// the headers both transports send (the built-in Beast client and a host transport), built from
// an upload_batch and the endpoint. Pure function, thread-safe, no exceptions escape except
// std::bad_alloc. Host and Content-Length are the transport's own (they follow from the URL and
// the body), so they are not in the list. A batch with CR/LF in a header, or a bad path, is
// refused (the batch can never be sent as it is).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "agent/core/result.hpp"
#include "agent/upload/http_status.hpp"
#include "agent/upload/uploader.hpp"

namespace veil::detail {

struct http_request {
  bool get = false;    // GET (subject access) or POST (everything else)
  std::string target;  // "<base>/v1/logs", with a query for paged GETs
  std::string url;     // scheme://host[:port] + target
  std::vector<std::pair<std::string, std::string>> headers;  // in sending order, names unique
  const char* method() const noexcept { return get ? "GET" : "POST"; }
};

/// The request for `batch` to `ep`: Content-Type (POST), the batch's own headers, then
/// Content-Encoding (unless identity), Idempotency-Key, X-Veil-Policy, X-Veil-Zstd-Dict (zstd
/// frames with a dictionary ID), Authorization: Bearer (api_key set), User-Agent. A later
/// header of the same name (case-insensitive) replaces an earlier one.
/// errc::invalid_argument (reason "batch: ...") when the batch cannot be sent as it is.
result<http_request> make_http_request(const http_endpoint& ep, const upload_batch& batch,
                                       std::string_view api_key, std::string_view user_agent);

/// The answer to a batch that make_http_request() refused: rejected, with its reason.
upload_response refused_request(const error& e);

}  // namespace veil::detail
