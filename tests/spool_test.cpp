#include <doctest/doctest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <fstream>
#include <future>
#include <map>
#include <mutex>
#include <thread>
#include <random>

#include "agent/spool/file_spool.hpp"
#include "agent/spool/memory_spool.hpp"
#include "agent/spool/segment_format.hpp"
#include "agent/spool/seq_index.hpp"
#include "agent/spool/seq_runs.hpp"
#include "agent/spool/spool_engine.hpp"
#include "test_util.hpp"

using namespace veil::detail;
using namespace std::chrono_literals;
using veil_test::fake_clock;
using veil_test::temp_dir;
namespace fs = std::filesystem;

namespace {

std::unique_ptr<spool> open_file(const fs::path& dir, spool_options o) {
  auto s = open_file_spool({dir, {}, std::move(o)});
  REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.err().message));
  return std::move(*s);
}

spool_lease reserve_all(spool& s) {
  auto l = s.reserve(1u << 20, std::size_t(1) << 40, 60s);
  REQUIRE(l.ok());
  return std::move(*l);
}

std::vector<std::string> payloads(const spool_lease& l) {
  std::vector<std::string> out;
  for (auto& r : l.records) out.push_back(r.payload);
  return out;
}

std::vector<fs::path> segments(const fs::path& dir) {
  std::vector<fs::path> out;
  for (auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".seg") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

void write_bytes(const fs::path& p, const std::string& d) {
  std::ofstream f(p, std::ios::binary | std::ios::trunc);
  f << d;
}

// Runs `body` against a memory spool and a file spool with the same options.
template <class Body>
void for_each_spool(spool_options o, Body body) {
  SUBCASE("memory") {
    auto s = make_memory_spool(o);
    REQUIRE(s.ok());
    body(**s);
  }
  SUBCASE("file") {
    temp_dir d;
    auto s = open_file(d.path / "spool", o);
    body(*s);
  }
}

// Group commit helpers: items over owned strings, and an append_batch that checks every result.
std::vector<spool_item> items_of(const std::vector<std::string>& v,
                                 std::string_view category = "usage") {
  std::vector<spool_item> out;
  for (auto& p : v) out.push_back(spool_item{category, p});
  return out;
}
std::vector<std::string> group(const std::string& prefix, int from, int n, std::size_t pad = 0) {
  std::vector<std::string> v;
  for (int i = from; i < from + n; ++i)
    v.push_back(prefix + std::to_string(i) + std::string(pad, '.'));
  return v;
}
void append_all(spool& s, const std::vector<std::string>& v) {
  std::vector<veil::result<std::uint64_t>> out;
  auto items = items_of(v);
  s.append_batch(items, out);
  REQUIRE(out.size() == v.size());
  for (auto& r : out) REQUIRE(r.ok());
}

// An in-memory storage that counts writes and syncs, can fail the next sync, and can hold a
// sync until released (to look at the spool from another thread meanwhile).
struct probe_storage final : spool_storage {
  struct state {
    std::atomic<int> writes{0}, syncs{0};
    bool fail_next_sync = false;
    std::mutex mu;
    std::condition_variable cv;
    bool hold = false, in_sync = false;
  };
  explicit probe_storage(std::shared_ptr<state> st) : st_(std::move(st)) {}
  veil::result<void> write(std::uint64_t seq, sys_time, std::string_view,
                           std::string_view payload) override {
    ++st_->writes;
    recs_[seq] = std::string(payload);
    used_ += 100 + payload.size();
    return {};
  }
  veil::result<void> sync() override {
    ++st_->syncs;
    std::unique_lock lk(st_->mu);
    st_->in_sync = true;
    st_->cv.notify_all();
    st_->cv.wait(lk, [&] { return !st_->hold; });
    st_->in_sync = false;
    if (st_->fail_next_sync) {
      st_->fail_next_sync = false;
      return veil::make_error(veil::errc::io_error, "injected fdatasync failure");
    }
    return {};
  }
  veil::result<std::string> read(std::uint64_t seq) override {
    auto it = recs_.find(seq);
    if (it == recs_.end()) return veil::make_error(veil::errc::not_found, "no such record");
    return it->second;
  }
  veil::result<void> remove(std::span<const std::uint64_t> seqs, bool) override {
    for (auto q : seqs)
      if (auto it = recs_.find(q); it != recs_.end()) {
        used_ -= 100 + it->second.size();
        recs_.erase(it);
      }
    return {};
  }
  veil::result<void> remove_all() override {
    recs_.clear();
    used_ = 0;
    return {};
  }
  veil::result<void> set_retries(
      std::span<const std::pair<std::uint64_t, std::uint32_t>>) override {
    return {};
  }
  std::uint64_t used_bytes() const override { return used_; }
  std::uint64_t cost(std::string_view, std::string_view payload) const override {
    return 100 + payload.size();
  }
  std::vector<std::uint64_t> oldest_unit() const override {
    if (recs_.empty()) return {};
    return {recs_.begin()->first};
  }
  std::shared_ptr<state> st_;
  std::map<std::uint64_t, std::string> recs_;
  std::uint64_t used_ = 0;
};

std::unique_ptr<spool> probe_spool(std::shared_ptr<probe_storage::state> st, spool_options o = {}) {
  return std::make_unique<spool_engine>(std::move(o),
                                        std::make_unique<probe_storage>(std::move(st)),
                                        std::vector<stored_record>{}, 1, spool_counters{});
}

}  // namespace

