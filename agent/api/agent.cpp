// veil::agent: wires the stages (pipeline.hpp) to the queue and the worker, and opens the
// state directory: <state>/pseudonym.key (key ring), <state>/consent.json, <state>/install_id,
// <state>/spool/ (file_spool, locked while open).
#include "veil/agent.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <iterator>

#include "agent/crash/crash_handler.hpp"
#include "agent/crash/crash_record.hpp"
#include "agent/crash/crash_report.hpp"
#include "agent/crash/crash_scrub.hpp"
#include "agent/crash/crash_import.hpp"
#include "agent/crypto/random.hpp"
#include "agent/crypto/secure_key.hpp"
#include "agent/platform/file_util.hpp"
#include "agent/api/agent_access.hpp"
#include "veil/version.h"
#include "agent/spool/file_spool.hpp"
#include "agent/spool/memory_spool.hpp"
#include "agent/policy/actions.hpp"
#include "agent/policy/text_scanner.hpp"
#include "agent/upload/host_uploader.hpp"
#include "agent/upload/http_uploader.hpp"
#include "agent/upload/logging_uploader.hpp"

namespace veil {

using namespace detail;

struct agent::impl {
  agent_options opts;
  std::unique_ptr<pipeline> pipe;
  std::unique_ptr<event_queue> queue;
  std::unique_ptr<worker> work;
  clock_fn clock;
  std::shared_ptr<uploader> rights_up;  // subject access requests (export), off the sender
  // Host transport (agent_transport.cpp): the exchanges waiting for transport_done(); `self`
  // is what the host's callback is given, set before the transport lets a request out.
  std::shared_ptr<host_transport> host;
  agent* self = nullptr;
  void say(log_level l, const std::string& m) const noexcept { log_message(opts, l, m); }
  std::atomic<bool> closed{false};
  std::mutex close_mu;

  // Crash capture (agent::install_crash_handler).
  std::mutex crash_mu;
  std::atomic<bool> crash_owner{false};             // this agent installed the process's handler
  std::atomic<std::int64_t> modules_checked_ms{0};  // steady ms of the last module-map check
  std::atomic<std::uint64_t> breadcrumbs{0}, breadcrumb_redactions{0}, crash_reports_queued{0},
      crash_reports_not_consented{0}, crash_records_unreadable{0}, crash_reports_imported{0},
      crash_imports_rejected{0};
  std::filesystem::path crash_dir() const {
    return std::filesystem::path(opts.state_dir) / "crash";
  }
  void stop_crash_capture() noexcept {
    std::lock_guard lk(crash_mu);
    if (crash_owner) crash::uninstall_and_wipe();
    crash_owner = false;
    (void)crash::discard_pending(crash_dir());
  }

