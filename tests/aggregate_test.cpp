// On-device aggregation (agent/aggregate/aggregator.hpp): windows of counts and histograms
// from cleaned events, equal to the totals of event mode on the same corpus; state that
// survives serialisation and merges; OTLP metrics JSON as the mapping says.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <iterator>
#include <set>
#include <map>

#include "agent/aggregate/aggregate_store.hpp"
#include "agent/aggregate/aggregator.hpp"
#include "agent/core/event_parser.hpp"
#include "agent/crypto/key_ring.hpp"
#include "agent/crypto/random.hpp"
#include "agent/platform/file_util.hpp"
#include "agent/policy/engine.hpp"
#include "test_util.hpp"

using namespace veil::detail;
using namespace veil::detail::aggregate;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

spec call_quality_spec() {
  spec s;
  s.type = "call.ended";
  s.dimensions = {"codec", "network_type", "remote_country"};
  s.measures = {{measure_spec::kind::count, "", {}, "1"},
                {measure_spec::kind::histogram, "mos", {1, 2, 3, 3.5, 4, 4.5}, "1"},
                {measure_spec::kind::histogram, "jitter_ms", {5, 10, 20, 40, 80}, "ms"},
                {measure_spec::kind::sum, "rtt_ms", {}, "ms"}};
  return s;
}

// Raw call.ended events with planted personal fields, cleaned by the shipped policy: the input
// aggregate mode sees is exactly event mode's output.
std::vector<json> cleaned_corpus(std::size_t n, std::uint64_t seed) {
  auto text = read_file(VEIL_SOURCE_DIR "/config/policy.json");
  REQUIRE(text);
  policy_report rep;
  auto pol = compile_policy(*text, rep);
  REQUIRE(pol);
  policy_engine engine(*pol);
  std::array<unsigned char, 32> kb{};
  kb.fill(3);
  auto key = secure_key::from_bytes(kb);
  REQUIRE(key);
  static_key_ring keys(std::move(*key));
  auto rnd = seeded_random(seed);
  const char* codecs[] = {"opus", "PCMA", "PCMU", "G722"};
  const char* nets[] = {"wifi", "lte", "5g"};
  const char* numbers[] = {"+4915123456789", "+33612345678", "+12025550123", "+447700900123"};
  event_parser parser;
  std::vector<json> out;
  for (std::size_t i = 0; i < n; ++i) {
    json attrs = {
        {"codec", codecs[rnd->uniform(4)]},          {"network_type", nets[rnd->uniform(3)]},
        {"remote_number", numbers[rnd->uniform(4)]}, {"call_id", "a84b4c76e66710@pc33.example.com"},
        {"duration_s", rnd->uniform(3600)},          {"jitter_ms", rnd->uniform(120)},
        {"rtt_ms", 20 + rnd->uniform(300)}};
    if (i % 7 != 0) attrs["mos"] = 1 + rnd->uniform(350) / 100.0;  // some calls have no MOS
    const json raw = {{"type", "call.ended"}, {"ts", "2026-12-07T10:15:00Z"}, {"attrs", attrs}};
    const std::string line = raw.dump();
    raw_event ev;
    parse_failure fail;
    REQUIRE(parser.parse(line, ev, fail));
    std::string cleaned;
    clean_stats st;
    REQUIRE(engine.clean(ev, keys, std::chrono::system_clock::now(), cleaned, st));
    out.push_back(json::parse(cleaned));
  }
  return out;
}

std::string dim(const json& attrs, const char* k) {
  auto it = attrs.find(k);
  if (it == attrs.end() || it->is_null()) return "";
  return it->is_string() ? it->get<std::string>() : it->dump();
}

// Two states hold the same counts and buckets, and sums equal up to rounding (addition order).
bool same_state(const window_state& a, const window_state& b) {
  if (a.cells().size() != b.cells().size() || a.start() != b.start()) return false;
  for (const auto& [k, c] : a.cells()) {
    auto it = b.cells().find(k);
    if (it == b.cells().end() || it->second.events != c.events) return false;
    for (std::size_t i = 0; i < c.measures.size(); ++i) {
      const auto &x = c.measures[i], &y = it->second.measures[i];
      if (x.count != y.count || x.buckets != y.buckets || x.min != y.min || x.max != y.max ||
          std::abs(x.sum - y.sum) > 1e-9 * (1 + std::abs(x.sum)))
        return false;
    }
  }
  return true;
}

