#include "agent/spool/file_spool.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "agent/crypto/record_cipher.hpp"
#include "agent/platform/file_util.hpp"
#include "agent/platform/os.hpp"
#include "agent/spool/segment_format.hpp"
#include "agent/spool/seq_index.hpp"
#include "agent/spool/seq_runs.hpp"
#include "agent/spool/spool_engine.hpp"

namespace veil::detail {
namespace fs = std::filesystem;
namespace sf = segment_format;

namespace {
constexpr std::uint64_t journal_compact_bytes = 256u << 10;

error sys_error(std::string_view what, const fs::path& p) {
  return make_error(errc::io_error,
                    std::string(what) + " " + p.string() + ": " + std::strerror(errno));
}
bool write_all(int fd, std::string_view d) {
  while (!d.empty()) {
    ssize_t w = ::write(fd, d.data(), d.size());
    if (w < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    d.remove_prefix(static_cast<std::size_t>(w));
  }
  return true;
}
std::string seg_name(std::uint64_t id) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%016llx.seg", static_cast<unsigned long long>(id));
  return buf;
}
std::optional<std::uint64_t> parse_seg_name(const std::string& name) {
  if (name.size() != 20 || name.substr(16) != ".seg") return std::nullopt;
  std::uint64_t v = 0;
  for (int i = 0; i < 16; ++i) {
    char c = name[static_cast<std::size_t>(i)];
    int d = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
    if (d < 0) return std::nullopt;
    v = (v << 4) | static_cast<std::uint64_t>(d);
  }
  return v;
}
void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

class file_storage final : public spool_storage {
 public:
  file_storage(fs::path dir, record_cipher cipher, const spool_options& o)
      : dir_(std::move(dir)),
        cipher_(std::move(cipher)),
        sync_(o.sync_each_append),
        max_seg_(o.max_segment_bytes) {}
  ~file_storage() override {
    close_fd(active_fd_);
    close_fd(read_fd_);
    close_fd(journal_fd_);
    close_fd(lock_fd_);
  }

  result<void> lock() {
    auto fd = os::lock_exclusive(dir_ / "lock");
    if (!fd) {
      if (fd.err().code == errc::unavailable)
        return make_error(errc::unavailable, "spool " + dir_.string() + " is in use");
      return fd.err();
    }
    lock_fd_ = *fd;
    return {};
  }

  // Rebuilds the index from the journal and the segments; repairs damage.
  result<std::vector<stored_record>> load(spool_counters& c) {
    std::unordered_set<std::uint64_t> gone;
    std::unordered_map<std::uint64_t, std::uint32_t> retries;
    std::uint64_t next = 1;
    auto jimg = read_file(journal_path());
    if (jimg.ok()) {
      auto j = sf::scan_journal(*jimg);
      next = std::max(next, j.base_seq);
      for (auto& e : j.entries) {
        next = std::max(next, e.seq + 1);
        if (e.kind == sf::journal_kind::gone) gone.insert(e.seq);
        else retries[e.seq] = e.retries;
      }
    } else if (jimg.err().code != errc::not_found) {
      return std::move(jimg).err();
    }

    std::vector<std::pair<std::uint64_t, fs::path>> files;
    std::error_code ec;
    for (auto& de : fs::directory_iterator(dir_, ec)) {
      auto name = de.path().filename().string();
      if (name.size() > 4 && name.substr(name.size() - 4) == ".tmp") {
        ::unlink(de.path().c_str());  // an interrupted atomic write; the original is intact
      } else if (auto id = parse_seg_name(name)) {
        files.emplace_back(*id, de.path());
      }
    }
    if (ec) return make_error(errc::io_error, "list " + dir_.string() + ": " + ec.message());
    std::sort(files.begin(), files.end());

    std::vector<stored_record> out;
    for (auto& [id, path] : files) {
      auto img = read_file(path);
      if (!img) return std::move(img).err();
      auto sc = sf::scan_segment(*img);
      using h = sf::scan_result::header;
      if (sc.head == h::unknown_version) continue;  // written by a newer Veil: leave it alone
      if (sc.head != h::ok || sc.id != id) {
        if (sc.head != h::short_file) ++c.corrupt;  // a short file is a crash while creating it
        ::unlink(path.c_str());
        continue;
      }
      bool damaged = sc.corrupt > 0 || sc.torn_tail_bytes > 0;
      c.corrupt += sc.corrupt;
      if (sc.torn_tail_bytes > 0) ++c.torn_tail;
      seg s{path, 0, {}, 0};
      for (auto& f : sc.frames) {
        next = std::max(next, f.seq + 1);
        if (gone.count(f.seq)) {
          s.seqs.push_back(f.seq);
          continue;
        }
        auto plain = cipher_.open(f.sealed, sf::record_ad(id, f.seq));
        auto pv = plain ? sf::decode_plain(*plain) : std::nullopt;
        if (!pv || f.offset > UINT32_MAX) {  // a segment over 4 GiB was not written by this spool
          ++c.corrupt;
          damaged = true;
          continue;
        }
        s.seqs.push_back(f.seq);
        ++s.live;
        set_loc(f.seq,
                loc{id, static_cast<std::uint32_t>(f.offset), static_cast<std::uint32_t>(f.size)});
        std::uint32_t r = retries.count(f.seq) ? retries[f.seq] : 0;
        if (r) retries_[f.seq] = r;
        out.push_back(stored_record{f.seq, std::string(pv->category), pv->created, r});
      }
      s.bytes = img->size();
      if (s.live == 0) {
        ::unlink(path.c_str());
        continue;
      }
      total_ += s.bytes;
      segs_.emplace(id, std::move(s));
      if (damaged)
        if (auto r = rewrite(id); !r) return std::move(r).err();
    }
    if (auto r = sync_dir(dir_); !r) return std::move(r).err();
    next_ = next;
    if (auto r = compact_journal(); !r) return std::move(r).err();
    return out;
  }
  std::uint64_t next_seq() const { return next_; }

