#include "tools/collector/report.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <iomanip>
#include <map>
#include <ostream>
#include <span>
#include <sstream>

#include <nlohmann/json.hpp>

#include "tools/collector/metric_point.hpp"
#include "tools/collector/sink.hpp"

namespace veil::collector {
namespace {

report_cell label(std::string s) {
  report_cell c;
  c.k = report_cell::kind::label;
  c.label = s.empty() ? "(none)" : std::move(s);
  return c;
}
report_cell number(double v, bool integral) {
  report_cell c;
  c.k = report_cell::kind::number;
  c.number = v;
  c.integral = integral;
  return c;
}
report_cell suppressed() {
  report_cell c;
  c.k = report_cell::kind::suppressed;
  return c;
}
report_cell empty_cell() { return report_cell{}; }

enum class order { by_count, by_key, by_bucket };

// Lower bound of a bucket label such as "60-180" or "3600+"; labels without one sort last.
double bucket_low(const std::string& s) {
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() ? v : 1e300;
}

struct section {
  std::string id, title, type;
  std::vector<std::string> group_by;  // sink fields
  std::vector<std::string> key_names;
  std::string count_name;  // "" = the count column is distinct installs
  std::vector<std::string> averages;
  order ord = order::by_count;
};

veil::result<report_table> run_section(sink& s, const section& sec, unsigned k) {
  auto rows = s.aggregate({sec.type, sec.group_by, sec.averages});
  if (!rows) return std::move(rows).err();
  report_table t;
  t.id = sec.id;
  t.title = sec.title;
  t.columns = sec.key_names;
  t.key_columns = sec.key_names.size();
  t.columns.push_back(sec.count_name.empty() ? "installs" : sec.count_name);
  for (const auto& a : sec.averages) t.columns.push_back("avg_" + a);
  t.chart_column = t.key_columns;
  auto& rs = *rows;
  // Shown rows first in their order, suppressed rows last by key: their position must not
  // reveal the hidden count.
  std::stable_sort(rs.begin(), rs.end(), [&](const aggregate_row& a, const aggregate_row& b) {
    bool sa = a.installs < k, sb = b.installs < k;
    if (sa != sb) return !sa;
    if (sa || sec.ord == order::by_key) return a.keys < b.keys;
    if (sec.ord == order::by_bucket) {
      auto la = bucket_low(a.keys.front()), lb = bucket_low(b.keys.front());
      return la != lb ? la < lb : a.keys < b.keys;
    }
    std::uint64_t ca = sec.count_name.empty() ? a.installs : a.events;
    std::uint64_t cb = sec.count_name.empty() ? b.installs : b.events;
    return ca != cb ? ca > cb : a.keys < b.keys;
  });
  for (const auto& r : rs) {
    std::vector<report_cell> row;
    for (const auto& key : r.keys) row.push_back(label(key));
    if (r.installs < k) {
      for (std::size_t i = 0; i < 1 + sec.averages.size(); ++i) row.push_back(suppressed());
    } else {
      row.push_back(
          number(static_cast<double>(sec.count_name.empty() ? r.installs : r.events), true));
      for (const auto& a : r.averages) row.push_back(a ? number(*a, false) : empty_cell());
    }
    t.rows.push_back(std::move(row));
  }
  t.note = "Protected by: a cell from fewer than " + std::to_string(k) +
           " distinct installs is suppressed (event rows carry a daily pseudonym of the install, "
           "never an identifier of the device or the person).";
  return t;
}

// Calls per day from both lanes: event-mode devices' call.ended rows (k: distinct installs)
// and aggregate-mode devices' call.ended.count metric (k: device reports), side by side and
// added up where both are shown. A day is the event's day or the metric window's day.
veil::result<report_table> calls_per_day_merged(sink& s, unsigned k) {
  auto ev = s.aggregate({"call.ended", {"day"}, {}});
  if (!ev) return std::move(ev).err();
  auto mt = s.aggregate_metrics({"call.ended.count", {}, metric_query::granularity::day});
  if (!mt) return std::move(mt).err();
  struct day_cells {
    const aggregate_row* ev = nullptr;
    const metric_cell* mt = nullptr;
  };
  std::map<std::string, day_cells> days;
  for (const auto& r : *ev) days[r.keys.at(0)].ev = &r;
  for (const auto& c : *mt)
    if (c.kind == "sum") days[c.window.substr(0, 10)].mt = &c;
  report_table t;
  t.id = "calls_per_day";
  t.title = "Calls per day, event mode and aggregate mode together";
  t.columns = {"day", "calls_events", "calls_aggregates", "calls_total"};
  t.key_columns = 1;
  t.chart_column = 3;
  for (const auto& [day, d] : days) {
    std::vector<report_cell> row{label(day)};
    const bool ev_ok = !d.ev || d.ev->installs >= k;
    const bool mt_ok = !d.mt || d.mt->reports >= k;
    const double e = d.ev ? static_cast<double>(d.ev->events) : 0;
    const double m = d.mt ? d.mt->sum.value_or(0) : 0;
    row.push_back(!d.ev ? number(0, true) : ev_ok ? number(e, true) : suppressed());
    row.push_back(!d.mt ? number(0, true) : mt_ok ? number(m, true) : suppressed());
    row.push_back(ev_ok && mt_ok ? number(e + m, true) : suppressed());
    t.rows.push_back(std::move(row));
  }
  t.note = "Protected by: event counts need " + std::to_string(k) +
           " distinct installs a day, aggregate counts " + std::to_string(k) +
           " device reports (each one device's window without an install token); a day where "
           "either is below that shows no total.";
  return t;
}

// Crash-free sessions per app version: app.started events are sessions, crash.report events
// crashes (both event mode). k applies to the sessions' distinct installs.
veil::result<report_table> crash_free_sessions(sink& s, unsigned k) {
  auto starts = s.aggregate({"app.started", {"attrs.app_version"}, {}});
  if (!starts) return std::move(starts).err();
  auto crashes = s.aggregate({"crash.report", {"attrs.app_version"}, {}});
  if (!crashes) return std::move(crashes).err();
  std::map<std::string, std::uint64_t> crash_n;
  for (const auto& c : *crashes) crash_n[c.keys.at(0)] += c.events;
  report_table t;
  t.id = "crash_free_sessions";
  t.title = "Crash-free sessions by app version";
  t.columns = {"app_version", "sessions", "crashes", "crash_free_pct"};
  t.key_columns = 1;
  t.chart_column = 3;
  auto rows = *starts;
  std::sort(rows.begin(), rows.end(),
            [](const aggregate_row& a, const aggregate_row& b) { return a.keys < b.keys; });
  for (const auto& r : rows) {
    std::vector<report_cell> row{label(r.keys.at(0))};
    if (r.installs < k) {
      for (int i = 0; i < 3; ++i) row.push_back(suppressed());
    } else {
      const double n = static_cast<double>(r.events);
      const double c = static_cast<double>(crash_n[r.keys.at(0)]);
      row.push_back(number(n, true));
      row.push_back(number(c, true));
      row.push_back(number(n > 0 ? std::max(0.0, 100.0 * (1.0 - c / n)) : 0, false));
    }
    t.rows.push_back(std::move(row));
  }
  t.note = "A session is an app start; a version from fewer than " + std::to_string(k) +
           " distinct installs is suppressed.";
  return t;
}

std::string cell_text(const report_cell& c, unsigned k) {
  switch (c.k) {
    case report_cell::kind::label: return c.label;
    case report_cell::kind::suppressed: return "<" + std::to_string(k);
    case report_cell::kind::empty: return "";
    case report_cell::kind::number: {
      std::ostringstream os;
      if (c.integral) os << static_cast<std::uint64_t>(std::llround(c.number));
      else os << std::fixed << std::setprecision(2) << c.number;
      return os.str();
    }
  }
  return "";
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string o = "\"";
  for (char c : s) {
    if (c == '"') o += '"';
    o += c;
  }
  return o + "\"";
}

std::string html_escape(std::string_view s) {
  std::string o;
  for (char c : s) {
    switch (c) {
      case '&': o += "&amp;"; break;
      case '<': o += "&lt;"; break;
      case '>': o += "&gt;"; break;
      case '"': o += "&quot;"; break;
      case '\'': o += "&#39;"; break;
      default: o += c;
    }
  }
  return o;
}

std::string row_label(const report_table& t, const std::vector<report_cell>& row, unsigned k) {
  std::string l;
  for (std::size_t i = 0; i < t.key_columns; ++i) l += (i ? " / " : "") + cell_text(row[i], k);
  return l;
}

// A horizontal bar chart of the table's chart column: one labelled bar per row (suppressed
// rows keep their place, greyed), an x axis with ticks and its label, and a legend. Two layouts:
// `narrow` (labels above the bars, 360 units wide) for phone-width screens, the other beside
// them; the page's CSS shows one of them, and either scales to the page width (viewBox).
void svg_chart(const report_table& t, unsigned k, std::ostream& out, bool narrow) {
  const std::size_t col = t.chart_column;
  double max = 0;
  for (const auto& r : t.rows)
    if (r[col].k == report_cell::kind::number) max = std::max(max, r[col].number);
  const int bar_h = narrow ? 34 : 22, label_w = narrow ? 8 : 220, chart_w = narrow ? 290 : 520;
  const int width = narrow ? 360 : label_w + chart_w + 80;
  const int bar_y = narrow ? 16 : 3;  // the bar's offset inside its row (narrow: label above)
  const int bars_h = static_cast<int>(t.rows.size()) * bar_h + 10;
  const int height = bars_h + 56;  // axis, its label and the legend below the bars
  const std::string what = col < t.columns.size() ? t.columns[col] : "value";
  out << "<svg role=\"img\" class=\"chart " << (narrow ? "narrow-chart" : "wide-chart")
      << "\" viewBox=\"0 0 " << width << ' ' << height
      << "\" style=\"width:100%;max-width:" << width * (narrow ? 2 : 1)
      << "px;height:auto\"><title>" << html_escape(t.title) << "</title>\n";
  int y = 5;
  for (const auto& r : t.rows) {
    if (narrow)
      out << "<text x=\"" << label_w << "\" y=\"" << y + 12 << "\" class=\"l\">"
          << html_escape(row_label(t, r, k)) << "</text>";
    else
      out << "<text x=\"" << label_w - 8 << "\" y=\"" << y + 15
          << "\" text-anchor=\"end\" class=\"l\">" << html_escape(row_label(t, r, k)) << "</text>";
    const int ty = y + bar_y + 12;
    if (r[col].k == report_cell::kind::number) {
      int w =
          max > 0 ? static_cast<int>(std::lround(std::max(r[col].number, 0.0) / max * chart_w)) : 0;
      out << "<rect x=\"" << label_w << "\" y=\"" << y + bar_y << "\" width=\"" << std::max(w, 1)
          << "\" height=\"16\" class=\"b\"/><text x=\"" << label_w + w + 6 << "\" y=\"" << ty
          << "\" class=\"v\">" << html_escape(cell_text(r[col], k)) << "</text>";
    } else {
      out << "<text x=\"" << label_w + 6 << "\" y=\"" << ty << "\" class=\"s\">"
          << (r[col].k == report_cell::kind::suppressed
                  ? "suppressed (" + html_escape(cell_text(r[col], k)) + ")"
                  : std::string("no value"))
          << "</text>";
    }
    out << '\n';
    y += bar_h;
  }
  // The x axis: a line, ticks at 0, half and the maximum, and the column it measures.
  out << "<g class=\"axis\"><line x1=\"" << label_w << "\" y1=\"" << bars_h << "\" x2=\""
      << label_w + chart_w << "\" y2=\"" << bars_h << "\" stroke=\"#666\"/>";
  for (int i = 0; i <= 2; ++i) {
    const int x = label_w + chart_w * i / 2;
    std::ostringstream v;
    v << std::setprecision(3) << max * i / 2;
    out << "<line x1=\"" << x << "\" y1=\"" << bars_h << "\" x2=\"" << x << "\" y2=\"" << bars_h + 4
        << "\" stroke=\"#666\"/><text x=\"" << x << "\" y=\"" << bars_h + 16 << "\" text-anchor=\""
        << (i == 0 && narrow ? "start" : "middle") << "\" class=\"t\">" << v.str() << "</text>";
  }
  out << "<text x=\"" << label_w + chart_w / 2 << "\" y=\"" << bars_h + 32
      << "\" text-anchor=\"middle\" class=\"axis-label\">" << html_escape(what) << "</text></g>\n";
  const int lx = narrow ? label_w : label_w;
  out << "<g class=\"legend\"><rect x=\"" << lx << "\" y=\"" << bars_h + 40
      << "\" width=\"12\" height=\"10\" class=\"b\"/><text x=\"" << lx + 18 << "\" y=\""
      << bars_h + 49 << "\">" << html_escape(what) << "</text><text x=\""
      << lx + (narrow ? 110 : 200) << "\" y=\"" << bars_h + 49
      << "\" class=\"s\">suppressed: fewer than " << k << " behind it</text></g>\n";
  out << "</svg>\n";
}

std::string compact(double v) {
  std::ostringstream os;
  os << v;
  return os.str();
}

std::string duration_text(std::int64_t s) {
  if (s > 0 && s % 86400 == 0) return std::to_string(s / 86400) + " d";
  if (s > 0 && s % 3600 == 0) return std::to_string(s / 3600) + " h";
  if (s > 0 && s % 60 == 0) return std::to_string(s / 60) + " min";
  return std::to_string(s) + " s";
}

// One stored metric as a table: keys, reports, then the values of its kind. The bucket
// columns are the bounds of the cell with the most reports; a cell with other bounds leaves
// them empty (its points never merged into those buckets).
veil::result<report_table> metric_section(sink& s, const std::string& name, unsigned k) {
  auto keys = s.metric_attribute_keys(name);
  if (!keys) return std::move(keys).err();
  auto cells = s.aggregate_metrics({name, *keys, metric_query::granularity::all});
  if (!cells) return std::move(cells).err();
  report_table t;
  t.id = "metric:" + name;
  t.columns = *keys;
  t.key_columns = keys->size();
  t.columns.push_back("reports");
  if (cells->empty()) {
    t.title = "Metric " + name;
    return t;
  }
  const metric_cell* widest = &cells->front();
  std::int64_t window = 0;
  std::uint64_t unmerged = 0;
  for (const auto& c : *cells) {
    if (c.reports > widest->reports) widest = &c;
    window = std::max(window, c.window_s);
    unmerged += c.unmerged_reports;
  }
  const std::string kind = widest->kind;
  t.title =
      "Metric " + name + " (" + kind + (widest->unit.empty() ? "" : ", " + widest->unit) + ")";
  const std::vector<double> bounds = widest->bounds;
  if (kind == "histogram") {
    t.columns.push_back("count");
    t.columns.push_back("mean");
    for (double b : bounds) t.columns.push_back("<=" + compact(b));
    if (!widest->bucket_counts.empty())
      t.columns.push_back(bounds.empty() ? "all" : ">" + compact(bounds.back()));
  } else {
    t.columns.push_back(kind == "gauge" ? "mean" : "total");
  }
  t.chart_column = t.key_columns + 1;
  // Local DP (aggregate mode's veil.ldp.* attributes): which key columns say how a cell was
  // randomised. One randomised dimension is debiased against its group (the cells equal in
  // every other key); with more than one, the joint counts are shown as reported.
  const auto col = [&](const std::string& key) -> std::optional<std::size_t> {
    auto it = std::find(keys->begin(), keys->end(), key);
    if (it == keys->end()) return std::nullopt;
    return static_cast<std::size_t>(it - keys->begin());
  };
  const auto eps_col = col("veil.ldp.epsilon");
  const auto bucket_col = col("veil.ldp.bucket");
  std::vector<std::pair<std::size_t, std::size_t>> dims;  // (tag column, dimension column)
  for (std::size_t i = 0; i < keys->size(); ++i) {
    const std::string& kname = (*keys)[i];
    if (kname.rfind("veil.ldp.", 0) != 0 || kname == "veil.ldp.epsilon" ||
        kname == "veil.ldp.bucket")
      continue;
    if (auto d = col(kname.substr(9))) dims.emplace_back(i, *d);
  }
  const bool ldp_any = eps_col.has_value() && (!dims.empty() || bucket_col);
  const bool one_dim = ldp_any && dims.size() == 1;
  auto raw_total = [&](const metric_cell& c) {
    return c.kind == "histogram" ? static_cast<double>(c.count) : c.sum.value_or(0);
  };
  std::map<std::vector<std::string>, double> group_totals;
  auto group_of = [&](const metric_cell& c) {
    std::vector<std::string> g = c.keys;
    g[dims[0].second].clear();
    return g;
  };
  if (one_dim)
    for (const auto& c : *cells)
      if (c.kind == kind) group_totals[group_of(c)] += raw_total(c);
  if (one_dim) t.columns.push_back("ci95");
  bool debiased_any = false;
  for (const auto& c : *cells) {  // sorted by keys: a suppressed row stays where it is
    std::vector<report_cell> row;
    for (const auto& key : c.keys) row.push_back(label(key));
    const std::size_t values = t.columns.size() - t.key_columns;
    if (c.reports < k || c.kind != kind) {
      for (std::size_t i = 0; i < values; ++i)
        row.push_back(c.reports < k ? suppressed() : empty_cell());
      t.rows.push_back(std::move(row));
      continue;
    }
    ldp_cell lc;
    const ldp_cell* lp = nullptr;
    if (ldp_any && c.keys.size() == keys->size()) {
      const std::string& eps = c.keys[*eps_col];
      if (one_dim) {
        lc.dimension = veil::detail::ldp::params_from_tags(c.keys[dims[0].first], eps);
        lc.group_total = group_totals[group_of(c)];
      }
      if (bucket_col) lc.bucket = veil::detail::ldp::params_from_tags(c.keys[*bucket_col], eps);
      if (lc.dimension || lc.bucket) lp = &lc;
    }
    const auto e =
        estimate_metric_cell(name, c.kind, c.reports, c.count, c.sum, c.bucket_counts, lp);
    debiased_any = debiased_any || e.debiased;
    const std::size_t value_end = t.columns.size() - (one_dim ? 1 : 0);
    row.push_back(number(static_cast<double>(c.reports), true));
    row.push_back(number(e.total, kind == "histogram" && !e.total_ci95));
    if (kind == "histogram") {
      row.push_back(e.mean ? number(*e.mean, false) : empty_cell());
      const bool same = c.bounds == bounds && e.buckets.size() == value_end - row.size();
      for (std::size_t i = 0; row.size() < value_end; ++i)
        row.push_back(same && i < e.buckets.size() ? number(e.buckets[i], !e.debiased)
                                                   : empty_cell());
    }
    if (one_dim) {
      if (e.total_ci95) {
        std::ostringstream ci;
        ci << std::fixed << std::setprecision(1) << e.total_ci95->first << "-"
           << e.total_ci95->second;
        row.push_back(label(ci.str()));
      } else {
        row.push_back(empty_cell());
      }
    }
    t.rows.push_back(std::move(row));
  }
  t.note = "Protected by: a cell from fewer than " + std::to_string(k) +
           " device reports is suppressed. A report is one device's aggregate of one window (" +
           "up to " + duration_text(window) +
           " here), sent without an install token, so a device that reports in several windows "
           "counts once per window. Min and max are single observations and are not shown.";
  if (debiased_any) {
    t.note +=
        " Randomised on the devices by local differential privacy (k-ary randomised "
        "response, veil.ldp.* columns give epsilon and each randomised value's domain "
        "size): the ";
    t.note += one_dim ? "totals are unbiased estimates against the reports of their group, "
                        "with 95 % intervals (ci95), "
                      : "";
    t.note += bucket_col ? "histogram buckets are unbiased estimates (no means: the devices "
                           "sent no sums), "
                         : "";
    t.note +=
        "so a single row says nothing certain about any device; estimates may be "
        "negative for rare values.";
  } else if (ldp_any && dims.size() > 1) {
    t.note +=
        " More than one dimension is randomised: the joint counts are shown as reported, "
        "not debiased.";
  }
  if (unmerged > 0)
    t.note += " " + std::to_string(unmerged) +
              " reports with other histogram bounds count in reports, count and mean but not in "
              "the buckets.";
  return t;
}

}  // namespace

metric_estimate estimate_metric_cell(std::string_view, std::string_view kind, std::uint64_t reports,
                                     std::uint64_t count, const std::optional<double>& sum,
                                     const std::vector<std::uint64_t>& bucket_counts,
                                     const ldp_cell* ldp) {
  namespace l = veil::detail::ldp;
  metric_estimate e;
  if (kind == "histogram") {
    e.total = static_cast<double>(count);
    if (sum && count > 0) e.mean = *sum / static_cast<double>(count);
    e.buckets.assign(bucket_counts.begin(), bucket_counts.end());
  } else if (kind == "gauge") {
    e.total = reports > 0 && sum ? *sum / static_cast<double>(reports) : 0;
  } else {
    e.total = sum.value_or(0);
  }
  if (!ldp || kind == "gauge") return e;
  if (ldp->dimension && ldp->group_total > 0) {
    // The cell's value of the randomised dimension was reported by kRR: of the group's n
    // reports, c show this value; n̂ = (c - n q) / (p - q), with its plug-in interval.
    const auto n = static_cast<std::uint64_t>(std::llround(ldp->group_total));
    const std::uint64_t c = static_cast<std::uint64_t>(std::llround(std::max(e.total, 0.0)));
    const auto est = l::estimate_counts(*ldp->dimension, n, std::span<const std::uint64_t>(&c, 1));
    e.total = est[0].count;
    e.total_ci95 = {est[0].ci95_low, est[0].ci95_high};
    e.debiased = true;
  }
  if (ldp->bucket && kind == "histogram" && bucket_counts.size() == ldp->bucket->k) {
    // Each event's bucket was reported by kRR over the k buckets: n is the cell's count.
    const auto est = l::estimate_counts(*ldp->bucket, count, bucket_counts);
    for (std::size_t i = 0; i < est.size(); ++i) e.buckets[i] = est[i].count;
    e.mean.reset();  // the devices sent no sums for randomised histograms
    e.debiased = true;
  }
  return e;
}

veil::result<report> build_report(sink& s, unsigned k) {
  if (k < 1) return veil::make_error(veil::errc::invalid_argument, "k must be at least 1");
  const std::vector<std::string> quality = {"mos", "jitter_ms", "packet_loss_pct"};
  const std::vector<section> sections = {
      {"calls_by_country",
       "Calls per destination country",
       "call.ended",
       {"attrs.remote_country"},
       {"remote_country"},
       "calls",
       {},
       order::by_count},
      {"quality_by_codec",
       "Call quality by codec",
       "call.ended",
       {"attrs.codec"},
       {"codec"},
       "calls",
       quality,
       order::by_count},
      {"quality_by_network",
       "Call quality by network type",
       "call.ended",
       {"attrs.network_type"},
       {"network_type"},
       "calls",
       quality,
       order::by_count},
      {"quality_by_country",
       "Call quality by destination country",
       "call.ended",
       {"attrs.remote_country"},
       {"remote_country"},
       "calls",
       quality,
       order::by_count},
      {"quality_per_day",
       "Calls and call quality per day (event mode)",
       "call.ended",
       {"day"},
       {"day"},
       "calls",
       quality,
       order::by_key},
      {"calls_per_hour",
       "Calls and call quality per hour (event mode, UTC)",
       "call.ended",
       {"hour"},
       {"hour"},
       "calls",
       quality,
       order::by_key},
      {"call_duration",
       "Call duration distribution",
       "call.ended",
       {"attrs.duration_bucket"},
       {"duration_bucket"},
       "calls",
       {},
       order::by_bucket},
      {"crashes",
       "Crashes by signal and app version",
       "crash.report",
       {"attrs.signal", "attrs.app_version"},
       {"signal", "app_version"},
       "crashes",
       {},
       order::by_count},
      {"crash_groups",
       "Crash groups (signal, exception, top frame, app version)",
       "crash.report",
       {"attrs.signal", "attrs.exception_type", "attrs.top_frame", "attrs.app_version"},
       {"signal", "exception_type", "top_frame", "app_version"},
       "crashes",
       {},
       order::by_count},
      {"installs_per_day",
       "Distinct installs per day",
       "",
       {"day"},
       {"day"},
       "",
       {},
       order::by_key},
      {"app_versions",
       "App version mix",
       "app.started",
       {"attrs.app_version"},
       {"app_version"},
       "starts",
       {},
       order::by_count},
      {"os_mix",
       "OS mix",
       "app.started",
       {"attrs.os_name"},
       {"os_name"},
       "starts",
       {},
       order::by_count},
  };
  report r;
  r.k = k;
  for (const auto& sec : sections) {
    auto t = run_section(s, sec, k);
    if (!t) return std::move(t).err();
    r.tables.push_back(std::move(*t));
  }
  auto merged = calls_per_day_merged(s, k);
  if (!merged) return std::move(merged).err();
  r.tables.push_back(std::move(*merged));
  auto crash_free = crash_free_sessions(s, k);
  if (!crash_free) return std::move(crash_free).err();
  r.tables.push_back(std::move(*crash_free));
  auto names = s.metric_names();
  if (!names) return std::move(names).err();
  for (const auto& name : *names) {
    auto t = metric_section(s, name, k);
    if (!t) return std::move(t).err();
    r.tables.push_back(std::move(*t));
  }
  return r;
}

void render_text(const report& r, std::ostream& out) {
  out << "Veil report (cells from fewer than " << r.k << " distinct installs are shown as <" << r.k
      << ")\n";
  for (const auto& t : r.tables) {
    out << '\n' << t.title << '\n';
    std::vector<std::size_t> w(t.columns.size());
    for (std::size_t i = 0; i < t.columns.size(); ++i) w[i] = t.columns[i].size();
    for (const auto& row : t.rows)
      for (std::size_t i = 0; i < row.size(); ++i)
        w[i] = std::max(w[i], cell_text(row[i], r.k).size());
    auto line = [&](auto get) {
      for (std::size_t i = 0; i < t.columns.size(); ++i) {
        std::string s = get(i);
        if (i) out << "  ";
        if (i < t.key_columns) out << s << std::string(w[i] - s.size(), ' ');
        else out << std::string(w[i] - s.size(), ' ') << s;
      }
      out << '\n';
    };
    line([&](std::size_t i) { return t.columns[i]; });
    line([&](std::size_t i) { return std::string(w[i], '-'); });
    for (const auto& row : t.rows) line([&](std::size_t i) { return cell_text(row[i], r.k); });
    if (t.rows.empty()) out << "(no data)\n";
    if (!t.note.empty()) out << t.note << '\n';
  }
}

void render_csv(const report& r, std::ostream& out) {
  bool first = true;
  for (const auto& t : r.tables) {
    if (!first) out << "\r\n";
    first = false;
    out << "table";
    for (const auto& c : t.columns) out << ',' << csv_field(c);
    out << "\r\n";
    for (const auto& row : t.rows) {
      out << csv_field(t.id);
      for (const auto& c : row) out << ',' << csv_field(cell_text(c, r.k));
      out << "\r\n";
    }
  }
}

void render_json(const report& r, std::ostream& out) {
  nlohmann::json j;
  j["k"] = r.k;
  j["tables"] = nlohmann::json::array();
  for (const auto& t : r.tables) {
    nlohmann::json jt{{"id", t.id},
                      {"title", t.title},
                      {"columns", t.columns},
                      {"rows", nlohmann::json::array()}};
    if (!t.note.empty()) jt["note"] = t.note;
    for (const auto& row : t.rows) {
      nlohmann::json jr = nlohmann::json::object();
      bool supp = false;
      for (std::size_t i = 0; i < row.size(); ++i) {
        const auto& c = row[i];
        switch (c.k) {
          case report_cell::kind::label: jr[t.columns[i]] = c.label; break;
          case report_cell::kind::number:
            if (c.integral) jr[t.columns[i]] = static_cast<std::uint64_t>(std::llround(c.number));
            else jr[t.columns[i]] = std::round(c.number * 100) / 100;
            break;
          case report_cell::kind::suppressed:
            jr[t.columns[i]] = nullptr;
            supp = true;
            break;
          case report_cell::kind::empty: jr[t.columns[i]] = nullptr; break;
        }
      }
      if (supp) jr["suppressed"] = true;
      jt["rows"].push_back(std::move(jr));
    }
    j["tables"].push_back(std::move(jt));
  }
  out << j.dump(2) << '\n';
}

void render_html(const report& r, std::ostream& out) {
  out << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Veil "
         "report</title>\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         "<style>body{font-family:sans-serif;margin:24px;color:#222;max-width:1200px}"
         ".narrow-chart{display:none}"
         "@media (max-width:600px){body{margin:8px}.wide-chart{display:none}"
         ".narrow-chart{display:block}}"
         ".wide{overflow-x:auto;max-width:100%}table{border-collapse:collapse;"
         "margin:8px 0 24px}"
         "td,th{border:1px solid #ccc;padding:3px "
         "8px}td.n{text-align:right}td.s{color:#999;font-style:italic}"
         "svg .b{fill:#3b6ea5}svg text{font:12px sans-serif}svg "
         ".s{fill:#999;font-style:italic}</style></head><body>\n"
      << "<h1>Veil report</h1>\n<p>Cells backed by fewer than " << r.k
      << " distinct installs are suppressed (shown as &lt;" << r.k << ").</p>\n";
  for (const auto& t : r.tables) {
    out << "<section id=\"" << html_escape(t.id) << "\"><h2>" << html_escape(t.title) << "</h2>\n";
    if (t.rows.empty()) {
      out << "<p>(no data)</p></section>\n";
      continue;
    }
    if (t.chart_column) {
      svg_chart(t, r.k, out, false);
      svg_chart(t, r.k, out, true);
    }
    out << "<div class=\"wide\"><table><tr>";
    for (const auto& c : t.columns) out << "<th>" << html_escape(c) << "</th>";
    out << "</tr>\n";
    for (const auto& row : t.rows) {
      out << "<tr>";
      for (const auto& c : row) {
        const char* cls = c.k == report_cell::kind::suppressed ? " class=\"s\""
                          : c.k == report_cell::kind::number   ? " class=\"n\""
                                                               : "";
        out << "<td" << cls << ">" << html_escape(cell_text(c, r.k)) << "</td>";
      }
      out << "</tr>\n";
    }
    out << "</table></div>";
    if (!t.note.empty()) out << "<p>" << html_escape(t.note) << "</p>";
    out << "</section>\n";
  }
  out << "</body></html>\n";
}

veil::result<report_options> parse_report_args(std::span<const std::string> args) {
  report_options o;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto& a = args[i];
    auto value = [&]() -> const std::string* { return i + 1 < args.size() ? &args[++i] : nullptr; };
    if (a == "--db") {
      auto v = value();
      if (!v) return veil::make_error(veil::errc::invalid_argument, "--db needs a URL");
      o.db = *v;
    } else if (a == "--k") {
      auto v = value();
      unsigned k = 0;
      if (!v || std::from_chars(v->data(), v->data() + v->size(), k).ec != std::errc() || k < 1)
        return veil::make_error(veil::errc::invalid_argument, "--k needs a positive integer");
      o.k = k;
    } else if (a == "--csv") {
      o.format = report_format::csv;
    } else if (a == "--json") {
      o.format = report_format::json;
    } else if (a == "--html") {
      auto v = value();
      if (!v) return veil::make_error(veil::errc::invalid_argument, "--html needs a file");
      o.format = report_format::html;
      o.html_file = *v;
    } else {
      return veil::make_error(veil::errc::invalid_argument, "unknown argument " + a);
    }
  }
  if (o.db.empty()) return veil::make_error(veil::errc::invalid_argument, "--db is required");
  return o;
}

int run_report(const report_options& opts, std::ostream& out, std::ostream& err) {
  try {
    if (opts.db.empty() || opts.k < 1 ||
        (opts.format == report_format::html && opts.html_file.empty())) {
      err << "veil report: --db URL is required, --k must be >= 1, --html needs a file\n";
      return 2;
    }
    auto s = open_sink(opts.db);
    if (!s) {
      err << "veil report: " << s.err().message << '\n';
      return 1;
    }
    auto r = build_report(**s, opts.k);
    if (!r) {
      err << "veil report: " << r.err().message << '\n';
      return 1;
    }
    switch (opts.format) {
      case report_format::text: render_text(*r, out); break;
      case report_format::csv: render_csv(*r, out); break;
      case report_format::json: render_json(*r, out); break;
      case report_format::html: {
        std::ofstream f(opts.html_file, std::ios::binary | std::ios::trunc);
        if (!f) {
          err << "veil report: cannot write " << opts.html_file << '\n';
          return 1;
        }
        render_html(*r, f);
        f.close();
        if (!f) {
          err << "veil report: write failed: " << opts.html_file << '\n';
          return 1;
        }
        out << "wrote " << opts.html_file << '\n';
        break;
      }
    }
    return out ? 0 : 1;
  } catch (const std::exception& e) {
    err << "veil report: internal error: " << e.what() << '\n';
    return 1;
  }
}

}  // namespace veil::collector