TEST_SUITE("spool") {
  TEST_CASE("append, reserve and ack return exact bytes in order") {
    fake_clock clk;
    spool_options o;
    o.clock = clk.fn();
    o.sync_each_append = false;
    for_each_spool(o, [&](spool& s) {
      std::string bin("a\0b\xff", 4);
      REQUIRE(s.append("usage", "one").ok());
      clk.advance(1s);
      REQUIRE(s.append("crash", bin).ok());
      REQUIRE(s.append("usage", "").ok());
      CHECK(s.append("", "x").err().code == veil::errc::invalid_argument);
      auto l = reserve_all(s);
      REQUIRE(l.records.size() == 3);
      CHECK(l.id != 0);
      CHECK(payloads(l) == std::vector<std::string>{"one", bin, ""});
      CHECK(l.records[1].category == "crash");
      CHECK(l.records[0].created + 1s == l.records[1].created);
      CHECK(s.lease_valid(l.id));
      // Leased records are invisible to another reserve.
      CHECK(reserve_all(s).records.empty());
      CHECK(*s.ack(l.id) == 3);
      CHECK_FALSE(s.lease_valid(l.id));
      CHECK(s.ack(l.id).err().code == veil::errc::not_found);
      CHECK(reserve_all(s).records.empty());
      auto c = s.counters();
      CHECK(c.appended == 3);
      CHECK(c.acked == 3);
      CHECK(c.live_records == 0);
    });
  }

  TEST_CASE("reserve honours max_records and max_bytes but returns at least one record") {
    spool_options o;
    o.sync_each_append = false;
    for_each_spool(o, [&](spool& s) {
      for (int i = 0; i < 5; ++i) REQUIRE(s.append("usage", std::string(100, char('a' + i))).ok());
      auto a = s.reserve(2, 1 << 20, 10s);
      REQUIRE(a.ok());
      CHECK(a->records.size() == 2);
      auto b = s.reserve(10, 250, 10s);
      CHECK(b->records.size() == 2);
      auto c = s.reserve(10, 10, 10s);
      CHECK(c->records.size() == 1);
      CHECK(c->records[0].payload == std::string(100, 'e'));
    });
  }

  TEST_CASE("expired leases come back; release returns records; the retry cap drops them") {
    fake_clock clk;
    spool_options o;
    o.clock = clk.fn();
    o.max_retries = 3;
    o.sync_each_append = false;
    for_each_spool(o, [&](spool& s) {
      REQUIRE(s.append("usage", "r1").ok());
      auto l = s.reserve(10, 1 << 20, 30s);
      REQUIRE(l->records.size() == 1);
      clk.advance(31s);
      CHECK_FALSE(s.lease_valid(l->id));
      auto again = s.reserve(10, 1 << 20, 30s);
      REQUIRE(again->records.size() == 1);
      CHECK(s.ack(l->id).err().code == veil::errc::not_found);  // the old lease is gone
      CHECK(*s.release(again->id, false) == 1);
      for (std::uint32_t i = 1; i <= 3; ++i) {
        auto x = s.reserve(10, 1 << 20, 30s);
        REQUIRE(x->records.size() == 1);
        CHECK(x->records[0].retries == i - 1);
        auto back = s.release(x->id, true);
        REQUIRE(back.ok());
        CHECK(*back == (i < 3 ? 1u : 0u));
      }
      CHECK(reserve_all(s).records.empty());
      CHECK(s.counters().retry_exhausted == 1);
    });
  }

  TEST_CASE("records older than max_age are dropped as too_old") {
    fake_clock clk;
    spool_options o;
    o.clock = clk.fn();
    o.max_age = std::chrono::hours(24 * 7);
    o.sync_each_append = false;
    for_each_spool(o, [&](spool& s) {
      REQUIRE(s.append("usage", "old").ok());
      clk.advance(std::chrono::hours(24 * 6));
      REQUIRE(s.append("usage", "new").ok());
      clk.advance(std::chrono::hours(25));
      auto l = reserve_all(s);
      CHECK(payloads(l) == std::vector<std::string>{"new"});
      CHECK(s.counters().too_old == 1);
    });
  }

  TEST_CASE("the byte cap drops the oldest records and counts spool_full") {
    spool_options o;
    o.max_bytes = 64 << 10;
    o.max_segment_bytes = 8 << 10;
    o.sync_each_append = false;
    for_each_spool(o, [&](spool& s) {
      const int n = 400;
      for (int i = 0; i < n; ++i)
        REQUIRE(s.append("usage", "rec-" + std::to_string(i) + std::string(300, '.')).ok());
      auto c = s.counters();
      CHECK(c.spool_full > 0);
      CHECK(c.disk_bytes <= o.max_bytes);
      CHECK(c.live_records + c.spool_full == n);
      auto l = reserve_all(s);
      REQUIRE(l.records.size() == c.live_records);
      // What survives is the newest suffix, in order.
      for (std::size_t i = 0; i < l.records.size(); ++i) {
        auto want = "rec-" + std::to_string(n - l.records.size() + i) + std::string(300, '.');
        CHECK(l.records[i].payload == want);
      }
      CHECK(s.append("usage", std::string(100 << 10, 'x')).err().code ==
            veil::errc::limit_exceeded);
    });
  }

  TEST_CASE("purge_category removes leased records too and invalidates their lease") {
    spool_options o;
    o.sync_each_append = false;
    for_each_spool(o, [&](spool& s) {
      REQUIRE(s.append("usage", "u1").ok());
      auto c1 = s.append("crash", "c1");
      REQUIRE(s.append("usage", "u2").ok());
      auto l = s.reserve(2, 1 << 20, 60s);  // u1 + c1
      REQUIRE(l->records.size() == 2);
      REQUIRE(s.append("crash", "c2").ok());
      CHECK(*s.purge_category("crash") == 2);
      CHECK_FALSE(s.is_live(*c1));
      CHECK_FALSE(s.lease_valid(l->id));
      CHECK(*s.ack(l->id) == 1);  // only u1 counts as sent
      auto rest = reserve_all(s);
      CHECK(payloads(rest) == std::vector<std::string>{"u2"});
      auto c = s.counters();
      CHECK(c.not_consented == 2);
      CHECK(c.acked == 1);
      CHECK(*s.purge_all() == 1);
      CHECK(s.counters().erased == 1);
      CHECK(reserve_all(s).records.empty());
    });
  }

  TEST_CASE("file spool: acked records stay gone after restart; unacked and leased ones return") {
    temp_dir d;
    fake_clock clk;
    spool_options o;
    o.clock = clk.fn();
    o.max_segment_bytes = 4096;
    o.max_retries = 5;
    {
      auto s = open_file(d.path, o);
      for (int i = 0; i < 50; ++i)
        REQUIRE(s->append("usage", "r" + std::to_string(i) + std::string(50, '-')).ok());
      auto a = s->reserve(20, 1 << 20, 60s);
      CHECK(*s->ack(a->id) == 20);
      auto b = s->reserve(5, 1 << 20, 60s);  // leased, never acked: comes back
      auto c = s->reserve(1, 1 << 20, 60s);
      CHECK(*s->release(c->id, true) == 1);
      CHECK(open_file_spool({d.path, {}, o}).err().code == veil::errc::unavailable);  // locked
    }
    auto s = open_file(d.path, o);
    auto l = reserve_all(*s);
    REQUIRE(l.records.size() == 30);
    for (int i = 0; i < 30; ++i)
      CHECK(l.records[i].payload == "r" + std::to_string(20 + i) + std::string(50, '-'));
    CHECK(l.records[5].retries == 1);  // the retry count survived
    CHECK(*s->ack(l.id) == 30);
    REQUIRE(s->append("usage", "after").ok());
    s.reset();
    s = open_file(d.path, o);
    CHECK(payloads(reserve_all(*s)) == std::vector<std::string>{"after"});
    CHECK(s->counters().corrupt == 0);
  }

  TEST_CASE("file spool: purged records do not return after restart and leave the segment") {
    temp_dir d;
    spool_options o;
    {
      auto s = open_file(d.path, o);
      REQUIRE(s->append("usage", "keep-1").ok());
      REQUIRE(s->append("crash", std::string(5000, 'C')).ok());
      REQUIRE(s->append("usage", "keep-2").ok());
      auto before = fs::file_size(segments(d.path).at(0));
      CHECK(*s->purge_category("crash") == 1);
      CHECK(fs::file_size(segments(d.path).at(0)) + 5000 < before);
      REQUIRE(
          s->append("usage", "keep-3").ok());  // appending after a rewrite of the active segment
    }
    auto s = open_file(d.path, o);
    CHECK(payloads(reserve_all(*s)) == std::vector<std::string>{"keep-1", "keep-2", "keep-3"});
  }

  TEST_CASE("file spool: no plaintext on disk, modes 0600 and 0700") {
    temp_dir d;
    auto dir = d.path / "state" / "spool";
    spool_options o;
    const std::string secret = "PLAINTEXT-MARKER-sip:alice@example.org";
    {
      auto s = open_file(dir, o);
      for (int i = 0; i < 20; ++i) REQUIRE(s->append("category-marker", secret).ok());
      auto l = s->reserve(3, 1 << 20, 60s);
      REQUIRE(s->ack(l->id).ok());
    }
    CHECK(veil_test::file_mode(dir) == 0700);
    int files = 0;
    for (auto& e : fs::directory_iterator(dir)) {
      ++files;
      CHECK_MESSAGE(veil_test::file_mode(e.path()) == 0600, e.path().string());
      auto bytes = veil_test::slurp(e.path());
      CHECK(bytes.find("PLAINTEXT-MARKER") == std::string::npos);
      CHECK(bytes.find("alice") == std::string::npos);
      CHECK(bytes.find("category-marker") == std::string::npos);
    }
    CHECK(files >= 4);  // lock, key, journal, a segment
  }

  TEST_CASE("file spool: corrupt and truncated frames are discarded and counted") {
    temp_dir d;
    spool_options o;
    o.sync_each_append = false;
    auto fill = [&] {
      auto s = open_file(d.path, o);
      for (int i = 0; i < 10; ++i) REQUIRE(s->append("usage", "rec-" + std::to_string(i)).ok());
    };
    auto frames = [&] {
      auto seg = segments(d.path).at(0);
      auto img = veil_test::slurp(seg);
      return std::make_pair(seg, segment_format::scan_segment(img));
    };
    auto want_without = [](std::initializer_list<int> missing) {
      std::vector<std::string> v;
      for (int i = 0; i < 10; ++i)
        if (std::find(missing.begin(), missing.end(), i) == missing.end())
          v.push_back("rec-" + std::to_string(i));
      return v;
    };

    SUBCASE("a flipped ciphertext byte drops one record") {
      fill();
      auto [seg, sc] = frames();
      auto img = veil_test::slurp(seg);
      img[sc.frames[4].offset + sc.frames[4].size - 3] ^= 0x5a;
      write_bytes(seg, img);
      auto s = open_file(d.path, o);
      CHECK(s->counters().corrupt == 1);
      CHECK(payloads(reserve_all(*s)) == want_without({4}));
    }
    SUBCASE("a damaged frame header is skipped by resync") {
      fill();
      auto [seg, sc] = frames();
      auto img = veil_test::slurp(seg);
      img[sc.frames[2].offset + 5] ^= 0x7f;  // the length field
      write_bytes(seg, img);
      auto s = open_file(d.path, o);
      CHECK(s->counters().corrupt == 1);
      CHECK(payloads(reserve_all(*s)) == want_without({2}));
    }
    SUBCASE(
        "a tag that authenticates a record at another place fails (records cannot be swapped)") {
      fill();
      auto [seg, sc] = frames();
      auto img = veil_test::slurp(seg);
      // Move frame 3's sealed bytes under frame 3's header but claim seq of a later record: the
      // frame crc is recomputed so only the AEAD associated data can notice.
      std::string body = img.substr(sc.frames[3].offset + 16, sc.frames[3].size - 16);
      std::string forged = segment_format::encode_frame(sc.frames[9].seq + 5, body.substr(8));
      write_bytes(seg, img + forged);
      auto s = open_file(d.path, o);
      CHECK(s->counters().corrupt == 1);
      CHECK(payloads(reserve_all(*s)) == want_without({}));
    }
    SUBCASE("a truncated tail loses only the last record") {
      fill();
      auto [seg, sc] = frames();
      fs::resize_file(seg, sc.frames[9].offset + sc.frames[9].size - 7);
      {
        auto s = open_file(d.path, o);
        auto c = s->counters();
        CHECK(c.torn_tail == 1);
        CHECK(c.corrupt == 0);
        CHECK(payloads(reserve_all(*s)) == want_without({9}));
        REQUIRE(s->append("usage", "rec-10").ok());
      }
      auto s = open_file(d.path, o);  // repaired: nothing counted twice, the new record is there
      CHECK(s->counters().torn_tail == 0);
      auto v = want_without({9});
      v.push_back("rec-10");
      CHECK(payloads(reserve_all(*s)) == v);
    }
    SUBCASE("a segment with a bad magic is removed") {
      fill();
      auto [seg, sc] = frames();
      auto img = veil_test::slurp(seg);
      img[0] = 'X';
      write_bytes(seg, img);
      auto s = open_file(d.path, o);
      CHECK(s->counters().corrupt == 1);
      CHECK(reserve_all(*s).records.empty());
      CHECK(segments(d.path).empty());
    }
    SUBCASE("a torn journal tail is ignored") {
      fill();
      {
        auto s = open_file(d.path, o);
        auto l = s->reserve(3, 1 << 20, 60s);
        REQUIRE(s->ack(l->id).ok());
      }
      auto j = veil_test::slurp(d.path / "journal");
      write_bytes(d.path / "journal", j + "\x01\x02\x03");
      auto s = open_file(d.path, o);
      CHECK(payloads(reserve_all(*s)) == want_without({0, 1, 2}));
    }
  }

  TEST_CASE("file spool: survives kill -9 at random moments during appends") {
    temp_dir d;
    spool_options o;
    o.max_bytes = 1ull << 30;
    o.max_segment_bytes = 256 << 10;
    auto payload = [](int iter, int i) {
      std::string p = "iter" + std::to_string(iter) + "-rec" + std::to_string(i) + "|";
      p.append(static_cast<std::size_t>((i * 7919) % 13) * 1500, static_cast<char>('a' + i % 26));
      return p;
    };
    std::mt19937 rng(12345);
    auto start = std::chrono::steady_clock::now();
    std::size_t total_seen = 0;
    std::uint64_t torn = 0;
    for (int iter = 0; iter < 20; ++iter) {
      o.sync_each_append = iter % 2 == 0;
      pid_t pid = ::fork();
      REQUIRE(pid >= 0);
      if (pid == 0) {
        auto s = open_file_spool({d.path, {}, o});
        if (!s) ::_exit(3);
        for (int i = 0; i < 1000000; ++i)
          if (!(*s)->append("usage", payload(iter, i))) ::_exit(4);
        ::_exit(0);
      }
      ::usleep(static_cast<useconds_t>(std::uniform_int_distribution<int>(0, 60000)(rng)));
      ::kill(pid, SIGKILL);
      int status = 0;
      ::waitpid(pid, &status, 0);
      REQUIRE_MESSAGE(WIFSIGNALED(status), "child exited on its own, status " << status);

      auto s = open_file(d.path, o);
      CHECK(s->counters().corrupt == 0);
      torn += s->counters().torn_tail;
      auto l = reserve_all(*s);
      // Every record is intact and they form a prefix of what this child appended (the
      // previous children's records were acked and must not come back).
      for (std::size_t i = 0; i < l.records.size(); ++i) {
        REQUIRE(l.records[i].payload == payload(iter, static_cast<int>(i)));
        REQUIRE(l.records[i].category == "usage");
      }
      total_seen += l.records.size();
      if (l.id) REQUIRE(*s->ack(l.id) == l.records.size());
    }
    MESSAGE("records verified across 20 kills: " << total_seen << ", torn tails cut: " << torn);
    CHECK(total_seen > 0);
    CHECK(std::chrono::steady_clock::now() - start < 10s);
  }

  TEST_CASE("append_batch: one sync per group; records become visible only after it") {
    auto st = std::make_shared<probe_storage::state>();
    auto s = probe_spool(st);
    append_all(*s, group("g1-", 0, 50));
    CHECK(st->writes == 50);
    CHECK(st->syncs == 1);
    CHECK(s->counters().appended == 50);
    CHECK(s->counters().live_records == 50);

    SUBCASE("another thread sees none of a group until its sync returns") {
      {
        std::lock_guard lk(st->mu);
        st->hold = true;
      }
      auto v = group("g2-", 0, 20);
      auto writer = std::async(std::launch::async, [&] { append_all(*s, v); });
      {
        std::unique_lock lk(st->mu);
        st->cv.wait(lk, [&] { return st->in_sync; });
      }
      CHECK(st->writes == 70);  // written, not yet synced
      auto live = std::async(std::launch::async, [&] { return s->counters().live_records; });
      auto lease = std::async(std::launch::async, [&] {
        auto l = s->reserve(1000, std::size_t(1) << 30, 60s);
        return l ? l->records.size() : std::size_t(0);
      });
      CHECK(live.wait_for(5ms) == std::future_status::timeout);
      {
        std::lock_guard lk(st->mu);
        st->hold = false;
      }
      st->cv.notify_all();
      writer.get();
      CHECK(live.get() == 70);  // both waited for the whole group: never a partial one
      CHECK(lease.get() == 70);
      CHECK(st->syncs == 2);
    }
    SUBCASE("a failed sync forgets the whole group: error for each, nothing visible or counted") {
      st->fail_next_sync = true;
      std::vector<veil::result<std::uint64_t>> out;
      auto v = group("bad-", 0, 10);
      auto items = items_of(v);
      s->append_batch(items, out);
      REQUIRE(out.size() == 10);
      for (auto& r : out) CHECK(r.err().code == veil::errc::io_error);
      auto c = s->counters();
      CHECK(c.appended == 50);
      CHECK(c.live_records == 50);
      auto l = reserve_all(*s);
      CHECK(payloads(l) == group("g1-", 0, 50));
      append_all(*s, group("g3-", 0, 5));  // the next group is fine
      CHECK(s->counters().live_records == 55);
    }
  }

  TEST_CASE("append_batch: per-item errors do not affect the rest of the group") {
    for_each_spool({}, [&](spool& s) {
      std::vector<std::string> v{"a", "b", std::string(2u << 20, 'x'), "c"};
      std::vector<spool_item> items = items_of(v);
      items[1].category = "";
      std::vector<veil::result<std::uint64_t>> out;
      s.append_batch(items, out);
      REQUIRE(out.size() == 4);
      CHECK(out[0].ok());
      CHECK(out[1].err().code == veil::errc::invalid_argument);
      CHECK(out[2].err().code == veil::errc::limit_exceeded);
      CHECK(out[3].ok());
      CHECK(*out[3] > *out[0]);
      CHECK(payloads(reserve_all(s)) == std::vector<std::string>{"a", "c"});
      s.append_batch({}, out);
      CHECK(out.empty());
    });
  }

  TEST_CASE("append_batch: the byte cap and the TTL hold for groups") {
    fake_clock clk;
    spool_options o;
    o.clock = clk.fn();
    o.max_bytes = 64 << 10;
    o.max_segment_bytes = 8 << 10;
    o.sync_each_append = false;
    // n records "rec-0".."rec-<n-1>" were appended: the cap evicted the oldest, the newest remain.
    auto expect_newest_kept = [&](spool& s, int n) {
      auto c = s.counters();
      CHECK(c.spool_full > 0);
      CHECK(c.disk_bytes <= o.max_bytes);
      CHECK(c.appended == static_cast<std::uint64_t>(n));
      CHECK(c.live_records + c.spool_full == static_cast<std::uint64_t>(n));
      auto l = reserve_all(s);
      REQUIRE(l.records.size() == c.live_records);
      const int kept = static_cast<int>(l.records.size());
      CHECK(payloads(l) == group("rec-", n - kept, kept, 300));
    };
    SUBCASE("groups of 50") {
      for_each_spool(o, [&](spool& s) {
        const int n = 400;
        for (int i = 0; i < n; i += 50) append_all(s, group("rec-", i, 50, 300));
        expect_newest_kept(s, n);
      });
    }
    SUBCASE("one group larger than the cap evicts its own oldest records") {
      for_each_spool(o, [&](spool& s) {
        const int n = 400;
        append_all(s, group("rec-", 0, n, 300));
        expect_newest_kept(s, n);
      });
    }
    SUBCASE("an old group expires as too_old") {
      for_each_spool(o, [&](spool& s) {
        append_all(s, group("old-", 0, 7));
        clk.advance(o.max_age + 1s);
        append_all(s, group("new-", 0, 3));
        CHECK(s.counters().too_old == 7);
        CHECK(payloads(reserve_all(s)) == group("new-", 0, 3));
      });
    }
  }

  TEST_CASE("file spool: a torn group tail loses only the incomplete records") {
    temp_dir d;
    spool_options o;
    {
      auto s = open_file(d.path, o);
      append_all(*s, group("first-", 0, 5));
      append_all(*s, group("second-", 0, 10));
    }
    auto seg = segments(d.path).at(0);
    auto sc = segment_format::scan_segment(veil_test::slurp(seg));
    REQUIRE(sc.frames.size() == 15);
    // A crash while the second group was being written: its last 4 frames never fully landed.
    fs::resize_file(seg, sc.frames[11].offset + sc.frames[11].size / 2);
    {
      auto s = open_file(d.path, o);
      auto c = s->counters();
      CHECK(c.torn_tail == 1);
      CHECK(c.corrupt == 0);
      auto want = group("first-", 0, 5);
      for (auto& p : group("second-", 0, 6)) want.push_back(p);
      CHECK(payloads(reserve_all(*s)) == want);
    }
  }

  TEST_CASE("file spool: survives kill -9 at random moments during group appends") {
    temp_dir d;
    spool_options o;
    o.max_bytes = 1ull << 30;
    o.max_segment_bytes = 256 << 10;
    auto payload = [](int iter, int i) {
      std::string p = "iter" + std::to_string(iter) + "-rec" + std::to_string(i) + "|";
      p.append(static_cast<std::size_t>((i * 7919) % 13) * 700, static_cast<char>('a' + i % 26));
      return p;
    };
    std::mt19937 rng(4242);
    std::size_t total_seen = 0;
    for (int iter = 0; iter < 12; ++iter) {
      o.sync_each_append = iter % 3 != 2;
      pid_t pid = ::fork();
      REQUIRE(pid >= 0);
      if (pid == 0) {
        auto s = open_file_spool({d.path, {}, o});
        if (!s) ::_exit(3);
        std::vector<std::string> v;
        std::vector<spool_item> items;
        std::vector<veil::result<std::uint64_t>> out;
        for (int i = 0; i < 1000000;) {
          v.clear();
          items.clear();
          int n = 1 + (i * 31) % 200;
          for (int k = 0; k < n; ++k) v.push_back(payload(iter, i + k));
          for (auto& p : v) items.push_back(spool_item{"usage", p});
          (*s)->append_batch(items, out);
          for (auto& r : out)
            if (!r) ::_exit(4);
          i += n;
        }
        ::_exit(0);
      }
      ::usleep(static_cast<useconds_t>(std::uniform_int_distribution<int>(0, 60000)(rng)));
      ::kill(pid, SIGKILL);
      int status = 0;
      ::waitpid(pid, &status, 0);
      REQUIRE_MESSAGE(WIFSIGNALED(status), "child exited on its own, status " << status);

      auto s = open_file(d.path, o);
      CHECK(s->counters().corrupt == 0);
      auto l = reserve_all(*s);
      // A prefix of what this child wrote (a group may be cut anywhere); acked ones never return.
      for (std::size_t i = 0; i < l.records.size(); ++i)
        REQUIRE(l.records[i].payload == payload(iter, static_cast<int>(i)));
      total_seen += l.records.size();
      if (l.id) REQUIRE(*s->ack(l.id) == l.records.size());
    }
    MESSAGE("records verified across 12 kills (group appends): " << total_seen);
    CHECK(total_seen > 0);
  }

  TEST_CASE("seq_runs: any sequence comes back in order, consecutive seqs share a run") {
    seq_runs r;
    CHECK(r.empty());
    std::vector<std::uint64_t> in;
    for (std::uint64_t q = 100; q < 5100; ++q) in.push_back(q);  // one segment's appends
    for (std::uint64_t q : {5200u, 5201u, 5203u, 7u, 7u, 8u})
      in.push_back(q);  // gaps, a step back, a repeat
    for (auto q : in) r.push_back(q);
    std::vector<std::uint64_t> out;
    r.for_each([&](std::uint64_t q) { out.push_back(q); });
    CHECK(out == in);
    CHECK(r.runs() == 5);  // 100..5099, 5200..5201, 5203, 7, 7..8
  }

  TEST_CASE("seq_index: tombstones, front pops, compaction and out-of-order inserts") {
    seq_index<int> ix;
    for (std::uint64_t q = 10; q < 210; ++q) REQUIRE(ix.try_emplace(q, static_cast<int>(q)).second);
    CHECK_FALSE(ix.try_emplace(50, 0).second);  // live already: kept
    CHECK(*ix.find(50) == 50);
    // Erase in the middle: tombstones, lookups by binary search still right.
    for (std::uint64_t q = 100; q < 150; ++q) REQUIRE(ix.erase(q));
    CHECK_FALSE(ix.erase(120));
    CHECK(ix.size() == 150);
    CHECK(ix.slots() == 200);
    CHECK(ix.find(120) == nullptr);
    CHECK(*ix.find(150) == 150);
    CHECK(*ix.find(99) == 99);
    // Erasing from the front pops the slots (and the tombstones they reach).
    for (std::uint64_t q = 10; q < 100; ++q) REQUIRE(ix.erase(q));
    CHECK(ix.size() == 60);
    CHECK(ix.slots() == 60);
    // Tombstones beyond half compact the slots; order and values survive.
    for (std::uint64_t q = 151; q < 210; q += 2) REQUIRE(ix.erase(q));
    for (std::uint64_t q = 152; q < 200; q += 2) REQUIRE(ix.erase(q));
    std::vector<std::uint64_t> seen;
    for (auto& [q, v] : ix) {
      CHECK(v == static_cast<int>(q));
      seen.push_back(q);
    }
    std::vector<std::uint64_t> want{150};
    for (std::uint64_t q = 200; q < 210; q += 2) want.push_back(q);
    CHECK(seen == want);
    // An insert below the top goes in place; a tombstone can be revived.
    CHECK(ix.try_emplace(175, 175).second);
    CHECK(ix.try_emplace(5, 5).second);
    seen.clear();
    for (auto& s : ix) seen.push_back(s.seq);
    CHECK(seen == std::vector<std::uint64_t>{5, 150, 175, 200, 202, 204, 206, 208});
    CHECK(ix.size() == 8);
    ix.clear();
    CHECK(ix.empty());
    CHECK(ix.begin() == ix.end());
  }

  TEST_CASE("seq_index: random appends and erasures match a std::map; tombstones stay bounded") {
    std::mt19937 rng(11);
    seq_index<std::uint64_t> ix;
    std::map<std::uint64_t, std::uint64_t> model;
    std::uint64_t next = 1;
    for (int step = 0; step < 20000; ++step) {
      auto op = rng() % 10;
      if (op < 4 || model.empty()) {  // append
        REQUIRE(ix.try_emplace(next, next * 3).second);
        model[next] = next * 3;
        ++next;
      } else if (op < 7) {  // ack the oldest
        REQUIRE(ix.erase(model.begin()->first));
        model.erase(model.begin());
      } else {  // erase anywhere (purge), sometimes one that is gone already
        std::uint64_t q = 1 + rng() % next;
        CHECK(ix.erase(q) == (model.erase(q) == 1));
      }
      REQUIRE(ix.size() == model.size());
      REQUIRE(ix.slots() - ix.size() <= std::max<std::size_t>(ix.size(), 64));
      if (step % 500 == 0) {
        std::vector<std::pair<std::uint64_t, std::uint64_t>> got;
        for (auto& [q, v] : ix) got.emplace_back(q, v);
        REQUIRE(got ==
                std::vector<std::pair<std::uint64_t, std::uint64_t>>(model.begin(), model.end()));
        for (std::uint64_t q = 1; q <= next; ++q) {
          auto* v = ix.find(q);
          auto m = model.find(q);
          REQUIRE((v != nullptr) == (m != model.end()));
          if (v) REQUIRE(*v == m->second);
        }
      }
    }
  }

  TEST_CASE("spool index: erasures in the middle and purges keep lease/ack order and is_live") {
    spool_options o;
    o.sync_each_append = false;
    o.max_segment_bytes = 4096;
    for_each_spool(o, [&](spool& s) {
      std::vector<std::uint64_t> seqs;
      for (int i = 0; i < 300; ++i) {
        auto q = s.append(i % 3 == 0 ? "crash" : "usage", "r" + std::to_string(i));
        REQUIRE(q.ok());
        seqs.push_back(*q);
      }
      // Lease and ack a block in the middle (records 100..219 after leasing 0..99), then purge
      // a category: more than half of the index are tombstones (compacted on the way).
      auto acked = [](int i) { return i >= 100 && i < 220; };
      auto first = s.reserve(100, 1 << 20, 60s);
      auto mid = s.reserve(120, 1 << 20, 60s);
      REQUIRE(mid->records.size() == 120);
      CHECK(mid->records.front().payload == "r100");
      CHECK(*s.ack(mid->id) == 120);
      CHECK(*s.release(first->id, false) == 100);
      std::size_t crash_left = 0;
      for (int i = 0; i < 300; ++i) crash_left += (i % 3 == 0 && !acked(i)) ? 1 : 0;
      CHECK(*s.purge_category("crash") == crash_left);
      CHECK(s.counters().live_records == 300 - 120 - crash_left);
      for (int i = 0; i < 300; ++i) {
        bool was_acked = acked(i);
        bool purged = i % 3 == 0;
        CHECK(s.is_live(seqs[static_cast<std::size_t>(i)]) == (!was_acked && !purged));
      }
      CHECK_FALSE(s.is_live(seqs.back() + 1));
      // Reserve in small leases: oldest first, in seq order, skipping every erased record.
      std::vector<std::string> got;
      for (;;) {
        auto l = s.reserve(7, 1 << 20, 60s);
        REQUIRE(l.ok());
        if (l->records.empty()) break;
        for (auto& r : l->records) got.push_back(r.payload);
        CHECK(*s.ack(l->id) == l->records.size());
      }
      std::vector<std::string> want;
      for (int i = 0; i < 300; ++i)
        if (!acked(i) && i % 3 != 0) want.push_back("r" + std::to_string(i));
      CHECK(got == want);
      CHECK(s.counters().live_records == 0);
      auto q = s.append("usage", "after");
      REQUIRE(q.ok());
      CHECK(s.is_live(*q));
      CHECK(payloads(reserve_all(s)) == std::vector<std::string>{"after"});
    });
  }

  TEST_CASE("segment format round trip") {
    std::mt19937 rng(7);
    for (int n = 0; n < 200; ++n) {
      std::string sealed(static_cast<std::size_t>(rng() % 300), '\0');
      for (auto& ch : sealed) ch = static_cast<char>(rng());
      std::string img = segment_format::encode_header(segment_format::segment_magic, 5) +
                        segment_format::encode_frame(5, sealed) +
                        segment_format::encode_frame(9, "x");
      auto sc = segment_format::scan_segment(img);
      REQUIRE(sc.frames.size() == 2);
      CHECK(sc.frames[0].sealed == sealed);
      CHECK(sc.frames[1].seq == 9);
      // Every truncation yields a prefix of frames and never a corrupt count.
      auto cut = segment_format::scan_segment(img.substr(0, img.size() - 1 - rng() % 20));
      CHECK(cut.corrupt == 0);
      CHECK(cut.frames.size() <= 1);
    }
  }
}