  ~impl() {
    // A send waiting for the host ends now; the worker references the pipeline and queue:
    // stop it first.
    if (host) host->shutdown();
    if (work) work->stop();
  }
};

namespace {

failure fail(status s, std::string msg) { return failure{s, std::move(msg)}; }

status from_errc(errc c) {
  switch (c) {
    case errc::invalid_argument: return status::invalid_argument;
    case errc::policy_invalid: return status::policy_invalid;
    case errc::io_error: return status::io_error;
    case errc::corrupt: return status::io_error;
    case errc::not_found: return status::io_error;
    case errc::unavailable: return status::unavailable;
    default: return status::internal;
  }
}

// 16 random bytes as hex, made once per install and kept in <state>/install_id (0600). Only a
// keyed pseudonym of it (under the current epoch key) is ever sent.
result<std::string> load_install_id(const std::filesystem::path& dir) {
  const auto path = dir / "install_id";
  auto r = read_file(path);
  if (r && r->size() == 32) return std::move(*r);
  if (!r && r.err().code != errc::not_found) return std::move(r).err();
  auto rid = random_hex_id();
  if (!rid) return std::move(rid).err();
  std::string id = std::move(*rid);
  if (auto w = write_file_atomic(path, id, 0600); !w) return std::move(w).err();
  return id;
}

}  // namespace

std::unique_ptr<agent::impl> agent_access::build(agent_options o, agent_hooks h, failure& why) {
  if (auto f = o.validate()) {
    why = std::move(*f);
    return nullptr;
  }
  if (auto c = crypto_init(); !c) {
    why = fail(status::internal, c.err().message);
    return nullptr;
  }
  auto im = std::make_unique<agent::impl>();
  im->clock = h.clock ? h.clock : clock_fn([] { return std::chrono::system_clock::now(); });
  const auto now = im->clock();

  std::string policy_text = o.policy_json;
  if (policy_text.empty()) {
    auto t = read_file(o.policy_file);
    if (!t) {
      why = fail(status::policy_invalid, "policy file " + o.policy_file + ": " + t.err().message);
      return nullptr;
    }
    policy_text = std::move(*t);
  }
  policy_report rep;
  auto pol = compile_policy(policy_text, rep);
  if (!pol) {
    std::string msg = "policy: " + pol.err().message;
    for (const auto& e : rep.errors) msg += "; " + e.path + ": " + e.message;
    why = fail(status::policy_invalid, msg);
    return nullptr;
  }

  const std::filesystem::path state = o.state_dir;
  if (auto d = make_dirs(state, 0700); !d) {
    why = fail(status::io_error, d.err().message);
    return nullptr;
  }
  pipeline_parts parts;
  parts.policy = *pol;
  parts.clock = im->clock;
  auto ring = file_key_ring::open({state, (*pol)->key_epoch}, now);
  if (!ring) {
    why = fail(from_errc(ring.err().code), ring.err().message);
    return nullptr;
  }
  parts.keys = std::move(*ring);
  auto consent = consent_store::open({state, (*pol)->categories, o.consent_granted_by_default});
  if (!consent) {
    why = fail(from_errc(consent.err().code), consent.err().message);
    return nullptr;
  }
  parts.consent = std::move(*consent);

  spool_options so;
  so.max_bytes = o.storage.max_bytes;
  so.max_age = std::chrono::duration_cast<std::chrono::seconds>(o.storage.max_age);
  so.max_retries = o.storage.max_retries;
  so.sync_each_append = o.storage.sync_each_append;
  so.clock = im->clock;
  auto sp =
      o.storage.in_memory ? make_memory_spool(so) : open_file_spool({state / "spool", {}, so});
  if (!sp) {
    why = fail(from_errc(sp.err().code), sp.err().message);
    return nullptr;
  }
  parts.store = std::move(*sp);

  auto id = load_install_id(state);
  if (!id) {
    why = fail(status::io_error, id.err().message);
    return nullptr;
  }
  parts.install_id = std::move(*id);
  parts.install_id_file = state / "install_id";
  {
    rights_options ro;
    ro.dir = state / "rights";
    ro.window = std::chrono::duration_cast<std::chrono::seconds>(o.rights.retention);
    auto rs = rights_store::open(ro, now);
    if (!rs) {
      why = fail(from_errc(rs.err().code), rs.err().message);
      return nullptr;
    }
    parts.rights = std::move(*rs);
  }
  parts.resource = {o.resource.service_name, o.resource.app_version, o.resource.os_name};
  if (auto lanes = aggregate_lanes(**pol); !lanes.empty()) {
    // Aggregate mode: windows live beside the spool, encrypted the same way; an in-memory
    // spool keeps them in memory too.
    aggregate::store_options ao;
    if (!o.storage.in_memory) {
      ao.file = state / "aggregates";
      ao.key_file = state / "aggregates.key";
    }
    ao.max_age = std::chrono::duration_cast<std::chrono::seconds>(o.storage.max_age);
    ao.resource = metrics_resource(parts.resource);
    ao.scope_version = VEIL_VERSION_STRING;
    auto as = aggregate::store::open(std::move(lanes), std::move(ao));
    if (!as) {
      why = fail(from_errc(as.err().code), "aggregates: " + as.err().message);
      return nullptr;
    }
    parts.aggregates = std::move(*as);
  }
  parts.batch_records = o.batch.max_records;
  parts.inflight_file = state / "inflight";
  parts.batch_bytes = o.batch.max_bytes;
  parts.lease_duration =
      o.upload.connect_timeout + 2 * o.upload.io_timeout + std::chrono::seconds(30);

  if (h.upload) {
    parts.up = h.upload;
  } else if (!o.upload.endpoint.empty() && o.upload.transport) {
    if (auto f = agent_access::make_host_uploaders(*im, o, parts)) {
      why = std::move(*f);
      return nullptr;
    }
  } else if (!o.upload.endpoint.empty()) {
    http_options ho;
    ho.endpoint = o.upload.endpoint;
    ho.api_key = o.upload.api_key;
    ho.ca_file = o.upload.ca_file;
    ho.connect_timeout = o.upload.connect_timeout;
    ho.io_timeout = o.upload.io_timeout;
    if (!o.upload.spki_pin.empty()) {
      auto pin = parse_spki_pin(o.upload.spki_pin);
      if (!pin) {
        why = fail(status::invalid_argument, "upload.spki_pin: " + pin.err().message);
        return nullptr;
      }
      ho.pin = *pin;
    }
    auto up = http_uploader::create(ho);
    if (!up) {
      why = fail(status::invalid_argument, "upload: " + up.err().message);
      return nullptr;
    }
    parts.up = std::shared_ptr<uploader>(std::move(*up));
    // A second transport for access requests, so export() never waits for the sender thread.
    if (auto ru = http_uploader::create(ho))
      im->rights_up = std::shared_ptr<uploader>(std::move(*ru));
  }
  if (!im->rights_up) im->rights_up = parts.up;
  if (parts.up && o.log)
    parts.up = std::make_shared<logging_uploader>(parts.up, o.log, o.min_log_level);
  if (parts.up) {
    std::string dict;
    if (!o.upload.dictionary_file.empty()) {
      auto d = read_file(o.upload.dictionary_file);
      if (!d) {
        why = fail(status::io_error, "upload.dictionary_file: " + d.err().message);
        return nullptr;
      }
      dict = std::move(*d);
    }
    codec_options co;
    co.level = o.upload.zstd_level;
    auto codec = batch_codec::create(co, dict);
    if (!codec) {
      why = fail(status::invalid_argument, "zstd: " + codec.err().message);
      return nullptr;
    }
    parts.codec.emplace(std::move(*codec));
  }

  im->pipe = std::make_unique<pipeline>(std::move(parts));
  im->queue = std::make_unique<event_queue>(o.queue);
  worker_options wo;
  wo.batch_records = o.batch.max_records;
  wo.batch_bytes = o.batch.max_bytes;
  wo.batch_age = o.batch.max_age;
  wo.backoff.floor = o.upload.backoff_floor;
  wo.backoff.cap = o.upload.backoff_cap;
  wo.backoff.max_attempts_per_minute = o.upload.max_attempts_per_minute;
  wo.rng = h.rng;
  wo.steady = h.steady;
  wo.on_thread_start = crash::attach_thread;  // its frames join a crash report's threads
  im->work = std::make_unique<worker>(*im->pipe, *im->queue, wo);
  im->opts = std::move(o);
  im->work->start();
  agent_access::take_crash_report(*im);
  return im;
}

// A crash record left by the previous process becomes a crash.report event under the `crash`
// consent; it is deleted whether or not consent is given (crash_report.hpp).
void agent_access::take_crash_report(agent::impl& im) {
  auto r = crash::take_pending(im.crash_dir(), crash::scrub_text_noexcept);
  if (!r) {
    im.crash_records_unreadable.fetch_add(1);
    return;
  }
  if (!*r) return;
  bool granted = false;
  if (im.pipe->get_consent("crash", granted) != status::ok || !granted) {
    im.crash_reports_not_consented.fetch_add(1);
    im.pipe->count_drop(drop_reason::not_consented);
    return;
  }
  queued_event e;
  e.type = "crash.report";
  e.payload = std::move((*r)->attrs_json);
  e.ts_ms = (*r)->time_unix_ms;
  bool was_empty = false;
  if (im.queue->push(std::move(e), was_empty) == event_queue::push_result::queued) {
    im.crash_reports_queued.fetch_add(1);
    im.work->notify();
  }
}

agent::agent(std::unique_ptr<impl> p) noexcept : impl_(std::move(p)) {}

agent::~agent() { (void)close(impl_->opts.shutdown_timeout); }

std::unique_ptr<agent> agent::open(agent_options options, failure* why) noexcept {
  return agent_access::open(std::move(options), {}, why);
}

std::unique_ptr<agent> agent::open_config(std::string_view path_or_json, failure* why) noexcept {
  try {
    agent_options o;
    if (auto f = load_config(path_or_json, o)) {
      if (why) *why = std::move(*f);
      return nullptr;
    }
    return open(std::move(o), why);
  } catch (...) {
    if (why) *why = {status::no_memory, "out of memory"};
    return nullptr;
  }
}

status agent::record(std::string_view type, std::string_view attrs_json) noexcept {
  return record(type, attrs_json, impl_->clock());
}

status agent::record(std::string_view type, std::string_view attrs_json,
                     std::chrono::system_clock::time_point ts) noexcept {
  if (impl_->closed.load(std::memory_order_acquire)) return status::closed;
  // An event the parser would reject for its size is not even copied: the queue's memory stays
  // bounded by capacity x event limit whatever the host passes.
  if (type.size() + attrs_json.size() > event_limits{}.max_event_bytes) {
    impl_->pipe->count_drop(drop_reason::too_large);
    return status::invalid_argument;
  }
  try {
    queued_event e;
    e.type.assign(type);
    e.payload.assign(attrs_json);
    e.ts_ms = std::chrono::duration_cast<std::chrono::milliseconds>(ts.time_since_epoch()).count();
    return agent_access::enqueue(*this, std::move(e));
  } catch (...) {
    return status::no_memory;
  }
}

status agent::record_envelope(std::string_view envelope_json) noexcept {
  if (impl_->closed.load(std::memory_order_acquire)) return status::closed;
  if (envelope_json.size() > event_limits{}.max_event_bytes) {
    impl_->pipe->count_drop(drop_reason::too_large);
    return status::invalid_argument;
  }
  try {
    queued_event e;
    e.payload.assign(envelope_json);
    e.envelope = true;
    return agent_access::enqueue(*this, std::move(e));
  } catch (...) {
    return status::no_memory;
  }
}

status agent_access::enqueue(agent& a, queued_event&& e) noexcept {
  auto& im = *a.impl_;
  bool was_empty = false;
  switch (im.queue->push(std::move(e), was_empty)) {
    case event_queue::push_result::queued:
      if (was_empty) im.work->notify();
      return status::ok;
    case event_queue::push_result::dropped: return status::queue_full;
    case event_queue::push_result::closed: return status::closed;
  }
  return status::internal;
}

status agent::set_consent(std::string_view category, bool granted) noexcept {
  return set_consent(category, granted, "cpp");
}

status agent::set_consent(std::string_view category, bool granted, std::string_view via) noexcept {
  if (impl_->closed.load()) return status::closed;
  const status s = impl_->pipe->set_consent(category, granted, via);
  if (s == status::ok && !granted) {
    impl_->work->settle_revoke(impl_->opts.upload.connect_timeout +
                               2 * impl_->opts.upload.io_timeout);
    if (category == "crash") impl_->stop_crash_capture();
  }
  return s;
}

status agent::object(std::string_view category, std::string_view via) noexcept {
  if (impl_->closed.load()) return status::closed;
  const status s = impl_->pipe->object(category, via);
  if (s == status::ok) {
    impl_->work->settle_revoke(impl_->opts.upload.connect_timeout +
                               2 * impl_->opts.upload.io_timeout);
    if (category == "crash") impl_->stop_crash_capture();
  }
  return s;
}

std::string agent::consent_json() const {
  using nlohmann::json;
  const auto snap = impl_->pipe->consent().snapshot();
  json cats = json::object();
  for (const auto& [name, g] : snap.categories) {
    const bool objected =
        std::find(snap.objected.begin(), snap.objected.end(), name) != snap.objected.end();
    cats[name] = {{"granted", g && !snap.under_16}, {"objected", objected}};
  }
  json hist = json::array();
  for (const auto& h : snap.history) {
    json e{{"category", h.category},
           {"granted", h.granted},
           {"time_ms",
            std::chrono::duration_cast<std::chrono::milliseconds>(h.at.time_since_epoch()).count()},
           {"via", h.via}};
    if (h.objection) e["objection"] = true;
    hist.push_back(std::move(e));
  }
  return json{{"categories", cats}, {"under_16", snap.under_16}, {"history", hist}}.dump();
}

status agent::erase() noexcept {
  if (impl_->closed.load()) return status::closed;
  try {
    auto st = std::make_shared<std::atomic<status>>(status::timeout);
    pipeline* p = impl_->pipe.get();
    if (!impl_->work->run_sync([st, p] { st->store(p->erase_all()); }, std::chrono::seconds(30)))
      return status::timeout;
    impl_->stop_crash_capture();
    return st->load();
  } catch (...) {
    return status::no_memory;
  }
}

std::string agent::erasure_status_json() const {
  using nlohmann::json;
  auto* r = impl_->pipe->rights();
  if (!r) return R"({"pending":false,"installs":0,"receipts":[]})";
  auto pending = r->pending_erasure();
  json receipts = json::parse(r->receipts_json(), nullptr, false);
  if (receipts.is_discarded()) receipts = json::array();
  return json{{"pending", pending.has_value()},
              {"installs", pending ? pending->items.size() : 0},
              {"receipts", receipts}}
      .dump();
}

namespace {

nlohmann::json record_json(const spool_record& r) {
  auto j = nlohmann::json::parse(r.payload, nullptr, false);
  if (j.is_discarded()) j = r.payload;  // shown as stored
  return j;
}

nlohmann::json aggregate_stats(const aggregate::store* a, const runtime_counters& c) {
  if (!a) return {{"enabled", false}};
  const auto s = a->counters();
  return {{"enabled", true},
          {"events_folded", c.events_aggregated.load()},
          {"open_events", a->open_events()},
          {"windows_sealed", s.windows_sealed},
          {"windows_sent", s.windows_sent},
          {"windows_waiting", a->sealed_count()},
          {"windows_dropped", s.sealed_dropped},
          {"events_dropped_unsent", s.sealed_dropped_events},
          {"events_in_overflow_cell", s.overflow_events},
          {"measures_not_numbers", s.bad_measures},
          {"discarded_at_open", a->discarded_events()}};
}

// Aggregate windows as they leave (sealed) or would leave if sealed now (open).
nlohmann::json aggregates_of(const pipeline& p) {
  using nlohmann::json;
  json out = json::array();
  const auto* a = p.aggregates();
  if (!a) return out;
  for (const auto& g : a->preview())
    out.push_back({{"type", g.type},
                   {"category", g.category},
                   {"window_start_s", g.start_s},
                   {"events", g.events},
                   {"state", g.id.empty() ? "open" : "sealed"},
                   {"metrics", json::parse(g.body, nullptr, false)}});
  return out;
}

nlohmann::json preview_of(pipeline& p, std::size_t max_records, bool& truncated) {
  using nlohmann::json;
  json cats = json::object();
  for (const auto& c : p.policy().categories) cats[c] = {{"records", 0}, {"events", json::array()}};
  auto recs = p.store().peek(max_records, 8u << 20);
  const auto live = p.live_records();
  std::size_t shown = 0;
  if (recs) {
    for (const auto& r : *recs) {
      auto& c = cats[r.category];
      if (!c.is_object()) c = {{"records", 0}, {"events", json::array()}};
      c["records"] = c["records"].get<std::size_t>() + 1;
      c["events"].push_back(record_json(r));
      ++shown;
    }
  }
  truncated = !recs || shown < live;
  return cats;
}

}  // namespace

std::string agent::preview_json(std::size_t max_records) const {
  using nlohmann::json;
  try {
    bool truncated = false;
    auto cats = preview_of(*impl_->pipe, max_records, truncated);
    auto [token, epoch] = impl_->pipe->current_install();
    return json{{"version", 1},
                {"install", token},
                {"upload_enabled", impl_->pipe->has_uploader()},
                {"erasure_pending", impl_->pipe->erasure_pending()},
                {"stored_records", impl_->pipe->live_records()},
                {"truncated", truncated},
                {"categories", cats},
                {"aggregates", aggregates_of(*impl_->pipe)}}
        .dump();
  } catch (...) {
    return R"({"version":1,"error":"out of memory"})";
  }
}

std::string agent::export_json() {
  using nlohmann::json;
  try {
    auto& im = *impl_;
    const auto now = im.clock();
    const auto now_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
    json doc{{"schema", "veil-export"}, {"version", 1}, {"generated_ms", now_ms}};
    auto [token, epoch] = im.pipe->current_install();
    doc["install"] = {{"current_token", token}, {"epoch_s", epoch}};
    doc["consent"] = json::parse(consent_json());
    bool truncated = false;
    doc["pending"] = {{"categories", preview_of(*im.pipe, 100'000, truncated)},
                      {"stored_records", im.pipe->live_records()},
                      {"truncated", truncated},
                      {"aggregates", aggregates_of(*im.pipe)}};
    json tokens = json::array(), batches = json::array();
    std::vector<ledger_token> toks;
    if (auto* r = im.pipe->rights()) {
      toks = r->tokens();
      for (const auto& t : toks)
        tokens.push_back({{"token", t.token},
                          {"epoch_s", t.epoch_s},
                          {"first_used_ms", t.first_ms},
                          {"last_used_ms", t.last_ms}});
      for (const auto& b : r->batches()) {
        json cats = json::object();
        for (const auto& [c, n] : b.categories) cats[c] = n;
        batches.push_back({{"id", b.id},
                           {"time_ms", b.time_ms},
                           {"records", b.records},
                           {"categories", cats},
                           {"digest", "blake2b-256:" + b.digest}});
      }
    }
    doc["ledger"] = {{"retention_days", im.opts.rights.retention.count() / 24},
                     {"tokens", tokens},
                     {"batches", batches}};
    doc["erasure"] = json::parse(erasure_status_json());
    doc["collector"] = agent_access::subject_access(*this, toks);
    doc["counters"] = json::parse(stats_json());
    return doc.dump();
  } catch (...) {
    return R"({"schema":"veil-export","version":1,"error":"out of memory"})";
  }
}

status agent::install_crash_handler() noexcept {
  if (impl_->closed.load()) return status::closed;
  try {
    // Under crash_mu: a revoke that lands between the consent check and the install waits for
    // the install, then uninstalls (set_consent stores the revoke before it takes crash_mu).
    std::lock_guard lk(impl_->crash_mu);
    bool granted = false;
    const status c = impl_->pipe->get_consent("crash", granted);
    if (c != status::ok) return c;
    if (!granted) return status::not_consented;
    if (impl_->crash_owner) return status::ok;
    crash::install_options o;
    o.dir = impl_->crash_dir();
    o.app_version = impl_->opts.resource.app_version;
    o.os_name = impl_->opts.resource.os_name;
    o.os_version = impl_->opts.resource.os_version;
    o.scrub = crash::scrub_text_noexcept;
    auto r = crash::install(o);
    if (!r) return r.err().code == errc::unavailable ? status::unavailable : status::io_error;
    impl_->crash_owner = true;
    return status::ok;
  } catch (...) {
    return status::no_memory;
  }
}

status agent::breadcrumb(std::string_view text) noexcept {
  if (impl_->closed.load(std::memory_order_acquire)) return status::closed;
  // Only the agent that owns the handler feeds its ring.
  if (!impl_->crash_owner.load(std::memory_order_acquire)) return status::ok;
  try {
    // Scrub only what can be kept: the ring holds at most 255 bytes of a line.
    redaction_counts c;
    const std::string clean = crash::scrub_text(text.substr(0, 4 * crash::breadcrumb_bytes), c);
    crash::add_breadcrumb(clean);
    // Modules loaded after install (plug-ins, codecs) join the map at most once a second, so a
    // crash in them still names module and build id.
    const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::steady_clock::now().time_since_epoch())
                            .count();
    auto last = impl_->modules_checked_ms.load(std::memory_order_relaxed);
    if (now_ms - last >= 1000 &&
        impl_->modules_checked_ms.compare_exchange_strong(last, now_ms, std::memory_order_relaxed))
      crash::refresh_modules();
    impl_->breadcrumbs.fetch_add(1, std::memory_order_relaxed);
    if (const auto n = c.total())
      impl_->breadcrumb_redactions.fetch_add(n, std::memory_order_relaxed);
    return status::ok;
  } catch (...) {
    return status::no_memory;
  }
}

void agent::prepare_thread_for_crashes() noexcept { crash::attach_thread(); }

status agent::import_crash_report(std::string_view contents, failure* why) noexcept {
  auto fail_with = [&](status s, std::string msg) {
    if (why) *why = failure{s, std::move(msg)};
    return s;
  };
  if (impl_->closed.load()) return fail_with(status::closed, "the agent is closed");
  try {
    // Consent first: without it the report is not even parsed.
    bool granted = false;
    if (const status c = impl_->pipe->get_consent("crash", granted); c != status::ok)
      return fail_with(c, "consent category \"crash\" is not in the policy");
    if (!granted) {
      impl_->crash_reports_not_consented.fetch_add(1);
      impl_->pipe->count_drop(drop_reason::not_consented);
      return fail_with(status::not_consented,
                       "crash reports are not consented (category \"crash\"); nothing was kept");
    }
    auto r = crash::import_platform_report(contents, crash::scrub_text_noexcept,
                                           impl_->opts.resource.app_version);
    if (!r) {
      impl_->crash_imports_rejected.fetch_add(1);
      return fail_with(status::invalid_argument, r.err().message);
    }
    queued_event e;
    e.type = "crash.report";
    e.payload = std::move(r->attrs_json);
    e.ts_ms = r->time_unix_ms ? *r->time_unix_ms
                              : std::chrono::duration_cast<std::chrono::milliseconds>(
                                    std::chrono::system_clock::now().time_since_epoch())
                                    .count();
    bool was_empty = false;
    switch (impl_->queue->push(std::move(e), was_empty)) {
      case event_queue::push_result::queued:
        impl_->crash_reports_imported.fetch_add(1);
        impl_->work->notify();
        return status::ok;
      case event_queue::push_result::dropped:
        return fail_with(status::queue_full, "the event queue is full (counted as queue_full)");
      case event_queue::push_result::closed:
        return fail_with(status::closed, "the agent is closed");
    }
    return status::internal;
  } catch (...) {
    return fail_with(status::no_memory, "out of memory while importing a crash report");
  }
}

status agent::get_consent(std::string_view category, bool& granted) const noexcept {
  if (impl_->closed.load()) return status::closed;
  return impl_->pipe->get_consent(category, granted);
}

status agent::set_under_16(bool under_16) noexcept {
  if (impl_->closed.load()) return status::closed;
  try {
    auto st = std::make_shared<std::atomic<status>>(status::timeout);
    pipeline* p = impl_->pipe.get();
    if (!impl_->work->run_sync([st, p, under_16] { st->store(p->set_under_16(under_16)); },
                               std::chrono::seconds(30)))
      return status::timeout;
    const status s = st->load();
    if (s == status::ok && under_16) impl_->stop_crash_capture();
    return s;
  } catch (...) {
    return status::no_memory;
  }
}

status agent::flush(std::chrono::milliseconds timeout) noexcept {
  if (impl_->closed.load()) return status::closed;
  return impl_->work->flush(timeout) ? status::ok : status::timeout;
}

std::string agent_access::stats(const agent& a) {
  const auto& impl_ = a.impl_;
  using nlohmann::json;
  const auto& c = impl_->pipe->counters();
  const auto q = impl_->queue->counters();
  json drops = json::object();
  for (std::size_t i = 0; i < drop_reason_count; ++i)
    drops[std::string(drop_reason_names[i])] = c.drops[i].load();
  drops["queue_full"] = drops["queue_full"].get<std::uint64_t>() + q.dropped();
  const auto s = impl_->pipe->store().counters();
  drops["spool_full"] = drops["spool_full"].get<std::uint64_t>() + s.spool_full;
  drops["too_old"] = drops["too_old"].get<std::uint64_t>() + s.too_old;
  drops["retry_exhausted"] = drops["retry_exhausted"].get<std::uint64_t>() + s.retry_exhausted;
  drops["corrupt"] = drops["corrupt"].get<std::uint64_t>() + s.corrupt;
  json j = {
      {"queue",
       {{"capacity", impl_->opts.queue.capacity},
        {"depth", q.depth},
        {"high_water", q.high_water},
        {"accepted", q.pushed},
        {"discarded", q.discarded},
        {"overrun", q.overrun},
        {"block_timeouts", q.block_timeouts},
        {"lost_at_close", q.lost_at_close}}},
      {"pipeline",
       {{"processed", c.events_processed.load()},
        {"stored", c.events_stored.load()},
        {"redactions", c.redactions.load()},
        {"key_rotations", c.rotations.load()}}},
      {"drops", drops},
      {"aggregate", aggregate_stats(impl_->pipe->aggregates(), c)},
      {"spool",
       {{"appended", s.appended},
        {"acked", s.acked},
        {"purged_not_consented", s.not_consented},
        {"erased", s.erased},
        {"torn_tail", s.torn_tail},
        {"live_records", s.live_records},
        {"disk_bytes", s.disk_bytes}}},
      {"upload",
       {{"enabled", impl_->pipe->has_uploader()},
        {"attempts", c.upload_attempts.load()},
        {"batches_sent", c.batches_sent.load()},
        {"records_sent", c.records_sent.load()},
        {"bytes_sent", c.bytes_sent.load()},
        {"retries", c.upload_retries.load()},
        {"batches_rejected", c.batches_rejected.load()},
        {"batches_split", c.batches_split.load()},
        {"leases_invalidated", c.leases_invalidated.load()},
        {"consecutive_failures", impl_->work->consecutive_failures()},
        {"last_http_status", c.last_http_status.load()}}},
      {"crash",
       {{"handler_installed", crash::installed()},
        {"breadcrumbs", impl_->breadcrumbs.load()},
        {"breadcrumb_redactions", impl_->breadcrumb_redactions.load()},
        {"reports_queued", impl_->crash_reports_queued.load()},
        {"reports_not_consented", impl_->crash_reports_not_consented.load()},
        {"records_unreadable", impl_->crash_records_unreadable.load()},
        {"reports_imported", impl_->crash_reports_imported.load()},
        {"imports_rejected", impl_->crash_imports_rejected.load()}}},
  };
  return j.dump();
}

std::string agent::stats_json() const noexcept {
  try {
    return agent_access::stats(*this);
  } catch (...) {
    return R"({"error":"oom"})";  // fits the small-string buffer: no allocation, no throw
  }
}

status agent::close(std::chrono::milliseconds timeout) noexcept {
  std::lock_guard lk(impl_->close_mu);
  if (impl_->closed.exchange(true)) return status::closed;
  impl_->queue->close();
  const bool flushed = impl_->work->flush(timeout);
  // A host exchange still waiting ends now (its lease expires; resent after the next open with
  // the same Idempotency-Key); the host's callback is not called again.
  if (impl_->host) impl_->host->shutdown();
  impl_->work->stop();
  impl_->queue->discard_rest();
  {
    // The handler lives as long as the agent: without it nothing would turn the record into a
    // report, and the next agent of this process must not read a live record.
    std::lock_guard ck(impl_->crash_mu);
    if (impl_->crash_owner) crash::uninstall_and_wipe();
    impl_->crash_owner = false;
  }
  impl_->say(flushed ? log_level::info : log_level::warn,
             flushed ? "agent closed" : "agent closed: flush timed out, stored records kept");
  return flushed ? status::ok : status::timeout;
}

status agent::close() noexcept { return close(impl_->opts.shutdown_timeout); }

namespace detail {

std::atomic<bool> c_api_fault_injection{false};

std::unique_ptr<agent> agent_access::open(agent_options o, agent_hooks h, failure* why) noexcept {
  try {
    failure f;
    const log_fn log = o.log;
    const log_level min_level = o.min_log_level;
    auto im = agent_access::build(std::move(o), std::move(h), f);
    if (!im) {
      agent_options lo;
      lo.log = log;
      lo.min_log_level = min_level;
      log_message(lo, log_level::error, "open failed: " + f.message);
      if (why) *why = std::move(f);
      return nullptr;
    }
    auto* raw = im.get();
    std::unique_ptr<agent> a(new agent(std::move(im)));
    raw->self = a.get();
    if (raw->host) raw->host->open_gate();  // the host's callback may now be given the agent
    raw->say(log_level::info, agent_access::open_summary(*a));
    return a;
  } catch (const std::bad_alloc&) {
    if (why) *why = {status::no_memory, "out of memory"};
  } catch (const std::exception& e) {
    if (why) *why = {status::internal, e.what()};
  } catch (...) {
    if (why) *why = {status::internal, "unknown exception"};
  }
  return nullptr;
}

// The collector's answer to a signed access request per token (GET /v1/subject, paged).
nlohmann::json agent_access::subject_access(agent& a, const std::vector<ledger_token>& tokens) {
  using nlohmann::json;
  auto& im = *a.impl_;
  if (!im.rights_up || !im.pipe->has_uploader())
    return {{"status", "not_configured"}, {"subjects", json::array()}};
  auto* rights = im.pipe->rights();
  json subjects = json::array();
  std::string status_text = "ok", error;
  const auto deadline = std::chrono::steady_clock::now() + im.opts.rights.collector_timeout;
  for (const auto& t : tokens) {
    json rows = json::array();
    std::uint64_t offset = 0, total = 0;
    bool done = false;
    for (int page = 0; page < 1000 && !done; ++page) {
      if (std::chrono::steady_clock::now() >= deadline) {
        status_text = "partial";
        error = "collector_timeout";
        break;
      }
      const auto ms = std::to_string(
          std::chrono::duration_cast<std::chrono::milliseconds>(im.clock().time_since_epoch())
              .count());
      auto sig = rights ? rights->sign_subject(t.epoch_s, t.token, ms)
                        : result<std::string>(make_error(errc::not_found, "no rights store"));
      if (!sig) {
        status_text = "partial";
        error = "no_proof";
        break;
      }
      upload_batch b;
      b.get = true;
      b.path = "/v1/subject" + (offset ? "?offset=" + std::to_string(offset) : std::string());
      b.content_encoding = "identity";
      b.headers = {{"X-Veil-Install", t.token}, {"X-Veil-Time", ms}, {"X-Veil-Signature", *sig}};
      b.max_response_bytes = 16u << 20;
      auto r = im.rights_up->send(b);
      if (r.result != upload_result::ok) {
        status_text = r.http_status == 0 ? "unreachable" : "partial";
        error = r.http_status ? "http " + std::to_string(r.http_status) : r.reason;
        break;
      }
      auto j = json::parse(r.body, nullptr, false);
      if (j.is_discarded() || !j.is_object() || !j.contains("rows") || !j["rows"].is_array()) {
        status_text = "partial";
        error = "unreadable answer";
        break;
      }
      for (auto& row : j["rows"]) rows.push_back(std::move(row));
      total = j.value("total", rows.size());
      if (j.contains("next_offset") && j["next_offset"].is_number_unsigned())
        offset = j["next_offset"].get<std::uint64_t>();
      else done = true;
    }
    subjects.push_back({{"install", t.token}, {"total", total}, {"rows", rows}});
    if (status_text == "unreachable") break;
  }
  json out{{"status", status_text}, {"subjects", subjects}};
  if (!error.empty()) out["error"] = error;
  return out;
}

// ---- Host transport and log lines (issue 16) -------------------------------------------------

void log_message(const agent_options& o, log_level level, const std::string& message) noexcept {
  if (!o.log || static_cast<int>(level) < static_cast<int>(o.min_log_level)) return;
  try {
    o.log(level, message);
  } catch (...) {
    // A host logger that throws must not take the agent down.
  }
}

std::optional<failure> agent_access::make_host_uploaders(agent::impl& im, const agent_options& o,
                                                         pipeline_parts& parts) {
  // Gated: the sender may take a leftover batch before open() returns; the host's callback is
  // given the agent, which exists only then (agent_access::open opens the gate).
  agent::impl* self = &im;
  im.host = std::make_shared<host_transport>(
      [self](std::uint64_t id, const http_request& r, std::string_view body) {
        transport_request tr;
        tr.id = id;
        tr.method = r.method();
        tr.url = r.url;
        tr.headers = r.headers;
        tr.body = body;
        self->opts.upload.transport(*self->self, tr);
      },
      true);
  host_options ho;
  ho.endpoint = o.upload.endpoint;
  ho.api_key = o.upload.api_key;
  ho.timeout = o.upload.connect_timeout + o.upload.io_timeout;
  auto up = host_uploader::create(ho, im.host);
  if (!up) return fail(status::invalid_argument, "upload: " + up.err().message);
  parts.up = std::shared_ptr<uploader>(std::move(*up));
  // Export's access requests get their own uploader, so they never wait for the sender.
  if (auto ru = host_uploader::create(ho, im.host))
    im.rights_up = std::shared_ptr<uploader>(std::move(*ru));
  return std::nullopt;
}

std::string agent_access::open_summary(agent& a) {
  const auto& im = *a.impl_;
  const char* via = !im.pipe->has_uploader() ? "none (store only)"
                    : im.host                ? "host transport"
                                             : "built-in HTTP client";
  return "agent open: " + std::to_string(im.pipe->policy().categories.size()) +
         " consent categories, " + std::to_string(im.pipe->live_records()) +
         " records stored, upload via " + via;
}

}  // namespace detail

status agent::transport_done(std::uint64_t id, int http_status, int retry_after_s,
                             std::string_view body) noexcept {
  if (!impl_->host) return status::not_found;
  switch (impl_->host->complete(id, http_status, retry_after_s, body)) {
    case host_transport::done_result::ok: return status::ok;
    case host_transport::done_result::unknown_id: return status::not_found;
    case host_transport::done_result::bad_status: return status::invalid_argument;
  }
  return status::internal;
}

namespace detail {

worker& agent_access::worker_of(agent& a) { return *a.impl_->work; }
pipeline& agent_access::pipeline_of(agent& a) { return *a.impl_->pipe; }

}  // namespace detail
}  // namespace veil
