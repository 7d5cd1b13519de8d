#include "agent/upload/logging_uploader.hpp"

#include <string>

namespace veil::detail {

upload_response logging_uploader::send(const upload_batch& batch) noexcept {
  upload_response r = inner_->send(batch);
  const log_level level = r.result == upload_result::ok ? log_level::debug : log_level::warn;
  if (static_cast<int>(level) < static_cast<int>(min_) || !log_) return r;
  try {
    // The path without a query (a paged GET's offset is harmless, but keep it short).
    std::string path = batch.path.empty() ? "/v1/logs" : batch.path.substr(0, batch.path.find('?'));
    std::string m = std::string("upload: ") + (batch.get ? "GET " : "POST ") + path;
    if (batch.records) m += ", " + std::to_string(batch.records) + " records";
    if (!batch.get) m += ", " + std::to_string(batch.body.size()) + " bytes";
    m += ": " + std::string(to_string(r.result));
    if (r.http_status) m += " (http " + std::to_string(r.http_status) + ")";
    else if (!r.reason.empty()) m += " (" + r.reason.substr(0, 120) + ")";
    if (r.retry_after) m += ", Retry-After " + std::to_string(r.retry_after->count()) + " s";
    log_(level, m);
  } catch (...) {}
  return r;
}

}  // namespace veil::detail
