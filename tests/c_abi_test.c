/* The C ABI from a C program (built as C11): open an agent against a local HTTP server,
 * record events, flush, and check from the stats that a batch was acknowledged; install the
 * crash handler (refused without consent) and add a breadcrumb; then the users' rights calls
 * of a settings screen (docs/settings-screen.md): objection, consent with history, preview,
 * export, erase and its status. Then a host transport written here in C (what a Swift or
 * Kotlin app does with URLSession or OkHttp): its callback POSTs each request over a plain
 * socket to the same server and reports the status with veil_agent_transport_done(): the
 * first answer is a made-up 503 with Retry-After given inside the callback, the retry is sent
 * from another thread, a later batch synchronously inside the callback; an unknown id is
 * refused; the log callback sees levels and counts, not values. The Idempotency-Keys sent are
 * printed as "host-key: K" lines for the script to find in the server's request headers.
 *   c_abi_test POLICY_FILE STATE_DIR ENDPOINT DICT_FILE [--host-only]
 * --host-only: skip the built-in HTTP client (a library built with VEIL_HTTP_CLIENT=OFF). */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

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

#define CHECK_OK(expr)                                                          \
  do {                                                                          \
    veil_status_t s_ = (expr);                                                  \
    if (s_ != VEIL_OK) {                                                        \
      fprintf(stderr, "FAIL %s:%d: %s -> %s (%s)\n", __FILE__, __LINE__, #expr, \
              veil_status_str(s_), veil_last_open_error());                     \
      return 1;                                                                 \
    }                                                                           \
  } while (0)

static int builtin_client(char** argv) {
  veil_options_t* opts = NULL;
  veil_agent_t* agent = NULL;
  char* stats = NULL;
  int granted = -1;
  int i;
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
  return 0;
}

/* ---- a host transport in C ---------------------------------------------------------------- */

/* One HTTP/1.1 exchange over a fresh TCP connection to an http://IP:PORT URL (the test server
 * on loopback). Returns the status, or 0 when there was no HTTP answer. */
static int http_exchange(const char* method, const char* url, const char* headers,
                         const unsigned char* body, size_t len) {
  char host[64] = {0}, req_head[8192], buf[4096];
  const char* p = strstr(url, "://");
  const char* path;
  const char* colon;
  int port, fd, status = 0;
  size_t got = 0;
  ssize_t n;
  struct sockaddr_in sa;
  if (!p) return 0;
  p += 3;
  colon = strchr(p, ':');
  path = strchr(p, '/');
  if (!colon || !path || colon > path || (size_t)(colon - p) >= sizeof host) return 0;
  memcpy(host, p, (size_t)(colon - p));
  port = atoi(colon + 1);
  memset(&sa, 0, sizeof sa);
  sa.sin_family = AF_INET;
  sa.sin_port = htons((unsigned short)port);
  if (inet_pton(AF_INET, host, &sa.sin_addr) != 1) return 0;
  fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  if (connect(fd, (struct sockaddr*)&sa, sizeof sa) != 0) {
    close(fd);
    return 0;
  }
  snprintf(req_head, sizeof req_head,
           "%s %s HTTP/1.1\r\nHost: %s:%d\r\n%sContent-Length: %zu\r\nConnection: close\r\n\r\n",
           method, path, host, port, headers, len);
  if (write(fd, req_head, strlen(req_head)) < 0 || (len && write(fd, body, len) != (ssize_t)len)) {
    close(fd);
    return 0;
  }
  while (got + 1 < sizeof buf && (n = read(fd, buf + got, sizeof buf - 1 - got)) > 0)
    got += (size_t)n;
  buf[got] = 0;
  close(fd);
  if (strncmp(buf, "HTTP/1.", 7) == 0 && got > 12) status = atoi(buf + 9);
  return status;
}

struct host_request {
  veil_agent_t* agent;
  uint64_t id;
  char method[8];
  char url[512];
  char headers[4096];
  unsigned char* body;
  size_t len;
  int status;       /* what the server answered */
  veil_status_t rc; /* what veil_agent_transport_done() said */
};

struct host_transport {
  int calls;
  int failures; /* checks that failed inside the callback */
  char keys[8][64];
  pthread_t thread;
  int thread_started;
  struct host_request async;
};

static void* answer_later(void* arg) {
  struct host_request* r = (struct host_request*)arg;
  r->status = http_exchange(r->method, r->url, r->headers, r->body, r->len);
  r->rc = veil_agent_transport_done(r->agent, r->id, r->status, -1);
  return NULL;
}

