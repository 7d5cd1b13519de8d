// seq_runs: a sequence of record seqs kept as runs of consecutive values. A spool segment lists
// every frame it holds, live or gone, in file order; its seqs are appended in increasing order
// and are mostly consecutive, so a segment of thousands of records is one run of 16 bytes
// instead of 8 bytes per record. Any sequence is stored exactly (a gap or a step back starts a
// new run), and for_each gives it back in the order it was appended.
#pragma once

#include <cstdint>
#include <vector>

namespace veil::detail {

class seq_runs {
 public:
  void push_back(std::uint64_t seq) {
    if (!runs_.empty() && runs_.back().count < UINT32_MAX &&
        runs_.back().first + runs_.back().count == seq)
      ++runs_.back().count;
    else runs_.push_back(run{seq, 1});
  }
  template <class F>
  void for_each(F&& f) const {
    for (const run& r : runs_)
      for (std::uint32_t k = 0; k < r.count; ++k) f(r.first + k);
  }
  std::size_t runs() const noexcept { return runs_.size(); }
  bool empty() const noexcept { return runs_.empty(); }

 private:
  struct run {
    std::uint64_t first;
    std::uint32_t count;
  };
  std::vector<run> runs_;
};

}  // namespace veil::detail
