#include "tools/collector/sink.hpp"

namespace veil::collector {
veil::result<std::unique_ptr<sink>> open_clickhouse_sink(const std::string&, std::uint16_t, const std::string&) {
  return veil::make_error(veil::errc::unavailable, "clickhouse sink not built yet");
}
}  // namespace veil::collector
