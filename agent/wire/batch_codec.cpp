#include "agent/wire/batch_codec.hpp"

#include <algorithm>
#include <mutex>
#include <vector>

#include <zdict.h>
#include <zlib.h>
#define ZSTD_STATIC_LINKING_ONLY  // ZSTD_createCDict_advanced, ZSTD_getCParams (exported by
                                  // libzstd.so)
#include <zstd.h>

namespace veil::detail {
namespace {

constexpr int max_window_log = 23;

struct cctx_free {
  void operator()(ZSTD_CCtx* p) const noexcept { ZSTD_freeCCtx(p); }
};
struct dctx_free {
  void operator()(ZSTD_DCtx* p) const noexcept { ZSTD_freeDCtx(p); }
};
struct cdict_free {
  void operator()(ZSTD_CDict* p) const noexcept { ZSTD_freeCDict(p); }
};
struct ddict_free {
  void operator()(ZSTD_DDict* p) const noexcept { ZSTD_freeDDict(p); }
};

// Geometric growth, but the capacity never passes the cap (std::string's own doubling would
// reach twice the cap); a reallocation briefly holds old + new, at most 1.5 x cap.
// `admit` is asked for the new capacity before a reallocation (it briefly holds old + new, so
// that is what is asked for).
errc grow_within_cap(std::string& s, std::size_t size, std::size_t cap, const memory_admit* a) {
  if (size > s.capacity()) {
    const std::size_t next = std::min(cap, std::max(size, s.capacity() * 2));
    if (auto e = admit(a, next + s.capacity()); e != errc::ok) return e;
    s.reserve(next);
  }
  s.resize(size);
  return errc::ok;
}

error budget_error(const char* what, errc e) {
  return make_error(
      e, std::string(what) + (e == errc::unavailable ? ": memory budget busy, retry later"
                                                     : ": output does not fit the memory budget"));
}

error zerr(const char* what, std::size_t code) {
  return make_error(errc::corrupt, std::string(what) + ": " + ZSTD_getErrorName(code));
}

}  // namespace

struct batch_codec::impl {
  codec_options opts;
  std::unique_ptr<ZSTD_CDict, cdict_free> cdict;
  std::unique_ptr<ZSTD_DDict, ddict_free> ddict;
  std::uint32_t dict_id = 0;
  // One compression context, kept between calls: its workspace (~1.3 MiB at level 9 with the
  // dictionary) is allocated once instead of per batch, so glibc's dynamic mmap threshold is
  // not raised by a freed multi-MiB block. A concurrent caller gets a temporary context.
  std::mutex cctx_mu;
  std::unique_ptr<ZSTD_CCtx, cctx_free> cctx;
};

result<void> codec_options::validate() const {
  if (window_log < 10 || window_log > max_window_log)
    return make_error(errc::invalid_argument, "codec_options: window_log must be in [10, 23]");
  // Levels 20-22 use windows above 2^23 and a CDict supersedes ZSTD_c_windowLog, so cap at 19.
  if (level < 1 || level > 19)
    return make_error(errc::invalid_argument, "codec_options: zstd level must be in [1, 19]");
  if (max_output == 0)
    return make_error(errc::invalid_argument, "codec_options: max_output must be > 0");
  return {};
}

batch_codec::batch_codec(std::unique_ptr<impl> p) : impl_(std::move(p)) {}
batch_codec::batch_codec(batch_codec&&) noexcept = default;
batch_codec& batch_codec::operator=(batch_codec&&) noexcept = default;
batch_codec::~batch_codec() = default;

result<batch_codec> batch_codec::create(codec_options opts, std::string_view dictionary) {
  if (auto v = opts.validate(); !v) return std::move(v).err();
  auto p = std::make_unique<impl>();
  p->opts = opts;
  if (!dictionary.empty()) {
    // The table sizes are the level's for an input of unknown size with this dictionary (hash
    // 2^17, chain 2^16 at level 9), what ZSTD_createCDict(level) chooses. Created through the
    // advanced API, the CDict carries no level, and zstd then uses its tables for every input
    // size: with a level CDict, inputs from 384 KiB up (6 x the dictionary) switch to the
    // level's tables for that size (2^20 / 2^19 and more, 7-17 MiB of context per batch).
    const ZSTD_compressionParameters cp =
        ZSTD_getCParams(opts.level, ZSTD_CONTENTSIZE_UNKNOWN, dictionary.size());
    p->cdict.reset(ZSTD_createCDict_advanced(dictionary.data(), dictionary.size(), ZSTD_dlm_byCopy,
                                             ZSTD_dct_auto, cp, ZSTD_defaultCMem));
    p->ddict.reset(ZSTD_createDDict(dictionary.data(), dictionary.size()));
    if (!p->cdict || !p->ddict)
      return make_error(errc::invalid_argument, "zstd dictionary: cannot load");
    p->dict_id = ZSTD_getDictID_fromDict(dictionary.data(), dictionary.size());
  }
  return batch_codec(std::move(p));
}

std::uint32_t batch_codec::dict_id() const noexcept { return impl_->dict_id; }
const codec_options& batch_codec::options() const noexcept { return impl_->opts; }

result<std::string> batch_codec::compress(std::string_view data) const noexcept try {
  std::unique_lock lk(impl_->cctx_mu, std::try_to_lock);
  std::unique_ptr<ZSTD_CCtx, cctx_free> temp;
  ZSTD_CCtx* c = nullptr;
  if (lk.owns_lock()) {
    if (!impl_->cctx) impl_->cctx.reset(ZSTD_createCCtx());
    c = impl_->cctx.get();
  } else {
    temp.reset(ZSTD_createCCtx());
    c = temp.get();
  }
  if (!c) return make_error(errc::internal, "zstd: out of memory");
  // Every parameter is set again: a reused context keeps those of the previous call.
  ZSTD_CCtx_reset(c, ZSTD_reset_session_and_parameters);
  std::size_t rc = 0;
  // With a dictionary, the match finder's parameters (level 9's) come from the CDict.
  if (impl_->cdict) rc = ZSTD_CCtx_refCDict(c, impl_->cdict.get());
  else rc = ZSTD_CCtx_setParameter(c, ZSTD_c_compressionLevel, impl_->opts.level);
  if (ZSTD_isError(rc)) return zerr("zstd setup", rc);
  // After refCDict so the bound is not overridden by the dictionary's own parameters.
  rc = ZSTD_CCtx_setParameter(c, ZSTD_c_windowLog, impl_->opts.window_log);
  if (ZSTD_isError(rc)) return zerr("zstd windowLog", rc);
  ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, 1);
  ZSTD_CCtx_setPledgedSrcSize(c, data.size());
  std::string out(ZSTD_compressBound(data.size()), '\0');
  rc = ZSTD_compress2(c, out.data(), out.size(), data.data(), data.size());
  if (ZSTD_isError(rc)) return zerr("zstd compress", rc);
  out.resize(rc);
  out.shrink_to_fit();  // the bound is the input's size; the frame is a fraction of it
  return out;
} catch (const std::exception&) {
  return make_error(errc::internal, "zstd compress: out of memory");
}

