#include "agent/spool/memory_spool.hpp"

#include <map>

#include "agent/spool/spool_engine.hpp"

namespace veil::detail {
namespace {

class memory_storage final : public spool_storage {
 public:
  result<void> write(std::uint64_t seq, sys_time, std::string_view category,
                     std::string_view payload) override {
    auto c = cost(category, payload);
    recs_.emplace(seq, rec{std::string(payload), c});
    used_ += c;
    return {};
  }
  result<void> sync() override { return {}; }
  result<std::string> read(std::uint64_t seq) override {
    auto it = recs_.find(seq);
    if (it == recs_.end()) return make_error(errc::not_found, "no such spool record");
    return it->second.payload;
  }
  result<void> remove(std::span<const std::uint64_t> seqs, bool) override {
    for (auto s : seqs)
      if (auto it = recs_.find(s); it != recs_.end()) {
        used_ -= it->second.cost;
        recs_.erase(it);
      }
    return {};
  }
  result<void> remove_all() override {
    recs_.clear();
    used_ = 0;
    return {};
  }
  result<void> set_retries(std::span<const std::pair<std::uint64_t, std::uint32_t>>) override {
    return {};
  }
  std::uint64_t used_bytes() const override { return used_; }
  std::uint64_t cost(std::string_view category, std::string_view payload) const override {
    return 16 + 8 + 40 + 10 + category.size() + payload.size();  // a file_spool frame's size
  }
  std::vector<std::uint64_t> oldest_unit() const override {
    if (recs_.empty()) return {};
    return {recs_.begin()->first};
  }

 private:
  struct rec {
    std::string payload;
    std::uint64_t cost;
  };
  std::map<std::uint64_t, rec> recs_;
  std::uint64_t used_ = 0;
};

}  // namespace

result<std::unique_ptr<spool>> make_memory_spool(spool_options opt) {
  if (auto r = opt.validate(); !r) return std::move(r).err();
  return std::unique_ptr<spool>(new spool_engine(std::move(opt), std::make_unique<memory_storage>(),
                                                 {}, 1, spool_counters{}));
}

}  // namespace veil::detail
