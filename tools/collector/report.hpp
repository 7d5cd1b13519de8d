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
#include <vector>

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
};

struct report {
  unsigned k = 5;
  std::vector<report_table> tables;
};

veil::result<report> build_report(sink& s, unsigned k);

void render_text(const report& r, std::ostream& out);
void render_csv(const report& r, std::ostream& out);
void render_json(const report& r, std::ostream& out);
void render_html(const report& r, std::ostream& out);

/// Opens opts.db, builds the report and writes it (HTML to opts.html_file). Returns 0 on
/// success, 1 on failure (message on `err`), 2 on invalid options.
int run_report(const report_options& opts, std::ostream& out, std::ostream& err);

}  // namespace veil::collector
