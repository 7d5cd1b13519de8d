#include "agent/policy/actions.hpp"

#include <arpa/inet.h>

#include <charconv>
#include <cmath>
#include <cstring>

namespace veil::detail {
namespace {
std::string_view trim(std::string_view s) {
  while (!s.empty() &&
         (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r'))
    s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}
char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
bool iequals_prefix(std::string_view s, std::string_view p) {
  if (s.size() < p.size()) return false;
  for (std::size_t i = 0; i < p.size(); ++i)
    if (lower(s[i]) != p[i]) return false;
  return true;
}
void v4_prefix(const unsigned char* b, std::string& out) {
  char buf[INET_ADDRSTRLEN];
  unsigned char n[4] = {b[0], b[1], b[2], 0};
  inet_ntop(AF_INET, n, buf, sizeof buf);
  out += buf;
  out += "/24";
}
}  // namespace

bool ip_prefix(std::string_view in, std::string& out) {
  std::string_view s = trim(in);
  if (s.empty() || s.size() > 100) return false;
  if (s.front() == '[') {  // [v6]:port
    auto close = s.find(']');
    if (close == std::string_view::npos) return false;
    s = s.substr(1, close - 1);
  } else if (s.find(':') != std::string_view::npos && s.find('.') != std::string_view::npos &&
             s.find(':') == s.rfind(':') && s.find(':') > s.find('.')) {
    s = s.substr(0, s.find(':'));  // a.b.c.d:port
  }
  if (auto pct = s.find('%'); pct != std::string_view::npos) s = s.substr(0, pct);  // zone id
  char buf[64];
  if (s.empty() || s.size() >= sizeof buf) return false;
  std::memcpy(buf, s.data(), s.size());
  buf[s.size()] = 0;
  unsigned char addr[16];
  if (inet_pton(AF_INET, buf, addr) == 1) {
    v4_prefix(addr, out);
    return true;
  }
  if (inet_pton(AF_INET6, buf, addr) == 1) {
    static constexpr unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::memcmp(addr, mapped, 12) == 0) {
      v4_prefix(addr + 12, out);
      return true;
    }
    std::memset(addr + 6, 0, 10);
    char txt[INET6_ADDRSTRLEN];
    inet_ntop(AF_INET6, addr, txt, sizeof txt);
    out += txt;
    out += "/48";
    return true;
  }
  return false;
}

bool url_strip(std::string_view in, std::string& out) {
  std::string_view s = trim(in);
  if (s.empty()) return false;
  auto cut_qf = [](std::string_view p) {
    auto q = p.find_first_of("?#");
    return q == std::string_view::npos ? p : p.substr(0, q);
  };
  auto sep = s.find("://");
  bool scheme_ok = sep != std::string_view::npos && sep > 0;
  if (scheme_ok) {
    for (std::size_t i = 0; i < sep; ++i) {
      char c = s[i];
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '+' || c == '-' || c == '.')) {
        scheme_ok = false;
        break;
      }
    }
  }
  if (!scheme_ok) {
    out += cut_qf(s);
    return true;
  }
  std::string_view rest = s.substr(sep + 3);
  auto auth_end = rest.find_first_of("/?#");
  std::string_view authority =
      rest.substr(0, auth_end == std::string_view::npos ? rest.size() : auth_end);
  std::string_view tail =
      auth_end == std::string_view::npos ? std::string_view{} : rest.substr(auth_end);
  if (auto at = authority.rfind('@'); at != std::string_view::npos)
    authority = authority.substr(at + 1);
  if (authority.empty()) return false;
  for (char c : s.substr(0, sep)) out.push_back(lower(c));
  out += "://";
  out += authority;
  out += cut_qf(tail);
  return true;
}

bool parse_sip_uri(std::string_view in, sip_parts& out) {
  std::string_view s = trim(in);
  // Find the scheme: at the start, after '<', or after a display name.
  std::size_t pos = std::string_view::npos;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i > 0 && s[i - 1] != '<' && s[i - 1] != ' ' && s[i - 1] != '"' && s[i - 1] != ',') continue;
    std::string_view t = s.substr(i);
    if (iequals_prefix(t, "sips:") || iequals_prefix(t, "sip:") || iequals_prefix(t, "tel:")) {
      pos = i;
      break;
    }
  }
  if (pos == std::string_view::npos) return false;
  std::string_view t = s.substr(pos);
  std::size_t colon = t.find(':');
  out.scheme = t.substr(0, colon);
  t = t.substr(colon + 1);
  auto end = t.find_first_of(">, \t\"");
  if (end != std::string_view::npos) t = t.substr(0, end);
  if (iequals_prefix(out.scheme, "tel")) {
    auto semi = t.find(';');
    out.user = t.substr(0, semi);
    out.host = {};
    return !out.user.empty();
  }
  auto at = t.rfind('@');
  std::string_view hostpart = t;
  out.user = {};
  if (at != std::string_view::npos) {
    out.user = t.substr(0, at);
    if (auto c = out.user.find(':'); c != std::string_view::npos)
      out.user = out.user.substr(0, c);  // user:password
    hostpart = t.substr(at + 1);
  }
  hostpart = hostpart.substr(0, hostpart.find_first_of(";?"));
  if (!hostpart.empty() && hostpart.front() == '[') {
    auto close = hostpart.find(']');
    hostpart = close == std::string_view::npos ? std::string_view{} : hostpart.substr(0, close + 1);
  } else if (auto c = hostpart.find(':'); c != std::string_view::npos) {
    hostpart = hostpart.substr(0, c);
  }
  out.host = hostpart;
  return true;
}