TEST_CASE("spool: options bound what the compact index can hold") {
  spool_options o;
  o.max_segment_bytes = 1u << 30;
  CHECK(o.validate().ok());
  o.max_segment_bytes = (1u << 30) + 1;  // offsets are kept in 32 bits
  auto v = o.validate();
  REQUIRE_FALSE(v.ok());
  CHECK(v.err().code == veil::errc::invalid_argument);
  CHECK(v.err().message.find("max_segment_bytes") != std::string::npos);
  o.max_segment_bytes = 1u << 20;
  o.max_retries = 256;  // retry counts are kept in 8 bits
  CHECK_FALSE(o.validate().ok());
}

TEST_CASE("spool: many categories and the retry cap of 255 survive the compact index") {
  fake_clock clk;
  spool_options o;
  o.clock = clk.fn();
  o.sync_each_append = false;
  o.max_retries = 255;
  for_each_spool(o, [&](spool& s) {
    for (int i = 0; i < 300; ++i)
      REQUIRE(s.append("cat" + std::to_string(i), std::to_string(i)).ok());
    auto l = reserve_all(s);
    REQUIRE(l.records.size() == 300);
    CHECK(l.records[299].category == "cat299");
    CHECK(l.records[299].payload == "299");
    REQUIRE(s.release(l.id, true).ok());
    REQUIRE(s.purge_category("cat7").ok());
    auto l2 = reserve_all(s);
    REQUIRE(l2.records.size() == 299);
    CHECK(l2.records[7].category == "cat8");
    CHECK(l2.records[0].retries == 1);
    // two failed sends so far; 252 more keep the record, the 255th drops it at the cap
    REQUIRE(s.release(l2.id, true).ok());
    for (int k = 0; k < 252; ++k) {
      auto lk = s.reserve(1, 1u << 20, 60s);
      REQUIRE(lk.ok());
      REQUIRE(lk->records.size() == 1);
      REQUIRE(s.release(lk->id, true).ok());
    }
    auto last = s.reserve(1, 1u << 20, 60s);
    REQUIRE(last.ok());
    REQUIRE(last->records.size() == 1);
    CHECK(last->records[0].retries == 254);
    CHECK(last->records[0].category == "cat0");
    REQUIRE(s.release(last->id, true).ok());
    CHECK(s.counters().retry_exhausted == 1);
    CHECK_FALSE(s.is_live(last->records[0].seq));
  });
}
