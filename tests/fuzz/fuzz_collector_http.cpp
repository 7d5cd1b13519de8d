// Fuzz target: the collector's HTTP request path, end to end through the real server (Beast
// parser, bounded read buffer, chunked framing with its extension and budget checks, the
// credentials check before the body, the memory budget, the handler) on loopback. The input is
// the raw bytes a client sends; the first byte picks how they are cut into writes (1..255 bytes
// per write, 0 = all at once), so framing split across reads is reached. The server runs with
// small limits (16 KiB body, 2 KiB header, a 1 MiB budget, 2 connections per client) so the
// fuzzer reaches every limit with small inputs.
// Invariants: every connection ends (answered or closed) within the read timeout; an answer is
// one HTTP/1.1 status line with a status the collector gives; after each input the server
// still answers /healthz with 200 (no leak of budget or connection slots), and nothing
// outlives the input (ASan/LSan in sanitizer builds).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <string_view>

#include "tests/fuzz/fuzz_check.hpp"
#include "tools/collector/batch_decoder.hpp"
#include "tools/collector/record_guard.hpp"
#include "tools/collector/request_handler.hpp"
#include "tools/collector/server.hpp"
#include "tools/collector/sink.hpp"

using namespace veil::collector;

namespace {

struct fixture {
  std::filesystem::path dir;
  std::unique_ptr<sink> store;
  collector_metrics metrics;
  std::unique_ptr<request_handler> handler;
  std::unique_ptr<server> srv;

  fixture() {
    dir = std::filesystem::temp_directory_path() / ("veil-fuzz-http-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    auto s = open_sink("memory://");
    VEIL_FUZZ_CHECK(s.ok(), "open the memory sink");
    store = std::move(*s);
    auto dec = make_batch_decoder(64u << 10);
    VEIL_FUZZ_CHECK(dec.ok(), "make_batch_decoder");
    handler = std::make_unique<request_handler>(*store, std::move(*dec), make_default_guard(),
                                                api_keys::from_keys({"fuzz-key-0123456789abcdef"}),
                                                metrics);
    server_options o;
    o.max_body = 16u << 10;
    o.max_header = 2048;
    o.memory_budget = 1u << 20;
    o.max_connections_per_client = 2;
    o.read_timeout = std::chrono::milliseconds(1000);
    o.idle_timeout = std::chrono::milliseconds(300);
    srv = std::make_unique<server>(o, *handler);
    auto r = srv->start();
    VEIL_FUZZ_CHECK(r.ok(), "server start");
  }
  ~fixture() {
    srv->stop();
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
};

int connect_to(std::uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  timeval tv{3, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  VEIL_FUZZ_CHECK(::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0, "connect");
  return fd;
}

std::string exchange(std::uint16_t port, std::string_view bytes, unsigned piece) {
  int fd = connect_to(port);
  while (!bytes.empty()) {
    const std::size_t n = piece ? std::min<std::size_t>(piece, bytes.size()) : bytes.size();
    auto w = ::send(fd, bytes.data(), n, MSG_NOSIGNAL);
    if (w <= 0) break;  // the server answered and closed: fine
    bytes.remove_prefix(static_cast<std::size_t>(w));
  }
  ::shutdown(fd, SHUT_WR);
  std::string out;
  char buf[4096];
  for (;;) {
    auto n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) {
      VEIL_FUZZ_CHECK(n == 0 || errno == ECONNRESET, "connection ends within the timeout");
      break;
    }
    out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return out;
}

const std::set<int> statuses = {100, 200, 400, 401, 403, 404, 405, 408,
                                411, 413, 415, 429, 431, 501, 503, 505};

void check_answers(std::string_view r) {
  // One or more responses (keep-alive, pipelined), each starting with a status line.
  std::size_t pos = 0;
  while (pos < r.size()) {
    VEIL_FUZZ_CHECK(r.substr(pos, 9) == "HTTP/1.1 " || r.substr(pos, 9) == "HTTP/1.0 ",
                    "an answer starts with a status line");
    VEIL_FUZZ_CHECK(pos + 12 <= r.size(), "status line complete");
    const int st = std::atoi(std::string(r.substr(pos + 9, 3)).c_str());
    VEIL_FUZZ_CHECK(statuses.count(st) == 1, "a status the collector gives");
    auto end = r.find("\r\n\r\n", pos);
    VEIL_FUZZ_CHECK(end != std::string_view::npos, "headers end");
    std::size_t len = 0;
    auto cl = r.find("Content-Length: ", pos);
    if (cl != std::string_view::npos && cl < end)
      len = std::strtoul(std::string(r.substr(cl + 16, 12)).c_str(), nullptr, 10);
    pos = end + 4 + len;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static fixture f;
  if (size == 0) return 0;
  const unsigned piece = data[0];
  const std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  check_answers(exchange(f.srv->port(), rest, piece));
  const auto h = exchange(f.srv->port(), "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", 0);
  VEIL_FUZZ_CHECK(h.rfind("HTTP/1.1 200", 0) == 0, "healthz still 200 after the input");
  return 0;
}
