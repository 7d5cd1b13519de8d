#include "agent/pipeline/pipeline.hpp"

#include <sstream>

#include "agent/platform/file_util.hpp"

#include <algorithm>
#include <set>

#include "agent/crypto/device_proof.hpp"
#include "agent/crypto/pseudonymizer.hpp"
#include "agent/crypto/random.hpp"

#include <nlohmann/json.hpp>

namespace veil::detail {
namespace {

status to_status(errc c) noexcept {
  switch (c) {
    case errc::ok: return status::ok;
    case errc::invalid_argument: return status::invalid_argument;
    case errc::not_found: return status::not_found;
    case errc::io_error: return status::io_error;
    case errc::unavailable: return status::unavailable;
    case errc::policy_invalid: return status::policy_invalid;
    default: return status::internal;
  }
}

}  // namespace

std::map<std::string, std::string> metrics_resource(const resource_info& r) {
  std::map<std::string, std::string> m{{"service.name", r.service_name}};
  if (!r.app_version.empty()) m["service.version"] = r.app_version;
  if (!r.os_name.empty()) m["os.name"] = r.os_name;
  return m;
}

std::vector<aggregate::lane> aggregate_lanes(const compiled_policy& p) {
  std::vector<aggregate::lane> lanes;
  for (const auto& ev : p.events)
    if (ev->aggregate) lanes.push_back({ev->aggregate.get(), ev->category});
  return lanes;
}

pipeline::pipeline(pipeline_parts parts)
    : parts_(std::move(parts)), engine_(parts_.policy), batch_limit_(parts_.batch_records) {
  if (!parts_.clock) parts_.clock = [] { return std::chrono::system_clock::now(); };
  if (!parts_.aggregates) {
    if (auto lanes = aggregate_lanes(*parts_.policy); !lanes.empty()) {
      aggregate::store_options so;
      so.resource = metrics_resource(parts_.resource);
      if (auto st = aggregate::store::open(std::move(lanes), std::move(so)))
        parts_.aggregates = std::move(*st);
    }
  }
  load_inflight();
  erasing_.store(parts_.rights && parts_.rights->pending_erasure().has_value());
}

// inflight file: "VEILINF1 <first seq> <last seq> <count> <batch id>\n" (no personal data).
void pipeline::load_inflight() noexcept {
  if (parts_.inflight_file.empty()) return;
  try {
    auto text = read_file(parts_.inflight_file);
    if (!text) return;
    std::istringstream in(*text);
    std::string magic, id;
    std::uint64_t first = 0, last = 0;
    std::size_t count = 0;
    if (!(in >> magic >> first >> last >> count >> id) || magic != "VEILINF1" || id.size() != 32 ||
        count == 0)
      return;
    retry_id_ = id;
    retry_first_ = first;
    retry_last_ = last;
    retry_count_ = count;
  } catch (...) {}
}

void pipeline::save_inflight(const pending_upload& p) noexcept {
  if (parts_.inflight_file.empty()) return;
  try {
    std::string line = "VEILINF1 " + std::to_string(p.first_seq) + " " +
                       std::to_string(p.last_seq) + " " + std::to_string(p.records) + " " +
                       p.batch.id + "\n";
    (void)write_file_atomic(parts_.inflight_file, line, 0600);
  } catch (...) {}
}

const key_ring& pipeline::keys() const noexcept {
  if (parts_.keys) return *parts_.keys;
  return *parts_.fixed_keys;
}

const event_rule* pipeline::clean_one(queued_event& e, std::string& out) {
  raw_event ev;
  parse_failure fail;
  const bool parsed = e.envelope ? parser_.parse(e.payload, ev, fail)
                                 : parser_.parse_parts(e.type, e.ts_ms, e.payload, ev, fail);
  if (!parsed) {
    c_.drop(fail.reason);
    return nullptr;
  }
  clean_stats st;
  out.clear();
  const event_rule* rule = engine_.clean(ev, keys(), parts_.clock(), out, st);
  for (std::size_t i = 0; i < drop_reason_count; ++i)
    if (st.drops.by_reason[i]) c_.drop(static_cast<drop_reason>(i), st.drops.by_reason[i]);
  c_.redactions.fetch_add(st.redactions.total(), std::memory_order_relaxed);
  return rule;  // nullptr: counted by the engine (unknown_type)
}

pipeline::stored_summary pipeline::process_group(std::span<queued_event> events) noexcept {
  stored_summary total;
  for (auto& e : events) {
    c_.events_processed.fetch_add(1, std::memory_order_relaxed);
    try {
      if (staged_ == lines_.size()) {
        lines_.emplace_back();
        rules_.push_back(nullptr);
      }
      std::string& out = lines_[staged_];
      if (const event_rule* rule = clean_one(e, out)) {
        rules_[staged_++] = rule;
        staged_bytes_ += out.size();
      }
    } catch (...) {
      c_.drop(drop_reason::corrupt);  // allocation failure: the event is lost, counted
    }
    if (staged_bytes_ >= parts_.group_bytes) {
      auto s = commit_group();
      total.records += s.records;
      total.bytes += s.bytes;
    }
  }
  auto s = commit_group();
  total.records += s.records;
  total.bytes += s.bytes;
  return total;
}

void pipeline::fold_one(const event_rule& rule, const std::string& line, sys_time now,
                        std::uint64_t& folded) {
  const auto lane = parts_.aggregates->lane_of(rule.aggregate.get());
  if (!lane) {
    c_.drop(drop_reason::corrupt);
    return;
  }
  switch (parts_.aggregates->add(*lane, line, now)) {
    case aggregate::fold_result::added: ++folded; break;
    case aggregate::fold_result::too_old: c_.drop(drop_reason::too_old); break;
    case aggregate::fold_result::invalid_value: c_.drop(drop_reason::invalid_value); break;
    case aggregate::fold_result::not_json: c_.drop(drop_reason::corrupt); break;
    case aggregate::fold_result::over_budget: c_.drop(drop_reason::privacy_budget); break;
  }
}

pipeline::stored_summary pipeline::commit_group() noexcept {
  stored_summary s;
  if (staged_ == 0) return s;
  std::uint64_t folded = 0;
  const sys_time now = parts_.clock();
  try {
    items_.clear();
    {
      // The gate and the append are one step for set_consent(): a revoke that returned has
      // purged the category, and nothing of it is appended afterwards.
      std::lock_guard lk(gate_mu_);
      for (std::size_t i = 0; i < staged_; ++i) {
        if (erasing_.load(std::memory_order_relaxed)) {
          c_.drop(drop_reason::erasure_pending);
          continue;
        }
        if (!parts_.consent->granted(rules_[i]->category_id)) {
          c_.drop(drop_reason::not_consented);
          continue;
        }
        if (rules_[i]->aggregate && parts_.aggregates) {
          fold_one(*rules_[i], lines_[i], now, folded);
          continue;
        }
        items_.push_back(spool_item{rules_[i]->category, lines_[i]});
      }
      if (!items_.empty()) parts_.store->append_batch(items_, results_);
      // One durable write of the aggregate state for the group. When it fails (disk), the
      // windows stay in memory, marked dirty, and the next group's commit writes them.
      if (folded) (void)parts_.aggregates->commit();
    }
    c_.events_aggregated.fetch_add(folded, std::memory_order_relaxed);
    for (std::size_t k = 0; k < items_.size(); ++k) {
      const auto& r = results_[k];
      if (!r) {
        c_.drop(r.err().code == errc::limit_exceeded ? drop_reason::too_large
                                                     : drop_reason::spool_full);
        continue;
      }
      ++s.records;
      s.bytes += items_[k].payload.size();
    }
    c_.events_stored.fetch_add(s.records, std::memory_order_relaxed);
  } catch (...) {
    c_.drop(drop_reason::corrupt, staged_ - s.records - folded);  // allocation failure: counted
  }
  // Bounded memory between groups: an unusually large line does not keep its buffer.
  for (std::size_t i = 0; i < staged_; ++i)
    if (lines_[i].capacity() > 64 * 1024) std::string().swap(lines_[i]);
  items_.clear();
  staged_ = 0;
  staged_bytes_ = 0;
  return s;
}

sys_time pipeline::rotate_keys() noexcept {
  const sys_time now = parts_.clock();
  // Retention of the rights ledger runs on the same (hourly at most) schedule.
  if (parts_.rights) (void)parts_.rights->expire(now);
  if (!parts_.keys) return now + std::chrono::hours(1);
  auto r = parts_.keys->rotate_if_due(now);
  if (r && *r) c_.rotations.fetch_add(1, std::memory_order_relaxed);
  // A failed rotation (disk) leaves no valid key: pseudonym fields are dropped (no_key) until
  // the next try in a minute.
  if (!r) return now + std::chrono::minutes(1);
  return parts_.keys->epoch_start() + parts_.policy->key_epoch;
}

std::string pipeline::install_pseudonym(sys_time now) const {
  const secure_key* k = keys().key_for(now);
  if (!k || parts_.install_id.empty()) return {};
  std::array<char, pseudonym_hex_len> tok{};
  pseudonymize(*k, "veil.install", parts_.install_id, tok);
  return std::string(tok.data(), tok.size());
}

std::int64_t pipeline::epoch_of(sys_time now) const noexcept {
  (void)now;
  if (!parts_.keys) return 0;
  return std::chrono::duration_cast<std::chrono::seconds>(
             parts_.keys->epoch_start().time_since_epoch())
      .count();
}

std::pair<std::string, std::int64_t> pipeline::current_install() const {
  const auto now = parts_.clock();
  return {install_pseudonym(now), epoch_of(now)};
}

std::uint64_t pipeline::live_records() const noexcept {
  try {
    return parts_.store->counters().live_records;
  } catch (...) {
    return 0;
  }
}

std::optional<sys_time> pipeline::seal_windows() noexcept {
  if (!parts_.aggregates) return std::nullopt;
  try {
    (void)parts_.aggregates->seal_due(parts_.clock());  // a failed write is retried next time
    return parts_.aggregates->next_seal();
  } catch (...) {
    return parts_.clock() + std::chrono::minutes(1);
  }
}

bool pipeline::has_pending_upload() const noexcept {
  try {
    return live_records() > 0 || (parts_.aggregates && parts_.aggregates->has_outgoing());
  } catch (...) {
    return false;
  }
}

bool pipeline::still_valid(const pending_upload& p) const noexcept {
  try {
    if (p.erasure) return true;
    if (p.metrics) return parts_.aggregates && parts_.aggregates->contains(p.batch.id);
    return parts_.store->lease_valid(p.lease_id);
  } catch (...) {
    return false;
  }
}

// A sealed window goes out as it was sealed: no install token, no erasure key, nothing finer
// than the window. Consent is checked again first, as for leases.
// The ledger of the user's export: every delivered batch, events and aggregates alike. Best
// effort: the batch is delivered either way.
void pipeline::note_delivered(const pending_upload& p) noexcept {
  if (!parts_.rights) return;
  try {
    ledger_batch b;
    b.id = p.batch.id;
    b.time_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(parts_.clock().time_since_epoch())
            .count();
    b.records = p.records;
    b.categories = p.categories;
    b.digest = content_digest_hex(p.batch.body);
    (void)parts_.rights->note_batch(std::move(b));
  } catch (...) {}
}

std::optional<pending_upload> pipeline::prepare_metrics() {
  auto& agg = *parts_.aggregates;
  for (int attempt = 0; attempt < 4; ++attempt) {
    auto g = agg.next_outgoing();
    if (!g) return std::nullopt;
    if (!parts_.consent->get(g->category)) {
      std::lock_guard lk(gate_mu_);
      (void)agg.purge_category(g->category);
      continue;
    }
    auto body = parts_.codec->compress(g->body);
    if (!body) return std::nullopt;
    pending_upload p;
    p.metrics = true;
    p.records = g->events;
    p.categories[g->category] = g->events;
    p.batch.id = g->id;
    p.batch.path = "/v1/metrics";
    p.batch.body = std::move(*body);
    p.batch.policy_hash = parts_.policy->hash;
    p.batch.records = g->events;
    return p;
  }
  return std::nullopt;
}

pipeline::next pipeline::finish_metrics(const pending_upload& p,
                                        const upload_response& r) noexcept {
  try {
    switch (r.result) {
      case upload_result::ok:
        (void)parts_.aggregates->remove(p.batch.id, true);
        c_.batches_sent.fetch_add(1, std::memory_order_relaxed);
        c_.records_sent.fetch_add(p.records, std::memory_order_relaxed);
        c_.bytes_sent.fetch_add(p.batch.body.size(), std::memory_order_relaxed);
        note_delivered(p);  // the user's export lists aggregate uploads too
        return has_pending_upload() ? next::continue_now : next::idle;
      case upload_result::retry_later:
        // The window keeps its id: the next attempt (also after a restart) is the same batch.
        c_.upload_retries.fetch_add(1, std::memory_order_relaxed);
        return next::back_off;
      case upload_result::too_large:  // a window is one body: it cannot be split
      case upload_result::rejected:
        c_.batches_rejected.fetch_add(1, std::memory_order_relaxed);
        c_.drop(drop_reason::rejected_by_server, p.records);
        (void)parts_.aggregates->remove(p.batch.id, false);
        return has_pending_upload() ? next::continue_now : next::idle;
    }
  } catch (...) {}
  return next::back_off;
}

std::optional<pending_upload> pipeline::prepare_upload() noexcept {
  if (!parts_.up || erasing_.load()) return std::nullopt;
  try {
    if (parts_.aggregates && parts_.aggregates->has_outgoing())
      if (auto m = prepare_metrics()) return m;
    for (int attempt = 0; attempt < 4; ++attempt) {
      auto lease = parts_.store->reserve(batch_limit_, parts_.batch_bytes, parts_.lease_duration);
      if (!lease || lease->id == 0) return std::nullopt;
      // After a restart (or a retry) the batch that was in flight goes out again with exactly
      // its records, so it keeps its Idempotency-Key and the collector can drop the duplicate.
      if (!retry_id_.empty() && lease->records.size() > retry_count_ &&
          lease->records.front().seq == retry_first_ &&
          lease->records[retry_count_ - 1].seq == retry_last_ && batch_limit_ != retry_count_) {
        (void)parts_.store->release(lease->id, false);
        batch_limit_ = retry_count_;
        continue;
      }
      // Consent is checked again before sending, not only when stored. A category that lost consent
      // is purged whole (its records should not exist any more), which invalidates this lease.
      std::set<std::string> revoked;
      for (const auto& rec : lease->records)
        if (!parts_.consent->get(rec.category)) revoked.insert(rec.category);
      if (!revoked.empty()) {
        std::lock_guard lk(gate_mu_);
        for (const auto& cat : revoked) (void)parts_.store->purge_category(cat);
        (void)parts_.store->release(lease->id, false);
        continue;
      }
      std::vector<std::string> lines;
      lines.reserve(lease->records.size());
      for (auto& rec : lease->records) lines.push_back(std::move(rec.payload));
      std::map<std::string, std::size_t> categories;
      for (const auto& rec : lease->records) ++categories[rec.category];
      const sys_time now = parts_.clock();
      const std::string token = install_pseudonym(now);
      std::string erasure_key;
      if (parts_.rights && !token.empty()) {
        // The token is in the ledger before it leaves, so an erasure always reaches it.
        const auto epoch = epoch_of(now);
        auto k = parts_.rights->erasure_key(epoch);
        const auto now_ms =
            std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
        if (!k || !parts_.rights->note_token(epoch, token, now_ms)) {
          (void)parts_.store->release(lease->id, false);
          return std::nullopt;  // disk trouble: try again later rather than send unerasable data
        }
        erasure_key = std::move(*k);
      }
      auto payload = otlp_encoder(parts_.resource, token, erasure_key).encode(lines);
      if (!payload) {  // nothing encodable: these records can never be sent
        c_.drop(drop_reason::corrupt, lines.size());
        (void)parts_.store->ack(lease->id);
        continue;
      }
      if (payload->skipped) c_.drop(drop_reason::corrupt, payload->skipped);
      auto body = parts_.codec->compress(payload->body);
      if (!body) {
        (void)parts_.store->release(lease->id, true);
        return std::nullopt;
      }
      pending_upload p;
      p.lease_id = lease->id;
      p.records = lines.size();
      p.first_seq = lease->records.front().seq;
      p.last_seq = lease->records.back().seq;
      const bool same = !retry_id_.empty() && p.first_seq == retry_first_ &&
                        p.last_seq == retry_last_ && p.records == retry_count_;
      p.batch.id = same ? retry_id_ : make_batch_id();
      if (!same) save_inflight(p);
      retry_id_.clear();
      batch_limit_ = parts_.batch_records;
      p.batch.body = std::move(*body);
      p.batch.policy_hash = parts_.policy->hash;
      p.batch.records = payload->records;
      p.categories = std::move(categories);
      return p;
    }
  } catch (...) {}
  return std::nullopt;
}

void pipeline::abandon_upload(const pending_upload& p) noexcept {
  c_.leases_invalidated.fetch_add(1, std::memory_order_relaxed);
  if (p.metrics) return;  // its window was purged: nothing to give back
  (void)parts_.store->release(p.lease_id, false);
}

pipeline::next pipeline::finish_upload(const pending_upload& p, const upload_response& r) noexcept {
  c_.upload_attempts.fetch_add(1, std::memory_order_relaxed);
  c_.last_http_status.store(r.http_status, std::memory_order_relaxed);
  if (p.metrics) return finish_metrics(p, r);
  switch (r.result) {
    case upload_result::ok: {
      // ack ignores records purged while the batch was in flight: they are not counted as sent.
      auto a = parts_.store->ack(p.lease_id);
      c_.batches_sent.fetch_add(1, std::memory_order_relaxed);
      c_.records_sent.fetch_add(a ? *a : 0, std::memory_order_relaxed);
      c_.bytes_sent.fetch_add(p.batch.body.size(), std::memory_order_relaxed);
      batch_limit_ = parts_.batch_records;
      note_delivered(p);
      return has_pending_upload() ? next::continue_now : next::idle;
    }
    case upload_result::retry_later:
      c_.upload_retries.fetch_add(1, std::memory_order_relaxed);
      retry_id_ = p.batch.id;
      retry_first_ = p.first_seq;
      retry_last_ = p.last_seq;
      retry_count_ = p.records;
      (void)parts_.store->release(p.lease_id, true);  // retry_exhausted counted by the spool
      return next::back_off;
    case upload_result::too_large:
      if (p.records > 1) {
        c_.batches_split.fetch_add(1, std::memory_order_relaxed);
        (void)parts_.store->release(p.lease_id, false);
        batch_limit_ = std::max<std::size_t>(1, p.records / 2);
        return next::continue_now;
      }
      [[fallthrough]];  // one record too large for the server: it never will fit
    case upload_result::rejected: {
      c_.batches_rejected.fetch_add(1, std::memory_order_relaxed);
      auto a = parts_.store->ack(p.lease_id);  // removes them; the reason is counted here
      // 410: the collector erased this install token for good (an erasure whose receipt was
      // lost, a restored backup); 409: it is bound to another device key (a cloned state
      // directory). Either way every later batch under this token would be refused too: the
      // batch is dropped and the key rotated, so what follows goes out under a fresh token,
      // unlinkable to the refused one (docs/erasure.md).
      drop_reason why = drop_reason::rejected_by_server;
      if (r.http_status == 410) why = drop_reason::install_erased;
      if (r.http_status == 409) why = drop_reason::install_key_conflict;
      c_.drop(why, a ? *a : p.records);
      if (why != drop_reason::rejected_by_server && parts_.keys) {
        const sys_time now = parts_.clock();
        auto d = parts_.keys->destroy();
        auto k = parts_.keys->rotate_if_due(now);
        if (d && k && *k) c_.rotations.fetch_add(1, std::memory_order_relaxed);
      }
      return has_pending_upload() ? next::continue_now : next::idle;
    }
  }
  return next::idle;
}

status pipeline::set_consent(std::string_view category, bool granted,
                             std::string_view via) noexcept {
  try {
    std::lock_guard lk(gate_mu_);
    auto r = parts_.consent->set(category, granted, parts_.clock(), via);
    if (!r) return to_status(r.err().code);
    if (!granted) {
      auto p = parts_.store->purge_category(category);
      if (!p) return status::io_error;
      if (parts_.aggregates && !parts_.aggregates->purge_category(category))
        return status::io_error;
    }
    return status::ok;
  } catch (...) {
    return status::internal;
  }
}

status pipeline::object(std::string_view category, std::string_view via) noexcept {
  try {
    std::lock_guard lk(gate_mu_);
    auto r = parts_.consent->object(category, parts_.clock(), via);
    if (!r) return to_status(r.err().code);
    auto p = parts_.store->purge_category(category);
    if (!p) return status::io_error;
    if (parts_.aggregates && !parts_.aggregates->purge_category(category)) return status::io_error;
    return status::ok;
  } catch (...) {
    return status::internal;
  }
}

status pipeline::get_consent(std::string_view category, bool& granted) const noexcept {
  if (!parts_.consent->index_of(category)) return status::not_found;
  granted = parts_.consent->get(category);
  return status::ok;
}

status pipeline::set_under_16(bool under_16, std::string_view via) noexcept {
  try {
    {
      std::lock_guard lk(gate_mu_);
      auto r = parts_.consent->set_under_16(under_16, parts_.clock(), via);
      if (!r) return to_status(r.err().code);
      if (!under_16) return status::ok;
      auto p = parts_.store->purge_all();
      if (!p) return status::io_error;
      if (parts_.aggregates && !parts_.aggregates->purge_all()) return status::io_error;
    }
    // Everything already sent goes too, as an erasure does; the request carries only tokens
    // and signatures, never the reason.
    return erase_all();
  } catch (...) {
    return status::internal;
  }
}

status pipeline::erase_all() noexcept {
  try {
    std::lock_guard lk(gate_mu_);
    const sys_time now = parts_.clock();
    const auto now_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
    if (parts_.rights) {
      std::vector<ledger_token> extra;
      if (auto tok = install_pseudonym(now); !tok.empty())
        extra.push_back({epoch_of(now), tok, now_ms, now_ms});
      auto req = parts_.rights->begin_erasure(extra, now_ms);
      if (!req) return to_status(req.err().code);
      erasing_.store(!req->items.empty(), std::memory_order_release);
    }
    bool ok = parts_.store->purge_all().ok();
    // Windows not yet sent go too; those sent hold no install token, so there is nothing of
    // this device to erase at the collector (docs/erasure.md).
    if (parts_.aggregates) ok = parts_.aggregates->purge_all().ok() && ok;
    ok = parts_.consent->reset_for_erasure().ok() && ok;
    if (parts_.keys) {
      ok = parts_.keys->destroy().ok() && ok;
      auto r = parts_.keys->rotate_if_due(now);  // a new key: new tokens unlinkable to the old
      ok = r.ok() && ok;
    }
    if (!parts_.install_id_file.empty()) {
      if (auto id = random_hex_id()) {
        ok = write_file_atomic(parts_.install_id_file, *id, 0600).ok() && ok;
        parts_.install_id = std::move(*id);
      } else {
        ok = false;
      }
    }
    if (!parts_.inflight_file.empty()) (void)wipe_file(parts_.inflight_file);
    retry_id_.clear();
    return ok ? status::ok : status::io_error;
  } catch (...) {
    return status::internal;
  }
}

std::optional<pending_upload> pipeline::prepare_erasure() noexcept {
  if (!parts_.up || !parts_.rights) return std::nullopt;
  try {
    auto req = parts_.rights->pending_erasure();
    if (!req) {
      erasing_.store(false, std::memory_order_release);
      return std::nullopt;
    }
    // A collector takes a bounded number of tokens per request: send in chunks of 256.
    const std::size_t n = std::min<std::size_t>(req->items.size(), 256);
    nlohmann::json items = nlohmann::json::array();
    for (std::size_t i = 0; i < n; ++i)
      items.push_back({{"install", req->items[i].install}, {"signature", req->items[i].signature}});
    pending_upload p;
    p.erasure = true;
    p.records = n;
    p.batch.id = req->id;
    p.batch.path = "/v1/erasure";
    p.batch.content_encoding = "identity";
    p.batch.body = nlohmann::json{{"version", 1}, {"requests", items}}.dump();
    p.batch.records = n;
    return p;
  } catch (...) {
    return std::nullopt;
  }
}

pipeline::next pipeline::finish_erasure(const pending_upload& p,
                                        const upload_response& r) noexcept {
  c_.upload_attempts.fetch_add(1, std::memory_order_relaxed);
  c_.last_http_status.store(r.http_status, std::memory_order_relaxed);
  try {
    const auto now_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(parts_.clock().time_since_epoch())
            .count();
    switch (r.result) {
      case upload_result::ok: {
        auto done = parts_.rights->erasure_acknowledged(p.records, r.body, r.http_status, now_ms);
        if (!done) return next::back_off;  // the receipt could not be kept: send again
        if (*done) {
          erasing_.store(false, std::memory_order_release);
          return next::idle;
        }
        return next::continue_now;
      }
      case upload_result::retry_later:
        c_.upload_retries.fetch_add(1, std::memory_order_relaxed);
        return next::back_off;
      case upload_result::too_large:
      case upload_result::rejected:
        // Refused for good (e.g. 403: the collector does not accept the proof): keep why,
        // stop waiting. The local data is gone either way.
        c_.batches_rejected.fetch_add(1, std::memory_order_relaxed);
        (void)parts_.rights->erasure_refused(r.http_status, r.reason, now_ms);
        erasing_.store(false, std::memory_order_release);
        return next::idle;
    }
  } catch (...) {}
  return next::back_off;
}

}  // namespace veil::detail
