// The raw crash record: a fixed-size file under <state>/crash/ that the signal handler fills
// in place (it is mapped MAP_SHARED at install, so the handler only stores to memory and the
// kernel writes the pages back even though the process dies). Nothing in it is raw text: the
// breadcrumbs, the exception message and the module paths were scrubbed before they were
// copied in, and no stack memory, environment or register other than PC/SP/FP/LR is kept.
// Plain data, no constructors that run in the handler. Layout version 2 (1 had no other
// threads); the next start reads only a record whose magic, version and size match, so a
// layout change never misreads.
#pragma once

#include <cstddef>
#include <cstdint>

namespace veil::detail::crash {

inline constexpr char record_magic[8] = {'V', 'E', 'I', 'L', 'C', 'R', 'S', 'H'};
inline constexpr std::uint32_t record_version = 2;

inline constexpr std::size_t max_frames = 64;
inline constexpr std::size_t max_modules = 512;
inline constexpr std::size_t module_path_bytes = 128;
inline constexpr std::size_t max_build_id = 20;
inline constexpr std::size_t breadcrumb_slots = 64;
inline constexpr std::size_t breadcrumb_bytes = 256;
inline constexpr std::size_t max_threads = 16;    // other threads whose frames are recorded
inline constexpr std::size_t thread_frames = 32;  // frames per other thread

enum class record_state : std::uint32_t {
  armed = 0,     // installed, no crash yet: the next start deletes it
  writing = 1,   // the handler was interrupted (a second fault): the next start deletes it
  complete = 2,  // a crash was recorded
};

struct raw_module {
  std::uint64_t base;  // load bias of the ELF object (dlpi_addr) plus its first PT_LOAD vaddr
  std::uint64_t size;  // end of its last PT_LOAD minus base
  std::uint64_t text_lo, text_hi;  // its executable PT_LOAD (absolute), for the stack scan
  std::uint8_t build_id[max_build_id];
  std::uint8_t build_id_len;
  char path[module_path_bytes];  // through the path action (user segments replaced), NUL-ended
};

enum class thread_state : std::uint32_t {
  empty = 0,
  asked = 1,        // the dump signal was sent; no answer (yet, or within the time bound)
  done = 2,         // the thread walked its own frames into the slot
  unreachable = 3,  // tgkill failed: the thread had ended
};

// Another thread of the process at the time of the crash, walked by itself in the dump
// signal's handler. The tid is only used to match the answer; it is never reported.
struct raw_thread {
  std::int32_t tid;
  std::uint32_t state;  // thread_state; stored last (release) by the answering thread
  std::uint32_t frame_count;
  std::uint32_t reserved;
  std::uint64_t scanned_frames;  // bit i set: frames[i] was found by the stack scan
  std::uint64_t frames[thread_frames];
  char name[16];  // PR_GET_NAME; scrubbed again at the next start
};

struct raw_breadcrumb {
  char text[breadcrumb_bytes];  // scrubbed when added; NUL-ended
};

struct record {
  char magic[8];
  std::uint32_t version;
  std::uint32_t size;   // sizeof(record)
  std::uint32_t state;  // record_state; written last by the handler
  std::int32_t signo;
  std::int32_t code;  // siginfo si_code
  std::uint32_t pid;
  std::uint64_t fault_address;
  std::uint64_t pc, sp, fp, lr;
  std::int64_t time_unix_ms;
  char thread_name[32];
  char app_version[48];
  char os_name[32];
  char os_version[64];
  // std::terminate: the mangled type of the active exception and its what(), scrubbed.
  char exception_type[128];
  char exception_what[256];
  std::uint32_t frame_count;
  std::uint32_t modules_seq;         // odd while the module map is being refreshed
  std::uint64_t frames[max_frames];  // frames[0] is the PC; then return addresses
  std::uint64_t scanned_frames;      // bit i set: frames[i] was found by the stack scan
  std::uint32_t module_count;
  std::uint32_t breadcrumb_count;
  raw_module modules[max_modules];
  raw_breadcrumb breadcrumbs[breadcrumb_slots];  // oldest first
  std::uint32_t thread_count;                    // slots of threads[] in use
  std::uint32_t reserved2;
  raw_thread threads[max_threads];
};

}  // namespace veil::detail::crash
