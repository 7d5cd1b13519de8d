#include "agent/policy/explain.hpp"

#include <algorithm>
#include <limits>

#include "agent/core/counters.hpp"
#include "agent/core/event_parser.hpp"

namespace veil::detail {
namespace {

using nlohmann::json;

// `after` split at its placeholders: lits.size() == classes.size() + 1.
struct segments {
  std::vector<std::string_view> lits;
  std::vector<token_class> classes;
};

segments split(std::string_view after) {
  segments s;
  std::size_t lit_start = 0;
  for (std::size_t i = 0; i < after.size(); ++i) {
    if (after[i] != '<') continue;
    for (std::size_t c = 0; c < token_class_count; ++c) {
      const auto ph = token_placeholders[c];
      if (after.compare(i, ph.size(), ph) != 0) continue;
      s.lits.push_back(after.substr(lit_start, i - lit_start));
      s.classes.push_back(static_cast<token_class>(c));
      lit_start = i + ph.size();
      i = lit_start - 1;
      break;
    }
  }
  s.lits.push_back(after.substr(lit_start));
  return s;
}

bool starts_with(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.compare(0, p.size(), p) == 0;
}
bool ends_with(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.compare(s.size() - p.size(), p.size(), p) == 0;
}

// How well `span` stands for `cls`, judged by the scanner on the span alone: 3 when it scrubs
// to exactly the placeholder, 1 when the placeholder is among what it scrubs to, else 0.
int score(const text_scanner& sc, std::string_view span, token_class cls) {
  std::string out;
  redaction_counts c;
  sc.scrub(span, out, c);
  if (out == placeholder(cls)) return 3;
  return out.find(placeholder(cls)) != std::string::npos ? 1 : 0;
}

constexpr std::size_t max_candidates = 32;  // places considered for one literal stretch

}  // namespace

std::vector<token_change> redaction_diff(const text_scanner& scanner, std::string_view before,
                                         std::string_view after) {
  std::vector<token_change> changes;
  try {
    const segments seg = split(after);
    const std::size_t n = seg.classes.size();
    if (n == 0) return changes;
    const std::string_view first = seg.lits.front(), last = seg.lits.back();
    std::size_t need = first.size() + last.size() + n;
    for (std::size_t k = 1; k < n; ++k) need += seg.lits[k].size();
    auto unaligned = [&] {
      changes.clear();
      for (auto c : seg.classes) changes.push_back({c, {}, false});
      return changes;
    };
    // Normalised text (other scripts' digits, escapes, invalid UTF-8) no longer matches
    // byte for byte: report the classes without spans rather than guess.
    if (before.size() < need || !starts_with(before, first) || !ends_with(before, last))
      return unaligned();
    const std::size_t tail = before.size() - last.size();  // where the last placeholder ends

    // Candidate places of literal k (1..n-1): its first occurrences after the earliest place
    // the previous literal can end (every placeholder stood for at least one byte), leaving at
    // least one byte for the last placeholder.
    std::vector<std::vector<std::size_t>> cand(n);
    std::size_t lo = first.size() + 1;
    for (std::size_t k = 1; k < n; ++k) {
      const auto lit = seg.lits[k];
      // Long texts with many tokens: the first place only (linear, as a scrub is).
      const std::size_t cap = n > 256 ? 1 : max_candidates;
      for (std::size_t q = lo; cand[k].size() < cap;) {
        const std::size_t f = lit.empty() ? q : before.find(lit, q);
        if (f == std::string_view::npos || f + lit.size() + 1 > tail) break;
        cand[k].push_back(f);
        q = f + 1;
      }
      if (cand[k].empty()) return unaligned();
      lo = cand[k].front() + lit.size() + 1;
    }
    // dp over (literal k, candidate j): best total score of placeholders 1..k, and the choice.
    constexpr int none = std::numeric_limits<int>::min();
    std::vector<std::vector<int>> best(n);
    std::vector<std::vector<std::size_t>> from(n);
    best[0] = {0};
    from[0] = {0};
    std::vector<std::vector<std::size_t>> end_of(n);  // where literal k's candidate j ends
    end_of[0] = {first.size()};
    for (std::size_t k = 1; k < n; ++k) {
      const auto len = seg.lits[k].size();
      best[k].assign(cand[k].size(), none);
      from[k].assign(cand[k].size(), 0);
      end_of[k].resize(cand[k].size());
      for (std::size_t j = 0; j < cand[k].size(); ++j) {
        const std::size_t q = cand[k][j];
        end_of[k][j] = q + len;
        for (std::size_t i = 0; i < best[k - 1].size(); ++i) {
          if (best[k - 1][i] == none) continue;
          const std::size_t b = end_of[k - 1][i];
          if (q <= b) continue;  // a placeholder always stood for something
          const int s =
              best[k - 1][i] + score(scanner, before.substr(b, q - b), seg.classes[k - 1]);
          if (s > best[k][j]) {
            best[k][j] = s;
            from[k][j] = i;
          }
        }
      }
    }
    // The last placeholder runs to the final literal.
    int top = none;
    std::size_t pick = 0;
    for (std::size_t i = 0; i < best[n - 1].size(); ++i) {
      if (best[n - 1][i] == none) continue;
      const std::size_t b = end_of[n - 1][i];
      if (tail <= b) continue;
      const int s = best[n - 1][i] + score(scanner, before.substr(b, tail - b), seg.classes[n - 1]);
      if (s > top) {
        top = s;
        pick = i;
      }
    }
    if (top == none) return unaligned();
    // Walk the choices back: span k-1 runs from literal k-1's end to literal k's start.
    std::vector<std::pair<std::size_t, std::size_t>> spans(n);
    std::size_t j = pick;
    spans[n - 1] = {end_of[n - 1][j], tail};
    for (std::size_t k = n - 1; k >= 1; --k) {
      const std::size_t i = from[k][j];
      spans[k - 1] = {end_of[k - 1][i], cand[k][j]};
      j = i;
    }
    for (std::size_t k = 0; k < n; ++k) {
      const auto orig = before.substr(spans[k].first, spans[k].second - spans[k].first);
      if (orig == placeholder(seg.classes[k])) continue;  // already a placeholder: kept
      changes.push_back({seg.classes[k], std::string(orig), true});
    }
  } catch (...) {
    changes.clear();  // only allocation can throw: an empty diff, never a wrong one
  }
  return changes;
}

namespace {

json tokens_json(const std::vector<token_change>& ch) {
  json a = json::array();
  for (const auto& c : ch) {
    json t = {{"class", std::string(name(c.cls))}};
    if (c.aligned) t["original"] = c.original;
    else t["original"] = nullptr;
    a.push_back(std::move(t));
  }
  return a;
}

bool acts_on_text(action a) {
  return a == action::text || a == action::path || a == action::url_strip || a == action::keep;
}

struct field_walker {
  const text_scanner& sc;
  json& fields;

