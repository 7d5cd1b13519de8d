// Import of crash reports the platform wrote, so they reach the analytics team through the same
// policy and consent as captured ones: Android tombstones (the debuggerd text form, also what
// ApplicationExitInfo.getTraceInputStream() returns for a native crash, with or without logcat
// prefixes) and Apple .ips reports (the JSON form of iOS 15 / macOS 12 and later, bug_type 309).
// Allow-list parsing: only what a crash.report carries is read (signal, exception type, abort
// message or exception subtype, the crashing thread's frames as module basename + offset +
// build id + function, OS and app version, thread name); registers, stack and memory dumps,
// memory maps, open files, log buffers, other threads, device identifiers, crashReporterKey,
// process paths and everything else the file holds never enter the result. Free texts go
// through `scrub`. Minidumps and the legacy text .crash form are refused with a message saying
// so. Pure (no I/O, no global state); thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "agent/core/result.hpp"
#include "agent/crash/crash_handler.hpp"

namespace veil::detail::crash {

enum class platform_format { android_tombstone, apple_ips };

/// "tombstone" / "ips": the crash.report `source` field.
const char* format_name(platform_format f) noexcept;

struct imported_report {
  platform_format format = platform_format::android_tombstone;
  std::string attrs_json;                    // crash.report attributes, before the policy runs
  std::optional<std::int64_t> time_unix_ms;  // when the crash happened, if the report says
};

/// The largest report accepted: tombstones are ~100 KiB to 1 MiB, .ips up to a few MiB.
inline constexpr std::size_t max_import_bytes = 8u << 20;

/// Parses a tombstone or an .ips report. `app_version` is used when the report names none
/// (tombstones never do). errc::invalid_argument names the format problem and where (a line or
/// byte number), never the report's text; errc::limit_exceeded above max_import_bytes.
result<imported_report> import_platform_report(std::string_view bytes, scrub_fn scrub,
                                               std::string_view app_version);

}  // namespace veil::detail::crash
