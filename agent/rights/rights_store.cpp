#include "agent/rights/rights_store.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

#include "agent/crypto/device_proof.hpp"
#include "agent/crypto/random.hpp"
#include "agent/platform/file_util.hpp"

namespace veil::detail {
namespace {

using json = nlohmann::json;
constexpr std::string_view secret_magic = "VEILERS1";
constexpr std::string_view ledger_ad = "VEILLDG1";

std::int64_t to_ms(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

json to_json(const ledger_token& t) {
  return {
      {"epoch_s", t.epoch_s}, {"token", t.token}, {"first_ms", t.first_ms}, {"last_ms", t.last_ms}};
}

json to_json(const ledger_batch& b) {
  json cats = json::object();
  for (const auto& [c, n] : b.categories) cats[c] = n;
  return {{"id", b.id},
          {"time_ms", b.time_ms},
          {"records", b.records},
          {"categories", cats},
          {"digest", b.digest}};
}

json to_json(const erasure_request& r) {
  json items = json::array();
  for (const auto& i : r.items)
    items.push_back({{"install", i.install}, {"signature", i.signature}});
  return {{"version", 1}, {"id", r.id}, {"created_ms", r.created_ms}, {"requests", items}};
}

}  // namespace

result<std::unique_ptr<rights_store>> rights_store::open(
    rights_options opt, std::chrono::system_clock::time_point now) {
  if (opt.dir.empty()) return make_error(errc::invalid_argument, "rights: no directory");
  if (opt.window.count() <= 0)
    return make_error(errc::invalid_argument, "rights: retention window must be > 0");
  if (auto d = make_dirs(opt.dir, 0700); !d) return std::move(d).err();
  std::unique_ptr<rights_store> s(new rights_store(std::move(opt)));
  auto c = record_cipher::load_or_create(s->file("ledger.key"));
  if (!c) return std::move(c).err();
  s->cipher_.emplace(std::move(*c));
  auto bad = [&](std::string_view name, std::string_view why) {
    return make_error(errc::corrupt,
                      "rights file " + s->file(name).string() + " is invalid: " + std::string(why));
  };
  if (auto sealed = read_file(s->file("ledger")); sealed) {
    auto plain = s->cipher_->open(*sealed, ledger_ad);
    if (!plain) return bad("ledger", "it does not authenticate under ledger.key");
    auto j = json::parse(*plain, nullptr, false);
    if (j.is_discarded() || !j.is_object() || j.value("version", 0) != 1 || !j.contains("tokens") ||
        !j["tokens"].is_array() || !j.contains("batches") || !j["batches"].is_array())
      return bad("ledger", "not a version 1 ledger");
    try {
      for (const auto& t : j["tokens"])
        s->tokens_.push_back({t.at("epoch_s").get<std::int64_t>(), t.at("token").get<std::string>(),
                              t.at("first_ms").get<std::int64_t>(),
                              t.at("last_ms").get<std::int64_t>()});
      for (const auto& b : j["batches"]) {
        ledger_batch lb{b.at("id").get<std::string>(),
                        b.at("time_ms").get<std::int64_t>(),
                        b.at("records").get<std::size_t>(),
                        {},
                        b.at("digest").get<std::string>()};
        for (const auto& [k, v] : b.at("categories").items())
          lb.categories[k] = v.get<std::size_t>();
        s->batches_.push_back(std::move(lb));
      }
    } catch (const json::exception&) {
      return bad("ledger", "an entry lacks a field or has the wrong type");
    }
  } else if (sealed.err().code != errc::not_found) {
    return std::move(sealed).err();
  }
  if (auto p = read_file(s->file("erasure.pending")); p) {
    auto j = json::parse(*p, nullptr, false);
    if (j.is_discarded() || !j.is_object() || j.value("version", 0) != 1)
      return bad("erasure.pending", "not a version 1 request");
    try {
      erasure_request r;
      r.id = j.at("id").get<std::string>();
      r.created_ms = j.at("created_ms").get<std::int64_t>();
      for (const auto& i : j.at("requests"))
        r.items.push_back(
            {i.at("install").get<std::string>(), i.at("signature").get<std::string>()});
      s->pending_ = std::move(r);
    } catch (const json::exception&) {
      return bad("erasure.pending", "an entry lacks a field or has the wrong type");
    }
  } else if (p.err().code != errc::not_found) {
    return std::move(p).err();
  }
  if (auto e = s->load_secret(false); !e) return std::move(e).err();
  if (auto x = s->expire(now); !x) return std::move(x).err();
  return s;
}

result<void> rights_store::load_secret(bool create) {
  if (!secret_.empty()) return {};
  auto data = read_file(file("erasure.key"));
  if (data) {
    if (data->size() != secret_magic.size() + secure_key::size ||
        std::string_view(*data).substr(0, secret_magic.size()) != secret_magic)
      return make_error(errc::corrupt, "rights file " + file("erasure.key").string() +
                                           " is invalid: wrong size or magic");
    auto k = secure_key::from_bytes(std::span<const unsigned char>(
        reinterpret_cast<const unsigned char*>(data->data()) + secret_magic.size(),
        secure_key::size));
    std::fill(data->begin(), data->end(), '\0');
    if (!k) return std::move(k).err();
    secret_ = std::move(*k);
    return {};
  }
  if (data.err().code != errc::not_found) return std::move(data).err();
  if (!create) return {};
  auto k = secure_key::random();
  if (!k) return std::move(k).err();
  std::string d(secret_magic);
  d.append(reinterpret_cast<const char*>(k->data()), secure_key::size);
  auto w = write_file_atomic(file("erasure.key"), d, 0600);
  std::fill(d.begin(), d.end(), '\0');
  if (!w) return w;
  secret_ = std::move(*k);
  return {};
}

result<void> rights_store::save_ledger(const std::vector<ledger_token>& t,
                                       const std::vector<ledger_batch>& b) const {
  json j{{"version", 1}, {"tokens", json::array()}, {"batches", json::array()}};
  for (const auto& x : t) j["tokens"].push_back(to_json(x));
  for (const auto& x : b) j["batches"].push_back(to_json(x));
  auto sealed = cipher_->seal(j.dump(), ledger_ad);
  if (!sealed) return std::move(sealed).err();
  return write_file_atomic(file("ledger"), *sealed, 0600);
}

result<void> rights_store::save_pending(const erasure_request& r) const {
  return write_file_atomic(file("erasure.pending"), to_json(r).dump(1), 0600);
}

result<std::string> rights_store::erasure_key(std::int64_t epoch_s) {
  std::lock_guard lk(mu_);
  if (epoch_s == cached_epoch_ && !cached_key_.empty()) return cached_key_;
  if (auto s = load_secret(true); !s) return std::move(s).err();
  auto signer = epoch_signer::derive(secret_, epoch_s);
  if (!signer) return std::move(signer).err();
  cached_epoch_ = epoch_s;
  cached_key_ = signer->public_key_hex();
  return cached_key_;
}

result<void> rights_store::note_token(std::int64_t epoch_s, std::string_view token,
                                      std::int64_t now_ms) {
  std::lock_guard lk(mu_);
  auto it = std::find_if(tokens_.begin(), tokens_.end(), [&](const ledger_token& t) {
    return t.epoch_s == epoch_s && t.token == token;
  });
  // Last use matters only for retention (days): persisting it hourly is enough.
  if (it != tokens_.end() && now_ms - it->last_ms < 3'600'000) {
    it->last_ms = std::max(it->last_ms, now_ms);
    return {};
  }
  auto tokens = tokens_;  // written first, adopted after the write succeeded
  if (it != tokens_.end()) {
    tokens[static_cast<std::size_t>(it - tokens_.begin())].last_ms = now_ms;
  } else {
    tokens.push_back({epoch_s, std::string(token), now_ms, now_ms});
    while (tokens.size() > opt_.max_tokens) tokens.erase(tokens.begin());
  }
  if (auto w = save_ledger(tokens, batches_); !w) return w;
  tokens_ = std::move(tokens);
  return {};
}

result<void> rights_store::note_batch(ledger_batch b) {
  std::lock_guard lk(mu_);
  auto batches = batches_;
  batches.push_back(std::move(b));
  while (batches.size() > opt_.max_batches) batches.erase(batches.begin());
  if (auto w = save_ledger(tokens_, batches); !w) return w;
  batches_ = std::move(batches);
  return {};
}

result<std::size_t> rights_store::expire(std::chrono::system_clock::time_point now) {
  std::lock_guard lk(mu_);
  const std::int64_t cutoff =
      to_ms(now) - std::chrono::duration_cast<std::chrono::milliseconds>(opt_.window).count();
  auto tokens = tokens_;
  auto batches = batches_;
  std::erase_if(tokens, [&](const ledger_token& t) { return t.last_ms < cutoff; });
  std::erase_if(batches, [&](const ledger_batch& b) { return b.time_ms < cutoff; });
  const std::size_t n = (tokens_.size() - tokens.size()) + (batches_.size() - batches.size());
  if (n == 0) return std::size_t{0};
  if (auto w = save_ledger(tokens, batches); !w) return std::move(w).err();
  tokens_ = std::move(tokens);
  batches_ = std::move(batches);
  return n;
}

std::vector<ledger_token> rights_store::tokens() const {
  std::lock_guard lk(mu_);
  return tokens_;
}

std::vector<ledger_batch> rights_store::batches() const {
  std::lock_guard lk(mu_);
  return batches_;
}

result<std::string> rights_store::sign_subject(std::int64_t epoch_s, std::string_view token,
                                               std::string_view time_ms) {
  std::lock_guard lk(mu_);
  if (auto s = load_secret(false); !s) return std::move(s).err();
  if (secret_.empty()) return make_error(errc::not_found, "rights: no erasure secret yet");
  auto signer = epoch_signer::derive(secret_, epoch_s);
  if (!signer) return std::move(signer).err();
  return signer->sign_hex(subject_proof_message(token, time_ms));
}

result<erasure_request> rights_store::begin_erasure(const std::vector<ledger_token>& extra,
                                                    std::int64_t now_ms) {
  std::lock_guard lk(mu_);
  erasure_request r;
  if (pending_) {
    r = *pending_;
  } else {
    auto id = random_hex_id();
    if (!id) return std::move(id).err();
    r.id = std::move(*id);
    r.created_ms = now_ms;
  }
  std::set<std::string> have;
  for (const auto& i : r.items) have.insert(i.install);
  if (auto s = load_secret(false); !s) return std::move(s).err();
  if (!secret_.empty()) {
    auto all = tokens_;
    all.insert(all.end(), extra.begin(), extra.end());
    for (const auto& t : all) {
      if (t.token.empty() || have.count(t.token)) continue;
      auto signer = epoch_signer::derive(secret_, t.epoch_s);
      if (!signer) return std::move(signer).err();
      r.items.push_back({t.token, signer->sign_hex(erasure_proof_message(t.token))});
      have.insert(t.token);
    }
  }
  // Durable before anything is wiped: a crash in between leaves a request to send, never data
  // without a way to erase it.
  if (!r.items.empty()) {
    if (auto w = save_pending(r); !w) return std::move(w).err();
  }
  if (auto w = wipe_file(file("erasure.key")); !w) return std::move(w).err();
  secret_ = secure_key{};
  cached_epoch_ = -1;
  cached_key_.clear();
  tokens_.clear();
  batches_.clear();
  if (auto w = wipe_file(file("ledger")); !w) return std::move(w).err();
  if (!r.items.empty()) pending_ = r;
  return r;
}

std::optional<erasure_request> rights_store::pending_erasure() const {
  std::lock_guard lk(mu_);
  return pending_;
}

result<void> rights_store::append_receipt(std::string entry_json) {
  auto cur = read_file(file("receipts.json"));
  json arr = json::array();
  if (cur) {
    arr = json::parse(*cur, nullptr, false);
    if (arr.is_discarded() || !arr.is_array()) arr = json::array();  // rewritten whole
  } else if (cur.err().code != errc::not_found) {
    return std::move(cur).err();
  }
  arr.push_back(json::parse(entry_json));
  while (arr.size() > 100) arr.erase(arr.begin());
  return write_file_atomic(file("receipts.json"), arr.dump(1), 0600);
}

result<bool> rights_store::erasure_acknowledged(std::size_t items, std::string_view receipt_json,
                                                int http_status, std::int64_t now_ms) {
  std::lock_guard lk(mu_);
  if (!pending_) return true;
  json receipt = json::parse(receipt_json, nullptr, false);
  if (receipt.is_object() && receipt.contains("receipt")) receipt = receipt["receipt"];
  if (receipt.is_discarded() || !receipt.is_object()) receipt = json::object();
  json e{{"time_ms", now_ms},
         {"status", "erased"},
         {"http_status", http_status},
         {"request", pending_->id},
         {"installs", std::min(items, pending_->items.size())},
         {"receipt", receipt}};
  if (auto w = append_receipt(e.dump()); !w) return std::move(w).err();
  auto rest = *pending_;
  rest.items.erase(rest.items.begin(), rest.items.begin() + static_cast<std::ptrdiff_t>(std::min(
                                                                items, rest.items.size())));
  if (rest.items.empty()) {
    if (auto w = wipe_file(file("erasure.pending")); !w) return std::move(w).err();
    pending_.reset();
    return true;
  }
  if (auto w = save_pending(rest); !w) return std::move(w).err();
  pending_ = std::move(rest);
  return false;
}

result<void> rights_store::erasure_refused(int http_status, std::string_view reason,
                                           std::int64_t now_ms) {
  std::lock_guard lk(mu_);
  if (!pending_) return {};
  json e{{"time_ms", now_ms},
         {"status", "refused"},
         {"http_status", http_status},
         {"request", pending_->id},
         {"installs", pending_->items.size()},
         {"reason", std::string(reason)}};
  if (auto w = append_receipt(e.dump()); !w) return std::move(w).err();
  if (auto w = wipe_file(file("erasure.pending")); !w) return std::move(w).err();
  pending_.reset();
  return {};
}

std::string rights_store::receipts_json() const {
  std::lock_guard lk(mu_);
  auto cur = read_file(file("receipts.json"));
  if (!cur) return "[]";
  auto arr = json::parse(*cur, nullptr, false);
  return arr.is_array() ? arr.dump() : "[]";
}

result<void> rights_store::wipe_everything() {
  std::lock_guard lk(mu_);
  for (auto n : {"erasure.key", "ledger", "erasure.pending", "receipts.json"})
    if (auto w = wipe_file(file(n)); !w) return w;
  secret_ = secure_key{};
  cached_epoch_ = -1;
  cached_key_.clear();
  tokens_.clear();
  batches_.clear();
  pending_.reset();
  return {};
}

}  // namespace veil::detail
