#include "agent/consent/consent_store.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "agent/platform/file_util.hpp"

namespace veil::detail {
namespace {
using sys_time = std::chrono::system_clock::time_point;
std::int64_t to_ms(sys_time t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}
sys_time from_ms(std::int64_t ms) {
  return sys_time(std::chrono::duration_cast<sys_time::duration>(std::chrono::milliseconds(ms)));
}
}  // namespace

result<void> consent_options::validate() const {
  if (state_dir.empty()) return make_error(errc::invalid_argument, "consent state_dir is empty");
  if (categories.empty() || categories.size() > consent_store::max_categories)
    return make_error(errc::invalid_argument, "consent needs 1..64 categories");
  for (std::size_t i = 0; i < categories.size(); ++i) {
    const auto& c = categories[i];
    if (c.empty() || c[0] == '$')
      return make_error(errc::invalid_argument, "consent category name '" + c + "' is invalid");
    if (std::find(categories.begin(), categories.begin() + static_cast<std::ptrdiff_t>(i), c) !=
        categories.begin() + static_cast<std::ptrdiff_t>(i))
      return make_error(errc::invalid_argument, "consent category '" + c + "' is listed twice");
  }
  for (const auto& d : granted_by_default)
    if (std::find(categories.begin(), categories.end(), d) == categories.end())
      return make_error(errc::invalid_argument, "default consent for unknown category '" + d + "'");
  return {};
}

std::optional<std::size_t> consent_store::index_of(std::string_view category) const noexcept {
  for (std::size_t i = 0; i < opt_.categories.size(); ++i)
    if (opt_.categories[i] == category) return i;
  return std::nullopt;
}

bool consent_store::get(std::string_view category) const noexcept {
  auto i = index_of(category);
  return i && granted(*i);
}

result<std::unique_ptr<consent_store>> consent_store::open(consent_options opt) {
  if (auto r = opt.validate(); !r) return std::move(r).err();
  if (auto r = make_dirs(opt.state_dir, 0700); !r) return std::move(r).err();
  std::unique_ptr<consent_store> s(new consent_store(std::move(opt)));
  for (const auto& d : s->opt_.granted_by_default)
    s->stored_ |= std::uint64_t{1} << *s->index_of(d);

  auto data = read_file(s->path());
  if (!data) {
    if (data.err().code != errc::not_found) return std::move(data).err();
    s->publish();
    return s;
  }
  auto bad = [&](std::string_view why) {
    return make_error(errc::corrupt,
                      "consent file " + s->path().string() + " is invalid: " + std::string(why));
  };
  auto j = nlohmann::json::parse(*data, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return bad("not a JSON object");
  if (!j.contains("version") || j["version"] != 1) return bad("unknown version");
  if (!j.contains("under_16") || !j["under_16"].is_boolean()) return bad("under_16 missing");
  if (!j.contains("granted") || !j["granted"].is_object()) return bad("granted missing");
  if (!j.contains("history") || !j["history"].is_array()) return bad("history missing");
  s->under_16_ = j["under_16"].get<bool>();
  if (j.contains("objected")) {
    if (!j["objected"].is_array()) return bad("objected is not an array");
    for (const auto& o : j["objected"]) {
      if (!o.is_string()) return bad("objected holds a non-string");
      if (auto i = s->index_of(o.get_ref<const std::string&>())) {
        s->objected_ |= std::uint64_t{1} << *i;
        s->stored_ &= ~(std::uint64_t{1} << *i);  // no build default for an objected category
      }
    }
  }
  // Categories the policy no longer defines are dropped; new ones keep their build default.
  for (auto& [name, v] : j["granted"].items()) {
    if (!v.is_boolean()) return bad("granted." + name + " is not a boolean");
    if (auto i = s->index_of(name)) {
      auto bit = std::uint64_t{1} << *i;
      s->stored_ = v.get<bool>() ? (s->stored_ | bit) : (s->stored_ & ~bit);
    }
  }
  for (auto& h : j["history"]) {
    if (!h.is_object() || !h.contains("category") || !h["category"].is_string() ||
        !h.contains("granted") || !h["granted"].is_boolean() || !h.contains("time_ms") ||
        !h["time_ms"].is_number_integer() || (h.contains("via") && !h["via"].is_string()) ||
        (h.contains("objection") && !h["objection"].is_boolean()))
      return bad("malformed history entry");
    s->history_.push_back({h["category"].get<std::string>(), h["granted"].get<bool>(),
                           from_ms(h["time_ms"].get<std::int64_t>()), h.value("via", "unknown"),
                           h.value("objection", false)});
  }
  if (s->under_16_) s->stored_ = 0;
  s->publish();
  return s;
}

result<void> consent_store::save(std::uint64_t stored, std::uint64_t objected, bool under_16,
                                 const std::vector<consent_change>& history) const {
  nlohmann::json j;
  j["version"] = 1;
  j["under_16"] = under_16;
  j["granted"] = nlohmann::json::object();
  j["objected"] = nlohmann::json::array();
  for (std::size_t i = 0; i < opt_.categories.size(); ++i) {
    j["granted"][opt_.categories[i]] = ((stored >> i) & 1u) != 0;
    if ((objected >> i) & 1u) j["objected"].push_back(opt_.categories[i]);
  }
  j["history"] = nlohmann::json::array();
  for (const auto& h : history) {
    nlohmann::json e{{"category", h.category},
                     {"granted", h.granted},
                     {"time_ms", to_ms(h.at)},
                     {"via", h.via.empty() ? std::string("unknown") : h.via}};
    if (h.objection) e["objection"] = true;
    j["history"].push_back(std::move(e));
  }
  return write_file_atomic(path(), j.dump(1), 0600);
}

result<void> consent_store::set(std::string_view category, bool granted_now, sys_time now,
                                std::string_view via) {
  auto i = index_of(category);
  if (!i)
    return make_error(errc::not_found, "unknown consent category '" + std::string(category) + "'");
  std::lock_guard lk(mu_);
  if (granted_now && under_16_)
    return make_error(errc::invalid_argument, "consent cannot be granted while under 16");
  auto bit = std::uint64_t{1} << *i;
  auto stored = granted_now ? (stored_ | bit) : (stored_ & ~bit);
  // The user's own grant lifts an objection; a revoke leaves it.
  auto objected = granted_now ? (objected_ & ~bit) : objected_;
  if (stored == stored_ && objected == objected_) return {};
  auto history = history_;
  history.push_back({std::string(category), granted_now, now, std::string(via), false});
  if (auto r = save(stored, objected, under_16_, history); !r) return r;
  stored_ = stored;
  objected_ = objected;
  history_ = std::move(history);
  publish();
  return {};
}

result<void> consent_store::object(std::string_view category, sys_time now, std::string_view via) {
  auto i = index_of(category);
  if (!i)
    return make_error(errc::not_found, "unknown consent category '" + std::string(category) + "'");
  std::lock_guard lk(mu_);
  auto bit = std::uint64_t{1} << *i;
  if ((objected_ & bit) && !(stored_ & bit)) return {};
  auto history = history_;
  history.push_back({std::string(category), false, now, std::string(via), true});
  if (auto r = save(stored_ & ~bit, objected_ | bit, under_16_, history); !r) return r;
  stored_ &= ~bit;
  objected_ |= bit;
  history_ = std::move(history);
  publish();
  return {};
}

result<void> consent_store::reset_for_erasure() {
  std::lock_guard lk(mu_);
  const std::uint64_t all = opt_.categories.size() >= 64
                                ? ~std::uint64_t{0}
                                : (std::uint64_t{1} << opt_.categories.size()) - 1;
  if (auto r = save(0, all, under_16_, {}); !r) return r;
  stored_ = 0;
  objected_ = all;
  history_.clear();
  publish();
  return {};
}

result<void> consent_store::set_under_16(bool under_16, sys_time now, std::string_view via) {
  std::lock_guard lk(mu_);
  if (under_16 == under_16_) return {};
  auto history = history_;
  history.push_back({std::string(under_16_key), under_16, now, std::string(via), false});
  std::uint64_t stored = stored_;
  if (under_16) {
    for (std::size_t i = 0; i < opt_.categories.size(); ++i)
      if ((stored >> i) & 1u) history.push_back({opt_.categories[i], false, now, std::string(via)});
    stored = 0;
  }
  if (auto r = save(stored, objected_, under_16, history); !r) return r;
  stored_ = stored;
  under_16_ = under_16;
  history_ = std::move(history);
  publish();
  return {};
}

consent_snapshot consent_store::snapshot() const {
  std::lock_guard lk(mu_);
  consent_snapshot s;
  for (std::size_t i = 0; i < opt_.categories.size(); ++i) {
    s.categories.emplace_back(opt_.categories[i], (stored_ >> i) & 1u);
    if ((objected_ >> i) & 1u) s.objected.push_back(opt_.categories[i]);
  }
  s.under_16 = under_16_;
  s.history = history_;
  return s;
}

}  // namespace veil::detail
