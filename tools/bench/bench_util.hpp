// Small helpers shared by the benchmarks: reading an events file and "100,1000" size lists.
#pragma once

#include <cstddef>
#include <fstream>
#include <string>
#include <vector>

namespace veil::bench {

/// Non-empty lines of a JSONL file (a trailing '\r' line counts as empty).
inline std::vector<std::string> read_lines(const std::string& path) {
  std::vector<std::string> v;
  std::ifstream in(path);
  for (std::string l; std::getline(in, l);)
    if (!l.empty() && l != "\r") v.push_back(l);
  return v;
}

/// "100,1000" -> {100, 1000}; throws std::invalid_argument on a bad number (the benches exit).
inline std::vector<std::size_t> parse_sizes(const std::string& list) {
  std::vector<std::size_t> sizes;
  for (std::size_t p = 0; p <= list.size();) {
    auto q = list.find(',', p);
    if (q == std::string::npos) q = list.size();
    sizes.push_back(std::stoul(list.substr(p, q - p)));
    p = q + 1;
  }
  return sizes;
}

}  // namespace veil::bench
