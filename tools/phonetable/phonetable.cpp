// veil-phonetable: writes the phone metadata table (agent/policy/phone_table_data.hpp) from the
// metadata compiled into the installed libphonenumber. A host tool run at build time; the agent
// links its output, never libphonenumber (docs/phone-table.md).
//
// Usage: veil-phonetable --version <debian package version> --out <file.cpp>
// Exit codes: 0 written, 1 the metadata cannot be read or holds a pattern this compiler does not
// support (the message names it), 2 usage. The output is deterministic: the same metadata gives
// the same bytes.
#include <phonenumbers/phonemetadata.pb.h>
#include <phonenumbers/phonenumberutil.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <list>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

// The serialized PhoneMetadataCollection libphonenumber carries (its metadata.h, which Debian
// does not install).
namespace i18n::phonenumbers {
int metadata_size();
const void* metadata_get();
}  // namespace i18n::phonenumbers

namespace {

namespace pn = i18n::phonenumbers;

// ---- A compiler for the regular expressions of the metadata ---------------------------------
// The metadata's patterns use a small subset of ICU's syntax: digits, [classes] with ranges,
// \d, groups (capturing and (?:...)), alternation and the quantifiers ? * + {n} {n,} {n,m}.
// They are applied only to strings of ASCII digits, so a class is a set of digits. Anything
// else is rejected: the build fails rather than the table answering differently.

struct node {
  enum kind { cls, seq, alt, rep, group, end } k;
  std::uint16_t mask = 0;  // cls
  std::vector<node> kids;  // seq, alt; rep and group: kids[0]
  int min = 0, max = 0;    // rep (max -1: unbounded)
  bool greedy = true;      // rep
  int capture = -1;        // group: 1-based capture index, -1 for (?:...)
  static node make(kind k, std::uint16_t mask = 0) {
    node n;
    n.k = k;
    n.mask = mask;
    return n;
  }
};

class parser {
 public:
  explicit parser(const std::string& s) : s_(s) {}
  node parse() {
    node n = alternation();
    if (i_ != s_.size()) fail("unexpected ')'");
    return n;
  }
  int groups() const { return groups_; }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw std::runtime_error("pattern \"" + s_ + "\" at " + std::to_string(i_) + ": " + what);
  }
  bool more() const { return i_ < s_.size(); }
  char peek() const { return s_[i_]; }

  node alternation() {
    node a = node::make(node::alt);
    a.kids.push_back(sequence());
    while (more() && peek() == '|') {
      ++i_;
      a.kids.push_back(sequence());
    }
    if (a.kids.size() == 1) return std::move(a.kids[0]);
    return a;
  }
  node sequence() {
    node q = node::make(node::seq);
    while (more() && peek() != '|' && peek() != ')') q.kids.push_back(repeat());
    return q;
  }
  int number() {
    if (!more() || peek() < '0' || peek() > '9') fail("expected a number");
    int v = 0;
    while (more() && peek() >= '0' && peek() <= '9') v = v * 10 + (s_[i_++] - '0');
    if (v > 64) fail("repeat count over 64");
    return v;
  }
  node repeat() {
    node a = atom();
    while (more()) {
      int lo, hi;
      char c = peek();
      if (c == '?') lo = 0, hi = 1, ++i_;
      else if (c == '*') lo = 0, hi = -1, ++i_;
      else if (c == '+') lo = 1, hi = -1, ++i_;
      else if (c == '{') {
        ++i_;
        lo = hi = number();
        if (more() && peek() == ',') {
          ++i_;
          hi = more() && peek() == '}' ? -1 : number();
        }
        if (!more() || peek() != '}') fail("expected '}'");
        ++i_;
        if (hi != -1 && hi < lo) fail("bad repeat range");
      } else {
        break;
      }
      node r = node::make(node::rep);
      r.min = lo;
      r.max = hi;
      if (more() && peek() == '?') r.greedy = false, ++i_;
      else if (more() && peek() == '+') fail("possessive quantifier");
      r.kids.push_back(std::move(a));
      a = std::move(r);
    }
    return a;
  }
  node atom() {
    char c = s_[i_++];
    if (c == '(') {
      node g = node::make(node::group);
      if (more() && peek() == '?') {
        if (i_ + 1 >= s_.size() || s_[i_ + 1] != ':') fail("only (?:...) groups are supported");
        i_ += 2;
      } else {
        g.capture = ++groups_;
      }
      g.kids.push_back(alternation());
      if (!more() || peek() != ')') fail("expected ')'");
      ++i_;
      return g;
    }
    if (c == '[') return klass();
    if (c == '\\') return escape();
    if (c == '.') return node::make(node::cls, 0x3ff);
    if (c == '$') return node::make(node::end);
    if (c == '^' || c == '*' || c == '+' || c == '?' || c == '{' || c == ')')
      fail(std::string("unsupported '") + c + "'");
    return literal(c);
  }
  static node literal(char c) {
    // Not a digit: can never match the digit strings the patterns are applied to.
    return node::make(node::cls,
                      static_cast<std::uint16_t>(c >= '0' && c <= '9' ? 1u << (c - '0') : 0));
  }
  node escape() {
    if (!more()) fail("trailing '\\'");
    char c = s_[i_++];
    if (c == 'd') return node::make(node::cls, 0x3ff);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
      fail(std::string("unsupported escape \\") + c);
    return literal(c);
  }
  node klass() {
    bool negate = false;
    if (more() && peek() == '^') negate = true, ++i_;
    std::uint16_t mask = 0;
    bool first = true;
    while (more() && (peek() != ']' || first)) {
      first = false;
      char lo = s_[i_++];
      if (lo == '\\') {
        mask |= escape().mask;
        continue;
      }
      if (lo == '[') fail("nested class");
      char hi = lo;
      if (i_ + 1 < s_.size() && peek() == '-' && s_[i_ + 1] != ']') {
        ++i_;
        hi = s_[i_++];
        if (hi == '\\' || hi < lo) fail("bad class range");
      }
      for (int d = 0; d < 10; ++d)
        if ('0' + d >= lo && '0' + d <= hi) mask |= static_cast<std::uint16_t>(1u << d);
    }
    if (!more()) fail("unterminated class");
    ++i_;
    if (negate) mask = static_cast<std::uint16_t>(~mask & 0x3ff);
    return node::make(node::cls, mask);
  }