  result<void> write(std::uint64_t seq, sys_time created, std::string_view category,
                     std::string_view payload) override {
    std::string plain = sf::encode_plain(created, category, payload);
    std::uint64_t fsize = sf::frame_header_size + 8 + record_cipher::overhead + plain.size();
    if (active_fd_ < 0 || segs_.at(active_).bytes + fsize > max_seg_)
      if (auto r = roll(seq); !r) return r;
    auto sealed = cipher_.seal(plain, sf::record_ad(active_, seq));
    if (!sealed) return std::move(sealed).err();
    std::string frame = sf::encode_frame(seq, *sealed);
    seg& s = segs_.at(active_);
    if (!write_all(active_fd_, frame)) {
      auto e = sys_error("append to", s.path);
      if (::ftruncate(active_fd_, static_cast<off_t>(s.bytes)) != 0)
        close_fd(active_fd_);  // roll next time
      return e;
    }
    dirty_ = true;
    set_loc(seq, loc{active_, static_cast<std::uint32_t>(s.bytes),
                     static_cast<std::uint32_t>(frame.size())});
    s.bytes += frame.size();
    total_ += frame.size();
    s.seqs.push_back(seq);
    ++s.live;
    next_ = std::max(next_, seq + 1);
    return {};
  }

  // One fdatasync for everything written since the last sync (roll() already synced the
  // segments it closed, and reports a failure of that here).
  result<void> sync() override {
    result<void> out;
    if (sync_failed_)
      out = make_error(errc::io_error,
                       "fdatasync of a closed segment in " + dir_.string() + " failed");
    if (sync_ && dirty_ && active_fd_ >= 0 && os::sync_data(active_fd_) != 0 && out)
      out = sys_error("fdatasync", segs_.at(active_).path);
    dirty_ = false;
    sync_failed_ = false;
    return out;
  }

  result<std::string> read(std::uint64_t seq) override {
    const loc* lp = locs_.find(seq);
    if (lp == nullptr) return make_error(errc::not_found, "no such spool record");
    const loc l = *lp;
    const seg& s = segs_.at(l.seg);
    if (read_fd_ < 0 || read_id_ != l.seg) {
      close_fd(read_fd_);
      read_fd_ = ::open(s.path.c_str(), O_RDONLY | O_CLOEXEC);
      if (read_fd_ < 0) return sys_error("open", s.path);
      read_id_ = l.seg;
    }
    std::string buf(l.size, '\0');
    ssize_t n = ::pread(read_fd_, buf.data(), buf.size(), static_cast<off_t>(l.offset));
    if (n < 0) return sys_error("read", s.path);
    if (static_cast<std::size_t>(n) != buf.size() || buf.size() < sf::frame_header_size + 8)
      return make_error(errc::corrupt, "spool frame truncated in " + s.path.string());
    std::string_view body = std::string_view(buf).substr(sf::frame_header_size);
    auto plain = cipher_.open(body.substr(8), sf::record_ad(l.seg, seq));
    if (!plain)
      return make_error(errc::corrupt,
                        "spool record " + std::to_string(seq) + " fails authentication");
    auto pv = sf::decode_plain(*plain);
    if (!pv)
      return make_error(errc::corrupt, "spool record " + std::to_string(seq) + " is malformed");
    return std::string(pv->payload);
  }

