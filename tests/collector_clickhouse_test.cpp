// Runs the sink contract and the report against a real ClickHouse started by the test on
// loopback (temp data dir, free ports; ClickHouse 18.16 notes in CONTRIBUTING.md). Skipped when the
// binary is missing.
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <thread>

#include "collector_rights_util.hpp"
#include "collector_test_util.hpp"
#include "tools/collector/sink.hpp"

extern char** environ;
void check_report_k3(veil::collector::sink& s);     // collector_report_test.cpp
void check_metrics_sink(veil::collector::sink& s);  // collector_metrics_test.cpp

using namespace veil::collector;
using namespace veil::collector::test;

namespace {

constexpr const char* clickhouse_bin = "/usr/sbin/clickhouse-server";

std::uint16_t free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

bool ping(std::uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = false;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) {
    const char req[] = "GET /ping HTTP/1.0\r\n\r\n";
    ::send(fd, req, sizeof req - 1, MSG_NOSIGNAL);
    char buf[512];
    std::string r;
    ssize_t n;
    while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) r.append(buf, static_cast<std::size_t>(n));
    ok = r.find("Ok.") != std::string::npos;
  }
  ::close(fd);
  return ok;
}

class clickhouse_process {
 public:
  clickhouse_process() : dir_("clickhouse") {
    http_port_ = free_port();
    auto tcp_port = free_port();
    const auto d = dir_.path.string();
    std::filesystem::create_directories(dir_.path / "log");
    std::ofstream(dir_.path / "config.xml")
        << "<yandex>\n"
           "<logger><level>warning</level><log>"
        << d << "/log/server.log</log><errorlog>" << d
        << "/log/server.err.log</errorlog><size>10M</size><count>1</count></logger>\n"
           "<listen_host>127.0.0.1</listen_host><http_port>"
        << http_port_ << "</http_port><tcp_port>" << tcp_port << "</tcp_port>\n<path>" << d
        << "/data/</path><tmp_path>" << d
        << "/data/tmp/</tmp_path>\n"
           "<user_files_path>"
        << d << "/data/user_files/</user_files_path><format_schema_path>" << d
        << "/data/format_schemas/</format_schema_path>\n<users_config>users.xml</users_config>"
           "<default_profile>default</default_profile><default_database>default</"
           "default_database>\n"
           "<mark_cache_size>268435456</mark_cache_size><uncompressed_cache_size>268435456</"
           "uncompressed_cache_size>\n"
           "<max_concurrent_queries>20</max_concurrent_queries><timezone>UTC</timezone>\n</"
           "yandex>\n";
    std::ofstream(dir_.path / "users.xml")
        << "<yandex><profiles><default><max_memory_usage>2000000000</max_memory_usage>"
           "</default></profiles><users><default><password></password><networks><ip>127.0.0.1</"
           "ip><ip>::1</ip></networks>"
           "<profile>default</profile><quota>default</quota></default></"
           "users><quotas><default><interval>"
           "<duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</"
           "result_rows>"
           "<read_rows>0</read_rows><execution_time>0</execution_time></interval></default></"
           "quotas></yandex>\n";
    std::string cfg = "--config-file=" + (dir_.path / "config.xml").string();
    std::vector<char*> argv = {const_cast<char*>(clickhouse_bin), cfg.data(), nullptr};
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    auto out = (dir_.path / "log" / "stdout.log").string();
    posix_spawn_file_actions_addopen(&fa, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    int rc = posix_spawn(&pid_, clickhouse_bin, &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) {
      pid_ = -1;
      return;
    }
    for (int i = 0; i < 400 && !ready_; ++i) {  // up to 20 s on a busy machine
      ready_ = ping(http_port_);
      if (!ready_) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  ~clickhouse_process() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      int st = 0;
      ::waitpid(pid_, &st, 0);
    }
  }
  bool ready() const { return ready_; }
  std::uint16_t port() const { return http_port_; }
  std::string url(const std::string& db) const {
    return "clickhouse://127.0.0.1:" + std::to_string(http_port_) + "/" + db;
  }

 private:
  temp_dir_guard dir_;
  pid_t pid_ = -1;
  std::uint16_t http_port_ = 0;
  bool ready_ = false;
};

}  // namespace

TEST_SUITE("collector") {
  TEST_CASE("clickhouse sink: contract and report against a local clickhouse-server") {
    if (::access(clickhouse_bin, X_OK) != 0) {
      MESSAGE("SKIPPED: " << clickhouse_bin
                          << " not found; install clickhouse-server to run this test");
      return;
    }
    clickhouse_process ch;
    REQUIRE_MESSAGE(ch.ready(), "clickhouse-server did not answer /ping");
    sink_contract([&] {
      auto s = open_sink(ch.url("veil_contract"));
      REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.err().message));
      return std::shared_ptr<sink>(std::move(*s));
    });
    auto s = open_sink(ch.url("veil_report"));
    REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.err().message));
    auto w =
        (*s)->write_batch("k1", report_dataset(), {{"log.line", "pii:email"}}, at(2026, 12, 1, 9));
    REQUIRE_MESSAGE(w.ok(), (w.ok() ? "" : w.err().message));
    check_report_k3(**s);
  }

  TEST_CASE("clickhouse sink: erasure by device proof, tombstones, retention of bindings") {
    if (::access(clickhouse_bin, X_OK) != 0) {
      MESSAGE("SKIPPED: " << clickhouse_bin
                          << " not found; install clickhouse-server to run this test");
      return;
    }
    clickhouse_process ch;
    REQUIRE_MESSAGE(ch.ready(), "clickhouse-server did not answer /ping");
    {
      auto s = open_sink(ch.url("veil_rights"));
      REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.err().message));
      check_erasure_across_epochs(**s);
    }
    {
      // The bindings and tombstones are in ClickHouse, not in the sink object.
      auto s = open_sink(ch.url("veil_rights"));
      REQUIRE(s.ok());
      rights_harness h(**s);
      CHECK(h.upload(inst_a, "", {{"app.started", "usage", 1}}).status == 410);
      CHECK(h.upload(inst_b, device_key(9).public_hex(), {{"app.started", "usage", 1}}).status ==
            409);
      // Subject access reads the same rows back (ClickHouse orders them by its columns).
      auto r = h.subject_now(device_key(3), inst_b);
      REQUIRE_MESSAGE(r.status == 200, r.body);
      auto j = nlohmann::json::parse(r.body);
      CHECK(j["total"] == 2);
      CHECK(j["rows"].size() == 2);
    }
    auto s = open_sink(ch.url("veil_rights_retention"));
    REQUIRE(s.ok());
    check_retention_expiry(**s);
  }

  TEST_CASE("clickhouse sink: the agent's metrics, grouped in SQL, deduplicated, expired") {
    if (::access(clickhouse_bin, X_OK) != 0) {
      MESSAGE("SKIPPED: " << clickhouse_bin
                          << " not found; install clickhouse-server to run this test");
      return;
    }
    clickhouse_process ch;
    REQUIRE_MESSAGE(ch.ready(), "clickhouse-server did not answer /ping");
    auto s = open_sink(ch.url("veil_metrics"));
    REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.err().message));
    check_metrics_sink(**s);
  }
}