  const std::string& s_;
  std::size_t i_ = 0;
  int groups_ = 0;
};

// Emits a node as instructions (see phone_table_data.hpp for the encoding).
class emitter {
 public:
  std::vector<std::uint32_t> code;
  void emit(const node& n) {
    switch (n.k) {
      case node::cls: code.push_back(static_cast<std::uint32_t>(n.mask) << 2); break;
      case node::end: code.push_back(3u | 1u << 2); break;
      case node::seq:
        for (const node& k : n.kids) emit(k);
        break;
      case node::alt: {
        std::vector<std::size_t> jumps;
        for (std::size_t a = 0; a + 1 < n.kids.size(); ++a) {
          const std::size_t split = hole();
          emit(n.kids[a]);
          jumps.push_back(hole());
          patch_split(split, split + 1, code.size());
        }
        emit(n.kids.back());
        for (std::size_t j : jumps) patch_jump(j, code.size());
        break;
      }
      case node::group:
        if (n.capture > 0) save(2 * n.capture);
        emit(n.kids[0]);
        if (n.capture > 0) save(2 * n.capture + 1);
        break;
      case node::rep: {
        for (int k = 0; k < n.min; ++k) emit(n.kids[0]);
        if (n.max == -1) {
          const std::size_t split = hole();
          emit(n.kids[0]);
          patch_jump(hole(), split);
          split_to(split, split + 1, code.size(), n.greedy);
        } else {
          std::vector<std::size_t> splits;
          for (int k = n.min; k < n.max; ++k) {
            splits.push_back(hole());
            emit(n.kids[0]);
          }
          for (std::size_t s : splits) split_to(s, s + 1, code.size(), n.greedy);
        }
        break;
      }
    }
  }
  void finish() { code.push_back(3); }

 private:
  std::size_t hole() {
    code.push_back(0);
    return code.size() - 1;
  }
  static std::uint32_t target(std::size_t t) {
    if (t >= (1u << 15)) throw std::runtime_error("pattern too long for the table");
    return static_cast<std::uint32_t>(t);
  }
  void patch_split(std::size_t at, std::size_t first, std::size_t second) {
    code[at] = 1u | target(first) << 2 | target(second) << 17;
  }
  void split_to(std::size_t at, std::size_t body, std::size_t out, bool greedy) {
    greedy ? patch_split(at, body, out) : patch_split(at, out, body);
  }
  void patch_jump(std::size_t at, std::size_t to) { code[at] = 2u | target(to) << 2; }
  void save(int slot) { code.push_back(3u | static_cast<std::uint32_t>(slot + 2) << 2); }
};

