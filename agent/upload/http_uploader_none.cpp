// http_uploader in a build without the HTTP client (VEIL_HTTP_CLIENT=OFF, the mobile presets):
// no Beast, no OpenSSL. create() fails with a message that says what to do instead, so an
// endpoint without a host transport is a clear open() error.
#include "agent/upload/http_uploader.hpp"

namespace veil::detail {

struct http_uploader::impl {};

http_uploader::http_uploader(std::unique_ptr<impl> p) : impl_(std::move(p)) {}
http_uploader::~http_uploader() = default;

result<std::unique_ptr<http_uploader>> http_uploader::create(http_options) {
  return make_error(errc::invalid_argument,
                    "this libveil is built without its HTTP client (VEIL_HTTP_CLIENT=OFF): give "
                    "a host transport (veil_options_set_transport, upload_options::transport)");
}

upload_response http_uploader::send(const upload_batch&) noexcept {
  return {upload_result::retry_later, std::nullopt, 0, "no HTTP client in this build"};
}

void http_uploader::cancel() noexcept {}

result<spki_pin> spki_pin_of_pem_file(const std::string& path) {
  return make_error(errc::invalid_argument,
                    "pin: reading " + path + " needs the HTTP client (VEIL_HTTP_CLIENT=OFF)");
}

}  // namespace veil::detail
