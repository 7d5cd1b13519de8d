#include "agent/upload/host_uploader.hpp"

#include <string>

namespace veil::detail {

upload_response host_answer(int http_status, int retry_after_s) {
  if (http_status <= 0)
    return {upload_result::retry_later, std::nullopt, 0, "transport: no HTTP answer"};
  const std::string after = retry_after_s >= 0 ? std::to_string(retry_after_s) : std::string();
  return classify_http_status(http_status, {}, after, std::chrono::system_clock::now());
}

upload_response host_transport::exchange(const http_request& req, std::string_view body,
                                         std::chrono::milliseconds timeout, std::size_t max_body,
                                         std::atomic<std::uint64_t>* current) noexcept {
  std::uint64_t id = 0;
  std::shared_ptr<slot> s;
  try {
    s = std::make_shared<slot>();
    s->max_body = max_body;
    std::lock_guard lk(mu_);
    if (closed_) return {upload_result::retry_later, std::nullopt, 0, "transport: closed"};
    id = ++next_id_;
    pending_.emplace(id, s);
  } catch (...) {
    return {upload_result::retry_later, std::nullopt, 0, "transport: out of memory"};
  }
  if (current) current->store(id);
  struct forget {
    host_transport& t;
    std::uint64_t id;
    std::atomic<std::uint64_t>* current;
    ~forget() {
      if (current) current->store(0);
      std::lock_guard lk(t.mu_);
      t.pending_.erase(id);
    }
  } cleanup{*this, id, current};
  {
    std::unique_lock lk(mu_);
    cv_.wait(lk, [&] { return gate_open_ || closed_ || s->cancelled; });
    if (closed_) return {upload_result::retry_later, std::nullopt, 0, "transport: closed"};
    if (s->cancelled) return {upload_result::retry_later, std::nullopt, 0, "cancelled"};
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  try {
    fn_(id, req, body);
  } catch (...) {
    return {upload_result::retry_later, std::nullopt, 0, "transport: the host callback threw"};
  }
  std::unique_lock lk(mu_);
  cv_.wait_until(lk, deadline, [&] { return s->done || s->cancelled || closed_; });
  if (s->done) return std::move(s->answer);
  const char* why = s->cancelled ? "cancelled"
                    : closed_    ? "transport: closed"
                                 : "transport: timeout";
  return {upload_result::retry_later, std::nullopt, 0, why};
}

host_transport::done_result host_transport::complete(std::uint64_t id, int http_status,
                                                     int retry_after_s,
                                                     std::string_view body) noexcept {
  if (http_status < 0 || http_status > 999) return done_result::bad_status;
  try {
    // Built outside the lock: the waiting send() only reads it once done is set.
    auto answer = host_answer(http_status, retry_after_s);
    std::lock_guard lk(mu_);
    auto it = pending_.find(id);
    if (it == pending_.end() || it->second->done || it->second->cancelled)
      return done_result::unknown_id;
    auto& s = *it->second;
    if (body.size() <= s.max_body) answer.body.assign(body);
    s.answer = std::move(answer);
    s.done = true;
    pending_.erase(it);
  } catch (...) {
    // Out of memory for the answer: the exchange times out and is retried.
    return done_result::unknown_id;
  }
  cv_.notify_all();
  return done_result::ok;
}

void host_transport::cancel(std::uint64_t id) noexcept {
  {
    std::lock_guard lk(mu_);
    auto it = pending_.find(id);
    if (it == pending_.end()) return;
    it->second->cancelled = true;
    pending_.erase(it);
  }
  cv_.notify_all();
}

void host_transport::open_gate() noexcept {
  {
    std::lock_guard lk(mu_);
    gate_open_ = true;
  }
  cv_.notify_all();
}

void host_transport::shutdown() noexcept {
  {
    std::lock_guard lk(mu_);
    closed_ = true;
    pending_.clear();
  }
  cv_.notify_all();
}

std::size_t host_transport::in_flight() const {
  std::lock_guard lk(mu_);
  return pending_.size();
}

result<void> host_options::validate() const {
  auto ep = parse_endpoint(endpoint);
  if (!ep) return std::move(ep).err();
  if (timeout.count() <= 0)
    return make_error(errc::invalid_argument, "host transport: the timeout must be > 0");
  if (max_response_bytes == 0)
    return make_error(errc::invalid_argument, "host transport: max_response_bytes must be > 0");
  if (api_key.find_first_of("\r\n") != std::string::npos)
    return make_error(errc::invalid_argument, "host transport: CR/LF in the api key");
  return {};
}

result<std::unique_ptr<host_uploader>> host_uploader::create(
    host_options opts, std::shared_ptr<host_transport> transport) {
  if (!transport) return make_error(errc::invalid_argument, "host transport: none given");
  if (auto v = opts.validate(); !v) return std::move(v).err();
  auto ep = *parse_endpoint(opts.endpoint);
  return std::unique_ptr<host_uploader>(
      new host_uploader(std::move(opts), std::move(ep), std::move(transport)));
}

upload_response host_uploader::send(const upload_batch& batch) noexcept {
  try {
    auto req = make_http_request(ep_, batch, opts_.api_key, opts_.user_agent);
    if (!req) return refused_request(req.err());
    const std::size_t max_body =
        batch.max_response_bytes ? batch.max_response_bytes : opts_.max_response_bytes;
    return transport_->exchange(*req, batch.get ? std::string_view() : batch.body, opts_.timeout,
                                max_body, &current_);
  } catch (...) {
    return {upload_result::retry_later, std::nullopt, 0, "transport: out of memory"};
  }
}

void host_uploader::cancel() noexcept {
  if (const auto id = current_.load()) transport_->cancel(id);
}

}  // namespace veil::detail