result<std::string> batch_codec::decompress(std::string_view frame, std::size_t max_output,
                                            const memory_admit* admit_fn) const noexcept try {
  const std::size_t cap = std::min(max_output, impl_->opts.max_output);
  if (frame.empty()) return make_error(errc::corrupt, "zstd: empty input");
  const std::uint32_t fid = ZSTD_getDictID_fromFrame(frame.data(), frame.size());
  if (fid != 0 && fid != impl_->dict_id)
    return make_error(errc::corrupt, "zstd: frame needs dictionary " + std::to_string(fid) +
                                         ", codec has " + std::to_string(impl_->dict_id));
  // One context per thread, reset for every frame: creating one per call (~100 KB of tables,
  // plus its window buffer) showed up in the collector's profile at ~100-event requests. A
  // thread keeps at most one context and a window of 2^max_window_log bytes.
  thread_local std::unique_ptr<ZSTD_DCtx, dctx_free> dctx(ZSTD_createDCtx());
  if (!dctx) dctx.reset(ZSTD_createDCtx());
  if (!dctx) return make_error(errc::internal, "zstd: out of memory");
  auto* d = dctx.get();
  ZSTD_DCtx_reset(d, ZSTD_reset_session_and_parameters);
  ZSTD_DCtx_setParameter(d, ZSTD_d_windowLogMax, max_window_log);
  if (impl_->ddict) ZSTD_DCtx_refDDict(d, impl_->ddict.get());

  // A declared content size above the cap is refused before any work.
  const auto declared = ZSTD_getFrameContentSize(frame.data(), frame.size());
  if (declared != ZSTD_CONTENTSIZE_UNKNOWN && declared != ZSTD_CONTENTSIZE_ERROR && declared > cap)
    return make_error(errc::limit_exceeded, "zstd: frame declares " + std::to_string(declared) +
                                                " bytes > cap " + std::to_string(cap));

  std::string out;
  if (declared != ZSTD_CONTENTSIZE_UNKNOWN && declared != ZSTD_CONTENTSIZE_ERROR) {
    if (auto e = admit(admit_fn, declared); e != errc::ok) return budget_error("zstd", e);
    out.reserve(declared);
  }
  ZSTD_inBuffer in{frame.data(), frame.size(), 0};
  const std::size_t chunk = ZSTD_DStreamOutSize();
  std::size_t last = 1;  // non-zero: a frame is in progress
  for (;;) {
    if (last == 0 && in.pos == in.size) break;  // every frame complete and flushed
    if (out.size() >= cap) {
      // The cap is reached: one more byte of output means a bomb (or a too small cap).
      char probe;
      ZSTD_outBuffer o{&probe, 1, 0};
      last = ZSTD_decompressStream(d, &o, &in);
      if (ZSTD_isError(last)) return zerr("zstd decompress", last);
      if (o.pos != 0)
        return make_error(errc::limit_exceeded, "zstd: output exceeds cap " + std::to_string(cap));
      if (last != 0 && in.pos == in.size) return make_error(errc::corrupt, "zstd: truncated frame");
      continue;
    }
    const std::size_t old = out.size();
    const std::size_t room = std::min(chunk, cap - old);
    if (auto e = grow_within_cap(out, old + room, cap, admit_fn); e != errc::ok)
      return budget_error("zstd", e);
    ZSTD_outBuffer o{out.data() + old, room, 0};
    last = ZSTD_decompressStream(d, &o, &in);
    if (ZSTD_isError(last)) return zerr("zstd decompress", last);
    out.resize(old + o.pos);
    if (last != 0 && in.pos == in.size && o.pos < room)
      return make_error(errc::corrupt, "zstd: truncated frame");
  }
  return out;
} catch (const std::exception&) {
  return make_error(errc::internal, "zstd decompress: out of memory");
}

