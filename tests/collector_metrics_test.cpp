// The collector's anonymous-statistics lane (POST /v1/metrics, issue 15 part 3): bodies built
// by the agent's own aggregator (agent/aggregate window_state::otlp_json) and compressed with
// zstd and the shipped dictionary as the agent does, through the request handler into the
// memory and SQLite sinks (ClickHouse: collector_clickhouse_test.cpp); a foreign exporter's
// JSON; and the hostile cases (bombs, inconsistent histograms, non-finite values, wrong types,
// duplicate keys, personal data in attributes, identifiers in an anonymous upload).
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>

#include "agent/aggregate/aggregator.hpp"
#include "agent/crypto/random.hpp"
#include "agent/platform/file_util.hpp"
#include "agent/wire/batch_codec.hpp"
#include "collector_http_util.hpp"
#include "collector_test_util.hpp"
#include "tools/collector/leak_guard.hpp"
#include "tools/collector/metrics_decoder.hpp"
#include "tools/collector/record_guard.hpp"
#include "tools/collector/report.hpp"
#include "tools/collector/request_handler.hpp"

using namespace veil::collector;
using namespace veil::collector::test;
using nlohmann::json;
namespace agg = veil::detail::aggregate;
using namespace std::chrono_literals;

namespace {

const sys_time window_start = at(2026, 12, 7, 10);
const sys_time received = at(2026, 12, 7, 11) + 5min;

agg::spec call_spec() {
  agg::spec s;
  s.type = "call.ended";
  s.dimensions = {"codec", "network_type"};
  s.measures = {{agg::measure_spec::kind::count, "", {}, "1"},
                {agg::measure_spec::kind::histogram, "mos", {1, 2, 3, 3.5, 4, 4.5}, "1"},
                {agg::measure_spec::kind::sum, "rtt_ms", {}, "ms"}};
  return s;
}

// Cleaned call.ended events as the agent's worker hands them to the aggregator, with the
// totals computed here independently of it.
struct corpus {
  std::vector<json> events;
  std::map<std::string, std::uint64_t> calls_by_codec;
  std::vector<std::uint64_t> mos_buckets = std::vector<std::uint64_t>(7, 0);
  std::uint64_t mos_count = 0;
  double mos_sum = 0, rtt_sum = 0;
};

corpus make_corpus(std::size_t n) {
  const char* codecs[] = {"opus", "PCMA", "G722"};
  const char* nets[] = {"wifi", "lte"};
  const std::vector<double> bounds = {1, 2, 3, 3.5, 4, 4.5};
  corpus c;
  for (std::size_t i = 0; i < n; ++i) {
    json attrs = {{"codec", codecs[i % 3]},
                  {"network_type", nets[(i / 3) % 2]},
                  {"rtt_ms", 20 + static_cast<int>(i % 50)}};
    if (i % 5 != 0) {
      const double mos = 1.0 + static_cast<double>(i % 37) / 10.0;  // 1.0 .. 4.6
      attrs["mos"] = mos;
      std::size_t b = 0;
      while (b < bounds.size() && mos > bounds[b]) ++b;  // bucket i: (bounds[i-1], bounds[i]]
      ++c.mos_buckets[b];
      ++c.mos_count;
      c.mos_sum += mos;
    }
    c.rtt_sum += 20 + static_cast<double>(i % 50);
    ++c.calls_by_codec[codecs[i % 3]];
    c.events.push_back({{"type", "call.ended"},
                        {"ts", "2026-12-07T10:00:00Z"},
                        {"category", "call_quality"},
                        {"attrs", attrs}});
  }
  return c;
}

std::string agent_body(const agg::spec& s, const corpus& c,
                       std::map<std::string, std::string> resource = {
                           {"os.name", "Android"},
                           {"service.name", "voxline"},
                           {"service.version", "5.6.12"}}) {
  agg::window_state w(s, window_start);
  for (const auto& e : c.events) w.add(e);
  return w.otlp_json(resource, "0.9.0");
}

std::string dictionary() {
  auto d = veil::detail::read_file(VEIL_SOURCE_DIR "/config/zstd.dict");
  REQUIRE(d);
  return *d;
}

// The request handler over a sink, with the agent's dictionary and a fixed clock.
struct harness {
  sink& store;
  collector_metrics metrics;
  std::unique_ptr<request_handler> handler;
  std::shared_ptr<const veil::detail::batch_codec> codec;

  explicit harness(sink& s, metrics_limits lim = {}) : store(s) {
    const std::string dict = dictionary();
    auto md = make_metrics_decoder(lim, dict);
    REQUIRE(md);
    handler_options ho;
    ho.now = [] { return received; };
    ho.install_requests = {0, 0};  // quotas off: one test client sends many requests
    ho.install_bytes = {0, 0};
    ho.decode_metrics = std::move(*md);
    handler = std::make_unique<request_handler>(s, *make_batch_decoder(1 << 20, dict),
                                                make_default_guard(), api_keys{}, metrics, ho);
    auto c = veil::detail::batch_codec::create({}, dict);
    REQUIRE(c);
    codec = std::make_shared<const veil::detail::batch_codec>(std::move(*c));
  }

