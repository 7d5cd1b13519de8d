#include "agent/spool/spool.hpp"

#include <algorithm>
#include <string>

#include "agent/spool/spool_engine.hpp"

namespace veil::detail {

result<void> spool_options::validate() const {
  if (max_bytes < 4096)
    return make_error(errc::invalid_argument, "spool max_bytes must be at least 4096");
  if (max_age.count() <= 0)
    return make_error(errc::invalid_argument, "spool max_age must be positive");
  if (max_retries == 0 || max_retries > 255)
    return make_error(errc::invalid_argument, "spool max_retries must be in 1..255");
  if (max_record_bytes == 0 || max_record_bytes > (16u << 20))
    return make_error(errc::invalid_argument, "spool max_record_bytes must be in 1..16 MiB");
  if (max_segment_bytes < 4096 || max_segment_bytes > (1u << 30))
    return make_error(errc::invalid_argument, "spool max_segment_bytes must be in 4096..1 GiB");
  return {};
}

spool_engine::spool_engine(spool_options opt, std::unique_ptr<spool_storage> storage,
                           std::vector<stored_record> existing, std::uint64_t next_seq,
                           spool_counters opened)
    : opt_(std::move(opt)), storage_(std::move(storage)), next_seq_(next_seq), c_(opened) {
  if (!opt_.clock) opt_.clock = [] { return std::chrono::system_clock::now(); };
  // Storages report records in seq order; seq_index copes (more slowly) if they do not.
  std::vector<std::uint64_t> unindexable;
  for (auto& r : existing) {
    // Stored records passed stage(), which refuses an uninternable category; a foreign spool
    // directory could still hold more: those are dropped as corrupt rather than mislabelled.
    const auto cat = intern(r.category);
    if (!cat) {
      unindexable.push_back(r.seq);
      continue;
    }
    live_.try_emplace(r.seq,
                      entry{r.created, 0, *cat,
                            static_cast<std::uint8_t>(std::min<std::uint32_t>(r.retries, 255))});
  }
  std::lock_guard lk(mu_);
  c_.corrupt += unindexable.size();  // not in live_, so drop() only removes them from storage
  (void)drop(std::move(unindexable), why::corrupt, true);
  (void)expire_old(now());  // a failure here leaves the records for the next sweep
}

std::optional<std::uint16_t> spool_engine::intern(std::string_view category) {
  for (std::size_t i = 0; i < categories_.size(); ++i)
    if (categories_[i] == category) return static_cast<std::uint16_t>(i);
  if (categories_.size() >= max_categories) return std::nullopt;
  categories_.emplace_back(category);
  return static_cast<std::uint16_t>(categories_.size() - 1);
}

std::uint32_t spool_engine::next_lease_id() {
  for (;;) {
    const std::uint32_t id = next_lease_++;
    if (id != 0 && leases_.count(id) == 0) return id;
  }
}

void spool_engine::forget(std::uint64_t seq, why reason) {
  auto* e = live_.find(seq);
  if (e == nullptr) {
    // A record of the group being committed, evicted by a later record of the same group.
    auto p = std::find_if(pending_.begin(), pending_.end(),
                          [&](const pending_entry& q) { return q.seq == seq; });
    if (p == pending_.end() || p->gone) return;
    p->gone = true;
  } else {
    if (e->lease != 0) {
      if (auto l = leases_.find(e->lease); l != leases_.end()) l->second.invalidated = true;
    }
    live_.erase(seq);
  }
  switch (reason) {
    case why::spool_full: ++c_.spool_full; break;
    case why::too_old: ++c_.too_old; break;
    case why::retry_exhausted: ++c_.retry_exhausted; break;
    case why::not_consented: ++c_.not_consented; break;
    case why::corrupt: ++c_.corrupt; break;
    case why::erased: ++c_.erased; break;
  }
}

result<void> spool_engine::drop(std::vector<std::uint64_t> seqs, why reason, bool shred) {
  if (seqs.empty()) return {};
  for (auto s : seqs) forget(s, reason);
  return storage_->remove(seqs, shred);
}

result<void> spool_engine::expire_old(sys_time t) {
  std::vector<std::uint64_t> old;
  // Seq order is append order, so created times ascend unless the clock stepped back.
  for (auto& [seq, e] : live_) {
    if (e.created + opt_.max_age > t) break;
    old.push_back(seq);
  }
  return drop(std::move(old), why::too_old, false);
}

void spool_engine::expire_leases(sys_time t) {
  for (auto it = leases_.begin(); it != leases_.end();) {
    if (it->second.expires <= t) {
      for (auto s : it->second.seqs)
        if (auto* e = live_.find(s); e != nullptr && e->lease == it->first) e->lease = 0;
      it = leases_.erase(it);
    } else {
      ++it;
    }
  }
}

result<std::uint64_t> spool_engine::stage(std::string_view category, std::string_view payload,
                                          sys_time t) {
  if (category.empty() || category.size() > 255)
    return make_error(errc::invalid_argument, "spool category must be 1..255 bytes");
  if (payload.size() > opt_.max_record_bytes)
    return make_error(errc::limit_exceeded, "spool record of " + std::to_string(payload.size()) +
                                                " bytes exceeds max_record_bytes");
  const auto cat = intern(category);
  if (!cat) return make_error(errc::limit_exceeded, "spool: more than 65535 distinct categories");
  if (auto r = expire_old(t); !r) return std::move(r).err();
  std::uint64_t need = storage_->cost(category, payload);
  if (need > opt_.max_bytes) {
    ++c_.spool_full;
    return make_error(errc::limit_exceeded, "spool record larger than the spool");
  }
  // used_bytes() includes the group's own records: the cap holds for the group too, and may
  // evict an earlier record of it (then counted spool_full, like any stored record).
  while (storage_->used_bytes() + need > opt_.max_bytes) {
    auto unit = storage_->oldest_unit();
    if (unit.empty()) break;  // only dead bytes left: the storage frees them on the next write
    if (auto r = drop(std::move(unit), why::spool_full, false); !r) return std::move(r).err();
  }
  std::uint64_t seq = next_seq_++;
  if (auto r = storage_->write(seq, t, category, payload); !r) return std::move(r).err();
  pending_.push_back(pending_entry{seq, entry{t, 0, *cat, 0}, false});
  return seq;
}

result<void> spool_engine::commit() {
  if (pending_.empty()) return {};
  auto r = storage_->sync();
  if (r) {
    for (auto& p : pending_)
      if (!p.gone) live_.try_emplace(p.seq, p.e);
    c_.appended += pending_.size();  // evicted ones were stored, then dropped (counted)
  } else {
    // Not durable: forget the group so that what we report matches what a restart would find
    // as far as we can (the journal marks them gone; if that fails too they may come back).
    std::vector<std::uint64_t> seqs;
    for (auto& p : pending_) seqs.push_back(p.seq);
    (void)storage_->remove(seqs, false);
  }
  pending_.clear();
  return r;
}

result<std::uint64_t> spool_engine::append(std::string_view category, std::string_view payload) {
  std::lock_guard lk(mu_);
  auto seq = stage(category, payload, now());
  if (!seq) return seq;
  if (auto r = commit(); !r) return std::move(r).err();
  return seq;
}

void spool_engine::append_batch(std::span<const spool_item> items,
                                std::vector<result<std::uint64_t>>& out) {
  out.clear();
  out.reserve(items.size());
  std::lock_guard lk(mu_);
  const auto t = now();
  for (const auto& it : items) out.push_back(stage(it.category, it.payload, t));
  if (auto r = commit(); !r)
    for (auto& o : out)
      if (o) o = r.err();
}

result<spool_lease> spool_engine::reserve(std::size_t max_records, std::size_t max_bytes,
                                          std::chrono::milliseconds lease_duration) {
  std::lock_guard lk(mu_);
  auto t = now();
  expire_leases(t);
  if (auto r = expire_old(t); !r) return std::move(r).err();
  spool_lease out;
  std::size_t bytes = 0;
  std::vector<std::uint64_t> bad;
  for (auto& [seq, e] : live_) {
    if (out.records.size() >= max_records) break;
    if (e.lease != 0) continue;
    auto payload = storage_->read(seq);
    if (!payload) {
      if (payload.err().code == errc::corrupt) {
        bad.push_back(seq);
        continue;
      }
      return std::move(payload).err();
    }
    if (!out.records.empty() && bytes + payload->size() > max_bytes) break;
    bytes += payload->size();
    out.records.push_back(
        spool_record{seq, categories_[e.category], e.created, e.retries, std::move(*payload)});
  }
  if (auto r = drop(std::move(bad), why::corrupt, true); !r) return std::move(r).err();
  if (out.records.empty()) return out;
  out.id = next_lease_id();
  out.expires = t + lease_duration;
  lease_info li{out.expires, {}, false};
  for (auto& r : out.records) {
    live_.find(r.seq)->lease = out.id;
    li.seqs.push_back(r.seq);
  }
  leases_.emplace(out.id, std::move(li));
  return out;
}

result<std::size_t> spool_engine::ack(std::uint64_t lease_id) {
  std::lock_guard lk(mu_);
  expire_leases(now());
  auto l = leases_.find(lease_id);
  if (l == leases_.end()) return make_error(errc::not_found, "spool lease unknown or expired");
  std::vector<std::uint64_t> done;
  for (auto s : l->second.seqs)
    if (auto* e = live_.find(s); e != nullptr && e->lease == lease_id) done.push_back(s);
  if (auto r = storage_->remove(done, false); !r)
    return std::move(r).err();  // lease kept: retry ack
  for (auto s : done) live_.erase(s);
  leases_.erase(l);
  c_.acked += done.size();
  return done.size();
}

result<std::size_t> spool_engine::release(std::uint64_t lease_id, bool bump_retry) {
  std::lock_guard lk(mu_);
  expire_leases(now());
  auto l = leases_.find(lease_id);
  if (l == leases_.end()) return make_error(errc::not_found, "spool lease unknown or expired");
  std::vector<std::uint64_t> exhausted;
  std::vector<std::pair<std::uint64_t, std::uint32_t>> bumped;
  std::size_t back = 0;
  for (auto s : l->second.seqs) {
    auto* e = live_.find(s);
    if (e == nullptr || e->lease != lease_id) continue;
    e->lease = 0;
    if (bump_retry && ++e->retries >= opt_.max_retries) {
      exhausted.push_back(s);
      continue;
    }
    if (bump_retry) bumped.emplace_back(s, e->retries);
    ++back;
  }
  leases_.erase(l);
  auto d = drop(std::move(exhausted), why::retry_exhausted, false);
  auto r = storage_->set_retries(bumped);
  if (!d) return std::move(d).err();
  if (!r) return std::move(r).err();
  return back;
}

bool spool_engine::lease_valid(std::uint64_t lease_id) const {
  std::lock_guard lk(mu_);
  auto l = leases_.find(lease_id);
  return l != leases_.end() && !l->second.invalidated && l->second.expires > now();
}

bool spool_engine::is_live(std::uint64_t seq) const {
  std::lock_guard lk(mu_);
  return live_.contains(seq);
}

result<std::vector<spool_record>> spool_engine::peek(std::size_t max_records,
                                                     std::size_t max_bytes) {
  std::lock_guard lk(mu_);
  std::vector<spool_record> out;
  std::size_t bytes = 0;
  for (auto& [seq, e] : live_) {
    if (out.size() >= max_records) break;
    auto payload = storage_->read(seq);
    if (!payload) {
      if (payload.err().code == errc::corrupt) continue;
      return std::move(payload).err();
    }
    if (!out.empty() && bytes + payload->size() > max_bytes) break;
    bytes += payload->size();
    out.push_back(
        spool_record{seq, categories_[e.category], e.created, e.retries, std::move(*payload)});
  }
  return out;
}

result<std::size_t> spool_engine::purge_category(std::string_view category) {
  std::lock_guard lk(mu_);
  std::vector<std::uint64_t> seqs;
  for (auto& [seq, e] : live_)
    if (categories_[e.category] == category) seqs.push_back(seq);
  std::size_t n = seqs.size();
  if (auto r = drop(std::move(seqs), why::not_consented, true); !r) return std::move(r).err();
  return n;
}

result<std::size_t> spool_engine::purge_all() {
  std::lock_guard lk(mu_);
  std::size_t n = live_.size();
  for (auto& [id, l] : leases_) l.invalidated = true;
  c_.erased += n;
  live_.clear();
  if (auto r = storage_->remove_all(); !r) return std::move(r).err();
  return n;
}

spool_counters spool_engine::counters() const {
  std::lock_guard lk(mu_);
  spool_counters c = c_;
  c.live_records = live_.size();
  c.disk_bytes = storage_->used_bytes();
  return c;
}

}  // namespace veil::detail