bool sip_domain(std::string_view in, std::string& out) {
  sip_parts p;
  if (!parse_sip_uri(in, p) || p.host.empty()) return false;
  for (char c : p.host) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '-' || c == '[' || c == ']' || c == ':' || c == '_';
    if (!ok) return false;
  }
  // A host that is an IP address is the user's or server's address: keep only its prefix.
  std::string prefix;
  if (ip_prefix(p.host, prefix)) {
    out += prefix;
    return true;
  }
  for (char c : p.host) out.push_back(lower(c));
  while (!out.empty() && out.back() == '.') out.pop_back();
  return true;
}

static void append_bound(std::string& s, double b) {
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, b);
  s.append(buf, r.ptr);
}

std::string bucket_label(double v, const std::vector<double>& bounds) {
  std::string s;
  if (bounds.empty()) return s;
  if (v < bounds.front()) {
    s = "<";
    append_bound(s, bounds.front());
    return s;
  }
  for (std::size_t i = 0; i + 1 < bounds.size(); ++i) {
    if (v < bounds[i + 1]) {
      append_bound(s, bounds[i]);
      s.push_back('-');
      append_bound(s, bounds[i + 1]);
      return s;
    }
  }
  append_bound(s, bounds.back());
  s.push_back('+');
  return s;
}

double round_to(double v, int decimals) noexcept {
  if (decimals < 0) decimals = 0;
  if (decimals > 6) decimals = 6;
  double f = std::pow(10.0, decimals);
  double r = std::round(v * f) / f;
  return r == 0.0 ? 0.0 : r;  // no "-0"
}

bool parse_number(std::string_view s, double& out) noexcept {
  s = trim(s);
  if (s.empty() || s.size() > 64) return false;
  if (s.front() == '+') s.remove_prefix(1);
  auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc{} && r.ptr == s.data() + s.size() && std::isfinite(out);
}

std::size_t scrub_path_users(std::string_view in, std::string& out) {
  std::size_t n = 0, i = 0, copied = 0;
  auto seg_end = [&](std::size_t p) {
    while (p < in.size() && in[p] != '/' && in[p] != '\\' && in[p] != '"' && in[p] != '\'' &&
           in[p] != ' ' && in[p] != ':' && in[p] != ',' && in[p] != ')' && in[p] != ']')
      ++p;
    return p;
  };
  auto replace_seg = [&](std::size_t seg) {
    std::size_t e = seg_end(seg);
    if (e == seg) return false;
    out.append(in.data() + copied, seg - copied);
    out += "<user>";
    copied = e;
    i = e;
    ++n;
    return true;
  };
  while (i < in.size()) {
    std::string_view t = in.substr(i);
    bool at_start = i == 0 || in[i - 1] == ' ' || in[i - 1] == '"' || in[i - 1] == '\'' ||
                    in[i - 1] == '(' || in[i - 1] == '=' || in[i - 1] == ':' || in[i - 1] == '[';
    if (iequals_prefix(t, "/home/") && (at_start || i == 0)) {
      if (replace_seg(i + 6)) continue;
    } else if (iequals_prefix(t, "/var/home/") || iequals_prefix(t, "/var/users/")) {
      if (replace_seg(i + (t[5] == 'h' ? 10 : 11))) continue;
    } else if (t.size() > 7 && t.substr(0, 7) == "/Users/") {
      if (replace_seg(i + 7)) continue;
    } else if (t[0] == '\\' || t[0] == '/') {
      // Windows: \Users\x, \\Users\\x (escaped), \Documents and Settings\x
      std::size_t k = i;
      while (k < in.size() && (in[k] == '\\' || in[k] == '/')) ++k;
      std::string_view u = in.substr(k);
      std::size_t skip = 0;
      if (iequals_prefix(u, "users")) skip = 5;
      else if (iequals_prefix(u, "documents and settings")) skip = 22;
      if (skip && k + skip < in.size() && (in[k + skip] == '\\' || in[k + skip] == '/') && k > i &&
          (t[0] == '\\' || (i >= 2 && in[i - 1] == ':'))) {
        std::size_t seg = k + skip;
        while (seg < in.size() && (in[seg] == '\\' || in[seg] == '/')) ++seg;
        std::string_view name = in.substr(seg, seg_end(seg) - seg);
        if (!name.empty() && !iequals_prefix(name, "public") && !iequals_prefix(name, "default") &&
            replace_seg(seg))
          continue;
      }
    } else if (t[0] == '~' && t.size() > 1 && at_start && t[1] != '/') {
      if (replace_seg(i + 1)) continue;
    }
    ++i;
  }
  out.append(in.data() + copied, in.size() - copied);
  return n;
}

}  // namespace veil::detail
