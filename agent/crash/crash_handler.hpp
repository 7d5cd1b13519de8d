// In-process crash capture. install() creates <dir>/record (a crash::record, mode 0600), maps it
// MAP_SHARED, writes the header and the module map, and installs handlers for SIGSEGV, SIGBUS,
// SIGILL, SIGFPE, SIGABRT and SIGTRAP (on an alternate signal stack) and for std::terminate.
// The signal handler calls only async-signal-safe functions: it stores the signal, the PC/SP/
// FP/LR, a frame-pointer walk of the crashing thread bounded by the stack's mapping (read from
// /proc/self/maps with open/read), the breadcrumbs and the thread name into the mapped record,
// marks it complete, restores the previous handlers and re-raises, so the OS and other
// reporters still see the crash. A second fault in the handler ends the process. Before it
// returns, the handler asks the other attached threads for their frames (a real-time signal
// sent with tgkill; each walks its own stack into its slot of the record) and waits for them,
// bounded by a quarter second.
// Signals are process-wide: one handler per process (a second install() is refused).
// Breadcrumbs are scrubbed by the caller BEFORE add_breadcrumb(): the ring and the record only
// ever hold scrubbed text. Thread-safe; add_breadcrumb() is lock-free.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "agent/core/result.hpp"

namespace veil::detail::crash {

/// Scrubs free text (the exception's what() in the terminate handler). Must not throw.
using scrub_fn = std::string (*)(std::string_view) noexcept;

struct install_options {
  std::filesystem::path dir;  // <state>/crash, created 0700 if missing
  std::string app_version, os_name, os_version;
  scrub_fn scrub = nullptr;  // required
  // The signal a crashing thread sends (tgkill) to the other attached threads so that each
  // records its own frames. 0: SIGRTMIN + 5; < 0: other threads are not recorded. Another
  // use of the same signal by the host is passed on to its handler.
  int thread_dump_signal = 0;
};

/// The record's file name inside the crash directory.
inline constexpr std::string_view record_file = "record";

/// Installs the handlers (see above) and an alternate signal stack for the calling thread.
/// errc::unavailable if already installed in this process.
result<void> install(const install_options& o);
/// Restores the previous handlers, unmaps and wipes the record, clears the breadcrumbs. Safe to
/// call when not installed. Returns when no handler of ours can run any more.
void uninstall_and_wipe() noexcept;
bool installed() noexcept;

/// Gives the calling thread an alternate signal stack (64 KiB), so a stack overflow on it is
/// still recorded, and registers it (up to 32 threads), so a crash on another thread records
/// its frames too (up to 16 of them); both undone when the thread ends. install() does it for
/// its own thread.
void attach_thread() noexcept;

/// Copies already-scrubbed text into the ring (truncated to fit, on a UTF-8 boundary).
/// Lock-free; a no-op when not installed.
void add_breadcrumb(std::string_view scrubbed) noexcept;

/// Re-reads the module map if a module was loaded or unloaded since the last read.
void refresh_modules() noexcept;

/// True while the calling thread runs the crash handler or answers the dump signal. For tests
/// that check the handlers call nothing outside the async-signal-safe list (interposed
/// malloc, locks); other threads keep running normally meanwhile.
bool in_signal_handler() noexcept;

}  // namespace veil::detail::crash
