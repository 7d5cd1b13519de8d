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
             "Calls per destination country, call quality by codec and network, call durations,\n"
             "crashes by signal and version, crash groups (signal, exception, top frame, "
             "version),\n"
             "distinct installs per day, version and OS mix.\n"
             "Every cell backed by fewer than k distinct installs (default 5) is suppressed.\n"
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
