#include "tools/collector/batch_decoder.hpp"

#include <memory>

#include "agent/core/time_util.hpp"
#include "agent/wire/batch_codec.hpp"
#include "agent/wire/otlp_decoder.hpp"
#include "tools/collector/device_proof.hpp"

namespace veil::collector {

veil::result<body_decoder> make_body_decoder(std::size_t max_decompressed,
                                             std::string_view zstd_dictionary) {
  using namespace veil::detail;
  codec_options co;
  co.max_output = max_decompressed;
  auto plain = batch_codec::create(co);
  if (!plain) return std::move(plain).err();
  std::shared_ptr<const batch_codec> with_dict;
  if (!zstd_dictionary.empty()) {
    auto c = batch_codec::create(co, zstd_dictionary);
    if (!c) return std::move(c).err();
    with_dict = std::make_shared<const batch_codec>(std::move(*c));
  }
  auto no_dict = std::make_shared<const batch_codec>(std::move(*plain));
  return body_decoder([=](std::string_view body, std::string_view enc, const memory_admit* hook,
                          std::string& owned) -> veil::result<std::string_view> {
    if (enc == "zstd") {
      std::uint32_t id = zstd_frame_dict_id(body);
      const batch_codec* c = no_dict.get();
      if (id != 0) {
        if (!with_dict || with_dict->dict_id() != id)
          return veil::make_error(veil::errc::invalid_argument,
                                  "zstd frame names dictionary " + std::to_string(id) +
                                      " which this collector does not have");
        c = with_dict.get();
      }
      auto d = c->decompress(body, max_decompressed, hook);
      if (!d) return std::move(d).err();
      owned = std::move(*d);
      return std::string_view(owned);
    }
    if (enc == "gzip") {
      auto d = gzip_decompress(body, max_decompressed, hook);
      if (!d) return std::move(d).err();
      owned = std::move(*d);
      return std::string_view(owned);
    }
    if (!enc.empty() && enc != "identity")
      return veil::make_error(veil::errc::invalid_argument, "unsupported Content-Encoding");
    if (body.size() > max_decompressed)
      return veil::make_error(veil::errc::limit_exceeded, "body over the decompressed size limit");
    return body;
  });
}

veil::result<batch_decoder> make_batch_decoder(std::size_t max_decompressed,
                                               std::string_view zstd_dictionary) {
  using namespace veil::detail;
  auto bodies = make_body_decoder(max_decompressed, zstd_dictionary);
  if (!bodies) return std::move(bodies).err();
  otlp_decode_limits lim;
  lim.max_bytes = max_decompressed;
  auto dec = std::make_shared<const otlp_decoder>(lim);
  return batch_decoder(
      [=, unpack = std::move(*bodies)](
          std::string_view body, std::string_view enc, std::string_view,
          const memory_admit* admit_fn) -> veil::result<std::vector<cleaned_record>> {
        // The stages ask the budget for cumulative totals: the decompressed buffer, then that plus
        // the parse, then that plus the records handed back.
        std::size_t held = 0;
        memory_admit stage;
        if (admit_fn && *admit_fn) stage = [&](std::size_t n) { return (*admit_fn)(held + n); };
        const memory_admit* hook = stage ? &stage : nullptr;
        std::string owned;
        auto text = unpack(body, enc, hook, owned);
        if (!text) return std::move(text).err();
        const std::string_view json = *text;
        held = owned.capacity();
        auto logs = dec->decode_records(json, hook);
        if (!logs) return std::move(logs).err();
        // The records handed back: their attrs text is already counted in the parse cost (the
        // walker's output); what is added is a record's fixed part.
        if (auto e = admit(hook, 2 * json.size() + 320 * logs->records.size() + 65536);
            e != errc::ok)
          return veil::make_error(e, "records: memory budget busy, retry later");
        // One device per request: records of two installs must not be stored under one.
        if (logs->mixed_install)
          return veil::make_error(veil::errc::parse_error,
                                  "resourceLogs carry different veil.install values");
        // One key per request too: a later resourceLogs must not rebind the token to another key.
        if (logs->mixed_erasure_key)
          return veil::make_error(veil::errc::parse_error,
                                  "resourceLogs carry different veil.erasure_key values");
        const std::string install = logs->install.value_or(std::string());
        // The device's erasure key (users' rights): a public key, so no personal data, but its
        // shape is checked here and it is only accepted beside the install token it is bound to.
        std::string erasure_key;
        if (logs->resource_json.find("\"veil.erasure_key\"") != std::string::npos) {
          const auto res = nlohmann::json::parse(logs->resource_json, nullptr, false);
          if (res.is_object())
            if (auto it = res.find("veil.erasure_key"); it != res.end()) {
              if (!it->is_string() || !looks_like_erasure_key(it->get_ref<const std::string&>()))
                return veil::make_error(veil::errc::parse_error,
                                        "veil.erasure_key must be 64 lowercase hex characters");
              if (install.empty())
                return veil::make_error(veil::errc::parse_error,
                                        "veil.erasure_key without veil.install");
              erasure_key = it->get<std::string>();
            }
        }
        std::vector<cleaned_record> out;
        out.reserve(logs->records.size());
        for (auto& e : logs->records) {
          cleaned_record r;
          r.install = install;
          r.type = std::move(e.type);
          // Never store a precise time, whatever the sender did: coarsen to the hour
          // (docs/events.md).
          r.ts = veil::detail::format_rfc3339(
              veil::detail::coarsen_ms(e.time_ns / 1'000'000, veil::detail::ts_granularity::hour));
          r.category = std::move(e.category);
          r.attrs = json_attrs::from_canonical(std::move(e.attrs_json));
          r.erasure_key = erasure_key;
          out.push_back(std::move(r));
        }
        return out;
      });
}

}  // namespace veil::collector
