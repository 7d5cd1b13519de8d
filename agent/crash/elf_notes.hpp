// The GNU build id of a loaded ELF object, read from its PT_NOTE segment in memory. Used at
// install (module map) and at the next start (matching recorded modules to loaded ones).
// Reads only the note segment the loader mapped; no allocation, no locks.
#pragma once

#include <elf.h>
#include <link.h>

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace veil::detail::crash {

/// Copies at most `cap` bytes of the build id in note segment `ph` of `info` into `out`;
/// returns how many (0 if the segment holds no GNU build id).
inline std::size_t read_build_id(const dl_phdr_info& info, const ElfW(Phdr) & ph, std::uint8_t* out,
                                 std::size_t cap) noexcept {
  if (ph.p_type != PT_NOTE) return 0;
  const auto* p = reinterpret_cast<const unsigned char*>(info.dlpi_addr + ph.p_vaddr);
  const auto* end = p + ph.p_memsz;
  while (p + sizeof(ElfW(Nhdr)) <= end) {
    ElfW(Nhdr) nh;
    std::memcpy(&nh, p, sizeof(nh));
    const unsigned char* name = p + sizeof(nh);
    const unsigned char* desc = name + ((nh.n_namesz + 3u) & ~3u);
    const unsigned char* next = desc + ((nh.n_descsz + 3u) & ~3u);
    if (next > end || next <= p) return 0;
    if (nh.n_type == NT_GNU_BUILD_ID && nh.n_namesz == 4 && std::memcmp(name, "GNU", 4) == 0) {
      const std::size_t n = nh.n_descsz < cap ? nh.n_descsz : cap;
      std::memcpy(out, desc, n);
      return n;
    }
    p = next;
  }
  return 0;
}

}  // namespace veil::detail::crash