  result<void> remove(std::span<const std::uint64_t> seqs, bool shred) override {
    std::string entries;
    for (auto s : seqs)
      if (locs_.contains(s)) entries += sf::encode_journal_entry({s, sf::journal_kind::gone, 0});
    if (entries.empty()) return {};
    // The journal entry is what makes the removal durable; unlink and rewrite reclaim space.
    if (auto r = append_journal(entries, true); !r) return r;
    std::vector<std::uint64_t> touched;
    for (auto s : seqs) {
      const loc* l = locs_.find(s);
      if (l == nullptr) continue;
      auto id = l->seg;
      locs_.erase(s);
      retries_.erase(s);
      --segs_.at(id).live;
      if (touched.empty() || touched.back() != id) touched.push_back(id);
    }
    std::sort(touched.begin(), touched.end());
    touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
    result<void> out;
    for (auto id : touched) {
      if (segs_.at(id).live == 0) {
        if (auto r = drop_segment(id, shred); !r && out) out = r;
      } else if (shred) {
        if (auto r = rewrite(id); !r && out) out = r;
      }
    }
    if (auto r = maybe_compact(); !r && out) out = r;
    return out;
  }

  result<void> remove_all() override {
    close_fd(active_fd_);
    close_fd(read_fd_);
    result<void> out;
    for (auto& [id, s] : segs_)
      if (auto r = wipe_file(s.path); !r && out) out = r;
    segs_.clear();
    locs_.clear();
    retries_.clear();
    total_ = 0;
    if (auto r = compact_journal(); !r && out) out = r;
    return out;
  }

  result<void> set_retries(std::span<const std::pair<std::uint64_t, std::uint32_t>> rs) override {
    std::string entries;
    for (auto& [seq, n] : rs) {
      if (!locs_.contains(seq)) continue;
      retries_[seq] = n;
      entries +=
          sf::encode_journal_entry({seq, sf::journal_kind::retry, static_cast<std::uint8_t>(n)});
    }
    if (entries.empty()) return {};
    return append_journal(entries, false);
  }

  std::uint64_t used_bytes() const override { return total_; }
  std::uint64_t cost(std::string_view category, std::string_view payload) const override {
    return sf::header_size + sf::frame_header_size + 8 + record_cipher::overhead + 10 +
           category.size() + payload.size();
  }
  std::vector<std::uint64_t> oldest_unit() const override {
    for (auto& [seg_id, s] : segs_) {
      if (s.live == 0) continue;
      std::vector<std::uint64_t> out;
      const auto id = seg_id;  // clang 14 cannot capture a structured binding
      s.seqs.for_each([&](std::uint64_t q) {
        if (const loc* l = locs_.find(q); l != nullptr && l->seg == id) out.push_back(q);
      });
      return out;
    }
    return {};
  }

 private:
  struct seg {
    fs::path path;
    std::uint64_t bytes = 0;
    seq_runs seqs;  // every frame in the file, live or gone, in file order
    std::size_t live = 0;
  };
  // 16 bytes (24 with its seq in locs_). Offsets fit 32 bits: a segment rolls over past
  // max_segment_bytes (<= 1 GiB, spool_options::validate) and a record is <= 16 MiB.
  struct loc {
    std::uint64_t seg = 0;
    std::uint32_t offset = 0;
    std::uint32_t size = 0;
  };
  static_assert(sizeof(loc) == 16, "file_spool::loc grew: it is held once per stored record");

  void set_loc(std::uint64_t seq, loc l) {
    auto [p, added] = locs_.try_emplace(seq, l);
    if (!added) *p = l;
  }

  fs::path journal_path() const { return dir_ / "journal"; }

  result<void> roll(std::uint64_t seq) {
    // The closing segment may hold records of the group being committed: sync them now.
    if (sync_ && dirty_ && active_fd_ >= 0 && os::sync_data(active_fd_) != 0) sync_failed_ = true;
    dirty_ = false;
    close_fd(active_fd_);
    auto path = dir_ / seg_name(seq);
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0) return sys_error("create", path);
    ::fchmod(fd, 0600);
    std::string head = sf::encode_header(sf::segment_magic, seq);
    if (!write_all(fd, head) || (sync_ && os::sync_data(fd) != 0)) {
      auto e = sys_error("write", path);
      ::close(fd);
      ::unlink(path.c_str());
      return e;
    }
    if (sync_)
      if (auto r = sync_dir(dir_); !r) {
        ::close(fd);
        ::unlink(path.c_str());
        return r;
      }
    active_fd_ = fd;
    active_ = seq;
    segs_.emplace(seq, seg{path, head.size(), {}, 0});
    total_ += head.size();
    return {};
  }

  result<void> drop_segment(std::uint64_t id, bool wipe) {
    auto& s = segs_.at(id);
    if (id == active_) close_fd(active_fd_);
    if (id == read_id_) close_fd(read_fd_);
    auto path = s.path;
    total_ -= s.bytes;
    segs_.erase(id);
    if (wipe) return wipe_file(path);
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) return sys_error("unlink", path);
    return {};
  }

