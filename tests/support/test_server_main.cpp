// veil_test_server: test_http_server as a process, for the C ABI test and the `veil run`
// end-to-end script. Prints its base URL on the first stdout line, then writes each request's
// decoded body to <out>/req-<n>.json (headers to req-<n>.headers) until SIGTERM/SIGINT.
//   veil_test_server --out DIR [--dict FILE]
#include <utility>  // before asio (Boost 1.74 + GCC 12)

#include <csignal>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>

#include "support/test_http_server.hpp"

namespace {
volatile std::sig_atomic_t stop_flag = 0;
void on_signal(int) { stop_flag = 1; }
}  // namespace

int main(int argc, char** argv) {
  std::string out, dict_file;
  long delay_ms = 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--out") out = argv[i + 1];
    else if (a == "--dict") dict_file = argv[i + 1];
    else if (a == "--delay-ms") delay_ms = std::atol(argv[i + 1]);
  }
  if (out.empty()) {
    std::fprintf(stderr, "usage: veil_test_server --out DIR [--dict FILE] [--delay-ms N]\n");
    return 2;
  }
  std::string dict;
  if (!dict_file.empty()) {
    std::ifstream in(dict_file, std::ios::binary);
    dict.assign(std::istreambuf_iterator<char>(in), {});
  }
  std::signal(SIGTERM, on_signal);
  std::signal(SIGINT, on_signal);
  std::filesystem::create_directories(out);
  veil::test::test_http_server srv(nullptr, dict);
  srv.set_delay(std::chrono::milliseconds(delay_ms));
  std::printf("%s\n", srv.url().c_str());
  std::fflush(stdout);
  std::size_t written = 0;
  while (!stop_flag) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    auto reqs = srv.requests();
    for (; written < reqs.size(); ++written) {
      const auto& r = reqs[written];
      const std::string base = out + "/req-" + std::to_string(written);
      std::ofstream(base + ".json", std::ios::binary)
          << (r.decode_error.empty() ? r.decoded : "DECODE ERROR: " + r.decode_error);
      std::ofstream h(base + ".headers");
      h << r.method << " " << r.target << "\n";
      for (const auto& [k, v] : r.headers)
        h << k << ": " << (k == "authorization" ? "<redacted>" : v) << "\n";
    }
  }
  srv.stop();
  return 0;
}
