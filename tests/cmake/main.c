/* Consumer of the installed C API: open from a JSON config, record, flush, close.
 *   consumer_c POLICY_FILE STATE_DIR [ENDPOINT DICT_FILE]
 * Without an endpoint the agent only stores; with one it uploads and the flush waits for the ack.
 */
#include <veil/veil.h>

#include <stdio.h>

int main(int argc, char** argv) {
  char config[4096];
  veil_agent_t* agent = NULL;
  veil_status_t s;
  if (argc != 3 && argc != 5) return 2;
  if (argc == 5)
    snprintf(config, sizeof config,
             "{\"policy_file\":\"%s\",\"state_dir\":\"%s\",\"consent\":{\"granted_by_default\":["
             "\"usage\"]},"
             "\"upload\":{\"endpoint\":\"%s\",\"dictionary_file\":\"%s\"}}",
             argv[1], argv[2], argv[3], argv[4]);
  else
    snprintf(config, sizeof config,
             "{\"policy_file\":\"%s\",\"state_dir\":\"%s\",\"consent\":{\"granted_by_default\":["
             "\"usage\"]}}",
             argv[1], argv[2]);
  s = veil_agent_open_config(config, &agent);
  if (s != VEIL_OK) {
    fprintf(stderr, "open: %s\n", veil_status_str(s));
    return 1;
  }
  if (veil_agent_record_json(agent, "rating.submitted",
                             "{\"stars\":4,\"comment\":\"call me at +49 30 1234567\"}") != VEIL_OK)
    return 1;
  if (veil_agent_flush(agent, 10000) != VEIL_OK) return 1;
  return veil_agent_close(agent) == VEIL_OK ? 0 : 1;
}