static void transport(void* userdata, veil_agent_t* agent, uint64_t id, const char* method,
                      const char* url, const char* const* names, const char* const* values,
                      size_t count, const uint8_t* body, size_t len) {
  struct host_transport* h = (struct host_transport*)userdata;
  struct host_request r;
  size_t i, used = 0;
  int call = h->calls++;
  memset(&r, 0, sizeof r);
  r.agent = agent;
  r.id = id;
  snprintf(r.method, sizeof r.method, "%s", method);
  snprintf(r.url, sizeof r.url, "%s", url);
  for (i = 0; i < count; ++i) {
    used += (size_t)snprintf(r.headers + used, sizeof r.headers - used, "%s: %s\r\n", names[i],
                             values[i]);
    if (strcmp(names[i], "Idempotency-Key") == 0 && call < 8)
      snprintf(h->keys[call], sizeof h->keys[call], "%s", values[i]);
  }
  if (!strstr(r.headers, "Content-Type: application/json") ||
      !strstr(r.headers, "Content-Encoding: zstd") || !strstr(r.headers, "X-Veil-Policy: ") ||
      !strstr(url, "/v1/logs") || strcmp(method, "POST") != 0 || len == 0) {
    fprintf(stderr, "FAIL: unexpected request %s %s\n%s", method, url, r.headers);
    ++h->failures;
  }
  if (call == 0) {
    /* A made-up 503 with Retry-After, answered from inside the callback. */
    if (veil_agent_transport_done(agent, id, 503, 1) != VEIL_OK) ++h->failures;
    /* The same id again: answered already. */
    if (veil_agent_transport_done(agent, id, 200, -1) != VEIL_E_NOT_FOUND) ++h->failures;
    return;
  }
  if (call == 1) {
    /* The retry: the real POST and its answer come from another thread, after we return. */
    h->async = r;
    h->async.body = (unsigned char*)malloc(len);
    memcpy(h->async.body, body, len);
    h->async.len = len;
    if (pthread_create(&h->thread, NULL, answer_later, &h->async) != 0) {
      ++h->failures;
      return;
    }
    h->thread_started = 1;
    return;
  }
  /* Later batches: the real POST and the answer synchronously inside the callback. */
  r.status = http_exchange(method, url, r.headers, body, len);
  if (veil_agent_transport_done(agent, id, r.status, -1) != VEIL_OK) ++h->failures;
}

struct log_sink {
  int lines[4];
  int leaked; /* a line with event content */
  char open_line[256];
  char retry_line[256];
};

static void on_log(void* userdata, veil_log_level_t level, const char* message) {
  struct log_sink* s = (struct log_sink*)userdata;
  if (level >= VEIL_LOG_DEBUG && level <= VEIL_LOG_ERROR) s->lines[level]++;
  if (strstr(message, "alice") || strstr(message, "dialer")) s->leaked++;
  if (level == VEIL_LOG_INFO && strstr(message, "agent open"))
    snprintf(s->open_line, sizeof s->open_line, "%s", message);
  if (level == VEIL_LOG_WARN && strstr(message, "retry_later"))
    snprintf(s->retry_line, sizeof s->retry_line, "%s", message);
}

