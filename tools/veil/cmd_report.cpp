// veil report: the analytics view over a collector's database (tools/collector/report.hpp).
#include <iostream>
#include <string>
#include <vector>

#include "tools/collector/report.hpp"
#include "tools/veil/cli.hpp"

namespace veil::cli {

int cmd_report(int argc, char** argv) {
  std::vector<std::string> args(argv + 2, argv + argc);
  for (const auto& a : args) {
    if (a == "--help" || a == "-h") {
      std::cout
          << "usage: veil report --db URL [--k N] [--csv | --json | --html FILE]\n\n"
             "Calls per destination country, call quality by codec, network and country, calls\n"
             "and quality per day, calls per day of event and aggregate devices together, call\n"
             "durations, crashes by signal and version, crash groups (signal, exception, top\n"
             "frame, version), crash-free sessions by version, distinct installs per day,\n"
             "version and OS mix; then one section per stored metric (aggregate mode), debiased\n"
             "where devices randomised it (local DP).\n"
             "Every cell backed by fewer than k distinct installs (metrics: device reports;\n"
             "default 5) is suppressed.\n"
             "URL: sqlite:///path/to.db | clickhouse://host:port/db\n";
      return exit_ok;
    }
  }
  auto opts = veil::collector::parse_report_args(args);
  if (!opts) {
    std::cerr << "veil report: " << opts.err().message << "\n(see veil report --help)\n";
    return exit_usage;
  }
  return veil::collector::run_report(*opts, std::cout, std::cerr);
}

}  // namespace veil::cli
