#include "agent/upload/uploader.hpp"

#include <array>
#include <random>

#include "agent/crypto/random.hpp"

namespace veil::detail {

const char* to_string(upload_result r) noexcept {
  switch (r) {
    case upload_result::ok: return "ok";
    case upload_result::retry_later: return "retry_later";
    case upload_result::rejected: return "rejected";
    case upload_result::too_large: return "too_large";
  }
  return "unknown";
}

std::string make_batch_id() {
  // libsodium, already initialised for the spool's cipher: OpenSSL's RAND_bytes would set up its
  // DRBG and providers (~2 MiB of libcrypto pages) in a plain-HTTP agent that needs no OpenSSL.
  if (auto id = random_hex_id()) return std::move(*id);
  // Only fails if libsodium cannot initialise; an id only needs to be unique.
  std::random_device rd;
  static constexpr char hex[] = "0123456789abcdef";
  std::string s;
  for (int i = 0; i < 32; ++i) s += hex[rd() & 15];
  return s;
}

upload_response memory_uploader::send(const upload_batch& batch) noexcept {
  std::lock_guard lk(mu_);
  ++calls_;
  if (fail_left_ > 0) {
    --fail_left_;
    return fail_with_;
  }
  try {
    batches_.push_back(batch);
  } catch (...) {
    return {upload_result::retry_later, std::nullopt, 0, "memory_uploader: out of memory"};
  }
  return {upload_result::ok, std::nullopt, 200, {}};
}

void memory_uploader::fail_next(std::size_t n, upload_response r) {
  std::lock_guard lk(mu_);
  fail_left_ = n;
  fail_with_ = std::move(r);
}

std::vector<upload_batch> memory_uploader::batches() const {
  std::lock_guard lk(mu_);
  return batches_;
}

std::size_t memory_uploader::calls() const {
  std::lock_guard lk(mu_);
  return calls_;
}

}  // namespace veil::detail
