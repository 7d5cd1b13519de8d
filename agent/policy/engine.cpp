#include "agent/policy/engine.hpp"

#include <array>
#include <cmath>
#include <vector>

#include "agent/core/json_writer.hpp"
#include "agent/core/simdjson_util.hpp"
#include "agent/crypto/pseudonymizer.hpp"
#include "agent/policy/actions.hpp"
#include "agent/policy/context_terms.hpp"

namespace veil::detail {
namespace {
using simdjson::dom::element;
using simdjson::dom::element_type;

// Output slots already written in one object (duplicate keys, secondary outputs).
class slot_set {
 public:
  explicit slot_set(std::size_t n) {
    if (n > 256) big_.resize(n, 0);
  }
  bool test_and_set(std::size_t i) {
    if (!big_.empty()) {
      bool was = big_[i] != 0;
      big_[i] = 1;
      return was;
    }
    std::uint64_t bit = std::uint64_t{1} << (i & 63);
    bool was = (small_[i >> 6] & bit) != 0;
    small_[i >> 6] |= bit;
    return was;
  }
  bool test(std::size_t i) const {
    if (!big_.empty()) return big_[i] != 0;
    return (small_[i >> 6] & (std::uint64_t{1} << (i & 63))) != 0;
  }

 private:
  std::array<std::uint64_t, 4> small_{};
  std::vector<char> big_;
};

struct deferred_output {
  std::uint16_t slot;
  std::string_view key;
  std::string value;
};

class walker {
 public:
  walker(const policy_engine& eng, const secure_key* key, std::string& out, clean_stats& st)
      : eng_(eng), key_(key), w_(out), st_(st) {}

  /// Collects the string leaves of fields marked "context" (names, user names) before the walk.
  void collect_context(const field_node& node, simdjson::dom::object obj) {
    for (auto kv : obj) {
      const field_rule* r = node.find(kv.key);
      if (r && r->context) collect_strings(kv.value, 0);
    }
  }

  void object(const field_node& node, simdjson::dom::object obj) {
    w_.begin_object();
    slot_set slots(node.out_slots);
    std::vector<deferred_output> deferred;
    for (auto kv : obj) {
      const field_rule* r = node.find(kv.key);
      if (!r) {
        st_.drops.add(drop_reason::field_denied);
        continue;
      }
      if (r->act == action::drop) {
        st_.drops.add(drop_reason::field_dropped);
        continue;
      }
      if (slots.test(r->out_slot)) {  // duplicate input key, or an output already written
        st_.drops.add(drop_reason::invalid_value);
        continue;
      }
      std::size_t mark = w_.out().size();
      bool first = w_.first();
      w_.key(r->out_name);
      if (value(*r, kv.value, &deferred)) {
        slots.test_and_set(r->out_slot);
      } else {
        w_.out().resize(mark);
        w_.set_first(first);
      }
    }
    for (auto& d : deferred) {
      if (slots.test_and_set(d.slot)) continue;
      w_.key(d.key);
      w_.string(d.value);
    }
    w_.end_object();
  }