  // As the agent sends: zstd with the dictionary, an Idempotency-Key.
  http_response post(const std::string& body, const std::string& key = "",
                     const std::string& encoding = "zstd") {
    http_request r;
    r.method = "POST";
    r.target = "/v1/metrics";
    r.content_type = "application/json";
    r.content_encoding = encoding;
    r.idempotency_key = key;
    r.peer = "127.0.0.1";
    r.peer_loopback = true;
    if (encoding == "zstd") {
      auto z = codec->compress(body);
      REQUIRE(z);
      r.body = std::move(*z);
    } else {
      r.body = body;
    }
    return handler->handle(r);
  }
};

const metric_cell* cell_with(const std::vector<metric_cell>& cells,
                             const std::vector<std::string>& keys) {
  for (const auto& c : cells)
    if (c.keys == keys) return &c;
  return nullptr;
}

std::string file_bytes(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

// One OTLP metrics request with one metric (`metric` is the JSON of the Metric object).
std::string request_with(const std::string& metric, const std::string& resource_attrs = "[]") {
  return R"({"resourceMetrics":[{"resource":{"attributes":)" + resource_attrs +
         R"(},"scopeMetrics":[{"scope":{"name":"t"},"metrics":[)" + metric + "]}]}]}";
}

// A histogram point of a one-hour window ending at 11:00 (the fields after the window given).
std::string histogram_with(const std::string& fields, const std::string& attrs = "[]") {
  return request_with(
      R"({"name":"call.ended.mos","unit":"1","histogram":{"aggregationTemporality":1,"dataPoints":[{"attributes":)" +
      attrs +
      R"(,"startTimeUnixNano":"1796637600000000000","timeUnixNano":"1796641200000000000",)" +
      fields + "}]}}");
}

std::string sum_point(const std::string& attrs, const std::string& value = R"("asInt":"3")") {
  return request_with(
      R"({"name":"call.ended.count","unit":"1","sum":{"aggregationTemporality":1,"isMonotonic":true,"dataPoints":[{"attributes":)" +
      attrs +
      R"(,"startTimeUnixNano":"1796637600000000000","timeUnixNano":"1796641200000000000",)" +
      value + "}]}}");
}

std::string error_of(const http_response& r) {
  auto j = json::parse(r.body, nullptr, false);
  return j.is_object() && j.contains("error") ? j["error"].get<std::string>() : std::string();
}
std::string message_of(const http_response& r) {
  auto j = json::parse(r.body, nullptr, false);
  return j.is_object() && j.contains("message") ? j["message"].get<std::string>() : std::string();
}

}  // namespace

// Shared with the ClickHouse test: the agent's aggregates through the handler into `s`, and
// what aggregate_metrics() gives back; then retention.
void check_metrics_sink(sink& s) {
  harness h(s);
  const auto spec = call_spec();
  const auto c = make_corpus(300);
  const std::string body = agent_body(spec, c);
  auto r = h.post(body, "batch-metrics-1");
  REQUIRE_MESSAGE(r.status == 200, r.body);
  const auto answer = json::parse(r.body);
  agg::window_state w(spec, window_start);
  for (const auto& e : c.events) w.add(e);
  // One point per cell and measure: 6 cells (3 codecs x 2 networks), 3 measures.
  CHECK(answer["accepted"] == 18);
  CHECK(answer["quarantined"] == 0);
  CHECK(s.count_metric_points().value() == 18);

  auto names = s.metric_names();
  REQUIRE(names);
  CHECK(*names ==
        std::vector<std::string>{"call.ended.count", "call.ended.mos", "call.ended.rtt_ms"});

  auto keys = s.metric_attribute_keys("call.ended.count");
  REQUIRE_MESSAGE(keys, keys.err().message);
  CHECK(*keys == std::vector<std::string>{"codec", "network_type"});

  auto counts = s.aggregate_metrics({"call.ended.count", {"codec"}, {}});
  REQUIRE_MESSAGE(counts, counts.err().message);
  REQUIRE(counts->size() == 3);
  double total = 0;
  for (const auto& [codec, n] : c.calls_by_codec) {
    const auto* cell = cell_with(*counts, {codec});
    REQUIRE(cell);
    CHECK(cell->kind == "sum");
    CHECK(cell->reports == 2);  // one point per network type
    REQUIRE(cell->sum);
    CHECK(*cell->sum == doctest::Approx(static_cast<double>(n)));
    total += *cell->sum;
  }
  CHECK(total == doctest::Approx(300));

  auto mos = s.aggregate_metrics({"call.ended.mos", {}, metric_query::granularity::hour});
  REQUIRE_MESSAGE(mos, mos.err().message);
  REQUIRE(mos->size() == 1);
  const auto& m = mos->front();
  CHECK(m.window == "2026-12-07T10:00:00Z");
  CHECK(m.kind == "histogram");
  CHECK(m.reports == 6);
  CHECK(m.count == c.mos_count);
  CHECK(m.bounds == std::vector<double>{1, 2, 3, 3.5, 4, 4.5});
  CHECK(m.bucket_counts == c.mos_buckets);  // bucket sums equal what was added
  CHECK(m.unmerged_reports == 0);
  CHECK(m.window_s == 3600);
  REQUIRE(m.sum);
  CHECK(*m.sum == doctest::Approx(c.mos_sum));
  REQUIRE(m.min);
  CHECK(*m.min == doctest::Approx(1.0));
  CHECK(*m.max == doctest::Approx(4.6));

  auto rtt =
      s.aggregate_metrics({"call.ended.rtt_ms", {"network_type"}, metric_query::granularity::day});
  REQUIRE(rtt);
  REQUIRE(rtt->size() == 2);
  CHECK(rtt->front().window == "2026-12-07");
  CHECK(rtt->front().unit == "ms");
  CHECK(*rtt->front().sum + *rtt->back().sum == doctest::Approx(c.rtt_sum));

  // The same request again (the agent's retry): acknowledged, nothing written.
  auto again = h.post(body, "batch-metrics-1");
  REQUIRE(again.status == 200);
  CHECK(json::parse(again.body)["duplicate"] == true);
  CHECK(s.count_metric_points().value() == 18);
  CHECK(h.metrics.metric_points_refused_count("duplicate") == 18);
  // A /v1/logs batch key does not dedup a metrics request, nor the other way round.
  CHECK(s.write_batch("batch-metrics-1", {}, {}, received).value() == write_outcome::stored);

  // A bad group_by name is refused before any query is built.
  CHECK(s.aggregate_metrics({"call.ended.count", {"codec'--"}, {}}).err().code ==
        veil::errc::invalid_argument);

  // Retention by the received day, like events.
  CHECK(s.expire(received).value() == 0);  // the cutoff day itself is kept
  CHECK(s.count_metric_points().value() == 18);
  CHECK(s.expire(received + 24h).ok());
  CHECK(s.count_metric_points().value() == 0);
  // The key went with them: the request can be stored again.
  CHECK(s.write_metrics("batch-metrics-1", {}, {}, received + 24h).value() ==
        write_outcome::stored);
}

TEST_SUITE("collector metrics") {
  TEST_CASE("metrics: the agent's aggregates are stored and add up (memory and SQLite sinks)") {
    SUBCASE("memory") {
      memory_sink s;
      check_metrics_sink(s);
    }
    SUBCASE("sqlite") {
      temp_dir_guard d("metrics-sqlite");
      auto s = open_sink("sqlite://" + (d.path / "m.db").string());
      REQUIRE_MESSAGE(s, s.err().message);
      check_metrics_sink(**s);
    }
  }

  TEST_CASE("metrics: stored points keep the window, the attributes and only allowed resources") {
    memory_sink s;
    harness h(s);
    auto c = make_corpus(30);
    auto r = h.post(agent_body(call_spec(), c,
                               {{"service.name", "voxline"},
                                {"host.name", "pixel-7"},
                                {"telemetry.sdk.language", "cpp"}}),
                    "k");
    REQUIRE_MESSAGE(r.status == 200, r.body);
    CHECK(json::parse(r.body)["resource_attributes_dropped"] == 1);
    const auto stored = s.metrics();
    REQUIRE_FALSE(stored.empty());
    const auto& p = stored.front().point;
    CHECK(p.window_start_s == 1796637600);
    CHECK(p.window_end_s == 1796641200);
    CHECK(p.temporality == 1);
    CHECK(p.resource_json() == R"({"service.name":"voxline","telemetry.sdk.language":"cpp"})");
    CHECK(json::parse(p.attrs).contains("codec"));
    CHECK(stored.front().day == "2026-12-07");
    CHECK(h.metrics.render().find("veil_collector_metric_resource_attributes_dropped_total 1") !=
          std::string::npos);
    CHECK(h.metrics.render().find("veil_collector_metric_points_stored_total " +
                                  std::to_string(stored.size())) != std::string::npos);
  }

  TEST_CASE("metrics: a foreign exporter's gauge and cumulative sum (integers as numbers)") {
    memory_sink s;
    harness h(s);
    // As the OpenTelemetry JS SDK writes it: numbers for 64-bit integers, a description, an
    // exemplar, a process start as the cumulative start, service.instance.id in the resource.
    const std::string body = R"({"resourceMetrics":[{"resource":{"attributes":[
      {"key":"service.name","value":{"stringValue":"web-dialer"}},
      {"key":"service.instance.id","value":{"stringValue":"5d5c3a8e-0f3e-4c59-9f6e-2b8d1f7a9c10"}},
      {"key":"telemetry.sdk.name","value":{"stringValue":"opentelemetry"}}]},
     "scopeMetrics":[{"scope":{"name":"dialer","version":"1.0"},"metrics":[
      {"name":"sip.registrations","description":"REGISTER sent","unit":"{request}",
       "sum":{"aggregationTemporality":2,"isMonotonic":true,"dataPoints":[
        {"attributes":[{"key":"transport","value":{"stringValue":"tls"}},
                       {"key":"status_code","value":{"intValue":200}}],
         "startTimeUnixNano":1796630000123456789,"timeUnixNano":1796641199987654321,
         "asInt":42,
         "exemplars":[{"timeUnixNano":1796641000000000000,"asInt":1,
                       "traceId":"5b8efff798038103d269b633813fc60c"}]}]}},
      {"name":"media.jitter_buffer.depth","unit":"ms","gauge":{"dataPoints":[
        {"attributes":[{"key":"codec","value":{"stringValue":"opus"}},
                       {"key":"muted","value":{"boolValue":false}}],
         "timeUnixNano":1796641199000000000,"asDouble":37.5}]}}]}]}]})";
    auto r = h.post(body, "", "");
    REQUIRE_MESSAGE(r.status == 200, r.body);
    CHECK(json::parse(r.body)["accepted"] == 2);
    CHECK(json::parse(r.body)["resource_attributes_dropped"] == 1);
    const auto stored = s.metrics();
    REQUIRE(stored.size() == 2);
    const auto& sum = stored[0].point;
    CHECK(sum.kind == metric_kind::sum);
    CHECK(sum.temporality == 2);
    CHECK(sum.monotonic);
    CHECK(*sum.sum == 42);
    CHECK(sum.unit == "{request}");
    CHECK(sum.attrs == R"({"status_code":200,"transport":"tls"})");
    // Coarsened to whole minutes: the process start floored, the end ceiled.
    CHECK(sum.window_start_s == 1796629980);
    CHECK(sum.window_end_s == 1796641200);
    CHECK(sum.resource_json() ==
          R"({"service.name":"web-dialer","telemetry.sdk.name":"opentelemetry"})");
    const auto& gauge = stored[1].point;
    CHECK(gauge.kind == metric_kind::gauge);
    CHECK(gauge.temporality == 0);
    CHECK(*gauge.sum == 37.5);
    CHECK(gauge.attrs == R"({"codec":"opus","muted":false})");
    CHECK(gauge.window_start_s == 1796641140);
    CHECK(gauge.window_end_s == 1796641200);
    auto cells = s.aggregate_metrics({"media.jitter_buffer.depth", {"codec", "absent"}, {}});
    REQUIRE(cells);
    REQUIRE(cells->size() == 1);
    CHECK(cells->front().keys == std::vector<std::string>{"opus", ""});
    CHECK(*cells->front().max == 37.5);
  }

  TEST_CASE("metrics: inconsistent or non-finite points are refused with the path, no value") {
    memory_sink s;
    harness h(s);
    struct bad_case {
      const char* what;
      std::string body;
      std::string message;  // the exact message, or a part of it
    };
    const std::string at = "resourceMetrics[0].scopeMetrics[0].metrics[0].histogram.dataPoints[0]";
    const std::vector<bad_case> cases = {
        {"mismatched bucket lengths",
         histogram_with(
             R"("count":"9","sum":30,"bucketCounts":["1","1","1","1","1","1","1","1","1"],"explicitBounds":[1,2,3,4,5,6,7,8,9])"),
         at + ".bucketCounts: 9 entries, explicitBounds has 9 (want 10)"},
        {"counts not adding up",
         histogram_with(R"("count":"5","bucketCounts":["1","1","1"],"explicitBounds":[1,2])"),
         at + ".bucketCounts: entries add up to 3, count is 5"},
        {"negative count", histogram_with(R"("count":"-1","bucketCounts":[],"explicitBounds":[])"),
         at + ".count: not a non-negative 64-bit integer"},
        {"count beyond 2^63 - 1",
         histogram_with(R"("count":"9223372036854775808","bucketCounts":[],"explicitBounds":[])"),
         at + ".count: not a non-negative 64-bit integer"},
        {"negative bucket count",
         histogram_with(R"("count":0,"bucketCounts":[1,-1],"explicitBounds":[1])"),
         at + ".bucketCounts[1]: not a non-negative 64-bit integer"},
        {"NaN sum",
         histogram_with(R"("count":"1","sum":"NaN","bucketCounts":["1"],"explicitBounds":[])"),
         at + ".sum: not a finite number"},
        {"infinite bound",
         histogram_with(R"("count":"1","bucketCounts":["1","0"],"explicitBounds":["Infinity"])"),
         at + ".explicitBounds[0]: not a finite number"},
        {"bounds not increasing",
         histogram_with(R"("count":"2","bucketCounts":["1","1","0"],"explicitBounds":[2,2])"),
         at + ".explicitBounds[1]: not greater than the bound before it"},
        {"min over max",
         histogram_with(R"("count":"1","min":5,"max":4,"bucketCounts":["1"],"explicitBounds":[])"),
         at + ": min is greater than max"},
        {"string where a count belongs",
         histogram_with(R"("count":"4915123456789x","bucketCounts":[],"explicitBounds":[])"),
         at + ".count: not a non-negative 64-bit integer"},
        {"object where a bound belongs",
         histogram_with(R"("count":"1","bucketCounts":["1","0"],"explicitBounds":[{"x":1}])"),
         at + ".explicitBounds[0]: not a number"},
        {"string where asInt belongs", sum_point("[]", R"("asInt":"12x")"),
         "resourceMetrics[0].scopeMetrics[0].metrics[0].sum.dataPoints[0].asInt: not a 64-bit "
         "integer"},
        {"negative monotonic sum", sum_point("[]", R"("asInt":"-3")"),
         "a monotonic sum with a negative value"},
        {"NaN gauge",
         request_with(
             R"({"name":"g","gauge":{"dataPoints":[{"timeUnixNano":"1796641200000000000","asDouble":"NaN"}]}})"),
         "metrics[0].gauge.dataPoints[0].asDouble: not a finite number"},
        {"short delta window",
         request_with(
             R"({"name":"c","sum":{"aggregationTemporality":1,"dataPoints":[{"startTimeUnixNano":"1796641190000000000","timeUnixNano":"1796641200000000000","asInt":"1"}]}})"),
         "a delta window of 10 s, shorter than 60 s"},
        {"exponential histogram",
         request_with(
             R"({"name":"e","exponentialHistogram":{"aggregationTemporality":1,"dataPoints":[]}})"),
         "resourceMetrics[0].scopeMetrics[0].metrics[0].exponentialHistogram: "
         "exponentialHistogram is not supported"},
        {"summary", request_with(R"({"name":"s","summary":{"dataPoints":[]}})"),
         "metrics[0].summary: summary is not supported"},
        {"no temporality", request_with(R"({"name":"c","sum":{"dataPoints":[]}})"),
         "metrics[0].sum.aggregationTemporality: missing"},
        {"bad metric name", request_with(R"({"name":"call ended@x","gauge":{"dataPoints":[]}})"),
         "metrics[0].name: not an instrument name"},
        {"nested attribute value",
         sum_point(R"([{"key":"k","value":{"kvlistValue":{"values":[]}}}])"),
         "attributes[0].value: kvlistValue is not supported in metrics"},
        {"two kinds", request_with(R"({"name":"c","gauge":{},"sum":{}})"),
         "want exactly one of sum, gauge, histogram"},
    };
    for (const auto& c : cases) {
      CAPTURE(c.what);
      auto r = h.post(c.body);
      CHECK(r.status == 400);
      CHECK(error_of(r) == "malformed");
      CHECK_MESSAGE(message_of(r).find(c.message) != std::string::npos, message_of(r));
      CHECK(r.body.find("4915123456789") == std::string::npos);  // never a value
    }
    CHECK(s.count_metric_points().value() == 0);
    CHECK(h.metrics.metric_refused_count("malformed") == cases.size());
    // An empty histogram (no buckets, no bounds) is valid OTLP, and so is an empty request.
    CHECK(h.post(histogram_with(R"("count":"0","bucketCounts":[],"explicitBounds":[])")).status ==
          200);
    CHECK(h.post("{}").status == 200);
  }

  TEST_CASE("metrics: bombs are refused by the pre-scan, before the parser allocates") {
    metrics_decoder dec;
    std::size_t asked = 0;
    veil::detail::memory_admit admit = [&](std::size_t n) {
      asked = std::max(asked, n);
      return veil::errc::ok;
    };
    SUBCASE("a 10^6-entry bucketCounts") {
      std::string counts = "[";
      for (int i = 0; i < 1'000'000; ++i) counts += i ? ",0" : "0";
      counts += "]";
      auto r = dec.decode(
          histogram_with(R"("count":"0","bucketCounts":)" + counts + R"(,"explicitBounds":[])"),
          &admit);
      REQUIRE_FALSE(r);
      CHECK(r.err().code == veil::errc::limit_exceeded);
      CHECK(r.err().message.find("an array of 1000000 elements > limit 8192") != std::string::npos);
      CHECK(asked == 0);  // the parse was never admitted, so never allocated
    }
    SUBCASE("buckets over the per-point cap, within the array cap: refused with the path") {
      std::string counts = "[";
      for (int i = 0; i < 300; ++i) counts += i ? ",0" : "0";
      counts += "]";
      auto r = dec.decode(
          histogram_with(R"("count":"0","bucketCounts":)" + counts + R"(,"explicitBounds":[])"));
      REQUIRE_FALSE(r);
      CHECK(r.err().code == veil::errc::limit_exceeded);
      CHECK(r.err().message ==
            "resourceMetrics[0].scopeMetrics[0].metrics[0].histogram.dataPoints[0].bucketCounts: "
            "300 entries, more than 256");
    }
    SUBCASE("a depth bomb") {
      auto r = dec.decode(R"({"junk":)" + std::string(100000, '[') + std::string(100000, ']') + "}",
                          &admit);
      REQUIRE_FALSE(r);
      CHECK(r.err().code == veil::errc::limit_exceeded);
      CHECK(r.err().message == "request: nesting deeper than 16");
      CHECK(asked == 0);
    }
    SUBCASE("an element-count bomb of many small arrays") {
      std::string junk = "[";
      for (int a = 0; a < 1100; ++a) {
        junk += a ? ",[" : "[";
        for (int i = 0; i < 1000; ++i) junk += i ? ",0" : "0";
        junk += "]";
      }
      junk += "]";
      auto r = dec.decode(R"({"junk":)" + junk + "}", &admit);
      REQUIRE_FALSE(r);
      CHECK(r.err().code == veil::errc::limit_exceeded);
      CHECK(r.err().message.find("JSON values") != std::string::npos);
      CHECK(asked == 0);
    }
    SUBCASE("through the handler: 413, and a zstd bomb stops at the decompressed cap") {
      memory_sink s;
      metrics_limits lim;
      lim.max_bytes = 1 << 20;
      harness h(s, lim);
      auto r = h.post(R"({"junk":")" + std::string(2 << 20, 'a') + R"("})");
      CHECK(r.status == 413);
      CHECK(error_of(r) == "too_large");
      CHECK(h.metrics.metric_refused_count("too_large") == 1);
    }
  }

  TEST_CASE("metrics: caps on metrics, points and attributes name the path") {
    metrics_limits lim;
    lim.max_metrics = 2;
    lim.max_points_per_metric = 2;
    lim.max_attributes = 2;
    lim.max_array = 300;
    REQUIRE(lim.validate());
    metrics_decoder dec(lim);
    const std::string g = R"({"name":"g","gauge":{"dataPoints":[]}})";
    auto r = dec.decode(request_with(g + "," + g + "," + g));
    REQUIRE_FALSE(r);
    CHECK(r.err().message ==
          "resourceMetrics[0].scopeMetrics[0].metrics[2]: more than 2 metrics in the request");
    const std::string p = R"({"timeUnixNano":"1796641200000000000","asInt":"1"})";
    r = dec.decode(
        request_with(R"({"name":"g","gauge":{"dataPoints":[)" + p + "," + p + "," + p + "]}}"));
    REQUIRE_FALSE(r);
    CHECK(r.err().message ==
          "resourceMetrics[0].scopeMetrics[0].metrics[0].gauge.dataPoints: 3 points, more than 2");
    r = dec.decode(sum_point(
        R"([{"key":"a","value":{"boolValue":true}},{"key":"b","value":{"boolValue":true}},{"key":"c","value":{"boolValue":true}}])"));
    REQUIRE_FALSE(r);
    CHECK(r.err().message.ends_with("dataPoints[0].attributes: 3 attributes, more than 2"));
    r = dec.decode(
        sum_point(R"([{"key":"a","value":{"stringValue":")" + std::string(300, 'x') + R"("}}])"));
    REQUIRE_FALSE(r);
    CHECK(
        r.err().message.ends_with("attributes[0].value: stringValue of 300 bytes, more than 256"));
    lim.max_array = 10;  // below the caps it must cover
    CHECK_FALSE(lim.validate());
  }

  TEST_CASE("metrics: identifiers make a request refused; the lane is anonymous") {
    memory_sink s;
    harness h(s);
    const std::string token = "0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a";
    const std::string key64(64, 'b');
    struct c {
      const char* what;
      std::string body;
      std::string where;
    };
    const std::vector<c> all = {
        {"veil.install in the resource",
         request_with(
             R"({"name":"g","gauge":{"dataPoints":[]}})",
             R"([{"key":"service.name","value":{"stringValue":"x"}},{"key":"veil.install","value":{"stringValue":")" +
                 token + R"("}}])"),
         "resourceMetrics[0].resource.attributes[1]: veil.install identifies an install"},
        {"veil.erasure_key in the resource",
         request_with(R"({"name":"g","gauge":{"dataPoints":[]}})",
                      R"([{"key":"veil.erasure_key","value":{"stringValue":")" + key64 + R"("}}])"),
         "resourceMetrics[0].resource.attributes[0]: veil.erasure_key identifies an install"},
        {"veil.install on a point",
         sum_point(R"([{"key":"veil.install","value":{"stringValue":")" + token + R"("}}])"),
         "dataPoints[0].attributes[0]: veil.install identifies an install"},
        {"a pseudonym field on a point",
         sum_point(R"([{"key":"install_id","value":{"stringValue":"x"}}])"),
         "attributes[0]: install_id identifies an install"},
        {"an install token's shape as a value",
         sum_point(R"([{"key":"codec","value":{"stringValue":")" + token + R"("}}])"),
         "attributes[0]: a value of an install token's or erasure key's shape"},
        {"an erasure key's shape in an allowed resource attribute",
         request_with(R"({"name":"g","gauge":{"dataPoints":[]}})",
                      R"([{"key":"service.name","value":{"stringValue":")" + key64 + R"("}}])"),
         "resource.attributes[0]: a value of an install token's or erasure key's shape"},
    };
    for (const auto& x : all) {
      CAPTURE(x.what);
      auto r = h.post(x.body, "anon");
      CHECK(r.status == 400);
      CHECK(error_of(r) == "not_anonymous");
      CHECK(message_of(r).starts_with("metrics must be anonymous: "));
      CHECK_MESSAGE(message_of(r).find(x.where) != std::string::npos, message_of(r));
      CHECK(r.body.find(token) == std::string::npos);
      CHECK(r.body.find(key64) == std::string::npos);
    }
    CHECK(s.count_metric_points().value() == 0);
    CHECK(h.metrics.metric_refused_count("not_anonymous") == all.size());
    // Nothing was written under the key either: a clean request with it is stored.
    CHECK(h.post(sum_point("[]"), "anon").status == 200);
    CHECK(s.count_metric_points().value() == 1);
  }

  TEST_CASE("metrics: personal data in a point is quarantined by class, absent from the DB") {
    temp_dir_guard d("metrics-leak");
    const auto db = d.path / "m.db";
    auto s = open_sink("sqlite://" + db.string());
    REQUIRE(s);
    harness h(**s);
    const std::string phone = "+4915123456789", email = "victim.smith@example.org";
    const std::string body = R"({"resourceMetrics":[{"scopeMetrics":[{"metrics":[
      {"name":"call.ended.count","sum":{"aggregationTemporality":1,"isMonotonic":true,"dataPoints":[
        {"attributes":[{"key":"codec","value":{"stringValue":"opus"}}],
         "startTimeUnixNano":"1796637600000000000","timeUnixNano":"1796641200000000000","asInt":"7"},
        {"attributes":[{"key":"remote","value":{"stringValue":")" +
                             phone + R"("}}],
         "startTimeUnixNano":"1796637600000000000","timeUnixNano":"1796641200000000000","asInt":"1"},
        {"attributes":[{"key":"user","value":{"stringValue":")" +
                             email + R"("}}],
         "startTimeUnixNano":"1796637600000000000","timeUnixNano":"1796641200000000000","asInt":"1"},
        {"attributes":[{"key":"callee","value":{"intValue":"4915123456789"}}],
         "startTimeUnixNano":"1796637600000000000","timeUnixNano":"1796641200000000000","asInt":"1"}]}},
      {"name":"calls.to.4915123456789","gauge":{"dataPoints":[
        {"timeUnixNano":"1796641200000000000","asInt":"1"}]}}]}]}]})";
    auto r = h.post(body, "leaky");
    REQUIRE_MESSAGE(r.status == 200, r.body);
    const auto j = json::parse(r.body);
    CHECK(j["accepted"] == 1);
    CHECK(j["quarantined"] == 4);
    CHECK(j["partialSuccess"]["rejectedDataPoints"] == "4");
    CHECK((*s)->count_metric_points().value() == 1);
    CHECK((*s)->count_quarantined().value() == 4);
    CHECK(h.metrics.metric_quarantined_count("leak:number") == 3);
    CHECK(h.metrics.metric_quarantined_count("leak:email") == 1);
    CHECK(h.metrics.quarantined_count("leak:email") == 1);  // the family shared with records
    const auto text = h.metrics.render();
    CHECK(text.find(R"(veil_collector_metric_points_quarantined_total{reason="leak:email"} 1)") !=
          std::string::npos);
    CHECK(text.find(R"(veil_collector_metric_points_quarantined_total{reason="leak:number"} 3)") !=
          std::string::npos);
    s->reset();  // close: the WAL is checkpointed into the file
    std::string bytes;
    for (const auto& e : std::filesystem::directory_iterator(d.path)) bytes += file_bytes(e.path());
    CHECK(bytes.find("call.ended.count") != std::string::npos);  // the clean point is there
    CHECK(bytes.find("quarantine") != std::string::npos);
    for (const std::string& v : {phone, std::string("4915123456789"), email,
                                 std::string("victim.smith"), std::string("calls.to.")})
      CHECK_MESSAGE(bytes.find(v) == std::string::npos, v);
  }

  TEST_CASE("metrics: points dated outside retention are quarantined; quotas; method; keys") {
    memory_sink s;
    harness h(s);
    // A window ending 400 days before the collector's clock.
    auto r = h.post(request_with(
        R"({"name":"g","gauge":{"dataPoints":[{"timeUnixNano":"1762000000000000000","asInt":"1"}]}})"));
    REQUIRE(r.status == 200);
    CHECK(json::parse(r.body)["quarantined"] == 1);
    CHECK(h.metrics.metric_quarantined_count("time:out_of_range") == 1);
    // NO_RECORDED_VALUE points are skipped and counted, as OTLP means them.
    r = h.post(request_with(
        R"({"name":"g","gauge":{"dataPoints":[{"timeUnixNano":"1796641200000000000","flags":1}]}})"));
    REQUIRE(r.status == 200);
    CHECK(json::parse(r.body)["accepted"] == 0);
    CHECK(h.metrics.metric_points_refused_count("no_recorded_value") == 1);

    http_request get;
    get.method = "GET";
    get.target = "/v1/metrics";
    get.peer_loopback = true;
    CHECK(h.handler->handle(get).status == 405);

    // Ingest keys and quotas as for /v1/logs.
    collector_metrics m;
    handler_options ho;
    ho.now = [] { return received; };
    ho.install_requests = {1, 1};
    request_handler keyed(s, *make_batch_decoder(1 << 20), make_default_guard(),
                          api_keys::from_keys({"ingest-key-0123456789"}), m, ho);
    http_request req;
    req.method = "POST";
    req.target = "/v1/metrics";
    req.content_type = "application/json";
    req.peer = "192.0.2.7";
    req.body = sum_point("[]");
    CHECK(keyed.handle(req).status == 401);
    req.api_key = "ingest-key-0123456789";
    CHECK(keyed.handle(req).status == 200);
    auto limited = keyed.handle(req);
    CHECK(limited.status == 429);
    CHECK(limited.retry_after_s > 0);
    CHECK(m.metric_refused_count("rate_limited") == 1);
  }

  TEST_CASE("metrics: histograms with other bounds do not merge into a cell's buckets") {
    memory_sink s;
    auto point = [](std::vector<double> bounds, std::vector<std::uint64_t> buckets) {
      metric_point p;
      p.name = "m";
      p.kind = metric_kind::histogram;
      p.temporality = 1;
      p.window_start_s = 1796637600;
      p.window_end_s = 1796641200;
      p.attrs = R"({"codec":"opus"})";
      for (auto b : buckets) p.count += b;
      p.sum = 1.0;
      p.bounds = std::move(bounds);
      p.bucket_counts = std::move(buckets);
      return p;
    };
    REQUIRE(s.write_metrics(
                 "", {point({1, 2}, {1, 2, 3}), point({1, 2}, {1, 0, 0}), point({5}, {4, 4})}, {},
                 received)
                .ok());
    auto cells = s.aggregate_metrics({"m", {"codec"}, {}});
    REQUIRE(cells);
    REQUIRE(cells->size() == 1);
    const auto& c = cells->front();
    CHECK(c.reports == 3);
    CHECK(c.count == 15);
    CHECK(*c.sum == 3.0);
    CHECK(c.bounds == std::vector<double>{1, 2});
    CHECK(c.bucket_counts == std::vector<std::uint64_t>{2, 2, 3});
    CHECK(c.unmerged_reports == 1);
  }

  TEST_CASE("metrics: over the real server, zstd without a dictionary, then GET /metrics") {
    handler_options ho;
    ho.now = [] { return received; };
    fixture f({}, {}, {}, ho);
    const auto c = make_corpus(60);
    auto codec = veil::detail::batch_codec::create({});
    REQUIRE(codec);
    auto z = codec->compress(agent_body(call_spec(), c));
    REQUIRE(z);
    const auto res = roundtrip(
        f.port, post("/v1/metrics", *z, "Content-Encoding: zstd\r\nIdempotency-Key: srv-1\r\n"));
    REQUIRE_MESSAGE(status_of(res) == 200, res);
    CHECK(json::parse(body_of(res))["accepted"] == 18);
    CHECK(f.store->count_metric_points().value() == 18);
    const auto m =
        roundtrip(f.port, "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    CHECK(body_of(m).find("veil_collector_metric_points_stored_total 18") != std::string::npos);
    CHECK(body_of(m).find(
              R"(veil_collector_requests_total{endpoint="/v1/metrics",status="200"} 1)") !=
          std::string::npos);
    CHECK(body_of(m).find(R"(veil_collector_metric_requests_total{outcome="stored"} 1)") !=
          std::string::npos);
  }

  TEST_CASE("metrics: veil report shows each metric by its attributes, under k suppressed") {
    memory_sink s;
    harness h(s);
    const auto spec = call_spec();
    const auto c = make_corpus(30);
    for (const char* key : {"dev-1", "dev-2", "dev-3"})
      REQUIRE(h.post(agent_body(spec, c), key).status == 200);
    corpus rare;  // one device's only call with a codec nobody else uses
    rare.events.push_back(
        {{"type", "call.ended"},
         {"ts", "2026-12-07T10:00:00Z"},
         {"category", "call_quality"},
         {"attrs", {{"codec", "AMR-WB"}, {"network_type", "wifi"}, {"mos", 4.2}}}});
    REQUIRE(h.post(agent_body(spec, rare), "dev-4").status == 200);
    auto r = build_report(s, 3);
    REQUIRE_MESSAGE(r, r.err().message);
    const report_table* mos = nullptr;
    const report_table* calls = nullptr;
    for (const auto& t : r->tables) {
      if (t.id == "metric:call.ended.mos") mos = &t;
      if (t.id == "metric:call.ended.count") calls = &t;
    }
    REQUIRE(mos);
    REQUIRE(calls);
    CHECK(mos->columns == std::vector<std::string>{"codec", "network_type", "reports", "count",
                                                   "mean", "<=1", "<=2", "<=3", "<=3.5", "<=4",
                                                   "<=4.5", ">4.5"});
    CHECK(mos->note.find("fewer than 3 device reports") != std::string::npos);
    CHECK(mos->note.find("up to 1 h") != std::string::npos);
    agg::window_state w(spec, window_start);
    for (const auto& e : c.events) w.add(e);
    REQUIRE(mos->rows.size() == 7);         // 6 shared cells and the rare one, in key order
    const auto& first = mos->rows.front();  // sorted by keys: AMR-WB first, suppressed in place
    CHECK(first[0].label == "AMR-WB");
    for (std::size_t i = 2; i < first.size(); ++i)
      CHECK(first[i].k == report_cell::kind::suppressed);
    for (std::size_t i = 1; i < mos->rows.size(); ++i) {
      const auto& row = mos->rows[i];
      const auto& cell = w.cells().at({row[0].label, row[1].label});
      CAPTURE(row[0].label);
      CHECK(row[2].number == 3);
      CHECK(row[3].number == 3.0 * static_cast<double>(cell.measures[1].count));
      for (std::size_t b = 0; b < 7; ++b)
        CHECK(row[5 + b].number == 3.0 * static_cast<double>(cell.measures[1].buckets[b]));
    }
    CHECK(calls->columns.back() == "total");
    double total = 0;
    for (const auto& row : calls->rows)
      if (row.back().k == report_cell::kind::number) total += row.back().number;
    CHECK(total == 90);  // the rare call is in no shown cell
    std::ostringstream text;
    render_text(*r, text);
    CHECK(text.str().find("Metric call.ended.mos (histogram, 1)") != std::string::npos);
    CHECK(text.str().find("Protected by:") != std::string::npos);
  }

  TEST_CASE("metrics: the report debiases LDP-randomised cells and says so") {
    // 300 simulated devices, one window each, 20 calls a device; the codec (k = 4 with
    // "other") and the MOS bucket are randomised on the device at ε = 1. Truth: 60 % opus,
    // 30 % G722, 10 % PCMA; MOS 4.2 (bucket > 4) for opus, 3.2 (bucket (3, 4]) otherwise.
    memory_sink s;
    harness h(s);
    agg::spec spec;
    spec.type = "call.ended";
    spec.dimensions = {"codec", "network_type"};
    spec.measures = {{agg::measure_spec::kind::count, "", {}, "1"},
                     {agg::measure_spec::kind::histogram, "mos", {2, 3, 4}, "1"}};
    spec.ldp.epsilon = 1;
    spec.ldp.epsilon_per_day = 100;
    spec.ldp.domains["codec"] = {"opus", "G722", "PCMA"};
    spec.ldp.histograms = {"mos"};
    REQUIRE(agg::validate(spec).ok());
    auto rnd = veil::detail::seeded_random(11);
    const int devices = 300, calls = 20;
    for (int d = 0; d < devices; ++d) {
      agg::window_state w(spec, window_start);
      for (int i = 0; i < calls; ++i) {
        const int j = (d * calls + i) % 10;
        const char* codec = j < 6 ? "opus" : j < 9 ? "G722" : "PCMA";
        w.add({{"type", "call.ended"},
               {"ts", "2026-12-07T10:00:00Z"},
               {"attrs", {{"codec", codec}, {"network_type", "wifi"}, {"mos", j < 6 ? 4.2 : 3.2}}}},
              rnd.get());
      }
      REQUIRE(
          h.post(w.otlp_json({{"service.name", "voxline"}}, "0.9.0"), "dev-" + std::to_string(d))
              .status == 200);
    }
    auto r = build_report(s, 5);
    REQUIRE_MESSAGE(r, r.err().message);
    const report_table* calls_t = nullptr;
    const report_table* mos_t = nullptr;
    for (const auto& t : r->tables) {
      if (t.id == "metric:call.ended.count") calls_t = &t;
      if (t.id == "metric:call.ended.mos") mos_t = &t;
    }
    REQUIRE(calls_t);
    REQUIRE(mos_t);
    CHECK(calls_t->note.find("local differential privacy") != std::string::npos);
    CHECK(calls_t->columns.back() == "ci95");
    const double n = devices * calls;
    const std::map<std::string, double> truth = {
        {"opus", 0.6 * n}, {"G722", 0.3 * n}, {"PCMA", 0.1 * n}, {"other", 0}};
    auto col = [](const report_table& t, const std::string& name) {
      auto it = std::find(t.columns.begin(), t.columns.end(), name);
      REQUIRE(it != t.columns.end());
      return static_cast<std::size_t>(it - t.columns.begin());
    };
    const std::size_t codec_c = col(*calls_t, "codec"), total_c = col(*calls_t, "total"),
                      ci_c = col(*calls_t, "ci95");
    std::size_t checked = 0;
    double raw_opus = 0;
    for (const auto& row : calls_t->rows) {
      const std::string codec = row[codec_c].label;
      REQUIRE(truth.count(codec));
      REQUIRE(row[total_c].k == report_cell::kind::number);
      REQUIRE(row[ci_c].k == report_cell::kind::label);
      const auto dash = row[ci_c].label.find('-');
      const double lo = std::stod(row[ci_c].label.substr(0, dash));
      const double hi = std::stod(row[ci_c].label.substr(dash + 1));
      CAPTURE(codec);
      CAPTURE(row[total_c].number);
      CHECK(lo <= truth.at(codec) + 0.5);
      CHECK(hi >= truth.at(codec) - 0.5);
      CHECK(std::abs(row[total_c].number - truth.at(codec)) < 0.1 * n);
      if (codec == "opus") raw_opus = row[total_c].number;
      ++checked;
    }
    CHECK(checked == 4);  // "other" was reported too, though no device holds it
    CHECK(raw_opus > 0.5 * n);
    // The MOS buckets, summed over the codec rows, estimate the true split (60 % above 4).
    const std::size_t top = col(*mos_t, ">4"), mid = col(*mos_t, "<=4");
    double top_sum = 0, mid_sum = 0;
    for (const auto& row : mos_t->rows) {
      REQUIRE(row[top].k == report_cell::kind::number);
      top_sum += row[top].number;
      mid_sum += row[mid].number;
      CHECK(row[col(*mos_t, "mean")].k == report_cell::kind::empty);  // no sums were sent
    }
    CHECK(std::abs(top_sum - 0.6 * n) < 0.08 * n);
    CHECK(std::abs(mid_sum - 0.4 * n) < 0.08 * n);
  }

  TEST_CASE("metrics: a resource is shared by its points and a leak in it quarantines them all") {
    memory_sink s;
    harness h(s);
    const auto c = make_corpus(30);
    auto r = h.post(agent_body(call_spec(), c, {{"service.name", "voxline"}}));
    REQUIRE(r.status == 200);
    const auto stored = s.metrics();
    REQUIRE(stored.size() > 1);
    // One copy of the resource text for the whole request, however many points it has.
    CHECK(stored.front().point.resource.get() == stored.back().point.resource.get());
    r = h.post(agent_body(call_spec(), c, {{"service.name", "alice.miller@example.org"}}));
    REQUIRE(r.status == 200);
    const auto j = json::parse(r.body);
    CHECK(j["accepted"] == 0);
    CHECK(j["quarantined"] == stored.size());
    CHECK(h.metrics.metric_quarantined_count("leak:email") == stored.size());
  }
}