const sys_time t_window = sys_time(std::chrono::seconds(1'796'637'600));  // 2026-12-07T10:00Z

}  // namespace

TEST_SUITE("aggregate") {
  TEST_CASE("windows are aligned to the hour (or the day) and specs are validated") {
    const auto t = sys_time(std::chrono::seconds(1'796'638'500));  // 10:15
    CHECK(window_start(t, 1h) == t_window);
    CHECK(window_start(t_window, 1h) == t_window);
    CHECK(window_start(t, 24h) == sys_time(std::chrono::seconds(1'796'601'600)));  // 00:00
    CHECK(validate(call_quality_spec()));
    auto s = call_quality_spec();
    s.window = 7min;
    REQUIRE_FALSE(validate(s));
    CHECK(validate(s).err().message.find("divide a day") != std::string::npos);
    s = call_quality_spec();
    s.measures[1].bounds = {1, 3, 2};
    REQUIRE_FALSE(validate(s));
    CHECK(validate(s).err().message.find("mos") != std::string::npos);
    s = call_quality_spec();
    s.measures.clear();
    CHECK_FALSE(validate(s));
  }

  TEST_CASE("aggregates equal the totals of event mode on the same corpus") {
    const auto corpus = cleaned_corpus(2000, 5);
    const spec s = call_quality_spec();
    window_state w(s, t_window);
    for (const auto& e : corpus) w.add(e);
    CHECK(w.events() == corpus.size());
    // The totals computed from the cleaned events themselves.
    std::map<std::vector<std::string>, std::uint64_t> events;
    std::map<std::vector<std::string>, double> mos_sum, rtt_sum;
    std::map<std::vector<std::string>, std::uint64_t> mos_n;
    std::uint64_t mos_total = 0;
    for (const auto& e : corpus) {
      const auto& a = e["attrs"];
      CHECK_FALSE(a.contains("remote_number"));  // the policy's work, not aggregation's
      std::vector<std::string> k = {dim(a, "codec"), dim(a, "network_type"),
                                    dim(a, "remote_country")};
      ++events[k];
      if (a.contains("mos")) {
        mos_sum[k] += a["mos"].get<double>();
        ++mos_n[k];
        ++mos_total;
      }
      rtt_sum[k] += a["rtt_ms"].get<double>();
    }
    REQUIRE(w.cells().size() == events.size());
    REQUIRE(events.size() > 20);  // 4 codecs x 3 networks x 4 countries, most present
    std::uint64_t bucketed = 0;
    for (const auto& [k, c] : w.cells()) {
      INFO(k[0] << "/" << k[1] << "/" << k[2]);
      CHECK(c.events == events[k]);
      CHECK(c.measures[0].count == events[k]);
      CHECK(c.measures[1].count == mos_n[k]);
      CHECK(c.measures[1].sum == doctest::Approx(mos_sum[k]));
      CHECK(c.measures[3].sum == doctest::Approx(rtt_sum[k]));
      std::uint64_t in_buckets = 0;
      for (auto b : c.measures[1].buckets) in_buckets += b;
      CHECK(in_buckets == c.measures[1].count);
      bucketed += in_buckets;
      CHECK(c.measures[1].min >= 1.0);
      CHECK(c.measures[1].max <= 4.5);
    }
    CHECK(bucketed == mos_total);
    CHECK(w.skipped().bad_measure == 0);
  }

  TEST_CASE("the state survives serialisation, and halves merge into the whole") {
    const auto corpus = cleaned_corpus(600, 6);
    const spec s = call_quality_spec();
    window_state whole(s, t_window), a(s, t_window), b(s, t_window);
    for (std::size_t i = 0; i < corpus.size(); ++i) {
      whole.add(corpus[i]);
      (i % 2 ? a : b).add(corpus[i]);
    }
    auto back = window_state::parse(s, whole.serialize());
    REQUIRE_MESSAGE(back.ok(), (back.ok() ? std::string() : back.err().message));
    CHECK(back->serialize() == whole.serialize());  // exact: the same doubles round-trip
    REQUIRE(a.merge(b));
    CHECK(same_state(a, whole));
    CHECK(a.events() == whole.events());
    // Another window does not merge; corrupt state is named, not half-read.
    window_state later(s, t_window + 1h);
    CHECK_FALSE(later.merge(whole));
    auto bad = window_state::parse(s, R"({"v":1,"type":"call.ended","start_s":1796637600,
                                          "window_s":3600,"cells":[{"key":["opus"],"events":1,"m":[]}]})");
    REQUIRE_FALSE(bad);
    CHECK(bad.err().message.find("key size") != std::string::npos);
    auto other = call_quality_spec();
    other.window = 24h;
    CHECK_FALSE(window_state::parse(other, whole.serialize()));
    CHECK_FALSE(window_state::parse(s, "not json"));
    CHECK_FALSE(window_state::parse(s, R"({"v":1,"type":"call.ended","start_s":1796637601,
                                           "window_s":3600,"cells":[]})"));  // not aligned
  }

  TEST_CASE("odd events are counted, not guessed: wrong type, bad dimensions, overflow") {
    spec s = call_quality_spec();
    s.max_cells = 2;
    window_state w(s, t_window);
    w.add(json{{"type", "app.started"}, {"attrs", json::object()}});
    w.add(json{{"type", "call.ended"}, {"attrs", {{"codec", json::array({1})}}}});
    w.add(json{{"type", "call.ended"}, {"attrs", {{"codec", std::string(65, 'x')}}}});
    w.add(json{{"type", "call.ended"}, {"attrs", {{"codec", "opus"}, {"mos", "4.1"}}}});
    w.add(json{{"type", "call.ended"}, {"attrs", {{"codec", "PCMA"}}}});
    w.add(json{{"type", "call.ended"}, {"attrs", {{"codec", "G722"}}}});
    w.add(json{{"type", "call.ended"}, {"attrs", {{"codec", "G729"}}}});
    CHECK(w.skipped().wrong_type == 1);
    CHECK(w.skipped().bad_dimension == 2);
    CHECK(w.skipped().bad_measure == 1);  // "4.1" is a string: not measured
    CHECK(w.skipped().overflow_cells == 2);
    CHECK(w.cells().size() == 3);  // two real cells and the overflow cell
    CHECK(w.events() == 4);
    const auto doc = json::parse(w.otlp_json({}, "1"));
    CHECK(doc.dump().find("veil.overflow") != std::string::npos);
  }

  TEST_CASE("OTLP metrics JSON: delta sums and histograms, strings for 64-bit, no install") {
    const auto corpus = cleaned_corpus(300, 7);
    const spec s = call_quality_spec();
    window_state w(s, t_window);
    for (const auto& e : corpus) w.add(e);
    const std::string body =
        w.otlp_json({{"service.name", "softphone"}, {"service.version", "5.6.12"}}, "0.9");
    CHECK(body.find("veil.install") == std::string::npos);
    CHECK(body.find("pc33.example.com") == std::string::npos);
    const auto doc = json::parse(body);
    const auto& rm = doc["resourceMetrics"];
    REQUIRE(rm.size() == 1);
    CHECK(rm[0]["resource"]["attributes"].size() == 2);
    const auto& sm = rm[0]["scopeMetrics"];
    REQUIRE(sm.size() == 1);
    CHECK(sm[0]["scope"]["name"] == "veil");
    std::map<std::string, json> by_name;
    for (const auto& m : sm[0]["metrics"]) by_name[m["name"].get<std::string>()] = m;
    REQUIRE(by_name.count("call.ended.count"));
    REQUIRE(by_name.count("call.ended.mos"));
    REQUIRE(by_name.count("call.ended.jitter_ms"));
    REQUIRE(by_name.count("call.ended.rtt_ms"));
    const auto& count = by_name["call.ended.count"]["sum"];
    CHECK(count["aggregationTemporality"] == 1);
    CHECK(count["isMonotonic"] == true);
    std::uint64_t total = 0;
    for (const auto& p : count["dataPoints"]) {
      REQUIRE(p["asInt"].is_string());
      total += std::stoull(p["asInt"].get<std::string>());
      CHECK(p["startTimeUnixNano"] == "1796637600000000000");
      CHECK(p["timeUnixNano"] == "1796641200000000000");  // the window's end, nothing finer
      CHECK(p["attributes"].size() == 3);
    }
    CHECK(total == corpus.size());
    const auto& hist = by_name["call.ended.mos"]["histogram"];
    CHECK(hist["aggregationTemporality"] == 1);
    CHECK(by_name["call.ended.jitter_ms"]["unit"] == "ms");
    for (const auto& p : hist["dataPoints"]) {
      REQUIRE(p["count"].is_string());
      REQUIRE(p["bucketCounts"].size() == p["explicitBounds"].size() + 1);
      std::uint64_t sum = 0;
      for (const auto& b : p["bucketCounts"]) {
        REQUIRE(b.is_string());
        sum += std::stoull(b.get<std::string>());
      }
      CHECK(std::to_string(sum) == p["count"].get<std::string>());
      CHECK(p["min"].get<double>() <= p["max"].get<double>());
    }
  }
}

TEST_SUITE("aggregate policy") {
  TEST_CASE("mode aggregate compiles to a spec over output fields; mistakes have their path") {
    const std::string head = R"({"name":"t","version":"1","categories":["call_quality"],
      "events":{"call.ended":{"category":"call_quality","fields":{
        "codec":"keep","network_type":"keep","mos":{"action":"keep","type":"number"},
        "remote_number":{"action":"phone_country","as":"remote_country"},
        "remote_display_name":"drop"},)";
    policy_report rep;
    auto ok = compile_policy(head + R"("mode":"aggregate","aggregate":{"window_minutes":60,
        "dimensions":["codec","network_type","remote_country"],
        "measures":{"count":"count","mos":{"histogram":[1,2,3,4],"unit":"1"}}}}}})",
                             rep);
    REQUIRE_MESSAGE(ok.ok(), (ok.ok() ? std::string() : ok.err().message));
    const auto* rule = (*ok)->find("call.ended");
    REQUIRE(rule);
    REQUIRE(rule->aggregate);
    CHECK(rule->aggregate->dimensions.size() == 3);
    CHECK(rule->aggregate->measures.size() == 2);
    CHECK(rule->aggregate->window == std::chrono::hours(1));
    for (const auto& w : rep.warnings) CHECK(w.path.find(".mode") == std::string::npos);

    auto errors_of = [&](const std::string& tail) {
      policy_report r;
      auto p = compile_policy(head + tail, r);
      CHECK_FALSE(p.ok());
      std::string all;
      for (const auto& e : r.errors) all += e.path + ": " + e.message + "\n";
      return all;
    };
    // A dropped field is no dimension: it is not in the output.
    auto e = errors_of(R"("mode":"aggregate","aggregate":{"dimensions":["remote_display_name"],
        "measures":{"count":"count"}}}}})");
    CHECK(e.find("$.events['call.ended'].aggregate.dimensions[0]") != std::string::npos);
    // An identifying output keys no cell: a pseudonym would make a cell per person.
    {
      policy_report r;
      auto p = compile_policy(
          R"({"name":"t","version":"1","categories":["c"],"events":{"call.ended":{
            "category":"c","fields":{"peer":"pseudonym","note":"text","codec":"keep"},
            "mode":"aggregate","aggregate":{"dimensions":["codec","peer","note"],
            "measures":{"count":"count"}}}}})",
          r);
      CHECK_FALSE(p.ok());
      std::string all;
      for (const auto& x : r.errors) all += x.path + ": " + x.message + "\n";
      CHECK(all.find("dimensions[1]: 'peer' cannot be a dimension") != std::string::npos);
      CHECK(all.find("dimensions[2]: 'note' cannot be a dimension") != std::string::npos);
      CHECK(all.find("dimensions[0]") == std::string::npos);
    }
    e = errors_of(R"("mode":"aggregate","aggregate":{"measures":{"mos":{"histogram":[3,2]}}}}}})");
    CHECK(e.find("strictly increasing") != std::string::npos);
    e = errors_of(R"("mode":"aggregate"}}})");
    CHECK(e.find("needs an aggregate object") != std::string::npos);
    e = errors_of(R"("aggregate":{"measures":{"count":"count"}}}}})");
    CHECK(e.find("only with") != std::string::npos);
    e = errors_of(R"("mode":"stream"}}})");
    CHECK(e.find(".mode") != std::string::npos);
    e = errors_of(
        R"("mode":"aggregate","aggregate":{"window_minutes":7,"measures":{"count":"count"}}}}})");
    CHECK(e.find("divide a day") != std::string::npos);
    // LDP block: compiled into the spec, mistakes named by path.
    {
      policy_report r;
      auto p = compile_policy(head + R"("mode":"aggregate","aggregate":{
          "dimensions":["codec","remote_country"],
          "measures":{"count":"count","mos":{"histogram":[2,3,4]}},
          "ldp":{"epsilon":0.5,"epsilon_per_day":10,
                 "dimensions":{"remote_country":["DE","FR","US"]},"histograms":["mos"]}}}}})",
                              r);
      REQUIRE_MESSAGE(p.ok(), (p.ok() ? std::string() : p.err().message));
      const auto& l = (*p)->find("call.ended")->aggregate->ldp;
      CHECK(l.epsilon == 0.5);
      CHECK(l.events_per_day() == 10);
      CHECK(l.domains.at("remote_country").size() == 3);
      CHECK(l.histograms == std::vector<std::string>{"mos"});
    }
    e = errors_of(R"("mode":"aggregate","aggregate":{"measures":{"count":"count"},
        "ldp":{"epsilon":"1","epsilon_per_day":4,"dimensions":{"codec":"opus"},"nonce":1}}}}})");
    CHECK(e.find(".ldp.epsilon: must be a number") != std::string::npos);
    CHECK(e.find(".ldp.dimensions['codec']") != std::string::npos);
    CHECK(e.find(".ldp.nonce: unknown key") != std::string::npos);
  }
}

