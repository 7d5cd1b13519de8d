// `veil report`: statistics over a sink with k-anonymity suppression. build_report() queries a
// sink and returns tables in which every cell backed by fewer than k distinct install tokens
// is suppressed (its value is never copied into the report, so no renderer can leak it). The
// renderers print text, CSV, JSON or one self-contained HTML page (inline CSS + SVG only).
// Pure apart from the sink queries; thread-compatible. run_report never throws.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "agent/aggregate/ldp.hpp"
#include "agent/core/result.hpp"

namespace veil::collector {

class sink;

enum class report_format { text, csv, json, html };

struct report_options {
  std::string db;  // sink URL, e.g. sqlite:///var/lib/veil/events.db
  unsigned k = 5;  // minimum distinct installs behind a shown cell (>= 1)
  report_format format = report_format::text;
  std::string html_file;  // output path for report_format::html (required there)
};

/// Parses `--db URL --k N [--csv|--json|--html FILE]` (arguments after `veil report`).
veil::result<report_options> parse_report_args(std::span<const std::string> args);

/// A cell: a key label, a number, or suppressed (fewer than k installs; no value kept).
struct report_cell {
  enum class kind { label, number, suppressed, empty } k = kind::empty;
  std::string label;
  double number = 0;
  bool integral = false;
};

struct report_table {
  std::string id;                    // stable machine name, e.g. "calls_by_country"
  std::string title;                 // human title
  std::vector<std::string> columns;  // key columns first, then value columns
  std::size_t key_columns = 1;
  std::vector<std::vector<report_cell>> rows;
  std::size_t chart_column = 0;  // value column charted in HTML (0 = none)
  std::string note;              // what protects the table (metric sections), printed below it
};

struct report {
  unsigned k = 5;
  std::vector<report_table> tables;
};

/// What one metric cell shows, estimated from what its device reports add up to.
struct metric_estimate {
  double total = 0;             // sum: the summed values; gauge: their mean; histogram: count
  std::optional<double> mean;   // histogram: sum / count (when the points sent sums)
  std::vector<double> buckets;  // histogram buckets in bound order
  bool debiased = false;        // local DP: total and/or buckets are unbiased estimates
  std::optional<std::pair<double, double>> total_ci95;  // the total's 95 % interval (one dim)
};

/// How a cell's reports were randomised on the devices (aggregate mode's veil.ldp.*
/// attributes, docs/privacy-math.md). `dimension`: one randomised dimension of the cell, with
/// `group_total` = the reported totals summed over that dimension's values among cells equal
/// in every other attribute (the n of the estimator). `bucket`: the histogram buckets.
struct ldp_cell {
  std::optional<veil::detail::ldp::params> dimension;
  double group_total = 0;
  std::optional<veil::detail::ldp::params> bucket;
};

/// Turns a cell into the numbers the report shows: the values as reported, or, for a cell
/// randomised by local DP (`ldp` set), the unbiased estimates (n̂ = (c − n q) / (p − q)) with
/// the total's 95 % interval; the report calls nothing else to turn a cell into numbers.
metric_estimate estimate_metric_cell(std::string_view metric, std::string_view kind,
                                     std::uint64_t reports, std::uint64_t count,
                                     const std::optional<double>& sum,
                                     const std::vector<std::uint64_t>& bucket_counts,
                                     const ldp_cell* ldp = nullptr);

/// The event sections, then one section per stored metric (sink::metric_names): its cells
/// grouped by every attribute key, a cell from fewer than k device reports suppressed in place,
/// histogram buckets in bound order, and a note saying what protects the table.
veil::result<report> build_report(sink& s, unsigned k);

void render_text(const report& r, std::ostream& out);
void render_csv(const report& r, std::ostream& out);
void render_json(const report& r, std::ostream& out);
void render_html(const report& r, std::ostream& out);

/// Opens opts.db, builds the report and writes it (HTML to opts.html_file). Returns 0 on
/// success, 1 on failure (message on `err`), 2 on invalid options.
int run_report(const report_options& opts, std::ostream& out, std::ostream& err);

}  // namespace veil::collector
