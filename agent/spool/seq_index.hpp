// seq_index: a compact map from record seq to a small value, for the spool's per-record
// indexes. Seqs are assigned in increasing append order, so the slots are a deque sorted by seq
// (lookup by position when dense, else binary search). Erasing marks a tombstone (the seq's top
// bit); tombstones at the front are popped (acks take the oldest records) and the deque is
// compacted when tombstones outnumber live slots. One slot is 8 bytes + sizeof(T), against
// ~80 bytes for a std::map node.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <iterator>
#include <utility>

namespace veil::detail {

template <class T>
class seq_index {
  static constexpr std::uint64_t dead_bit = std::uint64_t{1} << 63;
  struct slot {
    std::uint64_t seq;  // with dead_bit set once erased
    T value;
  };
  using base_iter = typename std::deque<slot>::iterator;
  static std::uint64_t key(const slot& s) { return s.seq & ~dead_bit; }

 public:
  /// Iterates the live records in seq order (skipping tombstones).
  class iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = slot;
    using difference_type = std::ptrdiff_t;
    using pointer = slot*;
    using reference = slot&;
    iterator(base_iter it, base_iter end) : it_(it), end_(end) { skip(); }
    slot& operator*() const { return *it_; }
    slot* operator->() const { return &*it_; }
    iterator& operator++() {
      ++it_;
      skip();
      return *this;
    }
    bool operator==(const iterator& o) const { return it_ == o.it_; }
    bool operator!=(const iterator& o) const { return it_ != o.it_; }

   private:
    void skip() {
      while (it_ != end_ && (it_->seq & dead_bit)) ++it_;
    }
    base_iter it_, end_;
  };

  iterator begin() { return iterator(slots_.begin(), slots_.end()); }
  iterator end() { return iterator(slots_.end(), slots_.end()); }
  std::size_t size() const { return live_; }
  bool empty() const { return live_ == 0; }
  void clear() {
    slots_.clear();
    live_ = 0;
  }

  /// The live value for seq, or nullptr. Stays valid until the next erase/insert/clear.
  T* find(std::uint64_t seq) {
    auto i = position(seq);
    if (i == slots_.size() || slots_[i].seq != seq) return nullptr;  // absent or dead
    return &slots_[i].value;
  }
  const T* find(std::uint64_t seq) const { return const_cast<seq_index*>(this)->find(seq); }
  bool contains(std::uint64_t seq) const { return find(seq) != nullptr; }

  /// Adds seq with value v unless seq is live already. O(1) for a seq above every stored one
  /// (the normal case); otherwise inserts in place. Returns the value and whether it was added.
  std::pair<T*, bool> try_emplace(std::uint64_t seq, T v) {
    if (slots_.empty() || key(slots_.back()) < seq) {
      slots_.push_back(slot{seq, std::move(v)});
      ++live_;
      return {&slots_.back().value, true};
    }
    auto i = position(seq);
    if (i < slots_.size() && key(slots_[i]) == seq) {
      if (slots_[i].seq == seq) return {&slots_[i].value, false};
      slots_[i] = slot{seq, std::move(v)};  // revive a tombstone
    } else {
      slots_.insert(slots_.begin() + static_cast<std::ptrdiff_t>(i), slot{seq, std::move(v)});
    }
    ++live_;
    return {&slots_[i].value, true};
  }

  /// Removes seq if live; returns whether it was.
  bool erase(std::uint64_t seq) {
    auto i = position(seq);
    if (i == slots_.size() || slots_[i].seq != seq) return false;
    slots_[i].seq |= dead_bit;
    --live_;
    while (!slots_.empty() && (slots_.front().seq & dead_bit)) slots_.pop_front();
    while (!slots_.empty() && (slots_.back().seq & dead_bit)) slots_.pop_back();
    if (slots_.size() - live_ > live_ && slots_.size() > 64) compact();
    return true;
  }

  /// Slots held, live or tombstone (for tests).
  std::size_t slots() const { return slots_.size(); }

 private:
  // Index of the first slot whose seq is >= seq (slots_.size() if none).
  std::size_t position(std::uint64_t seq) const {
    if (slots_.empty()) return 0;
    std::uint64_t first = key(slots_.front());
    if (seq < first) return 0;
    if (seq - first < slots_.size()) {  // dense: seq - first is its position
      auto i = static_cast<std::size_t>(seq - first);
      if (key(slots_[i]) == seq) return i;
    }
    auto it = std::lower_bound(slots_.begin(), slots_.end(), seq,
                               [](const slot& s, std::uint64_t q) { return key(s) < q; });
    return static_cast<std::size_t>(it - slots_.begin());
  }
  void compact() {
    slots_.erase(std::remove_if(slots_.begin(), slots_.end(),
                                [](const slot& s) { return (s.seq & dead_bit) != 0; }),
                 slots_.end());
    slots_.shrink_to_fit();
  }

  std::deque<slot> slots_;
  std::size_t live_ = 0;
};

}  // namespace veil::detail
