// Consumer of the installed C++ API: open an agent, record an event with personal data, flush.
//   consumer_cpp POLICY_FILE STATE_DIR [ENDPOINT DICT_FILE]
// Without an endpoint the agent only stores; with one it uploads and flush() waits for the ack.
#include <veil/agent.hpp>

#include <cstdio>

int main(int argc, char** argv) {
  if (argc != 3 && argc != 5) return 2;
  veil::agent_options o;
  o.policy_file = argv[1];
  o.state_dir = argv[2];
  o.consent_granted_by_default = {"usage"};
  if (argc == 5) {
    o.upload.endpoint = argv[3];
    o.upload.dictionary_file = argv[4];
  }
  veil::failure why;
  auto a = veil::agent::open(o, &why);
  if (!a) {
    std::fprintf(stderr, "open: %s\n", why.message.c_str());
    return 1;
  }
  if (a->record(
          "app.started",
          R"({"app_version":"5.6.12","email":"carol@example.com","install_id":"cpp-consumer-1"})") !=
      veil::status::ok)
    return 1;
  if (a->flush(std::chrono::seconds(10)) != veil::status::ok) return 1;
  std::printf("%s\n", a->stats_json().c_str());
  return a->close() == veil::status::ok ? 0 : 1;
}
