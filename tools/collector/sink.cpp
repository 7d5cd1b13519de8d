#include "tools/collector/sink.hpp"

#include <algorithm>
#include <charconv>
#include <ctime>

namespace veil::collector {

bool valid_field(std::string_view f) noexcept {
  if (f == "day" || f == "hour" || f == "type" || f == "category") return true;
  if (!f.starts_with("attrs.") || f.size() == 6 || f.size() > 64) return false;
  for (char c : f.substr(6))
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'))
      return false;
  return true;
}

std::string day_string(sys_time t) {
  std::time_t s = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&s, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

std::string day_of(std::string_view ts, sys_time received) {
  auto digits = [&](std::size_t a, std::size_t n) {
    for (std::size_t i = a; i < a + n; ++i)
      if (ts[i] < '0' || ts[i] > '9') return false;
    return true;
  };
  if (ts.size() >= 10 && digits(0, 4) && ts[4] == '-' && digits(5, 2) && ts[7] == '-' &&
      digits(8, 2)) {
    std::string arrived = day_string(received);
    // ISO dates compare as strings.
    return std::min(std::string(ts.substr(0, 10)), arrived);
  }
  return day_string(received);
}

veil::result<std::unique_ptr<sink>> open_sink(std::string_view url) {
  if (url == "memory:" || url == "memory://")
    return std::unique_ptr<sink>(std::make_unique<memory_sink>());
  if (url.starts_with("sqlite://")) {
    std::string path(url.substr(9));
    if (path.empty())
      return veil::make_error(veil::errc::invalid_argument, "sqlite URL without a path");
    return open_sqlite_sink(path);
  }
  if (url.starts_with("clickhouse://")) {
    std::string_view rest = url.substr(13);
    auto slash = rest.find('/');
    std::string_view hostport = rest.substr(0, slash);
    std::string db =
        slash == std::string_view::npos ? "default" : std::string(rest.substr(slash + 1));
    if (db.empty()) db = "default";
    for (char c : db)
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'))
        return veil::make_error(veil::errc::invalid_argument,
                                "clickhouse database name must be [A-Za-z0-9_]");
    std::string host(hostport);
    std::uint16_t port = 8123;
    if (auto colon = hostport.rfind(':'); colon != std::string_view::npos) {
      host = std::string(hostport.substr(0, colon));
      auto p = hostport.substr(colon + 1);
      auto [ptr, ec] = std::from_chars(p.data(), p.data() + p.size(), port);
      if (ec != std::errc() || ptr != p.data() + p.size())
        return veil::make_error(veil::errc::invalid_argument, "clickhouse URL: bad port");
    }
    if (host.empty())
      return veil::make_error(veil::errc::invalid_argument, "clickhouse URL without a host");
    return open_clickhouse_sink(host, port, db);
  }
  return veil::make_error(veil::errc::invalid_argument,
                          "unknown sink URL scheme (sqlite://, clickhouse://, memory:)");
}

}  // namespace veil::collector
