// logging_uploader: wraps another uploader and logs each exchange's outcome to the host's log
// callback: method, path, record count, body bytes, result and HTTP status or the transport's
// short reason. Never a header value, a body byte or an id. Same threading as the wrapped
// uploader; cancel() is forwarded. The log callback must not throw (a throw is swallowed).
#pragma once

#include <memory>

#include "agent/upload/uploader.hpp"
#include "veil/options.hpp"

namespace veil::detail {

class logging_uploader final : public uploader {
 public:
  logging_uploader(std::shared_ptr<uploader> inner, log_fn log, log_level min_level)
      : inner_(std::move(inner)), log_(std::move(log)), min_(min_level) {}
  upload_response send(const upload_batch& batch) noexcept override;
  void cancel() noexcept override { inner_->cancel(); }

 private:
  std::shared_ptr<uploader> inner_;
  log_fn log_;
  log_level min_;
};

}  // namespace veil::detail