std::uint32_t zstd_frame_dict_id(std::string_view frame) noexcept {
  return ZSTD_getDictID_fromFrame(frame.data(), frame.size());
}

result<std::string> train_dictionary(std::span<const std::string> samples,
                                     std::size_t capacity) noexcept try {
  if (samples.empty() || capacity < 256)
    return make_error(errc::invalid_argument, "train_dictionary: need samples and capacity >= 256");
  std::string all;
  std::vector<std::size_t> sizes;
  sizes.reserve(samples.size());
  for (const auto& s : samples) {
    all += s;
    sizes.push_back(s.size());
  }
  std::string dict(capacity, '\0');
  const std::size_t rc = ZDICT_trainFromBuffer(dict.data(), dict.size(), all.data(), sizes.data(),
                                               static_cast<unsigned>(sizes.size()));
  if (ZDICT_isError(rc))
    return make_error(errc::invalid_argument,
                      std::string("train_dictionary: ") + ZDICT_getErrorName(rc));
  dict.resize(rc);
  return dict;
} catch (const std::exception&) {
  return make_error(errc::internal, "train_dictionary: out of memory");
}

result<std::string> gzip_compress(std::string_view data, int level) noexcept try {
  z_stream zs{};
  if (deflateInit2(&zs, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    return make_error(errc::internal, "gzip: deflateInit2 failed");
  std::string out(deflateBound(&zs, static_cast<uLong>(data.size())) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) return make_error(errc::internal, "gzip: deflate did not finish");
  return out;
} catch (const std::exception&) {
  return make_error(errc::internal, "gzip compress: out of memory");
}

result<std::string> gzip_decompress(std::string_view data, std::size_t max_output,
                                    const memory_admit* admit_fn) noexcept try {
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 16) != Z_OK)
    return make_error(errc::internal, "gzip: inflateInit2 failed");
  struct guard {
    z_stream* z;
    ~guard() { inflateEnd(z); }
  } g{&zs};
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  std::string out;
  constexpr std::size_t chunk = 64 * 1024;
  for (;;) {
    const std::size_t old = out.size();
    if (old >= max_output) {
      unsigned char probe;
      zs.next_out = &probe;
      zs.avail_out = 1;
      const int rc = inflate(&zs, Z_NO_FLUSH);
      if (zs.avail_out == 0)
        return make_error(errc::limit_exceeded,
                          "gzip: output exceeds cap " + std::to_string(max_output));
      if (rc == Z_STREAM_END && zs.avail_in == 0) break;
      if (rc == Z_STREAM_END) {
        if (inflateReset(&zs) != Z_OK)
          return make_error(errc::internal, "gzip: inflateReset failed");
        continue;
      }
      if (rc != Z_OK && rc != Z_BUF_ERROR)
        return make_error(errc::corrupt,
                          std::string("gzip: ") + (zs.msg ? zs.msg : "corrupt stream"));
      if (zs.avail_in == 0) return make_error(errc::corrupt, "gzip: truncated stream");
      continue;
    }
    const std::size_t room = std::min(chunk, max_output - old);
    if (auto e = grow_within_cap(out, old + room, max_output, admit_fn); e != errc::ok)
      return budget_error("gzip", e);
    zs.next_out = reinterpret_cast<Bytef*>(out.data() + old);
    zs.avail_out = static_cast<uInt>(room);
    const int rc = inflate(&zs, Z_NO_FLUSH);
    out.resize(old + room - zs.avail_out);
    if (rc == Z_STREAM_END) {
      if (zs.avail_in == 0) break;
      // Another gzip member follows (as gunzip accepts); the cap spans all members.
      if (inflateReset(&zs) != Z_OK) return make_error(errc::internal, "gzip: inflateReset failed");
      continue;
    }
    if (rc != Z_OK && rc != Z_BUF_ERROR)
      return make_error(errc::corrupt,
                        std::string("gzip: ") + (zs.msg ? zs.msg : "corrupt stream"));
    if (rc == Z_BUF_ERROR && zs.avail_in == 0)
      return make_error(errc::corrupt, "gzip: truncated stream");
  }
  return out;
} catch (const std::exception&) {
  return make_error(errc::internal, "gzip decompress: out of memory");
}

}  // namespace veil::detail