static int host_transport_part(char** argv) {
  veil_options_t* opts = NULL;
  veil_agent_t* agent = NULL;
  char* stats = NULL;
  char state[1024];
  struct host_transport h;
  struct log_sink logs;
  int i;
  memset(&h, 0, sizeof h);
  memset(&logs, 0, sizeof logs);
  snprintf(state, sizeof state, "%s-host", argv[2]);
  CHECK_OK(veil_options_new(&opts));
  CHECK_OK(veil_options_set_policy_file(opts, argv[1]));
  CHECK_OK(veil_options_set_state_dir(opts, state));
  CHECK_OK(veil_options_set_endpoint(opts, argv[3]));
  CHECK_OK(veil_options_set_dictionary_file(opts, argv[4]));
  CHECK_OK(veil_options_set_service(opts, "c-host", "1.0", "linux"));
  CHECK_OK(veil_options_set_batch(opts, 100, 65536, 60000));
  CHECK_OK(veil_options_set_retry(opts, 100, 1000, 60));
  CHECK_OK(veil_options_set_transport(opts, transport, &h));
  CHECK_OK(veil_options_set_log(opts, on_log, &logs, VEIL_LOG_DEBUG));
  CHECK_OK(veil_agent_open(opts, &agent));
  veil_options_free(opts);
  CHECK_OK(veil_agent_set_consent(agent, "usage", 1));
  for (i = 0; i < 3; ++i)
    CHECK_OK(veil_agent_record_json(agent, "feature.used", "{\"feature\":\"host\"}"));
  CHECK_OK(veil_agent_record_json(agent, "screen.viewed",
                                  "{\"screen\":\"dialer\",\"email\":\"alice@example.com\"}"));
  /* 503 now, the retry after Retry-After (1 s) from the other thread. */
  CHECK_OK(veil_agent_flush(agent, 15000));
  if (h.thread_started) pthread_join(h.thread, NULL);
  free(h.async.body);
  if (h.calls != 2 || h.async.status != 200 || h.async.rc != VEIL_OK) {
    fprintf(stderr, "FAIL: expected 2 calls, the second answered 200: calls %d, status %d, rc %d\n",
            h.calls, h.async.status, (int)h.async.rc);
    return 1;
  }
  if (strcmp(h.keys[0], h.keys[1]) != 0 || strlen(h.keys[0]) != 32) {
    fprintf(stderr, "FAIL: the retry changed the Idempotency-Key: %s vs %s\n", h.keys[0],
            h.keys[1]);
    return 1;
  }
  /* A batch answered inside the callback after a real POST. */
  CHECK_OK(veil_agent_record_json(agent, "feature.used", "{\"feature\":\"sync\"}"));
  CHECK_OK(veil_agent_flush(agent, 10000));
  if (h.calls != 3 || h.failures != 0) {
    fprintf(stderr, "FAIL: %d calls (want 3), %d failed checks in the callback\n", h.calls,
            h.failures);
    return 1;
  }
  if (strcmp(h.keys[2], h.keys[0]) == 0) {
    fprintf(stderr, "FAIL: a new batch reused the Idempotency-Key\n");
    return 1;
  }
  printf("host-key: %s\nhost-key: %s\n", h.keys[0], h.keys[2]);
  /* Unknown ids and nonsense statuses change nothing. */
  if (veil_agent_transport_done(agent, 987654321u, 200, -1) != VEIL_E_NOT_FOUND ||
      veil_agent_transport_done_body(agent, 987654321u, 200, -1, "{}", 2) != VEIL_E_NOT_FOUND ||
      veil_agent_transport_done(agent, 1, 1000, -1) != VEIL_E_INVALID_ARGUMENT) {
    fprintf(stderr, "FAIL: transport_done with an unknown id or bad status not refused\n");
    return 1;
  }
  CHECK_OK(veil_agent_stats_json(agent, &stats));
  printf("%s\n", stats);
  if (!strstr(stats, "\"records_sent\":5") || !strstr(stats, "\"retries\":1") ||
      !strstr(stats, "\"last_http_status\":200")) {
    fprintf(stderr, "FAIL: expected 5 records sent after 1 retry, last status 200\n");
    veil_string_free(stats);
    return 1;
  }
  veil_string_free(stats);
  CHECK_OK(veil_agent_close(agent));
  printf("log lines: debug %d info %d warn %d error %d\n", logs.lines[0], logs.lines[1],
         logs.lines[2], logs.lines[3]);
  if (logs.leaked || !logs.open_line[0] || !logs.retry_line[0] || logs.lines[VEIL_LOG_DEBUG] < 2 ||
      !strstr(logs.retry_line, "http 503")) {
    fprintf(stderr, "FAIL: log lines: leaked %d, open \"%s\", retry \"%s\"\n", logs.leaked,
            logs.open_line, logs.retry_line);
    return 1;
  }
  return 0;
}

int main(int argc, char** argv) {
  int host_only = argc == 6 && strcmp(argv[5], "--host-only") == 0;
  if (argc != 5 && !host_only) {
    fprintf(stderr, "usage: c_abi_test POLICY_FILE STATE_DIR ENDPOINT DICT_FILE [--host-only]\n");
    return 2;
  }
  if (strcmp(veil_version(), VEIL_VERSION_STRING) != 0) {
    fprintf(stderr, "FAIL: library %s, headers %s\n", veil_version(), VEIL_VERSION_STRING);
    return 1;
  }
  if (!host_only && builtin_client(argv) != 0) return 1;
  if (host_transport_part(argv) != 0) return 1;
  printf("c_abi_test: ok\n");
  return 0;
}
