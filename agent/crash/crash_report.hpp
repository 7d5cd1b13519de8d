// Next start: turns the raw crash record a previous process left into the attributes of a
// `crash.report` event (docs/events.md), and deletes the record whatever happens. Frames are
// module + offset + build id, symbolized to function, file and line when a module with the
// same build id is loaded in this process and carries symbols. Thread-compatible.
#pragma once

#include <cstdint>
#include <filesystem>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>

#include "agent/core/result.hpp"
#include "agent/crash/crash_handler.hpp"

namespace veil::detail::crash {

struct pending_report {
  std::string attrs_json;     // the crash.report attributes, before the policy runs
  std::int64_t time_unix_ms;  // when the crash happened
};

/// Reads <dir>/record. A complete record becomes a report; an armed (no crash) or torn one
/// becomes nothing. The file is overwritten with zeros and unlinked in every case, and an
/// unreadable or foreign file is an error only after it was wiped. `scrub` is applied to every
/// text the record holds once more (thread name, breadcrumbs, message).
result<std::optional<pending_report>> take_pending(const std::filesystem::path& dir,
                                                   scrub_fn scrub);

/// Deletes a pending record (wiped) without reading it: consent for crashes was revoked.
result<void> discard_pending(const std::filesystem::path& dir);

/// The frame a crash is grouped by: the first frame of `frames` (crash.report frames) that is
/// not crash machinery (abort, raise, kill, the C++/Objective-C throw and terminate paths,
/// FORTIFY and assert reporters), as "function" when symbolized, else "module +offset"; ""
/// when there is none. Bounded to 256 bytes. Used for `top_frame` (docs/events.md).
std::string top_frame(const nlohmann::json& frames);

/// Signal number -> "SIGSEGV" ("SIG42" for others).
std::string signal_name(int signo);

}  // namespace veil::detail::crash
