// veil run: the agent as a daemon for hosts that cannot link the library. Reads raw events as
// JSONL from a local Unix socket (mode 0600) and feeds them to one veil::agent (same pipeline
// as the library). A line whose top-level object has "op" is a control request answered with
// one JSON line: {"op":"stats"}, {"op":"consent","category":C,"granted":B},
// {"op":"get_consent","category":C}, {"op":"flush","timeout_ms":N}, and the users' rights
// {"op":"consent_show"}, {"op":"object","category":C}, {"op":"preview","max_records":N},
// {"op":"export"}, {"op":"erase"}, {"op":"erasure_status"}. SIGTERM/SIGINT: stop reading,
// flush within the shutdown timeout, exit 0. Also: veil stats here, and veil consent / preview
// / export / erase (cmd_rights.cpp), the clients of the control requests.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <string>

#include "tools/veil/cli.hpp"
#include "veil/agent.hpp"

namespace veil::cli {
namespace {

using nlohmann::json;

constexpr std::size_t max_line = 1u << 20;
constexpr std::size_t max_clients = 64;

const char* run_help =
    "usage: veil run --config FILE [--socket PATH]\n\n"
    "Runs the agent as a daemon: reads raw events as JSONL ({\"type\",\"ts\",\"attrs\"} per line) "
    "from a\n"
    "local Unix socket (created with mode 0600), cleans, stores and uploads them like the "
    "library.\n"
    "Control lines on the same socket: {\"op\":\"stats\"}, "
    "{\"op\":\"consent\",\"category\":C,\"granted\":B},\n"
    "{\"op\":\"get_consent\",\"category\":C}, {\"op\":\"flush\",\"timeout_ms\":N}; each gets one "
    "JSON line back.\n"
    "SIGTERM or SIGINT: stop reading, flush within shutdown_timeout_ms, exit 0.\n\n"
    "  --config FILE   agent config (see config/agent.json)\n"
    "  --socket PATH   socket path (default: the config's daemon.socket, else "
    "<state_dir>/veil.sock)\n";

const char* stats_help =
    "usage: veil stats --socket PATH\n\n"
    "Prints the counters of a running `veil run` daemon as JSON (queue, drops by reason, spool, "
    "upload).\n";

struct client {
  int fd = -1;
  std::string buf;
  bool discarding = false;  // inside an over-long line: drop until the next newline
};

int listen_unix(const std::string& path, std::string& err) {
  sockaddr_un addr{};
  if (path.size() >= sizeof addr.sun_path) {
    err = "socket path too long: " + path;
    return -1;
  }
  // A stale socket from a crashed daemon is replaced; a live one is an error.
  int probe = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
  if (probe >= 0 && ::connect(probe, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    ::close(probe);
    err = "another daemon is listening on " + path;
    return -1;
  }
  if (probe >= 0) ::close(probe);
  ::unlink(path.c_str());
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) {
    err = std::string("socket: ") + std::strerror(errno);
    return -1;
  }
  mode_t old = ::umask(0177);  // the socket file is born 0600: no window with a wider mode
  int rc = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  ::umask(old);
  if (rc != 0 || ::chmod(path.c_str(), 0600) != 0 || ::listen(fd, 16) != 0) {
    err = "bind/listen " + path + ": " + std::strerror(errno);
    ::close(fd);
    return -1;
  }
  return fd;
}

void write_all(int fd, const std::string& s) {
  std::size_t off = 0;
  while (off < s.size()) {
    ssize_t n = ::send(fd, s.data() + off, s.size() - off, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      pollfd p{fd, POLLOUT, 0};
      if (::poll(&p, 1, 1000) <= 0) return;
      continue;
    }
    if (n <= 0) return;
    off += static_cast<std::size_t>(n);
  }
}

struct daemon_counters {
  std::uint64_t lines = 0, oversized = 0, control = 0, rejected_by_queue = 0, connections = 0;
};

json control(veil::agent& a, const json& req, const daemon_counters& dc) {
  const std::string op = req.value("op", "");
  if (op == "stats") {
    json s = json::parse(a.stats_json());
    s["daemon"] = {{"lines", dc.lines},
                   {"oversized_lines", dc.oversized},
                   {"control_requests", dc.control},
                   {"not_queued", dc.rejected_by_queue},
                   {"connections", dc.connections}};
    return {{"ok", true}, {"stats", s}};
  }
  if (op == "consent" || op == "get_consent") {
    if (!req.contains("category") || !req["category"].is_string())
      return {{"ok", false}, {"error", "category missing"}};
    const std::string cat = req["category"];
    if (op == "consent") {
      if (!req.contains("granted") || !req["granted"].is_boolean())
        return {{"ok", false}, {"error", "granted missing"}};
      auto st = a.set_consent(cat, req["granted"].get<bool>(), "socket");
      if (st != status::ok) return {{"ok", false}, {"error", to_string(st)}};
    }
    bool g = false;
    auto st = a.get_consent(cat, g);
    if (st != status::ok) return {{"ok", false}, {"error", to_string(st)}};
    return {{"ok", true}, {"category", cat}, {"granted", g}};
  }
  // Users' rights (tools/veil/cmd_rights.cpp is the client).
  if (op == "consent_show") return {{"ok", true}, {"consent", json::parse(a.consent_json())}};
  if (op == "object") {
    if (!req.contains("category") || !req["category"].is_string())
      return {{"ok", false}, {"error", "category missing"}};
    auto st = a.object(req["category"].get<std::string>(), "socket");
    if (st != status::ok) return {{"ok", false}, {"error", to_string(st)}};
    return {{"ok", true}};
  }
  if (op == "preview")
    return {{"ok", true},
            {"preview", json::parse(a.preview_json(req.value("max_records", 1000u)))}};
  if (op == "export") return {{"ok", true}, {"export", json::parse(a.export_json())}};
  if (op == "erase") {
    auto st = a.erase();
    if (st != status::ok) return {{"ok", false}, {"error", to_string(st)}};
    return {{"ok", true}, {"erasure", json::parse(a.erasure_status_json())}};
  }
  if (op == "erasure_status")
    return {{"ok", true}, {"erasure", json::parse(a.erasure_status_json())}};
  if (op == "flush") {
    auto ms = req.value("timeout_ms", 5000);
    auto st = a.flush(std::chrono::milliseconds(ms));
    return {{"ok", st == status::ok}, {"status", to_string(st)}};
  }
  return {{"ok", false}, {"error", "unknown op"}};
}

void handle_line(veil::agent& a, client& c, std::string_view line, daemon_counters& dc) {
  if (line.empty()) return;
  ++dc.lines;
  // Control requests are small objects with a top-level "op"; events never have one.
  if (line.find("\"op\"") != std::string_view::npos) {
    json j = json::parse(line, nullptr, false);
    if (!j.is_discarded() && j.is_object() && j.contains("op")) {
      ++dc.control;
      write_all(c.fd, control(a, j, dc).dump() + "\n");
      return;
    }
  }
  if (a.record_envelope(line) != status::ok) ++dc.rejected_by_queue;
}

// Reads what is available; false when the peer closed or failed.
bool read_client(veil::agent& a, client& c, daemon_counters& dc) {
  char tmp[65536];
  for (;;) {
    ssize_t n = ::recv(c.fd, tmp, sizeof tmp, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return true;
    if (n <= 0) {
      if (!c.discarding && !c.buf.empty()) handle_line(a, c, c.buf, dc);  // last line without '\n'
      return false;
    }
    std::string_view chunk(tmp, static_cast<std::size_t>(n));
    while (!chunk.empty()) {
      auto nl = chunk.find('\n');
      std::string_view part = chunk.substr(0, nl);
      if (c.discarding) {
        if (nl != std::string_view::npos) c.discarding = false;
      } else if (c.buf.size() + part.size() > max_line) {
        ++dc.oversized;
        c.buf.clear();
        c.discarding = nl == std::string_view::npos;
      } else if (nl == std::string_view::npos) {
        c.buf.append(part);
      } else if (c.buf.empty()) {
        handle_line(a, c, part, dc);
      } else {
        c.buf.append(part);
        handle_line(a, c, c.buf, dc);
        c.buf.clear();
      }
      if (nl == std::string_view::npos) break;
      chunk.remove_prefix(nl + 1);
    }
  }
}

std::string socket_from_config(const std::string& config_path, const agent_options& o) {
  std::string text;
  if (FILE* f = std::fopen(config_path.c_str(), "rb")) {
    char b[4096];
    std::size_t n;
    while ((n = std::fread(b, 1, sizeof b, f)) > 0) text.append(b, n);
    std::fclose(f);
  }
  json j = json::parse(text, nullptr, false);
  std::string s;
  if (!j.is_discarded() && j.contains("daemon") && j["daemon"].contains("socket") &&
      j["daemon"]["socket"].is_string())
    s = j["daemon"]["socket"];
  if (s.empty()) return (std::filesystem::path(o.state_dir) / "veil.sock").string();
  std::filesystem::path p(s);
  if (p.is_relative()) p = std::filesystem::path(config_path).parent_path() / p;
  return p.string();
}

int connect_unix(const std::string& path) {
  sockaddr_un addr{};
  if (path.size() >= sizeof addr.sun_path) return -1;
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

}  // namespace

// Sends one control line and reads one reply line (5 s budget, a flush gets its own).
std::optional<json> request(const std::string& path, const json& req, int timeout_ms) {
  int fd = connect_unix(path);
  if (fd < 0) return std::nullopt;
  write_all(fd, req.dump() + "\n");
  std::string reply;
  char b[65536];
  while (reply.find('\n') == std::string::npos) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, timeout_ms) <= 0) break;
    ssize_t n = ::recv(fd, b, sizeof b, 0);
    if (n <= 0) break;
    reply.append(b, static_cast<std::size_t>(n));
  }
  ::close(fd);
  json j = json::parse(reply.substr(0, reply.find('\n')), nullptr, false);
  if (j.is_discarded()) return std::nullopt;
  return j;
}

