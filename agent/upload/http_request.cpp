#include "agent/upload/http_request.hpp"

#include <algorithm>
#include <cctype>

#include "agent/wire/batch_codec.hpp"

namespace veil::detail {

namespace {

bool has_crlf(std::string_view s) { return s.find_first_of("\r\n") != std::string_view::npos; }

bool iequal(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// Beast's request::set(): every earlier field of that name goes, the new one is appended.
void set(std::vector<std::pair<std::string, std::string>>& h, std::string_view k,
         std::string_view v) {
  std::erase_if(h, [&](const auto& f) { return iequal(f.first, k); });
  h.emplace_back(std::string(k), std::string(v));
}

}  // namespace

result<http_request> make_http_request(const http_endpoint& ep, const upload_batch& batch,
                                       std::string_view api_key, std::string_view user_agent) {
  http_request r;
  r.get = batch.get;
  r.target = batch.path.empty() ? ep.target : ep.base + batch.path;
  if (has_crlf(r.target) || r.target.find(' ') != std::string::npos)
    return make_error(errc::invalid_argument, "batch: bad path");
  r.url = std::string(ep.tls ? "https://" : "http://") + ep.host_header + r.target;
  auto& h = r.headers;
  set(h, "User-Agent", user_agent);
  if (!batch.get) set(h, "Content-Type", "application/json");
  for (const auto& [k, v] : batch.headers) {
    if (has_crlf(k) || has_crlf(v) || k.empty())
      return make_error(errc::invalid_argument, "batch: CR/LF in a header");
    set(h, k, v);
  }
  if (has_crlf(batch.id) || has_crlf(batch.policy_hash) || has_crlf(batch.content_encoding))
    return make_error(errc::invalid_argument, "batch: CR/LF in a header value");
  if (!batch.content_encoding.empty() && batch.content_encoding != "identity")
    set(h, "Content-Encoding", batch.content_encoding);
  if (!batch.id.empty()) set(h, "Idempotency-Key", batch.id);
  if (!batch.policy_hash.empty()) set(h, "X-Veil-Policy", batch.policy_hash);
  // The frame header is authoritative; the header repeats it so the collector can choose the
  // dictionary (or refuse) before decoding.
  if (batch.content_encoding == "zstd")
    if (const auto id = zstd_frame_dict_id(batch.body); id != 0)
      set(h, "X-Veil-Zstd-Dict", std::to_string(id));
  if (!api_key.empty()) set(h, "Authorization", "Bearer " + std::string(api_key));
  return r;
}

upload_response refused_request(const error& e) {
  return {upload_result::rejected, std::nullopt, 0, e.message};
}

}  // namespace veil::detail
