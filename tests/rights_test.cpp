// Users' rights inside the process (docs/erasure.md, docs/export-schema.md): device proofs,
// consent history and objection, the rights ledger with its retention, and the agent's erasure
// lane, preview, export, revoke-while-uploading and under-16, with injected clocks and
// instrumented uploaders (no sleeps where a clock works; polling only for other threads).
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <condition_variable>
#include <fstream>
#include <iterator>
#include <mutex>
#include <set>
#include <thread>

#include "agent/api/agent_access.hpp"
#include "agent/consent/consent_store.hpp"
#include "agent/crypto/device_proof.hpp"
#include "agent/platform/file_util.hpp"
#include "agent/rights/rights_store.hpp"
#include "agent/wire/batch_codec.hpp"
#include "agent/wire/otlp_decoder.hpp"
#include "test_util.hpp"
#include "veil/agent.hpp"
#include "veil/veil.h"

using namespace std::chrono_literals;
using nlohmann::json;
using veil::status;
using veil::detail::agent_access;
using veil::detail::agent_hooks;
using veil::detail::upload_batch;
using veil::detail::upload_response;
using veil::detail::upload_result;

namespace {

using sys_time = std::chrono::system_clock::time_point;
const sys_time t0 = sys_time(std::chrono::seconds(1'780'000'000));

std::int64_t ms_of(sys_time t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

veil::detail::secure_key key_of(unsigned char fill) {
  std::array<unsigned char, 32> b{};
  b.fill(fill);
  auto k = veil::detail::secure_key::from_bytes(b);
  REQUIRE(k.ok());
  return std::move(*k);
}

bool file_contains(const std::filesystem::path& p, std::string_view needle) {
  std::ifstream in(p, std::ios::binary);
  std::string s{std::istreambuf_iterator<char>(in), {}};
  return s.find(needle) != std::string::npos;
}

// A wall clock the test moves by hand.
struct test_clock {
  std::shared_ptr<std::atomic<std::int64_t>> ms =
      std::make_shared<std::atomic<std::int64_t>>(ms_of(t0));
  veil::detail::clock_fn fn() const {
    auto p = ms;
    return [p] { return sys_time(std::chrono::milliseconds(p->load())); };
  }
  void advance(std::chrono::milliseconds d) const { ms->fetch_add(d.count()); }
};

// The collector's side of the protocol, enough to answer the agent: binds each token to the
// first erasure key it sees, verifies erasure signatures against it and deletes that token's
// records, answers a receipt; refuses everything while `down`. Cancel() ends a blocked send.
class fake_collector final : public veil::detail::uploader {
 public:
  upload_response send(const upload_batch& b) noexcept override {
    std::unique_lock lk(mu_);
    ++entered_;
    cv_.notify_all();
    cv_.wait(lk, [&] { return !gated_ || cancelled_; });
    if (cancelled_) {
      cancelled_ = false;
      return {upload_result::retry_later, std::nullopt, 0, "cancelled"};
    }
    if (down_) return {upload_result::retry_later, std::nullopt, 0, "connect: refused"};
    try {
      if (b.path == "/v1/erasure") return erasure(b);
      auto codec = veil::detail::batch_codec::create({}, dict());
      auto plain = codec->decompress(b.body);
      auto d = veil::detail::otlp_decoder{}.decode(*plain);
      const std::string tok = d->resource.value("veil.install", "");
      const std::string key = d->resource.value("veil.erasure_key", "");
      if (erased_.count(tok)) return {upload_result::rejected, std::nullopt, 410, "install_erased"};
      if (!keys_.count(tok)) keys_[tok] = key;
      if (keys_[tok] != key)
        return {upload_result::rejected, std::nullopt, 409, "erasure_key_mismatch"};
      for (auto& e : d->events) rows_.push_back({tok, b.id, e});
      batches_.push_back(b);
      return {upload_result::ok, std::nullopt, 200, "", R"({"accepted":1})"};
    } catch (...) {
      return {upload_result::rejected, std::nullopt, 400, "bad batch"};
    }
  }
  void cancel() noexcept override {
    std::lock_guard lk(mu_);
    if (gated_ && entered_ > left_) cancelled_ = true;
    cv_.notify_all();
  }

  struct row {
    std::string install, batch;
    json event;
  };
  std::vector<row> rows() {
    std::lock_guard lk(mu_);
    return rows_;
  }
  std::vector<upload_batch> batches() {
    std::lock_guard lk(mu_);
    return batches_;
  }
  std::vector<upload_batch> erasures() {
    std::lock_guard lk(mu_);
    return erasures_;
  }
  void set_down(bool d) {
    std::lock_guard lk(mu_);
    down_ = d;
  }
  void gate() {
    std::lock_guard lk(mu_);
    gated_ = true;
    left_ = entered_;
  }
  void ungate() {
    std::lock_guard lk(mu_);
    gated_ = false;
    cv_.notify_all();
  }
  void wait_entered_gate() {
    std::unique_lock lk(mu_);
    REQUIRE(cv_.wait_for(lk, 10s, [&] { return entered_ > left_; }));
  }
  // As the real collector: an erased token is refused (410); a token bound to another device
  // key is refused (409).
  void mark_erased(const std::string& tok) {
    std::lock_guard lk(mu_);
    erased_.insert(tok);
  }
  void bind(const std::string& tok, const std::string& key) {
    std::lock_guard lk(mu_);
    keys_[tok] = key;
  }
  std::size_t forged = 0;  // erasure items refused

 private:
  static std::string dict() {
    std::ifstream in(VEIL_SOURCE_DIR "/config/zstd.dict", std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
  }
  upload_response erasure(const upload_batch& b) {
    erasures_.push_back(b);
    auto j = json::parse(b.body);
    std::map<std::string, int> deleted;
    std::vector<std::string> proven;
    for (const auto& it : j["requests"]) {
      const std::string tok = it["install"], sig = it["signature"];
      auto k = keys_.find(tok);
      if (k == keys_.end()) continue;
      if (!veil::detail::verify_device_proof(k->second, veil::detail::erasure_proof_message(tok),
                                             sig)) {
        ++forged;
        return {upload_result::rejected, std::nullopt, 403, "proof_refused"};
      }
      proven.push_back(tok);
    }
    std::erase_if(rows_, [&](const row& r) {
      if (std::find(proven.begin(), proven.end(), r.install) == proven.end()) return false;
      ++deleted[r.event.value("category", "?")];
      return true;
    });
    json receipt{
        {"receipt", {{"id", "r1"}, {"rows_deleted", deleted}, {"installs", proven.size()}}}};
    return {upload_result::ok, std::nullopt, 200, "", receipt.dump()};
  }

  std::mutex mu_;
  std::condition_variable cv_;
  bool down_ = false, gated_ = false, cancelled_ = false;
  std::size_t entered_ = 0, left_ = 0;
  std::map<std::string, std::string> keys_;
  std::set<std::string> erased_;
  std::vector<row> rows_;
  std::vector<upload_batch> batches_, erasures_;
};

veil::agent_options options(const veil_test::temp_dir& dir) {
  veil::agent_options o;
  o.policy_file = VEIL_SOURCE_DIR "/config/policy.json";
  o.state_dir = (dir.path / "state").string();
  o.upload.dictionary_file = VEIL_SOURCE_DIR "/config/zstd.dict";
  o.batch.max_age = 1h;  // the test decides when to send (flush)
  o.storage.sync_each_append = false;
  o.upload.backoff_floor = 1ms;
  o.upload.backoff_cap = 2ms;
  o.upload.max_attempts_per_minute = 100000;
  o.storage.max_retries = 255;  // a collector kept down for a while must not drop records
  return o;
}

std::unique_ptr<veil::agent> open_agent(veil::agent_options o, agent_hooks h) {
  veil::failure f;
  auto a = agent_access::open(std::move(o), std::move(h), &f);
  REQUIRE_MESSAGE(a, f.message);
  return a;
}

template <class Pred>
bool eventually(Pred pred) {  // for another thread's work; the machine may be busy
  for (int i = 0; i < 20000; ++i) {
    if (pred()) return true;
    std::this_thread::sleep_for(1ms);
  }
  return pred();
}

const char* usage_attrs = R"({"feature":"chat"})";
const char* call_attrs =
    R"({"call_id":"3f1c2a9e-1111-2222-3333-444455556666","direction":"out","duration_s":75,"codec":"opus"})";

}  // namespace

TEST_SUITE("rights") {
  TEST_CASE("device proof: per-epoch keys from one secret, signatures verify only as signed") {
    const auto s = key_of(7), other = key_of(8);
    auto a = veil::detail::epoch_signer::derive(s, 1000);
    auto a2 = veil::detail::epoch_signer::derive(s, 1000);
    auto b = veil::detail::epoch_signer::derive(s, 1000 + 86400);
    auto c = veil::detail::epoch_signer::derive(other, 1000);
    REQUIRE((a.ok() && a2.ok() && b.ok() && c.ok()));
    CHECK(a->public_key_hex() == a2->public_key_hex());  // derived, not stored
    CHECK(a->public_key_hex() != b->public_key_hex());   // epochs unlinkable
    CHECK(a->public_key_hex() != c->public_key_hex());
    CHECK(veil::detail::is_proof_public_key(a->public_key_hex()));
    const auto msg = veil::detail::erasure_proof_message("0123456789abcdef0123456789abcdef");
    const auto sig = a->sign_hex(msg);
    CHECK(sig.size() == veil::detail::proof_signature_hex_len);
    CHECK(veil::detail::verify_device_proof(a->public_key_hex(), msg, sig));
    CHECK_FALSE(veil::detail::verify_device_proof(b->public_key_hex(), msg, sig));
    CHECK_FALSE(veil::detail::verify_device_proof(a->public_key_hex(), msg + "x", sig));
    CHECK_FALSE(veil::detail::verify_device_proof(
        a->public_key_hex(), veil::detail::subject_proof_message("0123", "1"), sig));
    std::string upper = sig;
    for (auto& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    CHECK_FALSE(veil::detail::verify_device_proof(a->public_key_hex(), msg, upper));
    CHECK_FALSE(veil::detail::verify_device_proof(a->public_key_hex(), msg, sig.substr(2)));
    CHECK_FALSE(veil::detail::verify_device_proof("zz", msg, sig));
    CHECK_FALSE(veil::detail::epoch_signer::derive(veil::detail::secure_key{}, 1).ok());
  }

  TEST_CASE("consent: history names the API, objection outlives build defaults") {
    veil_test::temp_dir dir;
    veil::detail::consent_options o{dir.path, {"usage", "crash", "location"}, {"usage", "crash"}};
    {
      auto s = veil::detail::consent_store::open(o);
      REQUIRE(s.ok());
      CHECK((*s)->get("usage"));  // build default
      REQUIRE((*s)->set("location", true, t0, "c_api").ok());
      REQUIRE((*s)->object("usage", t0 + 1s, "cli").ok());
      CHECK_FALSE((*s)->get("usage"));
      auto snap = (*s)->snapshot();
      REQUIRE(snap.history.size() == 2);
      CHECK(snap.history[0].via == "c_api");
      CHECK(snap.history[1].via == "cli");
      CHECK(snap.history[1].objection);
      CHECK(snap.objected == std::vector<std::string>{"usage"});
    }
    {
      // Reopened with the same defaults: the objection holds, the other default still applies.
      auto s = veil::detail::consent_store::open(o);
      REQUIRE(s.ok());
      CHECK_FALSE((*s)->get("usage"));
      CHECK((*s)->get("crash"));
      // Only the user's own grant lifts it.
      REQUIRE((*s)->set("usage", true, t0 + 2s, "cpp").ok());
      CHECK((*s)->get("usage"));
      CHECK((*s)->snapshot().objected.empty());
      REQUIRE((*s)->reset_for_erasure().ok());
      CHECK_FALSE((*s)->get("usage"));
      CHECK_FALSE((*s)->get("crash"));
      CHECK((*s)->snapshot().history.empty());
    }
    {
      // After an erasure nothing comes back on by default, not even a category the policy adds.
      o.categories.push_back("diagnostics");
      o.granted_by_default.push_back("diagnostics");
      auto s = veil::detail::consent_store::open(o);
      REQUIRE(s.ok());
      CHECK_FALSE((*s)->get("crash"));
      CHECK((*s)->get("diagnostics"));  // new category: its default (it was never erased)
    }
  }

  TEST_CASE("consent: a file written before 'via' existed still loads; a bad one is named") {
    veil_test::temp_dir dir;
    REQUIRE(veil::detail::write_file_atomic(
                dir.path / "consent.json",
                R"({"version":1,"under_16":false,"granted":{"usage":true},)"
                R"("history":[{"category":"usage","granted":true,"time_ms":5}]})")
                .ok());
    veil::detail::consent_options o{dir.path, {"usage"}, {}};
    auto s = veil::detail::consent_store::open(o);
    REQUIRE(s.ok());
    CHECK((*s)->snapshot().history.at(0).via == "unknown");
    REQUIRE(veil::detail::write_file_atomic(
                dir.path / "consent.json",
                R"({"version":1,"under_16":false,"granted":{},"objected":"usage","history":[]})")
                .ok());
    auto bad = veil::detail::consent_store::open(o);
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.err().message.find("objected") != std::string::npos);
    CHECK(bad.err().message.find("consent.json") != std::string::npos);
  }

  TEST_CASE("rights store: ledger encrypted at rest, kept for the window only") {
    veil_test::temp_dir dir;
    veil::detail::rights_options o{dir.path / "rights", std::chrono::hours(24 * 30)};
    const std::string tok_a(32, 'a'), tok_b(32, 'b');
    {
      auto r = veil::detail::rights_store::open(o, t0);
      REQUIRE(r.ok());
      REQUIRE((*r)->note_token(100, tok_a, ms_of(t0)).ok());
      REQUIRE((*r)->note_token(200, tok_b, ms_of(t0 + std::chrono::hours(24 * 20))).ok());
      veil::detail::ledger_batch b{"batch-1", ms_of(t0), 3, {{"usage", 3}}, std::string(64, 'd')};
      REQUIRE((*r)->note_batch(b).ok());
      CHECK_FALSE(file_contains(dir.path / "rights" / "ledger", tok_a));
      CHECK_FALSE(file_contains(dir.path / "rights" / "ledger", "batch-1"));
    }
    auto r = veil::detail::rights_store::open(o, t0 + std::chrono::hours(24 * 29));
    REQUIRE(r.ok());
    CHECK((*r)->tokens().size() == 2);
    CHECK((*r)->batches().size() == 1);
    // Day 31: the first token and the batch are past the window; the second is not.
    auto n = (*r)->expire(t0 + std::chrono::hours(24 * 31));
    REQUIRE(n.ok());
    CHECK(*n == 2);
    REQUIRE((*r)->tokens().size() == 1);
    CHECK((*r)->tokens()[0].token == tok_b);
    CHECK((*r)->batches().empty());
    // A tampered ledger is refused with the file named.
    std::ofstream(dir.path / "rights" / "ledger", std::ios::binary | std::ios::app) << "x";
    auto bad = veil::detail::rights_store::open(o, t0);
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.err().message.find("ledger") != std::string::npos);
  }

  TEST_CASE("rights store: erasure signs every token, then forgets the secret") {
    veil_test::temp_dir dir;
    veil::detail::rights_options o{dir.path / "rights", std::chrono::hours(24 * 30)};
    const std::string tok_a(32, 'a'), tok_b(32, 'b'), tok_c(32, 'c');
    std::string key_a, key_b, key_c;
    {
      auto r = veil::detail::rights_store::open(o, t0);
      REQUIRE(r.ok());
      key_a = *(*r)->erasure_key(100);
      key_b = *(*r)->erasure_key(200);
      key_c = *(*r)->erasure_key(300);
      CHECK(key_a != key_b);
      REQUIRE((*r)->note_token(100, tok_a, ms_of(t0)).ok());
      REQUIRE((*r)->note_token(200, tok_b, ms_of(t0)).ok());
      auto req = (*r)->begin_erasure({{300, tok_c, 0, 0}, {100, tok_a, 0, 0}}, ms_of(t0));
      REQUIRE(req.ok());
      REQUIRE(req->items.size() == 3);  // a, b and the extra c; a only once
      std::map<std::string, std::string> keys{{tok_a, key_a}, {tok_b, key_b}, {tok_c, key_c}};
      for (const auto& it : req->items)
        CHECK(veil::detail::verify_device_proof(
            keys.at(it.install), veil::detail::erasure_proof_message(it.install), it.signature));
      CHECK_FALSE(std::filesystem::exists(dir.path / "rights" / "erasure.key"));
      CHECK((*r)->tokens().empty());
      // A new secret: keys of the same epoch differ from the erased install's.
      CHECK(*(*r)->erasure_key(100) != key_a);
    }
    auto r = veil::detail::rights_store::open(o, t0);
    REQUIRE(r.ok());
    auto p = (*r)->pending_erasure();
    REQUIRE(p.has_value());
    CHECK(p->items.size() == 3);
    // Acknowledged in two chunks: the request goes when the last one is.
    auto done = (*r)->erasure_acknowledged(2, R"({"receipt":{"total":5}})", 200, ms_of(t0));
    REQUIRE(done.ok());
    CHECK_FALSE(*done);
    CHECK((*r)->pending_erasure()->items.size() == 1);
    done = (*r)->erasure_acknowledged(1, R"({"receipt":{"total":0}})", 200, ms_of(t0));
    REQUIRE(done.ok());
    CHECK(*done);
    CHECK_FALSE(std::filesystem::exists(dir.path / "rights" / "erasure.pending"));
    auto receipts = json::parse((*r)->receipts_json());
    REQUIRE(receipts.size() == 2);
    CHECK(receipts[0]["receipt"]["total"] == 5);
    CHECK(receipts[1]["status"] == "erased");
  }

  TEST_CASE("agent: batches carry the epoch's erasure key; erase reaches every epoch") {
    veil_test::temp_dir dir;
    test_clock clk;
    auto col = std::make_shared<fake_collector>();
    auto o = options(dir);
    auto a = open_agent(o, {col, clk.fn(), {}, {}});
    REQUIRE(a->set_consent("usage", true) == status::ok);
    REQUIRE(a->set_consent("call_quality", true) == status::ok);
    REQUIRE(a->record("feature.used", usage_attrs) == status::ok);
    REQUIRE(a->record("call.ended", call_attrs) == status::ok);
    REQUIRE(a->flush(20s) == status::ok);
    // Next day: a new key epoch, so a new install token.
    clk.advance(std::chrono::hours(25));
    REQUIRE(a->record("feature.used", usage_attrs) == status::ok);
    REQUIRE(a->flush(20s) == status::ok);
    auto rows = col->rows();
    REQUIRE(rows.size() == 3);
    CHECK(rows[0].install != rows[2].install);
    auto exp = json::parse(a->export_json());
    CHECK(exp["ledger"]["tokens"].size() == 2);
    CHECK(exp["ledger"]["batches"].size() == 2);

    REQUIRE(a->erase() == status::ok);
    REQUIRE(eventually([&] { return !json::parse(a->erasure_status_json())["pending"]; }));
    CHECK(col->rows().empty());  // both epochs' rows are gone
    CHECK(col->forged == 0);
    auto st = json::parse(a->erasure_status_json());
    REQUIRE(st["receipts"].size() == 1);
    CHECK(st["receipts"][0]["status"] == "erased");
    CHECK(st["receipts"][0]["receipt"]["rows_deleted"]["usage"] == 2);
    CHECK(st["receipts"][0]["receipt"]["rows_deleted"]["call_quality"] == 1);
    // Local data is gone: nothing pending, consent all revoked and objected, history empty.
    auto c = json::parse(a->consent_json());
    CHECK(c["history"].empty());
    CHECK(c["categories"]["usage"]["granted"] == false);
    CHECK(c["categories"]["usage"]["objected"] == true);
    auto e2 = json::parse(a->export_json());
    CHECK(e2["ledger"]["tokens"].empty());
    CHECK(e2["ledger"]["batches"].empty());
    // A new identity: after a new grant, data goes out under a token never seen before.
    REQUIRE(a->set_consent("usage", true) == status::ok);
    REQUIRE(a->record("feature.used", usage_attrs) == status::ok);
    REQUIRE(a->flush(20s) == status::ok);
    rows = col->rows();
    REQUIRE(rows.size() == 1);
    for (const auto& b : col->erasures()) CHECK(b.body.find(rows[0].install) == std::string::npos);
    // The erasure request carries tokens and signatures only.
    const auto body = json::parse(col->erasures().at(0).body);
    for (const auto& it : body["requests"]) CHECK(it.size() == 2);
  }

  TEST_CASE("agent: a token the collector erased (410) or binds to another key (409) is left") {
    veil_test::temp_dir dir;
    test_clock clk;
    auto col = std::make_shared<fake_collector>();
    auto a = open_agent(options(dir), {col, clk.fn(), {}, {}});
    REQUIRE(a->set_consent("usage", true) == status::ok);
    auto send_one = [&] {
      REQUIRE(a->record("feature.used", usage_attrs) == status::ok);
      REQUIRE(a->flush(20s) == status::ok);
    };
    auto drops = [&](const char* why) { return json::parse(a->stats_json())["drops"][why]; };
    send_one();
    REQUIRE(col->rows().size() == 1);
    const std::string t1 = col->rows()[0].install;
    // The erasure's receipt was lost (or the state restored from a backup): 410 from now on.
    col->mark_erased(t1);
    send_one();
    CHECK(drops("install_erased") == 1);
    CHECK(col->rows().size() == 1);
    // The key was rotated: the next batch goes out under a fresh token, and is stored.
    send_one();
    auto rows = col->rows();
    REQUIRE(rows.size() == 2);
    const std::string t2 = rows[1].install;
    CHECK(t2 != t1);
    // A cloned state directory elsewhere bound the token to its key first: 409, rotate again.
    col->bind(t2, "not-this-devices-key");
    send_one();
    CHECK(drops("install_key_conflict") == 1);
    send_one();
    rows = col->rows();
    REQUIRE(rows.size() == 3);
    CHECK(rows[2].install != t2);
    CHECK(rows[2].install != t1);
  }

  TEST_CASE("agent: erasure while the collector is down completes after a restart") {
    veil_test::temp_dir dir;
    test_clock clk;
    auto col = std::make_shared<fake_collector>();
    auto o = options(dir);
    {
      auto a = open_agent(o, {col, clk.fn(), {}, {}});
      REQUIRE(a->set_consent("usage", true) == status::ok);
      REQUIRE(a->record("feature.used", usage_attrs) == status::ok);
      REQUIRE(a->flush(20s) == status::ok);
      REQUIRE(col->rows().size() == 1);
      col->set_down(true);
      REQUIRE(a->erase() == status::ok);
      // Until acknowledged nothing is collected, even after a new grant.
      REQUIRE(a->set_consent("usage", true) == status::ok);
      REQUIRE(a->record("feature.used", usage_attrs) == status::ok);
      CHECK(a->flush(300ms) == status::timeout);  // the erasure is still pending
      auto s = json::parse(a->stats_json());
      CHECK(s["drops"]["erasure_pending"] == 1);
      CHECK(json::parse(a->erasure_status_json())["pending"] == true);
      (void)a->close(100ms);
    }
    CHECK(col->rows().size() == 1);
    col->set_down(false);
    auto a = open_agent(o, {col, clk.fn(), {}, {}});
    REQUIRE(eventually([&] { return !json::parse(a->erasure_status_json())["pending"]; }));
    CHECK(col->rows().empty());
    CHECK(json::parse(a->erasure_status_json())["receipts"][0]["status"] == "erased");
  }

  TEST_CASE("agent: a revoke during an upload ends it; nothing of the category arrives after") {
    veil_test::temp_dir dir;
    test_clock clk;
    auto col = std::make_shared<fake_collector>();
    auto a = open_agent(options(dir), {col, clk.fn(), {}, {}});
    REQUIRE(a->set_consent("usage", true) == status::ok);
    REQUIRE(a->record("feature.used", usage_attrs) == status::ok);
    col->gate();
    std::thread flusher([&] { (void)a->flush(20s); });
    col->wait_entered_gate();  // the batch is in send()
    REQUIRE(a->set_consent("usage", false) == status::ok);
    // set_consent returned: the send was cancelled, and the records are purged, not retried.
    col->ungate();
    flusher.join();
    REQUIRE(a->flush(5s) == status::ok);
    CHECK(col->rows().empty());
    auto s = json::parse(a->stats_json());
    CHECK(s["upload"]["leases_invalidated"].get<int>() >= 1);
    CHECK(s["spool"]["live_records"] == 0);
  }

  TEST_CASE("agent: preview lists what would be sent; under 16 erases and is never sent") {
    veil_test::temp_dir dir;
    test_clock clk;
    auto col = std::make_shared<fake_collector>();
    auto a = open_agent(options(dir), {col, clk.fn(), {}, {}});
    REQUIRE(a->set_consent("usage", true) == status::ok);
    REQUIRE(a->set_consent("call_quality", true) == status::ok);
    REQUIRE(a->record("feature.used", usage_attrs) == status::ok);
    REQUIRE(a->flush(20s) == status::ok);  // one record sent: it is not in the preview
    // Stored, not yet sent (the batch timer is an hour; only flush() sends).
    REQUIRE(a->record("feature.used", usage_attrs) == status::ok);
    REQUIRE(a->record("call.ended", call_attrs) == status::ok);
    REQUIRE(eventually([&] { return json::parse(a->stats_json())["pipeline"]["stored"] == 3; }));
    auto pv = json::parse(a->preview_json());
    CHECK(pv["categories"]["usage"]["records"] == 1);
    CHECK(pv["categories"]["call_quality"]["records"] == 1);
    const auto ev = pv["categories"]["call_quality"]["events"][0].dump();
    CHECK(ev.find("opus") != std::string::npos);
    CHECK(ev.find("3f1c2a9e-1111") == std::string::npos);  // pseudonymized as stored
    CHECK(pv["install"].get<std::string>().size() == 32);

    REQUIRE(a->set_under_16(true) == status::ok);
    REQUIRE(eventually([&] { return !json::parse(a->erasure_status_json())["pending"]; }));
    CHECK(col->rows().empty());
    const auto body = col->erasures().at(0).body;
    // Only tokens and signatures: hex can contain "16", so check the shape, not digits.
    const auto bj = json::parse(body);
    CHECK(bj.size() == 2);
    for (const auto& it : bj["requests"]) CHECK(it.size() == 2);
    CHECK(body.find("under") == std::string::npos);
    CHECK(body.find("age") == std::string::npos);
    CHECK(json::parse(a->preview_json())["stored_records"] == 0);
    CHECK(json::parse(a->consent_json())["under_16"] == true);
    CHECK(a->set_consent("usage", true) == status::invalid_argument);
  }

  TEST_CASE("agent: the ledger keeps tokens for the retention window only (injected clock)") {
    veil_test::temp_dir dir;
    test_clock clk;
    auto col = std::make_shared<fake_collector>();
    auto o = options(dir);
    o.rights.retention = std::chrono::hours(24 * 30);
    auto a = open_agent(o, {col, clk.fn(), {}, {}});
    REQUIRE(a->set_consent("usage", true) == status::ok);
    REQUIRE(a->record("feature.used", usage_attrs) == status::ok);
    REQUIRE(a->flush(20s) == status::ok);
    REQUIRE(json::parse(a->export_json())["ledger"]["tokens"].size() == 1);
    clk.advance(std::chrono::hours(24 * 31));
    // The next event wakes the worker, which rotates the key and expires the ledger.
    REQUIRE(a->record("feature.used", usage_attrs) == status::ok);
    REQUIRE(a->flush(20s) == status::ok);
    auto ledger = json::parse(a->export_json())["ledger"];
    REQUIRE(ledger["tokens"].size() == 1);  // only the new epoch's
    CHECK(ledger["tokens"][0]["first_used_ms"] == ms_of(t0 + std::chrono::hours(24 * 31)));
    REQUIRE(ledger["batches"].size() == 1);
    CHECK(ledger["batches"][0]["time_ms"] == ms_of(t0 + std::chrono::hours(24 * 31)));
  }

  TEST_CASE("C ABI: consent with history, objection, preview, export and erase") {
    veil_test::temp_dir dir;
    const std::string state = (dir.path / "state").string();
    const std::string cfg = json{{"schema", "veil-agent/1"},
                                 {"policy_file", VEIL_SOURCE_DIR "/config/policy.json"},
                                 {"state_dir", state},
                                 {"spool", {{"sync_each_append", false}}}}
                                .dump();
    veil_agent_t* a = nullptr;
    REQUIRE(veil_agent_open_config(cfg.c_str(), &a) == VEIL_OK);
    REQUIRE(veil_agent_set_consent(a, "usage", 1) == VEIL_OK);
    REQUIRE(veil_agent_object(a, "crash") == VEIL_OK);
    CHECK(veil_agent_object(a, "nope") == VEIL_E_NOT_FOUND);
    char* s = nullptr;
    REQUIRE(veil_agent_consent_json(a, &s) == VEIL_OK);
    auto c = json::parse(s);
    veil_string_free(s);
    REQUIRE(c["history"].size() == 2);
    CHECK(c["history"][0]["via"] == "c_api");
    CHECK(c["history"][1]["objection"] == true);
    CHECK(c["categories"]["crash"]["objected"] == true);
    REQUIRE(veil_agent_record_json(a, "feature.used", usage_attrs) == VEIL_OK);
    REQUIRE(veil_agent_flush(a, 10000) == VEIL_OK);
    REQUIRE(veil_agent_preview_json(a, 0, &s) == VEIL_OK);
    CHECK(json::parse(s)["categories"]["usage"]["records"] == 1);
    veil_string_free(s);
    REQUIRE(veil_agent_export_json(a, &s) == VEIL_OK);
    auto e = json::parse(s);
    veil_string_free(s);
    CHECK(e["schema"] == "veil-export");
    CHECK(e["collector"]["status"] == "not_configured");
    CHECK(e["pending"]["categories"]["usage"]["records"] == 1);
    REQUIRE(veil_agent_erase(a) == VEIL_OK);
    REQUIRE(veil_agent_erasure_status_json(a, &s) == VEIL_OK);
    CHECK(json::parse(s).contains("pending"));
    veil_string_free(s);
    REQUIRE(veil_agent_preview_json(a, 0, &s) == VEIL_OK);
    CHECK(json::parse(s)["stored_records"] == 0);
    veil_string_free(s);
    CHECK(veil_agent_consent_json(a, nullptr) == VEIL_E_INVALID_ARGUMENT);
    CHECK(veil_agent_export_json(nullptr, &s) == VEIL_E_INVALID_ARGUMENT);
    CHECK(s == nullptr);
    (void)veil_agent_close(a);
  }
}
