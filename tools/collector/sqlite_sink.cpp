#include "tools/collector/sqlite_sink.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <limits>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "tools/collector/record_guard.hpp"

namespace veil::collector {
namespace {

constexpr const char* schema_sql = R"sql(
CREATE TABLE IF NOT EXISTS events(
  id INTEGER PRIMARY KEY, batch_key TEXT NOT NULL, received_at INTEGER NOT NULL,
  install TEXT NOT NULL, day TEXT NOT NULL, ts TEXT NOT NULL, type TEXT NOT NULL,
  category TEXT NOT NULL, attrs TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS events_type_day ON events(type, day);
DROP INDEX IF EXISTS events_day;
CREATE INDEX IF NOT EXISTS events_install ON events(install);
CREATE TABLE IF NOT EXISTS batches(key TEXT PRIMARY KEY, received_at INTEGER NOT NULL, n INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS quarantine(received_at INTEGER NOT NULL, batch_key TEXT NOT NULL,
  type TEXT NOT NULL, reason TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS install_keys(install TEXT PRIMARY KEY, public_key TEXT NOT NULL,
  first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL, erased_at INTEGER) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS metrics(
  id INTEGER PRIMARY KEY, batch_key TEXT NOT NULL, received_at INTEGER NOT NULL,
  day TEXT NOT NULL, window_start INTEGER NOT NULL, window_end INTEGER NOT NULL,
  name TEXT NOT NULL, kind TEXT NOT NULL, unit TEXT NOT NULL, temporality INTEGER NOT NULL,
  monotonic INTEGER NOT NULL, attrs TEXT NOT NULL, resource TEXT NOT NULL,
  count INTEGER NOT NULL, sum REAL, min REAL, max REAL, bounds TEXT NOT NULL,
  bucket_counts TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS metrics_name_day ON metrics(name, day);
CREATE TABLE IF NOT EXISTS metric_batches(key TEXT PRIMARY KEY, received_at INTEGER NOT NULL,
  n INTEGER NOT NULL);
PRAGMA user_version = 3;
)sql";

// ---- WAL write coalescing ------------------------------------------------------------------
// SQLite writes each WAL frame with two pwrite calls (24-byte header, then the page), so a
// 100-row commit that touches ~25 pages made ~50 write syscalls; in the collector's profile at
// batch 100 these were ~13% of its CPU (ext4's per-call page work, not the bytes). This VFS
// wraps the default one and, for WAL files only, gathers contiguous writes in memory and hands
// them to the real file in one write **within the xWrite of the commit frame's page**, i.e.
// before SQLite publishes the commit in the WAL index and before COMMIT returns: readers (the
// checkpoint connection, `veil report`) and a crash after COMMIT see exactly what they saw
// before, and a failed write fails the COMMIT as before. Any other operation on the WAL file
// (read, sync, truncate, size, file control, close) and any non-contiguous write first flushes
// what is gathered, so SQLite never observes the file in a different state than it wrote.
// Database and journal files pass straight through.
struct wal_file {
  sqlite3_file base;       // our methods
  sqlite3_file* real;      // the default VFS's file, allocated right after this struct
  std::vector<char>* buf;  // WAL files only
  sqlite3_int64 buf_off;   // file offset of buf[0]
  bool commit_pending;     // the last write was a commit frame's header
};

sqlite3_vfs* real_vfs(sqlite3_vfs* v) { return static_cast<sqlite3_vfs*>(v->pAppData); }
wal_file* wf(sqlite3_file* f) { return reinterpret_cast<wal_file*>(f); }
sqlite3_file* rf(sqlite3_file* f) { return wf(f)->real; }

// The unix VFS writes at most 0x1ffff bytes per xWrite (seekAndWriteFd masks the length), so
// what is gathered goes out in pieces of 64 KiB.
constexpr std::size_t wal_write_piece = std::size_t{1} << 16;

int wal_flush(wal_file* f) {
  if (!f->buf || f->buf->empty()) return SQLITE_OK;
  int rc = SQLITE_OK;
  for (std::size_t at = 0; at < f->buf->size() && rc == SQLITE_OK; at += wal_write_piece) {
    const std::size_t n = std::min(wal_write_piece, f->buf->size() - at);
    rc = f->real->pMethods->xWrite(f->real, f->buf->data() + at, static_cast<int>(n),
                                   f->buf_off + static_cast<sqlite3_int64>(at));
  }
  f->buf->clear();
  f->commit_pending = false;
  return rc;
}

constexpr std::size_t wal_frame_header = 24;
constexpr std::size_t wal_buffer_max = std::size_t{1} << 20;

int x_close(sqlite3_file* f) {
  const int frc = wal_flush(wf(f));
  delete wf(f)->buf;
  wf(f)->buf = nullptr;
  const int rc = rf(f)->pMethods->xClose(rf(f));
  return frc != SQLITE_OK ? frc : rc;
}
int x_read(sqlite3_file* f, void* p, int n, sqlite3_int64 off) {
  if (int rc = wal_flush(wf(f)); rc != SQLITE_OK) return rc;
  return rf(f)->pMethods->xRead(rf(f), p, n, off);
}
int x_write(sqlite3_file* f, const void* p, int n, sqlite3_int64 off) {
  wal_file* w = wf(f);
  if (!w->buf) return w->real->pMethods->xWrite(w->real, p, n, off);
  if (!w->buf->empty() && off != w->buf_off + static_cast<sqlite3_int64>(w->buf->size()))
    if (int rc = wal_flush(w); rc != SQLITE_OK) return rc;
  if (w->buf->empty()) w->buf_off = off;
  const auto* c = static_cast<const char*>(p);
  try {
    w->buf->insert(w->buf->end(), c, c + n);
  } catch (...) {  // no memory to gather: write through, in order
    if (int rc = wal_flush(w); rc != SQLITE_OK) return rc;
    return w->real->pMethods->xWrite(w->real, p, n, off);
  }
  if (static_cast<std::size_t>(n) == wal_frame_header) {
    // A frame header: bytes 4..7 hold the database size after a commit, 0 in other frames.
    w->commit_pending = (c[4] | c[5] | c[6] | c[7]) != 0;
    return SQLITE_OK;
  }
  if (w->commit_pending || w->buf->size() >= wal_buffer_max) return wal_flush(w);
  return SQLITE_OK;
}
int x_truncate(sqlite3_file* f, sqlite3_int64 size) {
  if (int rc = wal_flush(wf(f)); rc != SQLITE_OK) return rc;
  return rf(f)->pMethods->xTruncate(rf(f), size);
}
int x_sync(sqlite3_file* f, int flags) {
  if (int rc = wal_flush(wf(f)); rc != SQLITE_OK) return rc;
  return rf(f)->pMethods->xSync(rf(f), flags);
}
int x_file_size(sqlite3_file* f, sqlite3_int64* size) {
  if (int rc = wal_flush(wf(f)); rc != SQLITE_OK) return rc;
  return rf(f)->pMethods->xFileSize(rf(f), size);
}
int x_lock(sqlite3_file* f, int l) { return rf(f)->pMethods->xLock(rf(f), l); }
int x_unlock(sqlite3_file* f, int l) { return rf(f)->pMethods->xUnlock(rf(f), l); }
int x_check_reserved(sqlite3_file* f, int* out) {
  return rf(f)->pMethods->xCheckReservedLock(rf(f), out);
}
int x_file_control(sqlite3_file* f, int op, void* arg) {
  if (int rc = wal_flush(wf(f)); rc != SQLITE_OK) return rc;
  return rf(f)->pMethods->xFileControl(rf(f), op, arg);
}
int x_sector_size(sqlite3_file* f) { return rf(f)->pMethods->xSectorSize(rf(f)); }
int x_device_chars(sqlite3_file* f) { return rf(f)->pMethods->xDeviceCharacteristics(rf(f)); }
int x_shm_map(sqlite3_file* f, int pg, int sz, int extend, void volatile** pp) {
  return rf(f)->pMethods->xShmMap(rf(f), pg, sz, extend, pp);
}
int x_shm_lock(sqlite3_file* f, int off, int n, int flags) {
  return rf(f)->pMethods->xShmLock(rf(f), off, n, flags);
}
void x_shm_barrier(sqlite3_file* f) { rf(f)->pMethods->xShmBarrier(rf(f)); }
int x_shm_unmap(sqlite3_file* f, int del) { return rf(f)->pMethods->xShmUnmap(rf(f), del); }
int x_fetch(sqlite3_file* f, sqlite3_int64 off, int n, void** pp) {
  if (int rc = wal_flush(wf(f)); rc != SQLITE_OK) return rc;
  return rf(f)->pMethods->xFetch(rf(f), off, n, pp);
}
int x_unfetch(sqlite3_file* f, sqlite3_int64 off, void* p) {
  return rf(f)->pMethods->xUnfetch(rf(f), off, p);
}

const sqlite3_io_methods wal_methods = {3,
                                        x_close,
                                        x_read,
                                        x_write,
                                        x_truncate,
                                        x_sync,
                                        x_file_size,
                                        x_lock,
                                        x_unlock,
                                        x_check_reserved,
                                        x_file_control,
                                        x_sector_size,
                                        x_device_chars,
                                        x_shm_map,
                                        x_shm_lock,
                                        x_shm_barrier,
                                        x_shm_unmap,
                                        x_fetch,
                                        x_unfetch};

int x_open(sqlite3_vfs* v, const char* name, sqlite3_file* f, int flags, int* out_flags) {
  wal_file* w = wf(f);
  w->base.pMethods = nullptr;
  w->real = reinterpret_cast<sqlite3_file*>(w + 1);
  w->buf = nullptr;
  w->buf_off = 0;
  w->commit_pending = false;
  sqlite3_vfs* r = real_vfs(v);
  const int rc = r->xOpen(r, name, w->real, flags, out_flags);
  if (rc != SQLITE_OK) return rc;
  if (w->real->pMethods->iVersion <
      3) {  // the default unix VFS is version 3; anything else: no wrapper
    w->real->pMethods->xClose(w->real);
    return SQLITE_CANTOPEN;
  }
  if (flags & SQLITE_OPEN_WAL) w->buf = new (std::nothrow) std::vector<char>();
  w->base.pMethods = &wal_methods;
  return SQLITE_OK;
}

// The VFS name veil_wal_vfs() registers (not as the default); nullptr when it could not.
const char* veil_wal_vfs() {
  static sqlite3_vfs vfs;
  static const char* name = []() -> const char* {
    sqlite3_vfs* real = sqlite3_vfs_find(nullptr);
    if (!real || real->iVersion < 3 || real->szOsFile <= 0) return nullptr;
    vfs = *real;
    vfs.zName = "veil-walbuf";
    vfs.szOsFile = static_cast<int>(sizeof(wal_file)) + real->szOsFile;
    vfs.pAppData = real;
    vfs.pNext = nullptr;
    vfs.xOpen = x_open;
    vfs.xDelete = [](sqlite3_vfs* v, const char* z, int sync) {
      return real_vfs(v)->xDelete(real_vfs(v), z, sync);
    };
    vfs.xAccess = [](sqlite3_vfs* v, const char* z, int fl, int* out) {
      return real_vfs(v)->xAccess(real_vfs(v), z, fl, out);
    };
    vfs.xFullPathname = [](sqlite3_vfs* v, const char* z, int n, char* out) {
      return real_vfs(v)->xFullPathname(real_vfs(v), z, n, out);
    };
    vfs.xDlOpen = [](sqlite3_vfs* v, const char* z) {
      return real_vfs(v)->xDlOpen(real_vfs(v), z);
    };
    vfs.xDlError = [](sqlite3_vfs* v, int n, char* z) { real_vfs(v)->xDlError(real_vfs(v), n, z); };
    vfs.xDlSym = [](sqlite3_vfs* v, void* h, const char* z) {
      return real_vfs(v)->xDlSym(real_vfs(v), h, z);
    };
    vfs.xDlClose = [](sqlite3_vfs* v, void* h) { real_vfs(v)->xDlClose(real_vfs(v), h); };
    vfs.xRandomness = [](sqlite3_vfs* v, int n, char* z) {
      return real_vfs(v)->xRandomness(real_vfs(v), n, z);
    };
    vfs.xSleep = [](sqlite3_vfs* v, int us) { return real_vfs(v)->xSleep(real_vfs(v), us); };
    vfs.xCurrentTime = [](sqlite3_vfs* v, double* t) {
      return real_vfs(v)->xCurrentTime(real_vfs(v), t);
    };
    vfs.xGetLastError = [](sqlite3_vfs* v, int n, char* z) {
      return real_vfs(v)->xGetLastError(real_vfs(v), n, z);
    };
    vfs.xCurrentTimeInt64 = [](sqlite3_vfs* v, sqlite3_int64* t) {
      return real_vfs(v)->xCurrentTimeInt64(real_vfs(v), t);
    };
    vfs.xSetSystemCall = nullptr;  // testing hooks of the unix VFS: not offered through the wrapper
    vfs.xGetSystemCall = nullptr;
    vfs.xNextSystemCall = nullptr;
    if (sqlite3_vfs_register(&vfs, 0) != SQLITE_OK) return nullptr;
    return vfs.zName;
  }();
  return name;
}

struct stmt_deleter {
  void operator()(sqlite3_stmt* s) const noexcept { sqlite3_finalize(s); }
};
using stmt_ptr = std::unique_ptr<sqlite3_stmt, stmt_deleter>;

std::int64_t unix_s(sys_time t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}
sys_time from_unix_s(std::int64_t s) { return sys_time(std::chrono::seconds(s)); }

class sqlite_sink final : public sink {
 public:
  ~sqlite_sink() override {
    if (checkpointer_.joinable()) {
      {
        std::lock_guard lk(ckpt_mu_);
        ckpt_stop_ = true;
      }
      ckpt_cv_.notify_all();
      checkpointer_.join();
    }
    if (ckpt_db_) sqlite3_close(ckpt_db_);
    ins_event_.reset();
    ins_batch_.reset();
    ins_quar_.reset();
    ins_metric_.reset();
    ins_metric_batch_.reset();
    sel_binding_.reset();
    ins_binding_.reset();
    upd_seen_.reset();
    begin_.reset();
    commit_.reset();
    rollback_.reset();
    if (db_) sqlite3_close(db_);
  }

  veil::result<void> open(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        veil_wal_vfs()) != SQLITE_OK)
      return fail("open " + path);
    sqlite3_busy_timeout(db_, 5000);
    if (auto r =
            exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-8192;");
        !r)
      return r;
    if (auto r = exec(schema_sql); !r) return r;
    if (auto r =
            prepare("INSERT INTO events(batch_key,received_at,install,day,ts,type,category,attrs) "
                    "VALUES(?,?,?,?,?,?,?,?)",
                    ins_event_);
        !r)
      return r;
    if (auto r =
            prepare("INSERT OR IGNORE INTO batches(key,received_at,n) VALUES(?,?,?)", ins_batch_);
        !r)
      return r;
    if (auto r = prepare(
            "INSERT INTO quarantine(received_at,batch_key,type,reason) VALUES(?,?,?,?)", ins_quar_);
        !r)
      return r;
    if (auto r =
            prepare("SELECT public_key, erased_at FROM install_keys WHERE install=?", sel_binding_);
        !r)
      return r;
    if (auto r = prepare(
            "INSERT INTO install_keys(install,public_key,first_seen,last_seen) VALUES(?1,?2,?3,?3)",
            ins_binding_);
        !r)
      return r;
    if (auto r = prepare("UPDATE install_keys SET last_seen=MAX(last_seen,?1) WHERE install=?2",
                         upd_seen_);
        !r)
      return r;
    if (auto r = prepare(
            "INSERT INTO metrics(batch_key,received_at,day,window_start,window_end,name,kind,unit,"
            "temporality,monotonic,attrs,resource,count,sum,min,max,bounds,bucket_counts) "
            "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            ins_metric_);
        !r)
      return r;
    if (auto r = prepare("INSERT OR IGNORE INTO metric_batches(key,received_at,n) VALUES(?,?,?)",
                         ins_metric_batch_);
        !r)
      return r;
    // Prepared once like the inserts: sqlite3_exec would compile these three on every request.
    if (auto r = prepare("BEGIN IMMEDIATE", begin_); !r) return r;
    if (auto r = prepare("COMMIT", commit_); !r) return r;
    if (auto r = prepare("ROLLBACK", rollback_); !r) return r;
    // Checkpoints (copying the WAL into the database, with an fsync of each) run on a second
    // connection in a thread of their own, so a commit never waits for one under mu_. The WAL
    // hook replaces SQLite's automatic checkpoint and asks for one at the same size (1000 pages).
    if (sqlite3_open_v2(path.c_str(), &ckpt_db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                        nullptr) != SQLITE_OK)
      return fail("open " + path + " for checkpoints");
    sqlite3_busy_timeout(ckpt_db_, 5000);
    if (sqlite3_exec(ckpt_db_, "PRAGMA synchronous=NORMAL", nullptr, nullptr, nullptr) != SQLITE_OK)
      return fail("checkpoint connection");
    sqlite3_wal_hook(db_, &sqlite_sink::on_commit, this);
    checkpointer_ = std::thread([this] { checkpoint_loop(); });
    return {};
  }

  using sink::write_batch;
  veil::result<write_outcome> write_batch(std::string_view key,
                                          const std::vector<cleaned_record>& records,
                                          const std::vector<quarantined_record>& quarantined,
                                          sys_time received_at,
                                          const batch_origin& origin) override {
    std::lock_guard lk(mu_);
    if (auto r = run(begin_, "sqlite exec: "); !r) return std::move(r).err();
    auto rollback = [&](veil::error e) -> veil::result<write_outcome> {
      (void)run(rollback_, "sqlite exec: ");
      return e;
    };
    auto refuse = [&](write_outcome o) -> veil::result<write_outcome> {
      (void)run(rollback_, "sqlite exec: ");
      return o;
    };
    const auto now = unix_s(received_at);
    if (!origin.install.empty()) {
      // The binding first (in the batch's transaction): a tombstone or another key refuses the
      // whole batch; a first key binds the install; a known one moves last_seen.
      auto* s = sel_binding_.get();
      sqlite3_reset(s);
      sqlite3_bind_text(s, 1, origin.install.data(), static_cast<int>(origin.install.size()),
                        SQLITE_STATIC);
      const int rc = sqlite3_step(s);
      if (rc == SQLITE_ROW) {
        const bool erased = sqlite3_column_type(s, 1) != SQLITE_NULL;
        const auto* pk = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
        const bool same = origin.erasure_key.empty() || (pk && origin.erasure_key == pk);
        sqlite3_reset(s);
        if (erased) return refuse(write_outcome::install_erased);
        if (!same) return refuse(write_outcome::key_mismatch);
        auto* u = upd_seen_.get();
        sqlite3_reset(u);
        sqlite3_bind_int64(u, 1, now);
        sqlite3_bind_text(u, 2, origin.install.data(), static_cast<int>(origin.install.size()),
                          SQLITE_STATIC);
        if (sqlite3_step(u) != SQLITE_DONE) return rollback(err("update binding"));
      } else if (rc == SQLITE_DONE) {
        sqlite3_reset(s);
        if (!origin.erasure_key.empty()) {
          auto* b = ins_binding_.get();
          sqlite3_reset(b);
          sqlite3_bind_text(b, 1, origin.install.data(), static_cast<int>(origin.install.size()),
                            SQLITE_STATIC);
          sqlite3_bind_text(b, 2, origin.erasure_key.data(),
                            static_cast<int>(origin.erasure_key.size()), SQLITE_STATIC);
          sqlite3_bind_int64(b, 3, now);
          if (sqlite3_step(b) != SQLITE_DONE) return rollback(err("insert binding"));
        }
      } else {
        sqlite3_reset(s);
        return rollback(err("read binding"));
      }
    }
    if (!key.empty()) {
      auto* s = ins_batch_.get();
      sqlite3_reset(s);
      sqlite3_bind_text(s, 1, key.data(), static_cast<int>(key.size()), SQLITE_TRANSIENT);
      sqlite3_bind_int64(s, 2, now);
      sqlite3_bind_int64(s, 3, static_cast<std::int64_t>(records.size()));
      if (sqlite3_step(s) != SQLITE_DONE) return rollback(err("insert batch"));
      if (sqlite3_changes(db_) == 0) {
        (void)run(rollback_, "sqlite exec: ");
        return write_outcome::duplicate;
      }
    }
    for (const auto& r : records) {
      auto* s = ins_event_.get();
      sqlite3_reset(s);
      const std::string day = day_of(r.ts, received_at);
      const std::string_view attrs =
          r.attrs.is_object() ? std::string_view(r.attrs.text()) : std::string_view("{}");
      // SQLITE_STATIC: every bound string outlives the sqlite3_step below.
      sqlite3_bind_text(s, 1, key.data(), static_cast<int>(key.size()), SQLITE_STATIC);
      sqlite3_bind_int64(s, 2, now);
      sqlite3_bind_text(s, 3, r.install.data(), static_cast<int>(r.install.size()), SQLITE_STATIC);
      sqlite3_bind_text(s, 4, day.data(), static_cast<int>(day.size()), SQLITE_STATIC);
      sqlite3_bind_text(s, 5, r.ts.data(), static_cast<int>(r.ts.size()), SQLITE_STATIC);
      sqlite3_bind_text(s, 6, r.type.data(), static_cast<int>(r.type.size()), SQLITE_STATIC);
      sqlite3_bind_text(s, 7, r.category.data(), static_cast<int>(r.category.size()),
                        SQLITE_STATIC);
      sqlite3_bind_text(s, 8, attrs.data(), static_cast<int>(attrs.size()), SQLITE_STATIC);
      if (sqlite3_step(s) != SQLITE_DONE) return rollback(err("insert event"));
    }
    for (const auto& q : quarantined) {
      auto* s = ins_quar_.get();
      sqlite3_reset(s);
      sqlite3_bind_int64(s, 1, now);
      sqlite3_bind_text(s, 2, key.data(), static_cast<int>(key.size()), SQLITE_TRANSIENT);
      sqlite3_bind_text(s, 3, q.type.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(s, 4, q.reason.c_str(), -1, SQLITE_TRANSIENT);
      if (sqlite3_step(s) != SQLITE_DONE) return rollback(err("insert quarantine"));
    }
    if (auto r = run(commit_, "sqlite exec: "); !r) return rollback(std::move(r).err());
    return write_outcome::stored;
  }

  veil::result<std::map<std::string, install_binding>> bindings(
      const std::vector<std::string>& installs) override {
    std::lock_guard lk(mu_);
    std::map<std::string, install_binding> out;
    stmt_ptr st;
    if (auto r = prepare(
            "SELECT public_key, first_seen, last_seen, erased_at FROM install_keys WHERE install=?",
            st);
        !r)
      return std::move(r).err();
    for (const auto& i : installs) {
      sqlite3_reset(st.get());
      sqlite3_bind_text(st.get(), 1, i.data(), static_cast<int>(i.size()), SQLITE_TRANSIENT);
      const int rc = sqlite3_step(st.get());
      if (rc == SQLITE_DONE) continue;
      if (rc != SQLITE_ROW) return err("read bindings");
      install_binding b;
      b.public_key = reinterpret_cast<const char*>(sqlite3_column_text(st.get(), 0));
      b.first_seen = from_unix_s(sqlite3_column_int64(st.get(), 1));
      b.last_seen = from_unix_s(sqlite3_column_int64(st.get(), 2));
      if (sqlite3_column_type(st.get(), 3) != SQLITE_NULL)
        b.erased_at = from_unix_s(sqlite3_column_int64(st.get(), 3));
      out.emplace(i, std::move(b));
    }
    return out;
  }

  veil::result<std::map<std::string, std::uint64_t>> install_row_counts(
      const std::vector<std::string>& installs) override {
    std::lock_guard lk(mu_);
    std::map<std::string, std::uint64_t> out;
    stmt_ptr st;
    if (auto r = prepare("SELECT COUNT(*) FROM events WHERE install=?", st); !r)
      return std::move(r).err();
    for (const auto& i : installs) {
      if (i.empty()) continue;
      sqlite3_reset(st.get());
      sqlite3_bind_text(st.get(), 1, i.data(), static_cast<int>(i.size()), SQLITE_TRANSIENT);
      if (sqlite3_step(st.get()) != SQLITE_ROW) return err("count install rows");
      if (auto n = sqlite3_column_int64(st.get(), 0); n > 0) out[i] = static_cast<std::uint64_t>(n);
    }
    return out;
  }

  veil::result<erasure_counts> erase_installs(const std::vector<std::string>& installs,
                                              sys_time at) override {
    std::lock_guard lk(mu_);
    if (auto r = exec("BEGIN IMMEDIATE"); !r) return std::move(r).err();
    auto rollback = [&](veil::error e) -> veil::result<erasure_counts> {
      (void)exec("ROLLBACK");
      return e;
    };
    // Counted and deleted in one transaction under the sink lock, served by events_install:
    // the receipt's numbers are exactly the rows deleted.
    stmt_ptr cnt, del, tomb;
    if (auto r =
            prepare("SELECT category, COUNT(*) FROM events WHERE install=? GROUP BY category", cnt);
        !r)
      return rollback(std::move(r).err());
    if (auto r = prepare("DELETE FROM events WHERE install=?", del); !r)
      return rollback(std::move(r).err());
    if (auto r = prepare(
            "UPDATE install_keys SET erased_at=?1, last_seen=MAX(last_seen,?1) WHERE install=?2 "
            "AND erased_at IS NULL",
            tomb);
        !r)
      return rollback(std::move(r).err());
    erasure_counts c;
    const auto when = unix_s(at);
    for (const auto& i : installs) {
      if (i.empty()) continue;
      sqlite3_bind_text(cnt.get(), 1, i.data(), static_cast<int>(i.size()), SQLITE_TRANSIENT);
      int rc;
      while ((rc = sqlite3_step(cnt.get())) == SQLITE_ROW) {
        const auto n = static_cast<std::uint64_t>(sqlite3_column_int64(cnt.get(), 1));
        c.by_category[reinterpret_cast<const char*>(sqlite3_column_text(cnt.get(), 0))] += n;
        c.total += n;
      }
      sqlite3_reset(cnt.get());
      if (rc != SQLITE_DONE) return rollback(err("erase: count"));
      sqlite3_reset(del.get());
      sqlite3_bind_text(del.get(), 1, i.data(), static_cast<int>(i.size()), SQLITE_TRANSIENT);
      if (sqlite3_step(del.get()) != SQLITE_DONE) return rollback(err("erase: delete"));
      sqlite3_reset(tomb.get());
      sqlite3_bind_int64(tomb.get(), 1, when);
      sqlite3_bind_text(tomb.get(), 2, i.data(), static_cast<int>(i.size()), SQLITE_TRANSIENT);
      if (sqlite3_step(tomb.get()) != SQLITE_DONE) return rollback(err("erase: tombstone"));
    }
    if (auto r = exec("COMMIT"); !r) return rollback(std::move(r).err());
    return c;
  }

  veil::result<std::vector<subject_row>> install_rows(std::string_view install,
                                                      std::uint64_t offset,
                                                      std::size_t limit) override {
    std::lock_guard lk(mu_);
    std::vector<subject_row> out;
    if (install.empty()) return out;
    stmt_ptr st;
    if (auto r =
            prepare("SELECT batch_key, ts, day, type, category, attrs FROM events WHERE install=? "
                    "ORDER BY id LIMIT ? OFFSET ?",
                    st);
        !r)
      return std::move(r).err();
    sqlite3_bind_text(st.get(), 1, install.data(), static_cast<int>(install.size()),
                      SQLITE_TRANSIENT);
    sqlite3_bind_int64(st.get(), 2, static_cast<std::int64_t>(limit));
    sqlite3_bind_int64(st.get(), 3,
                       static_cast<std::int64_t>(std::min<std::uint64_t>(
                           offset, std::numeric_limits<std::int64_t>::max())));
    int rc;
    auto col = [&](int i) {
      auto* t = sqlite3_column_text(st.get(), i);
      return std::string(t ? reinterpret_cast<const char*>(t) : "");
    };
    while ((rc = sqlite3_step(st.get())) == SQLITE_ROW)
      out.push_back({col(0), col(1), col(2), col(3), col(4), col(5)});
    if (rc != SQLITE_DONE) return err("install rows");
    return out;
  }

  veil::result<std::uint64_t> expire(sys_time older_than) override {
    std::lock_guard lk(mu_);
    std::string cutoff = day_string(older_than);
    // Whole days, like ClickHouse partitions: midnight UTC of the cutoff day.
    auto day_start = unix_s(older_than);
    day_start -= day_start % 86400;
    if (auto r = exec("BEGIN IMMEDIATE"); !r) return std::move(r).err();
    stmt_ptr del;
    std::uint64_t n = 0;
    auto run = [&](const char* sql, bool text) -> bool {
      if (!prepare(sql, del)) return false;
      if (text) sqlite3_bind_text(del.get(), 1, cutoff.c_str(), -1, SQLITE_TRANSIENT);
      else sqlite3_bind_int64(del.get(), 1, day_start);
      return sqlite3_step(del.get()) == SQLITE_DONE;
    };
    // No index on (day) alone (it cost every insert): walk the distinct types through the
    // (type, day) index, one seek each, and delete each type's old range through the same index.
    if (!run("WITH RECURSIVE types(t) AS (SELECT (SELECT MIN(type) FROM events) UNION ALL "
             "SELECT (SELECT MIN(type) FROM events WHERE type > t) FROM types WHERE t IS NOT NULL) "
             "DELETE FROM events WHERE type IN (SELECT t FROM types WHERE t IS NOT NULL) AND day < "
             "?",
             true)) {
      auto e = err("expire events");
      (void)exec("ROLLBACK");
      return e;
    }
    n = static_cast<std::uint64_t>(sqlite3_changes(db_));
    // Bindings and tombstones go with the last rows they could concern (last_seen is moved to
    // the erasure time when a token is erased).
    if (!run("DELETE FROM metrics WHERE day < ?", true) ||
        !run("DELETE FROM metric_batches WHERE received_at < ?", false) ||
        !run("DELETE FROM quarantine WHERE received_at < ?", false) ||
        !run("DELETE FROM batches WHERE received_at < ?", false) ||
        !run("DELETE FROM install_keys WHERE last_seen < ?", false)) {
      auto e = err("expire quarantine");
      (void)exec("ROLLBACK");
      return e;
    }
    if (auto r = exec("COMMIT"); !r) return std::move(r).err();
    return n;
  }

  veil::result<std::vector<aggregate_row>> aggregate(const aggregate_query& q) override {
    std::string sel, group;
    for (std::size_t i = 0; i < q.group_by.size(); ++i) {
      const auto& f = q.group_by[i];
      if (!valid_field(f))
        return veil::make_error(veil::errc::invalid_argument, "aggregate: bad field " + f);
      std::string expr;
      if (f.starts_with("attrs.")) {
        std::string path = "'$." + f.substr(6) + "'";
        expr = "CASE json_type(attrs," + path +
               ") WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' ELSE "
               "COALESCE(CAST(json_extract(attrs," +
               path + ") AS TEXT),'') END";
      } else if (f == "hour") {
        expr = "substr(ts,1,13)";
      } else {
        expr = f;
      }
      sel += expr + ", ";
      group += (group.empty() ? "" : ", ") + std::to_string(i + 1);
    }
    sel += "COUNT(*), COUNT(DISTINCT NULLIF(install,''))";
    for (const auto& a : q.averages) {
      if (!valid_field("attrs." + a))
        return veil::make_error(veil::errc::invalid_argument, "aggregate: bad field " + a);
      std::string path = "'$." + a + "'";
      sel += ", AVG(CASE WHEN json_type(attrs," + path +
             ") IN ('integer','real') THEN json_extract(attrs," + path + ") END)";
    }
    std::string sql = "SELECT " + sel + " FROM events";
    if (!q.type.empty()) sql += " WHERE type = ?";
    if (!group.empty()) sql += " GROUP BY " + group;
    std::lock_guard lk(mu_);
    stmt_ptr st;
    if (auto r = prepare(sql.c_str(), st); !r) return std::move(r).err();
    if (!q.type.empty()) sqlite3_bind_text(st.get(), 1, q.type.c_str(), -1, SQLITE_TRANSIENT);
    std::vector<aggregate_row> out;
    int rc;
    const int ng = static_cast<int>(q.group_by.size());
    while ((rc = sqlite3_step(st.get())) == SQLITE_ROW) {
      aggregate_row row;
      for (int i = 0; i < ng; ++i) {
        auto* t = sqlite3_column_text(st.get(), i);
        row.keys.emplace_back(t ? reinterpret_cast<const char*>(t) : "");
      }
      row.events = static_cast<std::uint64_t>(sqlite3_column_int64(st.get(), ng));
      row.installs = static_cast<std::uint64_t>(sqlite3_column_int64(st.get(), ng + 1));
      for (int i = 0; i < static_cast<int>(q.averages.size()); ++i) {
        int c = ng + 2 + i;
        row.averages.push_back(sqlite3_column_type(st.get(), c) == SQLITE_NULL
                                   ? std::nullopt
                                   : std::optional<double>(sqlite3_column_double(st.get(), c)));
      }
      if (row.events > 0)
        out.push_back(std::move(row));  // no GROUP BY over an empty table yields one 0 row
    }
    if (rc != SQLITE_DONE) return err("aggregate");
    return out;
  }

  veil::result<write_outcome> write_metrics(std::string_view key,
                                            const std::vector<metric_point>& points,
                                            const std::vector<quarantined_record>& quarantined,
                                            sys_time received_at) override {
    std::lock_guard lk(mu_);
    if (auto r = run(begin_, "sqlite exec: "); !r) return std::move(r).err();
    auto rollback = [&](veil::error e) -> veil::result<write_outcome> {
      (void)run(rollback_, "sqlite exec: ");
      return e;
    };
    const auto now = unix_s(received_at);
    if (!key.empty()) {
      auto* s = ins_metric_batch_.get();
      sqlite3_reset(s);
      sqlite3_bind_text(s, 1, key.data(), static_cast<int>(key.size()), SQLITE_TRANSIENT);
      sqlite3_bind_int64(s, 2, now);
      sqlite3_bind_int64(s, 3, static_cast<std::int64_t>(points.size()));
      if (sqlite3_step(s) != SQLITE_DONE) return rollback(err("insert metric batch"));
      if (sqlite3_changes(db_) == 0) {
        (void)run(rollback_, "sqlite exec: ");
        return write_outcome::duplicate;
      }
    }
    const std::string day = day_string(received_at);
    for (const auto& p : points) {
      auto* s = ins_metric_.get();
      sqlite3_reset(s);
      const std::string bounds = nlohmann::json(p.bounds).dump();
      const std::string buckets = nlohmann::json(p.bucket_counts).dump();
      const std::string_view kind = metric_kind_name(p.kind);
      auto text = [&](int i, std::string_view v) {
        sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
      };
      auto real = [&](int i, const std::optional<double>& v) {
        if (v) sqlite3_bind_double(s, i, *v);
        else sqlite3_bind_null(s, i);
      };
      text(1, key);
      sqlite3_bind_int64(s, 2, now);
      text(3, day);
      sqlite3_bind_int64(s, 4, p.window_start_s);
      sqlite3_bind_int64(s, 5, p.window_end_s);
      text(6, p.name);
      text(7, kind);
      text(8, p.unit);
      sqlite3_bind_int64(s, 9, p.temporality);
      sqlite3_bind_int64(s, 10, p.monotonic ? 1 : 0);
      text(11, p.attrs);
      text(12, p.resource_json());
      sqlite3_bind_int64(s, 13, static_cast<std::int64_t>(p.count));
      real(14, p.sum);
      real(15, p.min);
      real(16, p.max);
      text(17, bounds);
      text(18, buckets);
      if (sqlite3_step(s) != SQLITE_DONE) return rollback(err("insert metric"));
    }
    for (const auto& q : quarantined) {
      auto* s = ins_quar_.get();
      sqlite3_reset(s);
      sqlite3_bind_int64(s, 1, now);
      sqlite3_bind_text(s, 2, key.data(), static_cast<int>(key.size()), SQLITE_TRANSIENT);
      sqlite3_bind_text(s, 3, q.type.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(s, 4, q.reason.c_str(), -1, SQLITE_TRANSIENT);
      if (sqlite3_step(s) != SQLITE_DONE) return rollback(err("insert quarantine"));
    }
    if (auto r = run(commit_, "sqlite exec: "); !r) return rollback(std::move(r).err());
    return write_outcome::stored;
  }

  // Streams the metric's rows through metric_grouper: memory grows with the cells only.
  veil::result<std::vector<metric_cell>> aggregate_metrics(const metric_query& q) override {
    for (const auto& f : q.group_by)
      if (!valid_metric_attribute(f))
        return veil::make_error(veil::errc::invalid_argument, "aggregate_metrics: bad name " + f);
    std::lock_guard lk(mu_);
    stmt_ptr st;
    if (auto r = prepare(
            "SELECT window_start, kind, unit, attrs, count, sum, min, max, bounds, bucket_counts, "
            "window_end FROM metrics WHERE name = ?",
            st);
        !r)
      return std::move(r).err();
    sqlite3_bind_text(st.get(), 1, q.name.data(), static_cast<int>(q.name.size()),
                      SQLITE_TRANSIENT);
    metric_grouper g(q);
    auto col = [&](int i) {
      auto* t = sqlite3_column_text(st.get(), i);
      return std::string(t ? reinterpret_cast<const char*>(t) : "");
    };
    auto real = [&](int i) {
      return sqlite3_column_type(st.get(), i) == SQLITE_NULL
                 ? std::nullopt
                 : std::optional<double>(sqlite3_column_double(st.get(), i));
    };
    int rc;
    while ((rc = sqlite3_step(st.get())) == SQLITE_ROW) {
      metric_point p;
      p.name = q.name;
      p.window_start_s = sqlite3_column_int64(st.get(), 0);
      p.window_end_s = sqlite3_column_int64(st.get(), 10);
      const std::string kind = col(1);
      p.kind = kind == "histogram" ? metric_kind::histogram
               : kind == "gauge"   ? metric_kind::gauge
                                   : metric_kind::sum;
      p.unit = col(2);
      p.attrs = col(3);
      p.count = static_cast<std::uint64_t>(sqlite3_column_int64(st.get(), 4));
      p.sum = real(5);
      p.min = real(6);
      p.max = real(7);
      const auto bounds = nlohmann::json::parse(col(8), nullptr, false);
      const auto buckets = nlohmann::json::parse(col(9), nullptr, false);
      if (!bounds.is_array() || !buckets.is_array())
        return veil::make_error(veil::errc::corrupt, "sqlite: a metric row's bounds or buckets");
      for (const auto& b : bounds)
        if (b.is_number()) p.bounds.push_back(b.get<double>());
      for (const auto& b : buckets)
        if (b.is_number_unsigned()) p.bucket_counts.push_back(b.get<std::uint64_t>());
      g.add(p);
    }
    if (rc != SQLITE_DONE) return err("aggregate metrics");
    return std::move(g).cells();
  }

  veil::result<std::vector<std::string>> metric_names() override {
    std::lock_guard lk(mu_);
    stmt_ptr st;
    if (auto r = prepare("SELECT DISTINCT name FROM metrics ORDER BY name", st); !r)
      return std::move(r).err();
    std::vector<std::string> out;
    int rc;
    while ((rc = sqlite3_step(st.get())) == SQLITE_ROW)
      out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st.get(), 0)));
    if (rc != SQLITE_DONE) return err("metric names");
    return out;
  }

  veil::result<std::vector<std::string>> metric_attribute_keys(std::string_view name) override {
    std::lock_guard lk(mu_);
    stmt_ptr st;
    if (auto r = prepare(
            "SELECT DISTINCT j.key FROM metrics, json_each(metrics.attrs) AS j WHERE name = ?", st);
        !r)
      return std::move(r).err();
    sqlite3_bind_text(st.get(), 1, name.data(), static_cast<int>(name.size()), SQLITE_TRANSIENT);
    std::vector<std::string> out;
    int rc;
    while ((rc = sqlite3_step(st.get())) == SQLITE_ROW) {
      auto* t = reinterpret_cast<const char*>(sqlite3_column_text(st.get(), 0));
      if (t && valid_metric_attribute(t)) out.emplace_back(t);
    }
    if (rc != SQLITE_DONE) return err("metric attribute keys");
    std::sort(out.begin(), out.end());
    return out;
  }

  veil::result<std::uint64_t> count_metric_points() override {
    return count("SELECT COUNT(*) FROM metrics");
  }

  veil::result<std::uint64_t> count_events() override {
    return count("SELECT COUNT(*) FROM events");
  }
  veil::result<std::uint64_t> count_quarantined() override {
    return count("SELECT COUNT(*) FROM quarantine");
  }

 private:
  // WAL size (pages) that asks for a checkpoint. Larger than SQLite's 1000: the hot pages
  // (index leaves, the table's right edge) are copied once per checkpoint however often they
  // changed, so fewer checkpoints write and fsync less per event; the WAL stays ~16 MiB.
  static constexpr int checkpoint_pages = 4000;
  static int on_commit(void* self, sqlite3*, const char*, int wal_pages) {
    if (wal_pages >= checkpoint_pages) {
      auto* me = static_cast<sqlite_sink*>(self);
      {
        std::lock_guard lk(me->ckpt_mu_);
        me->ckpt_due_ = true;
      }
      me->ckpt_cv_.notify_one();
    }
    return SQLITE_OK;
  }

  // PASSIVE: copies what no reader still needs and never blocks the writer; a checkpoint that
  // could not finish (busy) is simply retried on the next request.
  void checkpoint_loop() {
    std::unique_lock lk(ckpt_mu_);
    for (;;) {
      ckpt_cv_.wait(lk, [&] { return ckpt_stop_ || ckpt_due_; });
      if (ckpt_stop_) return;
      ckpt_due_ = false;
      lk.unlock();
      (void)sqlite3_wal_checkpoint_v2(ckpt_db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr,
                                      nullptr);
      lk.lock();
    }
  }

  veil::result<std::uint64_t> count(const char* sql) {
    std::lock_guard lk(mu_);
    stmt_ptr st;
    if (auto r = prepare(sql, st); !r) return std::move(r).err();
    if (sqlite3_step(st.get()) != SQLITE_ROW) return err("count");
    return static_cast<std::uint64_t>(sqlite3_column_int64(st.get(), 0));
  }
  veil::error err(const std::string& what) const {
    return veil::make_error(veil::errc::io_error,
                            "sqlite " + what + ": " + (db_ ? sqlite3_errmsg(db_) : "no db"));
  }
  veil::result<void> fail(const std::string& what) const { return err(what); }
  veil::result<void> exec(const char* sql) {
    char* msg = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &msg) != SQLITE_OK) {
      std::string m = msg ? msg : "?";
      sqlite3_free(msg);
      return veil::make_error(veil::errc::io_error, "sqlite exec: " + m);
    }
    return {};
  }
  // Runs a prepared statement without result rows; the error reads as exec()'s does.
  veil::result<void> run(const stmt_ptr& st, const char* what) {
    sqlite3_stmt* s = st.get();
    if (sqlite3_step(s) == SQLITE_DONE) {
      sqlite3_reset(s);
      return {};
    }
    auto e = veil::make_error(veil::errc::io_error, std::string(what) + sqlite3_errmsg(db_));
    sqlite3_reset(s);
    return e;
  }
  veil::result<void> prepare(const char* sql, stmt_ptr& out) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db_, sql, -1, &s, nullptr) != SQLITE_OK) return fail("prepare");
    out.reset(s);
    return {};
  }

  std::mutex mu_;  // db_ and its statements
  sqlite3* db_ = nullptr;
  sqlite3* ckpt_db_ = nullptr;  // used only by checkpointer_
  std::thread checkpointer_;
  std::mutex ckpt_mu_;
  std::condition_variable ckpt_cv_;
  bool ckpt_due_ = false, ckpt_stop_ = false;
  stmt_ptr ins_event_, ins_batch_, ins_quar_, begin_, commit_, rollback_;
  stmt_ptr sel_binding_, ins_binding_, upd_seen_, ins_metric_, ins_metric_batch_;
};

}  // namespace

veil::result<std::unique_ptr<sink>> open_sqlite_sink(const std::string& path) {
  auto s = std::make_unique<sqlite_sink>();
  if (auto r = s->open(path); !r) return std::move(r).err();
  return std::unique_ptr<sink>(std::move(s));
}

}  // namespace veil::collector