int cmd_run(int argc, char** argv) {
  args a;
  if (auto e = parse_args(argc, argv, 2, {"config", "socket"}, {"help"}, a)) {
    std::fprintf(stderr, "veil run: %s\n%s", e->c_str(), run_help);
    return exit_usage;
  }
  if (a.has("help")) {
    std::fputs(run_help, stdout);
    return exit_ok;
  }
  if (!a.get("config") || !a.positional.empty()) {
    std::fprintf(stderr, "veil run: --config is required\n%s", run_help);
    return exit_usage;
  }
  const std::string config = *a.get("config");
  agent_options opts;
  if (auto f = load_config(config, opts)) {
    std::fprintf(stderr, "veil run: %s\n", f->message.c_str());
    return exit_failure;
  }
  const std::string sock_path =
      a.get("socket") ? *a.get("socket") : socket_from_config(config, opts);

  // Signals arrive as readable data on a signalfd, polled with the sockets.
  sigset_t mask;
  sigemptyset(&mask);
  sigaddset(&mask, SIGTERM);
  sigaddset(&mask, SIGINT);
  sigaddset(&mask, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &mask, nullptr);  // before the agent's threads start: they inherit it
  int sfd = ::signalfd(-1, &mask, SFD_CLOEXEC);

  failure why;
  auto agent = agent::open(opts, &why);
  if (!agent) {
    std::fprintf(stderr, "veil run: %s\n", why.message.c_str());
    return exit_failure;
  }
  std::string err;
  int lfd = listen_unix(sock_path, err);
  if (lfd < 0 || sfd < 0) {
    std::fprintf(stderr, "veil run: %s\n", lfd < 0 ? err.c_str() : "signalfd failed");
    return exit_failure;
  }
  std::fprintf(stderr, "veil run: listening on %s\n", sock_path.c_str());

  std::map<int, client> clients;
  daemon_counters dc;
  bool stop = false;
  while (!stop) {
    std::vector<pollfd> fds;
    fds.push_back({sfd, POLLIN, 0});
    fds.push_back({lfd, POLLIN, 0});
    for (auto& [fd, c] : clients) fds.push_back({fd, POLLIN, 0});
    if (::poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      std::perror("veil run: poll");
      break;
    }
    if (fds[0].revents & POLLIN) {
      signalfd_siginfo si{};
      if (::read(sfd, &si, sizeof si) == sizeof si && si.ssi_signo != SIGPIPE) stop = true;
    }
    if (fds[1].revents & POLLIN) {
      int cfd = ::accept4(lfd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (cfd >= 0) {
        if (clients.size() >= max_clients) {
          ::close(cfd);
        } else {
          clients[cfd].fd = cfd;
          ++dc.connections;
        }
      }
    }
    for (std::size_t i = 2; i < fds.size(); ++i) {
      if (!fds[i].revents) continue;
      auto it = clients.find(fds[i].fd);
      if (it == clients.end()) continue;
      if (!read_client(*agent, it->second, dc)) {
        ::close(it->first);
        clients.erase(it);
      }
    }
  }
  // Take what the clients already sent, then flush.
  for (auto& [fd, c] : clients) {
    (void)read_client(*agent, c, dc);
    ::close(fd);
  }
  ::close(lfd);
  ::unlink(sock_path.c_str());
  const auto st = agent->close();
  std::fprintf(stderr, "veil run: stopped (%s)\n", to_string(st));
  return exit_ok;
}

int cmd_stats(int argc, char** argv) {
  args a;
  if (auto e = parse_args(argc, argv, 2, {"socket"}, {"help"}, a)) {
    std::fprintf(stderr, "veil stats: %s\n%s", e->c_str(), stats_help);
    return exit_usage;
  }
  if (a.has("help")) {
    std::fputs(stats_help, stdout);
    return exit_ok;
  }
  if (!a.get("socket") || !a.positional.empty()) {
    std::fprintf(stderr, "veil stats: --socket is required\n%s", stats_help);
    return exit_usage;
  }
  auto r = request(*a.get("socket"), {{"op", "stats"}});
  if (!r || !r->value("ok", false)) {
    std::fprintf(stderr, "veil stats: no answer from %s\n", a.get("socket")->c_str());
    return exit_failure;
  }
  std::printf("%s\n", (*r)["stats"].dump(2).c_str());
  return exit_ok;
}

}  // namespace veil::cli
