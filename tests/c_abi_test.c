/* The C ABI from a C program (built as C11): open an agent against a local HTTP server,
 * record events, flush, and check from the stats that a batch was acknowledged; install the
 * crash handler (refused without consent) and add a breadcrumb; then the users' rights calls
 * of a settings screen (docs/settings-screen.md): objection, consent with history, preview,
 * export, erase and its status.
 *   c_abi_test POLICY_FILE STATE_DIR ENDPOINT DICT_FILE */
#include <stdio.h>
#include <string.h>

#include "veil/veil.h"

/* Fails unless `json` (a string the agent returned) contains `needle`; frees nothing. */
#define CHECK_HAS(json, needle)                                                          \
  do {                                                                                   \
    if (!(json) || !strstr((json), (needle))) {                                          \
      fprintf(stderr, "FAIL %s:%d: expected %s in %.400s\n", __FILE__, __LINE__, needle, \
              (json) ? (json) : "(null)");                                               \
      return 1;                                                                          \
    }                                                                                    \
  } while (0)

#define CHECK_OK(expr)                                                                           \
  do {                                                                                           \
    veil_status_t s_ = (expr);                                                                   \
    if (s_ != VEIL_OK) {                                                                         \
      fprintf(stderr, "FAIL %s:%d: %s -> %s\n", __FILE__, __LINE__, #expr, veil_status_str(s_)); \
      return 1;                                                                                  \
    }                                                                                            \
  } while (0)

int main(int argc, char** argv) {
  veil_options_t* opts = NULL;
  veil_agent_t* agent = NULL;
  char* stats = NULL;
  int granted = -1;
  int i;
  if (argc != 5) {
    fprintf(stderr, "usage: c_abi_test POLICY_FILE STATE_DIR ENDPOINT DICT_FILE\n");
    return 2;
  }
  CHECK_OK(veil_options_new(&opts));
  CHECK_OK(veil_options_set_policy_file(opts, argv[1]));
  CHECK_OK(veil_options_set_state_dir(opts, argv[2]));
  CHECK_OK(veil_options_set_endpoint(opts, argv[3]));
  CHECK_OK(veil_options_set_dictionary_file(opts, argv[4]));
  CHECK_OK(veil_options_set_service(opts, "c-test", "1.0", "linux"));
  CHECK_OK(veil_options_set_batch(opts, 100, 65536, 60000));
  CHECK_OK(veil_agent_open(opts, &agent));
  veil_options_free(opts); /* the agent keeps its own copy */

  CHECK_OK(veil_agent_set_consent(agent, "usage", 1));
  CHECK_OK(veil_agent_get_consent(agent, "usage", &granted));
  if (granted != 1) {
    fprintf(stderr, "FAIL: usage not granted\n");
    return 1;
  }
  /* Crash capture: refused without consent, then installed; breadcrumbs are scrubbed. */
  if (veil_agent_install_crash_handler(agent) != VEIL_E_NOT_CONSENTED) {
    fprintf(stderr, "FAIL: crash handler installed without consent\n");
    return 1;
  }
  if (veil_agent_breadcrumb(agent, NULL) != VEIL_E_INVALID_ARGUMENT) {
    fprintf(stderr, "FAIL: NULL breadcrumb accepted\n");
    return 1;
  }
  CHECK_OK(veil_agent_set_consent(agent, "crash", 1));
  CHECK_OK(veil_agent_install_crash_handler(agent));
  veil_prepare_thread_for_crashes();
  CHECK_OK(veil_agent_breadcrumb(agent, "call to +49 151 23456789 from 203.0.113.7"));
  for (i = 0; i < 3; ++i)
    CHECK_OK(veil_agent_record_json(agent, "feature.used", "{\"feature\":\"chat\"}"));
  CHECK_OK(veil_agent_record_json(agent, "screen.viewed",
                                  "{\"screen\":\"dialer\",\"email\":\"alice@example.com\"}"));
  CHECK_OK(veil_agent_flush(agent, 10000));
  CHECK_OK(veil_agent_stats_json(agent, &stats));
  printf("%s\n", stats);
  if (!strstr(stats, "\"records_sent\":4")) {
    fprintf(stderr, "FAIL: expected 4 records sent\n");
    veil_string_free(stats);
    return 1;
  }
  if (!strstr(stats, "\"breadcrumbs\":1") || !strstr(stats, "\"handler_installed\":true")) {
    fprintf(stderr, "FAIL: expected one breadcrumb and an installed crash handler\n");
    veil_string_free(stats);
    return 1;
  }
  veil_string_free(stats);
  CHECK_OK(veil_agent_set_consent(agent, "crash", 0)); /* uninstalls, wipes the record */

  /* Users' rights, as a settings screen calls them. */
  CHECK_OK(veil_agent_object(agent, "location"));
  if (veil_agent_object(agent, "nosuch") != VEIL_E_NOT_FOUND) {
    fprintf(stderr, "FAIL: objection to an unknown category accepted\n");
    return 1;
  }
  if (veil_agent_consent_json(agent, NULL) != VEIL_E_INVALID_ARGUMENT) {
    fprintf(stderr, "FAIL: NULL out pointer accepted\n");
    return 1;
  }
  {
    char* doc = NULL;
    CHECK_OK(veil_agent_consent_json(agent, &doc));
    CHECK_HAS(doc, "\"via\":\"c_api\""); /* the history names the API */
    CHECK_HAS(doc, "\"objected\":true");
    veil_string_free(doc);
    CHECK_OK(veil_agent_record_json(agent, "feature.used", "{\"feature\":\"dialer\"}"));
    CHECK_OK(veil_agent_preview_json(agent, 10, &doc));
    CHECK_HAS(doc, "usage");
    veil_string_free(doc);
    CHECK_OK(veil_agent_flush(agent, 10000));
    CHECK_OK(veil_agent_export_json(agent, &doc));
    CHECK_HAS(doc, "\"ledger\"");
    CHECK_HAS(doc, "\"batches\":[{"); /* the uploads so far are in the ledger */
    if (strstr(doc, "alice@example.com")) {
      fprintf(stderr, "FAIL: raw PII in the export\n");
      return 1;
    }
    veil_string_free(doc);
    CHECK_OK(veil_agent_erase(agent));
    /* flush returns once the erasure lane is idle: the request was acknowledged */
    CHECK_OK(veil_agent_flush(agent, 10000));
    CHECK_OK(veil_agent_erasure_status_json(agent, &doc));
    CHECK_HAS(doc, "\"pending\":false");
    CHECK_HAS(doc, "\"status\":\"erased\"");
    veil_string_free(doc);
    CHECK_OK(veil_agent_consent_json(agent, &doc));
    CHECK_HAS(doc, "\"history\":[]"); /* local data wiped, the history too */
    veil_string_free(doc);
  }
  CHECK_OK(veil_agent_close(agent));
  printf("c_abi_test: ok\n");
  return 0;
}