struct table {
  std::vector<std::uint32_t> program;
  std::map<std::string, std::pair<std::uint32_t, std::uint16_t>> interned;  // pattern -> where
  std::map<std::string, int> groups;

  // Compiles a pattern once; the same string is shared (many regions repeat "0", "00", "\d{7}").
  std::string regex(const std::string& p) {
    if (p.empty()) return "{0, 0, 0}";
    auto it = interned.find(p);
    if (it == interned.end()) {
      parser ps(p);
      node n = ps.parse();
      emitter e;
      e.emit(n);
      e.finish();
      if (e.code.size() >= (1u << 15)) throw std::runtime_error("pattern too long: " + p);
      const auto off = static_cast<std::uint32_t>(program.size());
      program.insert(program.end(), e.code.begin(), e.code.end());
      it =
          interned.emplace(p, std::make_pair(off, static_cast<std::uint16_t>(e.code.size()))).first;
      groups[p] = ps.groups();
    }
    return "{" + std::to_string(it->second.first) + ", " + std::to_string(it->second.second) +
           ", " + std::to_string(groups[p]) + "}";
  }
};

std::uint32_t length_bits(const google::protobuf::RepeatedField<std::int32_t>& ls, bool listed) {
  std::uint32_t bits = listed && !ls.empty() ? (1u << 31) : 0;
  for (int l : ls) {
    if (l == -1) continue;
    if (l < 0 || l > 30) throw std::runtime_error("possible length out of range");
    bits |= 1u << l;
  }
  return bits;
}

std::string c_string(const std::string& s) {
  std::string o = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') o.push_back('\\');
    o.push_back(c);
  }
  return o + "\"";
}

