// Raw-socket HTTP helpers and a loopback collector fixture for the server tests
// (collector_server_test.cpp, collector_limits_test.cpp).
#pragma once

#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "collector_test_util.hpp"
#include "tools/collector/batch_decoder.hpp"
#include "tools/collector/record_guard.hpp"
#include "tools/collector/request_handler.hpp"
#include "tools/collector/server.hpp"

namespace veil::collector::test {

// A raw-socket HTTP client: exact bytes out, everything the server sends back until it closes.
class raw_client {
 public:
  // `from`: the source address (any 127.0.0.0/8 address is this host: a second "client").
  explicit raw_client(std::uint16_t port, const char* from = nullptr) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    timeval tv{5, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    if (from) {
      sockaddr_in b{};
      b.sin_family = AF_INET;
      REQUIRE(::inet_pton(AF_INET, from, &b.sin_addr) == 1);
      REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&b), sizeof b) == 0);
    }
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  }
  ~raw_client() { ::close(fd_); }
  int fd() const noexcept { return fd_; }
  void send(std::string_view s) {
    while (!s.empty()) {
      auto n = ::send(fd_, s.data(), s.size(), MSG_NOSIGNAL);
      if (n <= 0) return;
      s.remove_prefix(static_cast<std::size_t>(n));
    }
  }
  std::string read_all() {
    std::string out;
    char buf[4096];
    for (;;) {
      auto n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) break;
      out.append(buf, static_cast<std::size_t>(n));
    }
    return out;
  }

 private:
  int fd_ = -1;
};

inline int status_of(const std::string& res) {
  if (res.size() < 12 || !res.starts_with("HTTP/1.")) return 0;
  return std::stoi(res.substr(9, 3));
}
inline std::string body_of(const std::string& res) {
  auto p = res.find("\r\n\r\n");
  return p == std::string::npos ? "" : res.substr(p + 4);
}

inline std::string attr(const std::string& k, const std::string& v) {
  return R"({"key":")" + k + R"(","value":{"stringValue":")" + v + R"("}})";
}

// An OTLP logs body: one resource (install inst_a) with the given log records.
inline std::string otlp(const std::vector<std::string>& records,
                        const std::string& install = inst_a) {
  std::string recs;
  for (const auto& r : records) recs += (recs.empty() ? "" : ",") + r;
  return R"({"resourceLogs":[{"resource":{"attributes":[)" + attr("veil.install", install) +
         R"(]},"scopeLogs":[{"logRecords":[)" + recs + "]}]}]}";
}
inline std::string log_record(const std::string& type, const std::vector<std::string>& attrs) {
  std::string a = attr("veil.category", "usage");
  for (const auto& x : attrs) a += "," + x;
  return R"({"eventName":")" + type + R"(","timeUnixNano":"1795947307123000000","attributes":[)" +
         a + "]}";
}

inline std::string post(const std::string& target, const std::string& body,
                        const std::string& extra = "", const std::string& ct = "application/json") {
  return "POST " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: " + ct +
         "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" + extra + "\r\n" + body;
}

inline std::string roundtrip(std::uint16_t port, const std::string& req) {
  raw_client c(port);
  c.send(req);
  return c.read_all();
}

struct fixture {
  temp_dir_guard dir{"server"};
  std::unique_ptr<sink> store;
  collector_metrics metrics;
  std::unique_ptr<request_handler> handler;
  std::unique_ptr<server> srv;
  std::uint16_t port = 0;

  // `scan`: the guard's scanner; the default is a deterministic stand-in ('@' is an e-mail).
  explicit fixture(server_options so = {}, api_keys keys = {}, pii_scan_fn scan = {},
                   handler_options ho = {}) {
    auto s = open_sink("sqlite://" + (dir.path / "c.db").string());
    REQUIRE(s.ok());
    store = std::move(*s);
    guard_options g;  // deterministic scanner stand-in: '@' is an e-mail
    g.scan = scan ? std::move(scan) : pii_scan_fn([](std::string_view v) {
      return v.find('@') != std::string_view::npos ? std::string("email") : std::string();
    });
    // The records here are dated 2026-11-29; "now" is fixed so the time window does not move.
    if (!ho.now)
      ho.now = [] {
        return std::chrono::system_clock::time_point(std::chrono::seconds(1796000000));
      };
    handler = std::make_unique<request_handler>(*store, *make_batch_decoder(1 << 20),
                                                make_default_guard(g), std::move(keys), metrics,
                                                std::move(ho));
    so.listen = "127.0.0.1:0";
    if (so.read_timeout == std::chrono::milliseconds(10'000))
      so.read_timeout = std::chrono::milliseconds(300);
    if (so.max_body == (std::size_t{8} << 20)) so.max_body = 64 << 10;
    srv = std::make_unique<server>(so, *handler);
    auto r = srv->start();
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.err().message));
    port = srv->port();
    REQUIRE(port != 0);
  }
  ~fixture() { srv->stop(); }
  std::uint64_t events() { return *store->count_events(); }
};

}  // namespace veil::collector::test