  // Replaces a segment with its live frames only (verbatim: the AD still matches).
  result<void> rewrite(std::uint64_t id) {
    auto& s = segs_.at(id);
    if (id == read_id_) close_fd(read_fd_);
    auto img = read_file(s.path);
    if (!img) return std::move(img).err();
    auto sc = sf::scan_segment(*img);
    std::string out = sf::encode_header(sf::segment_magic, id);
    seq_runs kept;
    for (auto& f : sc.frames) {
      loc* l = locs_.find(f.seq);
      if (l == nullptr || l->seg != id) continue;
      l->offset = out.size();
      out.append(*img, f.offset, f.size);
      kept.push_back(f.seq);
    }
    if (auto r = write_file_atomic(s.path, out, 0600); !r) return r;
    total_ = total_ - s.bytes + out.size();
    s.bytes = out.size();
    s.seqs = std::move(kept);
    if (id == active_ && active_fd_ >= 0) {
      close_fd(active_fd_);
      active_fd_ = ::open(s.path.c_str(), O_RDWR | O_APPEND | O_CLOEXEC);
      if (active_fd_ < 0) return sys_error("reopen", s.path);
    }
    return {};
  }

  result<void> append_journal(std::string_view entries, bool durable) {
    if (journal_fd_ < 0) {
      if (auto r = compact_journal(); !r) return r;
    }
    if (!write_all(journal_fd_, entries) || (durable && os::sync_data(journal_fd_) != 0)) {
      auto e = sys_error("append to", journal_path());
      close_fd(journal_fd_);  // the next append rewrites the journal from memory
      return e;
    }
    journal_bytes_ += entries.size();
    return {};
  }

  result<void> maybe_compact() {
    return journal_bytes_ > journal_compact_bytes ? compact_journal() : result<void>{};
  }

  // Writes a fresh journal from the in-memory index: gone entries for dead frames still on disk,
  // retry entries for live records, and the next seq.
  result<void> compact_journal() {
    close_fd(journal_fd_);
    std::string img = sf::encode_header(sf::journal_magic, next_);
    for (auto& [id, s] : segs_)
      s.seqs.for_each([&](std::uint64_t q) {
        if (!locs_.contains(q)) img += sf::encode_journal_entry({q, sf::journal_kind::gone, 0});
      });
    for (auto& [q, n] : retries_)
      img += sf::encode_journal_entry({q, sf::journal_kind::retry, static_cast<std::uint8_t>(n)});
    if (auto r = write_file_atomic(journal_path(), img, 0600); !r) return r;
    journal_fd_ = ::open(journal_path().c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
    if (journal_fd_ < 0) return sys_error("open", journal_path());
    journal_bytes_ = img.size();
    return {};
  }

  fs::path dir_;
  record_cipher cipher_;
  bool sync_;
  bool dirty_ = false;        // active segment written since the last sync
  bool sync_failed_ = false;  // a segment closed by roll() failed to sync; sync() reports it
  std::uint64_t max_seg_;
  std::map<std::uint64_t, seg> segs_;
  seq_index<loc> locs_;  // live records only; 32 bytes per record
  std::unordered_map<std::uint64_t, std::uint32_t> retries_;
  std::uint64_t total_ = 0;
  std::uint64_t next_ = 1;
  int active_fd_ = -1;
  std::uint64_t active_ = 0;
  int read_fd_ = -1;
  std::uint64_t read_id_ = 0;
  int journal_fd_ = -1;
  std::uint64_t journal_bytes_ = 0;
  int lock_fd_ = -1;
};

}  // namespace

result<std::unique_ptr<spool>> open_file_spool(file_spool_options opt) {
  if (opt.dir.empty()) return make_error(errc::invalid_argument, "spool dir is empty");
  if (auto r = opt.spool.validate(); !r) return std::move(r).err();
  if (auto r = make_dirs(opt.dir, 0700); !r) return std::move(r).err();
  if (::chmod(opt.dir.c_str(), 0700) != 0) return sys_error("chmod", opt.dir);
  auto key_file = opt.key_file.empty() ? opt.dir / "spool.key" : opt.key_file;
  auto cipher = record_cipher::load_or_create(key_file);
  if (!cipher) return std::move(cipher).err();
  auto st = std::make_unique<file_storage>(opt.dir, std::move(*cipher), opt.spool);
  if (auto r = st->lock(); !r) return std::move(r).err();
  spool_counters c;
  auto recs = st->load(c);
  if (!recs) return std::move(recs).err();
  auto next = st->next_seq();
  return std::unique_ptr<spool>(
      new spool_engine(std::move(opt.spool), std::move(st), std::move(*recs), next, c));
}

}  // namespace veil::detail
