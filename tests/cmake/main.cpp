// Consumer of the installed C++ API: open an agent with no endpoint (store only), record, flush.
//   consumer_cpp POLICY_FILE STATE_DIR
#include <veil/agent.hpp>

#include <cstdio>

int main(int argc, char** argv) {
  if (argc != 3) return 2;
  veil::agent_options o;
  o.policy_file = argv[1];
  o.state_dir = argv[2];
  o.consent_granted_by_default = {"usage"};
  veil::failure why;
  auto a = veil::agent::open(o, &why);
  if (!a) {
    std::fprintf(stderr, "open: %s\n", why.message.c_str());
    return 1;
  }
  if (a->record("feature.used", R"({"feature":"chat"})") != veil::status::ok) return 1;
  if (a->flush(std::chrono::seconds(5)) != veil::status::ok) return 1;
  std::printf("%s\n", a->stats_json().c_str());
  return a->close() == veil::status::ok ? 0 : 1;
}
