#include "agent/aggregate/aggregate_store.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "agent/core/time_util.hpp"
#include "agent/crypto/random.hpp"
#include "agent/platform/file_util.hpp"

namespace veil::detail::aggregate {
namespace {

using nlohmann::json;

// Associated data of the sealed state: binds the ciphertext to its purpose and format.
constexpr std::string_view state_ad = "veil.aggregates.v1";

std::int64_t seconds_of(sys_time t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

}  // namespace

store::store(std::vector<lane> lanes, store_options o, std::optional<record_cipher> c)
    : lanes_(std::move(lanes)), o_(std::move(o)), cipher_(std::move(c)) {}

result<std::unique_ptr<store>> store::open(std::vector<lane> lanes, store_options o) {
  for (const auto& l : lanes)
    if (!l.s) return make_error(errc::invalid_argument, "aggregate store: a lane without a spec");
  std::optional<record_cipher> cipher;
  if (!o.file.empty()) {
    const std::filesystem::path key =
        o.key_file.empty() ? std::filesystem::path(o.file.string() + ".key") : o.key_file;
    auto c = record_cipher::load_or_create(key);
    if (!c) return c.err();
    cipher.emplace(std::move(*c));
  }
  std::unique_ptr<store> s(new store(std::move(lanes), std::move(o), std::move(cipher)));
  if (!s->o_.file.empty()) {
    if (auto r = s->load(); !r) return r.err();
  }
  return s;
}

std::optional<std::size_t> store::lane_of(const spec* sp) const noexcept {
  for (std::size_t i = 0; i < lanes_.size(); ++i)
    if (lanes_[i].s == sp) return i;
  return std::nullopt;
}

// File: seal("VEILAGG1" JSON {"open":[{"type","events","state":{...}}],
//                             "sealed":[{"id","type","category","events","start_s","body"}]}).
result<void> store::load() {
  auto raw = read_file(o_.file);
  if (!raw) {
    if (raw.err().code == errc::not_found) return {};
    return raw.err();
  }
  auto plain = cipher_->open(*raw, state_ad);
  if (!plain) {
    discarded_ = "the state file does not decrypt (" + plain.err().message + ")";
    dirty_ = true;
    return {};
  }
  const json j = json::parse(*plain, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("open") || !j["open"].is_array() ||
      !j.contains("sealed") || !j["sealed"].is_array()) {
    discarded_ = "the state file is not an aggregate state";
    dirty_ = true;
    return {};
  }
  for (const auto& w : j["open"]) {
    const std::string type = w.value("type", std::string());
    const std::uint64_t events = w.value("events", std::uint64_t{0});
    std::optional<std::size_t> l;
    for (std::size_t i = 0; i < lanes_.size(); ++i)
      if (lanes_[i].s->type == type) l = i;
    if (!l) {
      discarded_ = "open windows of a type the policy no longer aggregates";
      discarded_events_ += events;
      dirty_ = true;
      continue;
    }
    auto st = w.contains("state") ? window_state::parse(*lanes_[*l].s, w["state"].dump())
                                  : make_error(errc::corrupt, "no state");
    if (!st) {  // the policy changed the spec (dimensions, measures, window)
      discarded_ = st.err().message;
      discarded_events_ += events;
      dirty_ = true;
      continue;
    }
    open_.push_back({*l, std::move(*st)});
  }
  if (j.contains("budget") && j["budget"].is_array())
    for (const auto& b : j["budget"]) {
      const std::string type = b.value("type", std::string());
      for (std::size_t i = 0; i < lanes_.size(); ++i)
        if (lanes_[i].s->type == type && b.contains("day") && b["day"].is_number_integer())
          spent_[{i, b["day"].get<std::int64_t>()}] = b.value("spent", std::uint64_t{0});
    }
  for (const auto& w : j["sealed"]) {
    // Sealed windows are immutable bodies: they go out whatever the policy says now, unless
    // their category is gone (then no consent can cover them).
    outgoing g;
    try {
      g.id = w.at("id").get<std::string>();
      g.type = w.at("type").get<std::string>();
      g.category = w.at("category").get<std::string>();
      g.events = w.at("events").get<std::uint64_t>();
      g.start_s = w.at("start_s").get<std::int64_t>();
      g.body = w.at("body").get<std::string>();
    } catch (const std::exception&) {
      discarded_ = "a sealed window with missing fields";
      dirty_ = true;
      continue;
    }
    sealed_.push_back(std::move(g));
  }
  return {};
}

result<void> store::write_locked() {
  if (o_.file.empty()) {
    dirty_ = false;
    return {};
  }
  json opens = json::array();
  for (const auto& w : open_)
    opens.push_back({{"type", lanes_[w.lane].s->type},
                     {"events", w.state.events()},
                     {"state", json::parse(w.state.serialize())}});
  json sealed = json::array();
  for (const auto& g : sealed_)
    sealed.push_back({{"id", g.id},
                      {"type", g.type},
                      {"category", g.category},
                      {"events", g.events},
                      {"start_s", g.start_s},
                      {"body", g.body}});
  json budget = json::array();
  for (const auto& [k, n] : spent_)
    budget.push_back({{"type", lanes_[k.first].s->type}, {"day", k.second}, {"spent", n}});
  const std::string plain = json{{"open", opens}, {"sealed", sealed}, {"budget", budget}}.dump();
  auto enc = cipher_->seal(plain, state_ad);
  if (!enc) return enc.err();
  if (auto w = write_file_atomic(o_.file, *enc, 0600); !w) return w;
  dirty_ = false;
  return {};
}

fold_result store::add(std::size_t l, std::string_view line, sys_time now, random_source* rnd) {
  const json ev = json::parse(line, nullptr, false);
  if (ev.is_discarded() || !ev.is_object()) return fold_result::not_json;
  const auto& sp = *lanes_.at(l).s;
  sys_time t = now;
  if (auto it = ev.find("ts"); it != ev.end() && it->is_string())
    if (auto ms = parse_rfc3339_ms(it->get_ref<const std::string&>()))
      t = std::min(now, sys_time(std::chrono::milliseconds(*ms)));
  if (t < now - o_.max_age) return fold_result::too_old;
  const sys_time start = window_start(t, sp.window);

  std::lock_guard lk(mu_);
  std::uint64_t* spent = nullptr;
  if (sp.ldp.enabled()) {  // composition: at most events_per_day() reports of a day
    const std::int64_t day = seconds_of(t) / 86400 - (seconds_of(t) % 86400 < 0);
    spent = &spent_[{l, day}];
    if (*spent >= sp.ldp.events_per_day()) return fold_result::over_budget;
  }
  auto it = std::find_if(open_.begin(), open_.end(), [&](const open_window& w) {
    return w.lane == l && w.state.start() == start;
  });
  if (it == open_.end()) {
    std::size_t of_lane = 0, oldest = open_.size();
    for (std::size_t i = 0; i < open_.size(); ++i)
      if (open_[i].lane == l) {
        ++of_lane;
        if (oldest == open_.size() || open_[i].state.start() < open_[oldest].state.start())
          oldest = i;
      }
    if (of_lane >= o_.max_open && oldest < open_.size()) (void)seal_locked(oldest);
    open_.push_back({l, window_state(sp, start)});
    it = open_.end() - 1;
  }
  const auto before = it->state.skipped();
  const auto n = it->state.events();
  it->state.add(ev, rnd);
  const auto& after = it->state.skipped();
  c_.bad_measures += after.bad_measure - before.bad_measure;
  c_.overflow_events += after.overflow_cells - before.overflow_cells;
  if (it->state.events() == n) {
    if (it->state.empty()) open_.erase(it);
    return fold_result::invalid_value;
  }
  ++c_.events_folded;
  if (spent) ++*spent;
  dirty_ = true;
  return fold_result::added;
}

result<void> store::commit() {
  std::lock_guard lk(mu_);
  if (!dirty_) return {};
  return write_locked();
}

bool store::seal_locked(std::size_t i) {
  // The id is the Idempotency-Key of every attempt to send this window. Without randomness
  // (libsodium failing after start-up) the window stays open and is sealed at the next try.
  auto id = random_hex_id();
  if (!id) return false;
  open_window w = std::move(open_[i]);
  open_.erase(open_.begin() + static_cast<std::ptrdiff_t>(i));
  dirty_ = true;
  if (w.state.empty()) return true;
  outgoing g;
  g.id = std::move(*id);
  g.type = lanes_[w.lane].s->type;
  g.category = lanes_[w.lane].category;
  g.events = w.state.events();
  g.start_s = seconds_of(w.state.start());
  g.body = w.state.otlp_json(o_.resource, o_.scope_version);
  sealed_.push_back(std::move(g));
  ++c_.windows_sealed;
  trim_sealed_locked();
  return true;
}

void store::trim_sealed_locked() {
  while (sealed_.size() > o_.max_sealed) {
    ++c_.sealed_dropped;
    c_.sealed_dropped_events += sealed_.front().events;
    sealed_.erase(sealed_.begin());
    dirty_ = true;
  }
}

result<std::size_t> store::seal_due(sys_time now) {
  std::lock_guard lk(mu_);
  std::size_t n = 0;
  for (std::size_t i = 0; i < open_.size();) {
    if (open_[i].state.end() <= now && seal_locked(i)) {
      ++n;
    } else {
      ++i;
    }
  }
  // Budget days before the oldest day an event may have are of no use any more.
  const std::int64_t oldest_day = seconds_of(now - o_.max_age) / 86400 - 1;
  for (auto it = spent_.begin(); it != spent_.end();) {
    if (it->first.second < oldest_day) {
      it = spent_.erase(it);
      dirty_ = true;
    } else {
      ++it;
    }
  }
  // Sealed windows that waited longer than max_age are dropped: the data is stale and the
  // queue must not grow without bound while the collector is away.
  const auto oldest_ok = seconds_of(now - o_.max_age);
  for (auto it = sealed_.begin(); it != sealed_.end();) {
    if (it->start_s < oldest_ok) {
      ++c_.sealed_dropped;
      c_.sealed_dropped_events += it->events;
      it = sealed_.erase(it);
      dirty_ = true;
    } else {
      ++it;
    }
  }
  if (dirty_) {
    if (auto w = write_locked(); !w) return w.err();
  }
  return n;
}

std::optional<sys_time> store::next_seal() const {
  std::lock_guard lk(mu_);
  std::optional<sys_time> t;
  for (const auto& w : open_)
    if (!t || w.state.end() < *t) t = w.state.end();
  return t;
}

std::optional<outgoing> store::next_outgoing() const {
  std::lock_guard lk(mu_);
  if (sealed_.empty()) return std::nullopt;
  return sealed_.front();
}

bool store::has_outgoing() const {
  std::lock_guard lk(mu_);
  return !sealed_.empty();
}

bool store::contains(std::string_view id) const {
  std::lock_guard lk(mu_);
  return std::any_of(sealed_.begin(), sealed_.end(), [&](const outgoing& g) { return g.id == id; });
}

result<void> store::remove(std::string_view id, bool sent) {
  std::lock_guard lk(mu_);
  auto it =
      std::find_if(sealed_.begin(), sealed_.end(), [&](const outgoing& g) { return g.id == id; });
  if (it == sealed_.end()) return {};
  if (sent) {
    ++c_.windows_sent;
  } else {
    ++c_.sealed_dropped;
    c_.sealed_dropped_events += it->events;
  }
  sealed_.erase(it);
  return write_locked();
}

result<std::uint64_t> store::purge_category(std::string_view category) {
  std::lock_guard lk(mu_);
  std::uint64_t n = 0;
  for (auto it = open_.begin(); it != open_.end();) {
    if (lanes_[it->lane].category == category) {
      n += it->state.events();
      it = open_.erase(it);
    } else {
      ++it;
    }
  }
  for (auto it = sealed_.begin(); it != sealed_.end();) {
    if (it->category == category) {
      n += it->events;
      it = sealed_.erase(it);
    } else {
      ++it;
    }
  }
  if (n == 0 && !dirty_) return n;
  if (auto w = write_locked(); !w) return w.err();
  return n;
}

result<void> store::purge_all() {
  std::lock_guard lk(mu_);
  open_.clear();
  sealed_.clear();
  // The day's budget goes too: how many events a day saw is itself about the person. (So an
  // erasure lets one more day's budget of reports out that day; docs/privacy-math.md.)
  spent_.clear();
  dirty_ = false;
  if (o_.file.empty()) return {};
  return wipe_file(o_.file);
}

std::vector<outgoing> store::preview() const {
  std::lock_guard lk(mu_);
  std::vector<outgoing> out = sealed_;
  for (const auto& w : open_) {
    outgoing g;
    g.type = lanes_[w.lane].s->type;
    g.category = lanes_[w.lane].category;
    g.events = w.state.events();
    g.start_s = seconds_of(w.state.start());
    g.body = w.state.otlp_json(o_.resource, o_.scope_version);
    out.push_back(std::move(g));
  }
  return out;
}

std::uint64_t store::open_events() const {
  std::lock_guard lk(mu_);
  std::uint64_t n = 0;
  for (const auto& w : open_) n += w.state.events();
  return n;
}

std::size_t store::sealed_count() const {
  std::lock_guard lk(mu_);
  return sealed_.size();
}

store_counters store::counters() const {
  std::lock_guard lk(mu_);
  return c_;
}

}  // namespace veil::detail::aggregate