std::uint64_t fnv1a(const void* data, std::size_t n) {
  std::uint64_t h = 14695981039346656037ull;
  const auto* p = static_cast<const unsigned char*>(data);
  for (std::size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 1099511628211ull;
  return h;
}

int run(const std::string& version, const std::string& out_path) {
  pn::PhoneMetadataCollection all;
  if (!all.ParseFromArray(pn::metadata_get(), pn::metadata_size()))
    throw std::runtime_error("cannot parse libphonenumber's compiled-in metadata");
  std::map<std::string, const pn::PhoneMetadata*> by_id;
  for (const auto& m : all.metadata())
    if (m.id() != "001" && m.id() != "ZZ") by_id[m.id()] = &m;

  const auto& util = *pn::PhoneNumberUtil::GetInstance();
  std::set<int> codes;
  util.GetSupportedCallingCodes(&codes);

  table t;
  std::ostringstream regions, types, ccs;
  std::vector<std::string> ids;  // in region order
  std::size_t type_n = 0, strings_bytes = 0;
  for (int code : codes) {
    std::list<std::string> list;
    util.GetRegionCodesForCountryCallingCode(code, &list);
    const bool non_geo = list.size() == 1 && list.front() == "001";
    ccs << "    {" << code << ", " << ids.size() << ", " << (non_geo ? 0 : list.size()) << "},\n";
    if (non_geo) continue;
    for (const std::string& id : list) {
      auto it = by_id.find(id);
      if (it == by_id.end() || id.size() != 2)
        throw std::runtime_error("no metadata for region " + id);
      const pn::PhoneMetadata& m = *it->second;
      const pn::PhoneNumberDesc& g = m.general_desc();
      if (g.possible_length_size() == 0) throw std::runtime_error(id + ": no possible lengths");
      ids.push_back(id);
      const std::size_t first_type = type_n;
      if (list.size() > 1 && !m.has_leading_digits()) {
        std::vector<const pn::PhoneNumberDesc*> ds = {
            &m.premium_rate(), &m.toll_free(),       &m.shared_cost(),
            &m.voip(),         &m.personal_number(), &m.pager(),
            &m.uan(),          &m.voicemail(),       &m.fixed_line()};
        if (!m.same_mobile_and_fixed_line_pattern()) ds.push_back(&m.mobile());
        for (const pn::PhoneNumberDesc* d : ds) {
          if (d->national_number_pattern().empty()) continue;  // never matches: left out
          types << "    {" << t.regex(d->national_number_pattern()) << ", "
                << length_bits(d->possible_length(), true) << "u},\n";
          ++type_n;
        }
      }
      if (!m.national_prefix_for_parsing().empty()) {
        t.regex(m.national_prefix_for_parsing());
        if (t.groups[m.national_prefix_for_parsing()] > 3)  // phone_table.cpp keeps 3 groups
          throw std::runtime_error(id + ": national prefix pattern with over 3 groups");
      }
      std::string transform = "nullptr";
      if (!m.national_prefix_transform_rule().empty()) {
        const std::string& r = m.national_prefix_transform_rule();
        for (std::size_t k = 0; k < r.size(); ++k)
          if (!(r[k] >= '0' && r[k] <= '9') &&
              !(r[k] == '$' && k + 1 < r.size() && r[k + 1] >= '1' && r[k + 1] <= '9'))
            throw std::runtime_error(id + ": unsupported transform rule " + r);
        transform = c_string(r);
        strings_bytes += r.size() + 1;
      }
      regions << "    {\"" << id << "\", " << code << ", " << m.has_leading_digits() << ", "
              << m.main_country_for_code() << ", " << t.regex(m.international_prefix()) << ", "
              << t.regex(m.national_prefix_for_parsing()) << ", " << transform << ", "
              << t.regex(m.leading_digits()) << ",\n     {" << t.regex(g.national_number_pattern())
              << ", " << length_bits(g.possible_length(), true) << "u}, "
              << length_bits(g.possible_length_local_only(), false) << "u, " << first_type << ", "
              << (type_n - first_type) << "},\n";
    }
  }
  std::vector<std::size_t> order(ids.size());
  for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::sort(order.begin(), order.end(), [&](auto a, auto b) { return ids[a] < ids[b]; });

  const std::uint64_t digest =
      fnv1a(pn::metadata_get(), static_cast<std::size_t>(pn::metadata_size()));

  std::ostringstream o;
  o << "// Generated by tools/phonetable from libphonenumber " << version
    << "'s compiled-in metadata.\n// Do not edit; see docs/phone-table.md.\n"
    << "#include \"agent/policy/phone_table_data.hpp\"\n\n"
    << "namespace veil::detail::phone_data {\n\n"
    << "extern const char libphonenumber_version[] = " << c_string(version) << ";\n"
    << "extern const std::uint64_t metadata_digest = 0x" << std::hex << digest << std::dec
    << "ull;\n\n"
    << "extern const std::uint32_t program[] = {";
  for (std::size_t k = 0; k < t.program.size(); ++k) {
    o << (k % 8 == 0 ? "\n    " : " ") << "0x" << std::hex << t.program[k] << std::dec << "u,";
  }
  o << "\n};\nextern const std::size_t program_size = " << t.program.size() << ";\n\n"
    << "extern const desc types[] = {\n"
    << types.str() << "};\nextern const std::size_t type_count = " << type_n << ";\n\n"
    << "extern const region regions[] = {\n"
    << regions.str() << "};\nextern const std::size_t region_count = " << ids.size() << ";\n\n"
    << "extern const std::uint16_t regions_by_id[] = {";
  for (std::size_t k = 0; k < order.size(); ++k)
    o << (k % 16 == 0 ? "\n    " : " ") << order[k] << ",";
  o << "\n};\n\nextern const calling_code calling_codes[] = {\n"
    << ccs.str() << "};\nextern const std::size_t calling_code_count = " << codes.size()
    << ";\n\nextern const std::size_t table_bytes = sizeof program + sizeof types + sizeof regions "
       "+\n"
    << "    sizeof regions_by_id + sizeof calling_codes + " << strings_bytes << ";\n\n"
    << "}  // namespace veil::detail::phone_data\n";

  // Write only when the content changed, so that a re-run does not rebuild the agent.
  const std::string text = o.str();
  {
    std::ifstream old(out_path, std::ios::binary);
    std::stringstream cur;
    cur << old.rdbuf();
    if (old && cur.str() == text) return 0;
  }
  std::ofstream f(out_path, std::ios::binary | std::ios::trunc);
  f << text;
  f.close();
  if (!f) throw std::runtime_error("cannot write " + out_path);
  std::printf("phonetable: %zu regions, %zu calling codes, %zu instructions, %zu types\n",
              ids.size(), codes.size(), t.program.size(), type_n);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string version, out;
  for (int k = 1; k + 1 < argc; k += 2) {
    const std::string a = argv[k];
    if (a == "--version") version = argv[k + 1];
    else if (a == "--out") out = argv[k + 1];
    else version.clear(), out.clear(), k = argc;
  }
  if (version.empty() || out.empty() || argc != 5) {
    std::fprintf(stderr, "usage: veil-phonetable --version <debian version> --out <file.cpp>\n");
    return 2;
  }
  try {
    return run(version, out);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "veil-phonetable: %s\n", e.what());
    return 1;
  }
}