  void object(const field_node& node, const json& raw, const json& cleaned,
              const std::string& prefix) {
    for (auto it = raw.begin(); it != raw.end(); ++it) {
      const std::string path = prefix + "." + it.key();
      const field_rule* r = node.find(it.key());
      json f = {{"field", path}, {"before", it.value()}};
      if (!r) {
        f["action"] = nullptr;
        f["result"] = "dropped";
        f["reason"] = "not in the policy (default deny)";
        fields.push_back(std::move(f));
        continue;
      }
      f["action"] = std::string(action_names[static_cast<std::size_t>(r->act)]);
      if (r->out_name != r->name) f["as"] = r->out_name;
      if (r->act == action::drop) {
        f["result"] = "dropped";
        f["reason"] = r->context ? "policy: drop; its value is also removed from this event's text"
                                 : "policy: drop";
        fields.push_back(std::move(f));
        continue;
      }
      const json* out = nullptr;
      if (cleaned.is_object()) {
        auto o = cleaned.find(r->out_name);
        if (o != cleaned.end()) out = &*o;
      }
      if (r->children && out) {
        // An object, or an array of objects: the children say what happens inside.
        if (it.value().is_object() && out->is_object()) {
          object(*r->children, it.value(), *out, path);
          continue;
        }
        if (it.value().is_array() && out->is_array() && out->size() == it.value().size()) {
          for (std::size_t i = 0; i < it.value().size(); ++i) {
            const auto& rv = it.value()[i];
            const auto& cv = (*out)[i];
            const std::string ip = path + "[" + std::to_string(i) + "]";
            if (rv.is_object() && cv.is_object()) object(*r->children, rv, cv, ip);
            else
              fields.push_back({{"field", ip},
                                {"before", rv},
                                {"after", cv},
                                {"action", f["action"]},
                                {"result", rv == cv ? "kept" : "changed"}});
          }
          continue;
        }
      }
      if (!out) {
        f["result"] = "dropped";
        f["reason"] = r->act == action::keep ? "wrong type, or a duplicate output key"
                                             : "the action found nothing it may keep in this value";
        fields.push_back(std::move(f));
        continue;
      }
      f["after"] = *out;
      if (!r->country_out.empty() && cleaned.contains(r->country_out))
        f["also"] = {{r->country_out, cleaned[r->country_out]}};
      f["result"] = *out == it.value() ? "kept" : "changed";
      if (acts_on_text(r->act) && it.value().is_string() && out->is_string()) {
        auto ch = redaction_diff(sc, it.value().get_ref<const std::string&>(),
                                 out->get_ref<const std::string&>());
        if (!ch.empty()) f["tokens"] = tokens_json(ch);
      }
      fields.push_back(std::move(f));
    }
  }
};

json counts_json(const redaction_counts& r) {
  json j = json::object();
  for (std::size_t i = 0; i < token_class_count; ++i)
    if (r.by_class[i]) j[std::string(token_class_names[i])] = r.by_class[i];
  return j;
}

}  // namespace

nlohmann::json explain_event(const policy_engine& engine, const key_ring& keys, sys_time now,
                             std::string_view raw_json) {
  try {
    event_parser parser;
    raw_event ev;
    parse_failure fail;
    if (!parser.parse(raw_json, ev, fail)) return {{"error", fail.message}};
    std::string out;
    clean_stats st;
    const event_rule* rule = engine.clean(ev, keys, now, out, st);
    json rep = {{"type", std::string(ev.type)}};
    json drops = json::object();
    for (std::size_t i = 0; i < drop_reason_count; ++i)
      if (st.drops.by_reason[i]) drops[std::string(drop_reason_names[i])] = st.drops.by_reason[i];
    if (!rule) {
      rep["category"] = nullptr;
      rep["dropped"] = true;
      rep["reason"] = "event type not in the policy (default deny): nothing of it is kept";
      rep["drops"] = drops;
      return rep;
    }
    rep["category"] = rule->category;
    rep["dropped"] = false;
    const json raw = json::parse(raw_json);
    const json cleaned = json::parse(out);
    rep["fields"] = json::array();
    if (raw.contains("attrs") && raw["attrs"].is_object()) {
      field_walker w{engine.scanner(), rep["fields"]};
      w.object(rule->fields, raw["attrs"], cleaned["attrs"], "attrs");
    }
    rep["cleaned"] = cleaned;
    rep["redactions"] = counts_json(st.redactions);
    rep["drops"] = drops;
    return rep;
  } catch (const std::exception&) {
    return {{"error", "could not explain this event (out of memory or malformed JSON)"}};
  }
}

nlohmann::json explain_text(const text_scanner& scanner, std::string_view text) {
  try {
    std::string out;
    redaction_counts c;
    scanner.scrub(text, out, c);
    json j = {{"before", std::string(text)}, {"after", out}};
    j["tokens"] = tokens_json(redaction_diff(scanner, text, out));
    return j;
  } catch (const std::exception&) {
    return {{"error", "could not explain this text (out of memory)"}};
  }
}

}  // namespace veil::detail