 private:
  // Writes the transformed value; false (and a count) when nothing may be written.
  bool value(const field_rule& r, element v, std::vector<deferred_output>* deferred) {
    element_type t = v.type();
    if (t == element_type::ARRAY) {
      w_.begin_array();
      for (element x : sj::arr(v)) {
        std::size_t mark = w_.out().size();
        bool first = w_.first();
        if (!value(r, x, nullptr)) {
          w_.out().resize(mark);
          w_.set_first(first);
        }
      }
      w_.end_array();
      return true;
    }
    if (t == element_type::OBJECT) {
      if (r.act == action::keep && r.children) {
        object(*r.children, sj::obj(v));
        return true;
      }
      if (r.act == action::geo_coarsen) return geo_object(r, sj::obj(v));
      st_.drops.add(r.act == action::keep ? drop_reason::field_denied : drop_reason::invalid_value);
      return false;
    }
    switch (r.act) {
      case action::keep: return keep_scalar(r, v, t);
      case action::drop: return false;
      case action::pseudonym: return pseudonym(r, v, t);
      case action::ip_prefix:
        return with_string(v, t, [&](std::string_view s) {
          scratch_.clear();
          if (!ip_prefix(s, scratch_)) return false;
          w_.string(scratch_);
          return true;
        });
      case action::phone_country: {
        std::string num;
        if (t == element_type::STRING) num = std::string(sj::str(v));
        else if (t == element_type::INT64 || t == element_type::UINT64)
          num = "+" + std::to_string(sj::u64(v));
        else return invalid();
        auto cc = phone_country(num, r.phone_region);
        if (!cc && t == element_type::STRING && num.find('+') == std::string::npos)
          cc = phone_country("+" + num, "ZZ");  // digits without '+': try them as E.164
        if (!cc) return invalid();
        w_.string(*cc);
        return true;
      }
      case action::sip_domain:
        return with_string(v, t, [&](std::string_view s) {
          scratch_.clear();
          if (!sip_domain(s, scratch_)) return false;
          w_.string(scratch_);
          if (!r.country_out.empty() && deferred) {
            sip_parts p;
            if (parse_sip_uri(s, p) && looks_numeric(p.user)) {
              auto cc = phone_country(
                  p.user.front() == '+' ? std::string(p.user) : "+" + std::string(p.user), "ZZ");
              if (cc) deferred->push_back({r.country_slot, r.country_out, *cc});
            }
          }
          return true;
        });
      case action::geo_coarsen: {
        double d;
        if (!number_of(v, t, d) || std::fabs(d) > 180.0) return invalid();
        w_.number(round_to(d, r.decimals));
        return true;
      }
      case action::bucket: {
        double d;
        if (!number_of(v, t, d)) return invalid();
        std::size_t i = 0;
        while (i < r.bounds.size() && d >= r.bounds[i]) ++i;
        if (i == 0) w_.string(bucket_label(d, r.bounds));
        else w_.string(r.labels[i - 1]);
        return true;
      }
      case action::url_strip:
        return with_string(v, t, [&](std::string_view s) {
          scratch_.clear();
          if (!url_strip(s, scratch_)) return false;
          scan_and_write(scratch_);
          return true;
        });
      case action::text:
        return with_string(v, t, [&](std::string_view s) {
          scan_and_write(s);
          return true;
        });
      case action::path:
        return with_string(v, t, [&](std::string_view s) {
          scratch_.clear();
          std::size_t n = scrub_path_users(s, scratch_);
          st_.redactions.add(token_class::user, n);
          scan_and_write(scratch_);
          return true;
        });
    }
    return invalid();
  }

  static bool looks_numeric(std::string_view u) {
    std::size_t digits = 0;
    for (char c : u) {
      if (c >= '0' && c <= '9') ++digits;
      else if (c != '+' && c != '-' && c != '.' && c != ' ' && c != '(' && c != ')') return false;
    }
    return digits >= 6;
  }

  bool invalid() {
    st_.drops.add(drop_reason::invalid_value);
    return false;
  }

  template <class F>
  bool with_string(element v, element_type t, F&& f) {
    if (t != element_type::STRING) return invalid();
    if (!f(sj::str(v))) return invalid();
    return true;
  }

  static bool number_of(element v, element_type t, double& d) {
    switch (t) {
      case element_type::INT64: d = static_cast<double>(sj::i64(v)); return true;
      case element_type::UINT64: d = static_cast<double>(sj::u64(v)); return true;
      case element_type::DOUBLE: d = sj::dbl(v); return std::isfinite(d);
      case element_type::STRING: return parse_number(sj::str(v), d);
      default: return false;
    }
  }

  void collect_strings(element v, int depth) {
    if (depth > 4) return;
    switch (v.type()) {
      case element_type::STRING: ctx_.add_value(sj::str(v)); break;
      case element_type::ARRAY:
        for (element x : sj::arr(v)) collect_strings(x, depth + 1);
        break;
      case element_type::OBJECT:
        for (auto kv : sj::obj(v)) collect_strings(kv.value, depth + 1);
        break;
      default: break;
    }
  }

  void scan_and_write(std::string_view s) {
    scan_buf_.clear();
    eng_.scanner().scrub(s, scan_buf_, st_.redactions);
    if (!ctx_.empty()) {
      ctx_buf_.clear();
      st_.redactions.add(token_class::user, ctx_.redact(scan_buf_, ctx_buf_));
      w_.string(ctx_buf_);
      return;
    }
    w_.string(scan_buf_);
  }

