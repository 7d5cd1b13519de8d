#include <sodium.h>

#include <cstring>

#include "agent/crypto/key_ring.hpp"
#include "agent/platform/file_util.hpp"

namespace veil::detail {
namespace {
constexpr char magic[8] = {'V', 'E', 'I', 'L', 'K', 'E', 'Y', '1'};
constexpr std::size_t file_size = 8 + 8 + 8 + secure_key::size;

void put_u64(std::string& s, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) s.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
std::uint64_t get_u64(const char* p) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}
std::int64_t unix_s(sys_time t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}
}  // namespace

result<std::unique_ptr<file_key_ring>> file_key_ring::open(options opt, sys_time now) {
  if (opt.epoch.count() <= 0)
    return make_error(errc::invalid_argument, "key epoch must be positive");
  if (auto r = crypto_init(); !r) return std::move(r).err();
  if (auto r = make_dirs(opt.dir, 0700); !r) return std::move(r).err();
  std::unique_ptr<file_key_ring> ring(new file_key_ring(std::move(opt)));
  auto path = ring->opt_.dir / "pseudonym.key";
  auto data = read_file(path);
  if (data.ok()) {
    std::string& d = *data;
    if (d.size() != file_size || std::memcmp(d.data(), magic, 8) != 0) {
      sodium_memzero(d.data(), d.size());
      return make_error(errc::corrupt, "key file " + path.string() + " has a wrong size or magic");
    }
    auto start = static_cast<std::int64_t>(get_u64(d.data() + 8));
    auto k = secure_key::from_bytes(
        {reinterpret_cast<const unsigned char*>(d.data() + 24), secure_key::size});
    sodium_memzero(d.data(), d.size());
    if (!k) return std::move(k).err();
    ring->key_ = std::move(*k);
    ring->start_ = sys_time(std::chrono::seconds(start));
  } else if (data.err().code != errc::not_found) {
    return std::move(data).err();
  } else {
    auto k = secure_key::random();
    if (!k) return std::move(k).err();
    if (auto w = ring->write_file(now, *k); !w) return std::move(w).err();
    ring->key_ = std::move(*k);
    ring->start_ = now;
  }
  if (auto r = ring->rotate_if_due(now); !r) return std::move(r).err();
  return ring;
}

result<void> file_key_ring::write_file(sys_time start, const secure_key& k) {
  std::string d(magic, 8);
  put_u64(d, static_cast<std::uint64_t>(unix_s(start)));
  put_u64(d, static_cast<std::uint64_t>(opt_.epoch.count()));
  d.append(reinterpret_cast<const char*>(k.data()), secure_key::size);
  auto r = write_file_atomic(opt_.dir / "pseudonym.key", d, 0600);
  sodium_memzero(d.data(), d.size());
  return r;
}

const secure_key* file_key_ring::key_for(sys_time now) const noexcept {
  std::lock_guard lk(mu_);
  if (key_.empty() || now >= start_ + opt_.epoch) return nullptr;  // expired: rotate first
  return &key_;
}

result<bool> file_key_ring::rotate_if_due(sys_time now) {
  std::lock_guard lk(mu_);
  if (!key_.empty() && now >= start_ && now < start_ + opt_.epoch) return false;
  auto k = secure_key::random();
  if (!k) return std::move(k).err();
  // The new epoch starts at `now`; epochs never overlap, so no two keys are valid at once.
  if (auto w = write_file(now, *k); !w) return std::move(w).err();
  key_ = std::move(*k);  // the old key's memory is zeroed and freed by the move-assignment
  start_ = now;
  return true;
}

sys_time file_key_ring::epoch_start() const noexcept {
  std::lock_guard lk(mu_);
  return start_;
}

result<void> file_key_ring::destroy() {
  std::lock_guard lk(mu_);
  key_ = secure_key{};
  return wipe_file(opt_.dir / "pseudonym.key");
}

}  // namespace veil::detail