TEST_SUITE("aggregate profile") {
  TEST_CASE("policy-aggregate.json is policy.json with call.ended aggregated, nothing else") {
    auto read = [](const char* name) {
      std::ifstream in(std::string(VEIL_SOURCE_DIR "/config/") + name);
      return nlohmann::json::parse(std::string(std::istreambuf_iterator<char>(in), {}));
    };
    auto ev = read("policy.json");
    auto ag = read("policy-aggregate.json");
    policy_report rep;
    auto compiled = compile_policy(ag.dump(), rep);
    REQUIRE_MESSAGE(compiled.ok(), (compiled.ok() ? std::string() : compiled.err().message));
    CHECK(rep.warnings.empty());
    const auto* rule = (*compiled)->find("call.ended");
    REQUIRE(rule);
    REQUIRE(rule->aggregate);
    CHECK(rule->aggregate->dimensions ==
          std::vector<std::string>{"codec", "network_type", "remote_country"});
    CHECK(rule->aggregate->window == std::chrono::hours(24));
    std::set<std::string> measured;
    for (const auto& m : rule->aggregate->measures) measured.insert(m.field);
    CHECK(measured ==
          std::set<std::string>{"", "mos", "jitter_ms", "packet_loss_pct", "duration_s"});
    // Everything but call.ended (and the profile's name and note) is the event policy, so the
    // two cannot drift apart unnoticed.
    ev["events"].erase("call.ended");
    ag["events"].erase("call.ended");
    for (const char* k : {"name", "note"}) {
      ev.erase(k);
      ag.erase(k);
    }
    CHECK(ev == ag);
  }
}