  bool keep_scalar(const field_rule& r, element v, element_type t) {
    switch (t) {
      case element_type::STRING: {
        if (r.type == value_type::number) {
          // A number that arrived as a string ("jitter_ms": "64") leaves as a number, so
          // statistics over the field are never empty; anything else is no number.
          double d;
          if (!parse_number(sj::str(v), d)) return invalid();
          w_.number(d);
          return true;
        } else if (r.type == value_type::boolean) {
          return invalid();
        }
        std::string_view s = sj::str(v);
        if (!eng_.policy().keep_guard) {
          w_.string(s);
          return true;
        }
        scan_buf_.clear();
        redaction_counts c;
        eng_.scanner().scrub(s, scan_buf_, c, /*deny=*/false);
        if (c.total() > 0) {
          ++st_.guard_hits;
          st_.redactions += c;
          w_.string(scan_buf_);
        } else {
          w_.string(s);
        }
        return true;
      }
      case element_type::INT64:
      case element_type::UINT64:
      case element_type::DOUBLE:
        if (r.type == value_type::string || r.type == value_type::boolean) return invalid();
        if (t == element_type::INT64) w_.number(sj::i64(v));
        else if (t == element_type::UINT64) w_.number(sj::u64(v));
        else w_.number(sj::dbl(v));
        return true;
      case element_type::BOOL:
        if (r.type != value_type::any && r.type != value_type::boolean) return invalid();
        w_.boolean(sj::boolean(v));
        return true;
      case element_type::NULL_VALUE: w_.null(); return true;
      default: return invalid();
    }
  }

  bool pseudonym(const field_rule& r, element v, element_type t) {
    if (!key_) {
      st_.drops.add(drop_reason::no_key);
      return false;
    }
    std::string_view s;
    std::string num;
    if (t == element_type::STRING) {
      s = sj::str(v);
    } else if (t == element_type::INT64 || t == element_type::UINT64) {
      num = std::to_string(sj::u64(v));
      s = num;
    } else {
      return invalid();
    }
    if (s.empty()) return invalid();
    std::array<char, pseudonym_hex_len> tok{};
    pseudonymize(*key_, r.pseudonym_domain, s, tok);
    w_.string(std::string_view(tok.data(), tok.size()));
    return true;
  }

  bool geo_object(const field_rule& r, simdjson::dom::object o) {
    double lat = 0, lon = 0;
    bool have_lat = false, have_lon = false;
    for (auto kv : o) {
      double d;
      if (!number_of(kv.value, kv.value.type(), d)) continue;
      if (kv.key == "lat" || kv.key == "latitude") {
        lat = d;
        have_lat = true;
      } else if (kv.key == "lon" || kv.key == "lng" || kv.key == "longitude") {
        lon = d;
        have_lon = true;
      }
    }
    if (!have_lat || !have_lon || std::fabs(lat) > 90 || std::fabs(lon) > 180) return invalid();
    w_.begin_object();
    w_.key("lat");
    w_.number(round_to(lat, r.decimals));
    w_.key("lon");
    w_.number(round_to(lon, r.decimals));
    w_.end_object();
    return true;
  }

  const policy_engine& eng_;
  const secure_key* key_;
  json_writer w_;
  clean_stats& st_;
  std::string scratch_;
  std::string scan_buf_;
  std::string ctx_buf_;
  context_terms ctx_;
};
}  // namespace

const event_rule* policy_engine::clean(const raw_event& ev, const key_ring& keys, sys_time now,
                                       std::string& out, clean_stats& st) const {
  ++st.events_in;
  const event_rule* rule = policy_->find(ev.type);
  if (!rule) {
    st.drops.add(drop_reason::unknown_type);
    return nullptr;
  }
  json_writer w(out);
  w.begin_object();
  w.key("type");
  w.string(rule->type);
  w.key("ts");
  w.raw("\"");
  format_rfc3339(coarsen_ms(ev.ts_ms, policy_->granularity), out);
  out.push_back('"');
  w.key("category");
  w.string(rule->category);
  w.key("attrs");
  walker wk(*this, keys.key_for(now), out, st);
  if (ev.has_attrs) {
    if (rule->has_context) wk.collect_context(rule->fields, sj::obj(ev.attrs));
    wk.object(rule->fields, sj::obj(ev.attrs));
  } else {
    out += "{}";
  }
  out.push_back('}');
  ++st.events_out;
  return rule;
}

}  // namespace veil::detail