TEST_SUITE("aggregate ldp") {
  spec ldp_spec_of(double eps, double per_day) {
    spec s;
    s.type = "call.ended";
    s.dimensions = {"codec", "network_type"};
    s.measures = {{measure_spec::kind::count, "", {}, "1"},
                  {measure_spec::kind::histogram, "mos", {2, 3, 4}, "1"}};
    s.ldp.epsilon = eps;
    s.ldp.epsilon_per_day = per_day;
    s.ldp.domains["codec"] = {"opus", "G722", "PCMA"};  // + "other": k = 4
    s.ldp.histograms = {"mos"};
    return s;
  }
  json event(const char* codec, const char* net, double mos) {
    return {{"type", "call.ended"},
            {"ts", "2026-12-07T10:15:00Z"},
            {"attrs", {{"codec", codec}, {"network_type", net}, {"mos", mos}}}};
  }

  TEST_CASE("randomised codec and MOS bucket: the estimator recovers the true mix") {
    const spec s = ldp_spec_of(1.0, 1e9);
    REQUIRE(validate(s).ok());
    window_state w(s, t_window);
    auto rnd = seeded_random(7);
    // 20 000 calls: 60 % opus, 30 % G722, 10 % PCMA; MOS 4.2 for opus, 3.5 otherwise.
    const std::uint64_t n = 20000;
    for (std::uint64_t i = 0; i < n; ++i) {
      const char* c = i % 10 < 6 ? "opus" : i % 10 < 9 ? "G722" : "PCMA";
      w.add(event(c, "wifi", std::string(c) == "opus" ? 4.2 : 3.5), rnd.get());
    }
    CHECK(w.events() == n);
    // Reports per codec value (the network is not randomised: one value here).
    std::vector<std::uint64_t> codec_obs(4, 0), bucket_obs(4, 0);
    const std::vector<std::string> dom = {"opus", "G722", "PCMA", "other"};
    for (const auto& [k, c] : w.cells()) {
      REQUIRE(k.size() == 2);
      CHECK(k[1] == "wifi");
      const auto at = std::find(dom.begin(), dom.end(), k[0]);
      REQUIRE(at != dom.end());
      codec_obs[static_cast<std::size_t>(at - dom.begin())] += c.events;
      const auto& m = c.measures[1];
      CHECK(m.randomized);
      for (std::size_t b = 0; b < 4; ++b) bucket_obs[b] += m.buckets[b];
    }
    // Randomised: reports of the never-used value exist, and no codec's share is its true one.
    CHECK(codec_obs[3] > 1000);
    auto pr = ldp::make_params(ldp::mechanism::krr, 4, 1.0);
    REQUIRE(pr);
    const auto est = ldp::estimate_counts(*pr, n, codec_obs);
    const double truth[] = {12000, 6000, 2000, 0};
    for (std::size_t j = 0; j < 4; ++j) {
      INFO("codec " << dom[j] << " estimate " << est[j].count << " +- " << est[j].stddev);
      CHECK(truth[j] >= est[j].ci95_low);
      CHECK(truth[j] <= est[j].ci95_high);
    }
    // MOS buckets (<=2, (2,3], (3,4], >4): 60 % in the top bucket, 40 % in (3,4].
    const auto eb = ldp::estimate_counts(*pr, n, bucket_obs);
    const double tb[] = {0, 0, 8000, 12000};
    for (std::size_t b = 0; b < 4; ++b) {
      CHECK(tb[b] >= eb[b].ci95_low);
      CHECK(tb[b] <= eb[b].ci95_high);
    }
    // On the wire: what randomised each point; a randomised histogram has no sum, min or max.
    const json doc = json::parse(w.otlp_json({{"service.name", "softphone"}}, "0.1"));
    bool saw_hist = false;
    for (const auto& m : doc["resourceMetrics"][0]["scopeMetrics"][0]["metrics"]) {
      const bool hist = m.contains("histogram");
      for (const auto& p : hist ? m["histogram"]["dataPoints"] : m["sum"]["dataPoints"]) {
        std::map<std::string, std::string> a;
        for (const auto& kv : p["attributes"]) a[kv["key"]] = kv["value"]["stringValue"];
        CHECK(a["veil.ldp.codec"] == "krr:4");
        CHECK(a["veil.ldp.epsilon"] == "1");
        CHECK(a.count("veil.ldp.network_type") == 0);
        if (hist) {
          saw_hist = true;
          CHECK(a["veil.ldp.bucket"] == "krr:4");
          CHECK_FALSE(p.contains("sum"));
          CHECK_FALSE(p.contains("min"));
          CHECK_FALSE(p.contains("max"));
        }
      }
    }
    CHECK(saw_hist);
    // The state round-trips with its randomised flag.
    auto back = window_state::parse(s, w.serialize());
    REQUIRE(back.ok());
    CHECK(same_state(w, *back));
    CHECK(back->cells().begin()->second.measures[1].randomized);
  }

  TEST_CASE("a value outside the domain reports as other; specs are checked") {
    const spec s = ldp_spec_of(20.0, 1e9);  // ε = 20: practically never flipped
    window_state w(s, t_window);
    auto rnd = seeded_random(1);
    for (int i = 0; i < 50; ++i) w.add(event("iLBC", "lte", 3.0), rnd.get());
    REQUIRE(w.cells().size() == 1);
    CHECK(w.cells().begin()->first[0] == "other");

    auto bad = [](spec x) {
      auto v = validate(x);
      return v ? std::string() : v.err().message;
    };
    spec x = ldp_spec_of(0, 10);
    CHECK(bad(x).find("ldp.epsilon") != std::string::npos);
    x = ldp_spec_of(1, 1.5);  // two randomised values per event: ε 2 > a budget of 1.5
    CHECK(bad(x).find("epsilon_per_day") != std::string::npos);
    x = ldp_spec_of(1, 10);
    x.ldp.domains["remote_country"] = {"DE"};
    CHECK(bad(x).find("not a dimension") != std::string::npos);
    x = ldp_spec_of(1, 10);
    x.ldp.histograms = {"count"};
    CHECK(bad(x).find("not a histogram") != std::string::npos);
    x = ldp_spec_of(1, 10);
    x.ldp.domains["codec"] = {"opus", "opus"};
    CHECK(bad(x).find("repeats") != std::string::npos);
    CHECK(ldp_spec_of(1, 10).ldp.events_per_day() == 5);
  }

  TEST_CASE("the daily budget caps the reports of a day, across a restart") {
    veil_test::temp_dir d;
    spec s = ldp_spec_of(1.0, 6.0);  // ε 2 per event: 3 events a day
    REQUIRE(s.ldp.events_per_day() == 3);
    store_options o;
    o.file = d.path / "aggregates";
    o.max_age = std::chrono::hours(24 * 30);
    const sys_time now = t_window + std::chrono::hours(30);  // the next day, 16:00
    auto line = [](const char* ts) {
      return json{{"type", "call.ended"},
                  {"ts", ts},
                  {"attrs", {{"codec", "opus"}, {"network_type", "wifi"}, {"mos", 4.0}}}}
          .dump();
    };
    auto rnd = seeded_random(3);
    {
      auto st = store::open({{&s, "call_quality"}}, o);
      REQUIRE(st.ok());
      for (int i = 0; i < 3; ++i)
        CHECK((*st)->add(0, line("2026-12-07T10:15:00Z"), now, rnd.get()) == fold_result::added);
      CHECK((*st)->add(0, line("2026-12-07T11:15:00Z"), now, rnd.get()) ==
            fold_result::over_budget);
      // Another day has its own budget.
      CHECK((*st)->add(0, line("2026-12-08T09:00:00Z"), now, rnd.get()) == fold_result::added);
      REQUIRE((*st)->commit().ok());
    }
    auto st = store::open({{&s, "call_quality"}}, o);
    REQUIRE(st.ok());
    CHECK((*st)->add(0, line("2026-12-07T12:00:00Z"), now, rnd.get()) == fold_result::over_budget);
    CHECK((*st)->add(0, line("2026-12-08T10:00:00Z"), now, rnd.get()) == fold_result::added);
    CHECK((*st)->open_events() == 5);
  }
}
