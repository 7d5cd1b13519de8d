/* softphone_sim: a simulated softphone fleet that records "a realistic day" of telemetry through
 * libveil's C ABI (include/veil/veil.h) and uploads it to a collector.
 *
 * It is also the integration example for softphone builders: everything a host app does with
 * Veil is here, in order, and only through veil_* calls:
 *   1. veil_options_new + setters (policy, state dir, collector endpoint, zstd dictionary, ...)
 *   2. veil_agent_open                       one agent per install (per user profile)
 *   3. veil_agent_set_consent                from the app's consent screen, per category
 *   4. veil_agent_record_json(type, attrs)   raw events, PII and all: the agent cleans them
 *   5. veil_agent_flush / veil_agent_stats_json / veil_agent_close
 *
 *   softphone_sim --endpoint URL --state-dir DIR --policy FILE [--dict FILE]
 *                 [--events FILE | --seed N] [--installs N] [--events-per-install N]
 *                 [--grant CAT[,CAT...]] [--truth FILE] [--flush-timeout-ms MS] [--quiet]
 *
 * Events come from --events (JSONL {"type","ts","attrs"}, e.g. tools/demo/make_events.py), split
 * into contiguous runs, one per install; or, without --events, from a small built-in generator
 * (every catalog type, with planted PII; --truth writes the planted values for checks). Each
 * install keeps its state (key, consent, spool, install id) in DIR/install-NNN. The categories
 * not listed in --grant are explicitly revoked. Exit 0 when every install's spool drained
 * (everything stored was acknowledged by the collector), 1 otherwise, 2 on usage errors.
 * Output: one line per install and a JSON summary line ("summary: {...}") on stdout. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "veil/veil.h"

/* The consent categories of config/policy.json. A real app shows one switch per category. */
static const char* const all_categories[] = {"usage", "call_quality", "crash", "diagnostics",
                                             "location"};
#define CATEGORY_COUNT (sizeof all_categories / sizeof all_categories[0])

/* Drop reasons as named in the stats JSON (agent/core/counters.hpp), summed over installs. */
static const char* const drop_names[] = {
    "parse_error",          "invalid_utf8",  "too_large",       "too_deep",
    "limit_exceeded",       "bad_envelope",  "unknown_type",    "not_consented",
    "field_denied",         "field_dropped", "invalid_value",   "no_key",
    "queue_full",           "spool_full",    "too_old",         "retry_exhausted",
    "rejected_by_server",   "corrupt",       "erasure_pending", "install_erased",
    "install_key_conflict", "privacy_budget"};
#define DROP_COUNT (sizeof drop_names / sizeof drop_names[0])

typedef struct {
  const char* endpoint;
  const char* state_dir;
  const char* policy;
  const char* dict;
  const char* events;
  const char* truth;
  char grant[256];
  long installs;
  long per_install; /* 0: all of --events split evenly; built-in default 200 */
  long seed;
  long flush_timeout_ms;
  int quiet;
} config;

/* ---- a growable list of strings (event lines, planted values) ---------------------------- */

typedef struct {
  char** v;
  size_t n, cap;
} strlist;

static int strlist_push(strlist* l, char* s) { /* takes ownership of s */
  if (!s) return -1;
  if (l->n == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 256;
    char** v = realloc(l->v, cap * sizeof *v);
    if (!v) {
      free(s);
      return -1;
    }
    l->v = v;
    l->cap = cap;
  }
  l->v[l->n++] = s;
  return 0;
}

static void strlist_free(strlist* l) {
  for (size_t i = 0; i < l->n; ++i) free(l->v[i]);
  free(l->v);
  l->v = NULL;
  l->n = l->cap = 0;
}

static char* fmt(const char* f, ...) {
  va_list ap;
  va_start(ap, f);
  int n = vsnprintf(NULL, 0, f, ap);
  va_end(ap);
  if (n < 0) return NULL;
  char* s = malloc((size_t)n + 1);
  if (!s) return NULL;
  va_start(ap, f);
  vsnprintf(s, (size_t)n + 1, f, ap);
  va_end(ap);
  return s;
}

/* ---- minimal JSON helpers ----------------------------------------------------------------
 * The host already has its event as (type, attributes JSON); this program reads JSONL, so it
 * needs to cut a line into its "type" string and its "attrs" object text. A tiny scanner of
 * the top-level object is enough: it skips values with string escapes and nesting in mind. */

static const char* skip_ws(const char* p) {
  while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') ++p;
  return p;
}

/* Returns the end of the JSON string starting at p (on '"'), just past the closing quote. */
static const char* skip_string(const char* p) {
  for (++p; *p; ++p) {
    if (*p == '\\' && p[1]) ++p;
    else if (*p == '"') return p + 1;
  }
  return NULL;
}

/* Returns the end of the JSON value starting at p, or NULL if it is malformed. */
static const char* skip_value(const char* p) {
  p = skip_ws(p);
  if (*p == '"') return skip_string(p);
  if (*p == '{' || *p == '[') {
    int depth = 0;
    for (; *p; ++p) {
      if (*p == '"') {
        p = skip_string(p);
        if (!p) return NULL;
        --p;
      } else if (*p == '{' || *p == '[') {
        ++depth;
      } else if (*p == '}' || *p == ']') {
        if (--depth == 0) return p + 1;
      }
    }
    return NULL;
  }
  while (*p && *p != ',' && *p != '}' && *p != ']' && *p != ' ') ++p; /* number, true, null */
  return p;
}

/* Finds member `key` of the top-level object `json`; sets [*b, *e) to its value's text. */
static int top_member(const char* json, const char* key, const char** b, const char** e) {
  const char* p = skip_ws(json);
  if (*p != '{') return 0;
  p = skip_ws(p + 1);
  size_t klen = strlen(key);
  while (*p == '"') {
    const char* kend = skip_string(p);
    if (!kend) return 0;
    int match = (size_t)(kend - p - 2) == klen && memcmp(p + 1, key, klen) == 0;
    p = skip_ws(kend);
    if (*p != ':') return 0;
    const char* vb = skip_ws(p + 1);
    const char* ve = skip_value(vb);
    if (!ve) return 0;
    if (match) {
      *b = vb;
      *e = ve;
      return 1;
    }
    p = skip_ws(ve);
    if (*p != ',') return 0;
    p = skip_ws(p + 1);
  }
  return 0;
}

/* Reads the number after "key": inside the object "section":{...} of the stats JSON. */
static unsigned long long stat_u64(const char* stats, const char* section, const char* key) {
  char pat[96];
  snprintf(pat, sizeof pat, "\"%s\":{", section);
  const char* s = strstr(stats, pat);
  if (!s) return 0;
  const char* end = strchr(s + strlen(pat), '}');
  snprintf(pat, sizeof pat, "\"%s\":", key);
  const char* k = strstr(s, pat);
  if (!k || (end && k > end)) return 0;
  return strtoull(k + strlen(pat), NULL, 10);
}

/* ---- the built-in generator: one realistic day per install, planted PII -------------------- */

static unsigned long long rng_state = 88172645463325252ULL;
static unsigned long long rnd(void) { /* xorshift64: deterministic for a seed */
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return rng_state;
}
static int rnd_in(int lo, int hi) { return lo + (int)(rnd() % (unsigned long long)(hi - lo + 1)); }

static const char* const first_names[] = {"Zoë",    "Jürgen", "Siobhán", "Kwame",
                                          "Ingrid", "Tomás",  "Ayşe",    "François"};
static const char* const last_names[] = {"Ångström",  "Müller", "Ní Bhriain", "Mensah",
                                         "Bergström", "Ortega", "Yılmaz",     "Lefèvre"};
static const char* const users[] = {"zoe.angstrom", "juergen.mueller", "siobhan.nb",
                                    "kwame.mensah", "ingrid.b",        "tomas.ortega",
                                    "ayse.yilmaz",  "francois.lefevre"};
static const char* const codecs[] = {"opus", "PCMU", "G722", "G729"};
static const char* const screens[] = {"dialer", "contacts", "history", "chat", "settings"};
static const char* const features[] = {"chat", "video", "transfer", "conference", "voicemail"};

/* Appends the planted value to the truth list and returns it (borrowed from the list). */
static const char* plant(strlist* pii, char* v) {
  if (strlist_push(pii, v) != 0) return "";
  return pii->v[pii->n - 1];
}

/* Generates `count` events for install `k`: the morning app start, registrations, calls,
 * chats, network changes, logs, the odd crash and location fix. Planted values go to `pii`. */
static int generate_install(long k, long count, strlist* lines, strlist* pii) {
  int who = (int)(k % 8);
  const char* first = first_names[who];
  const char* last = last_names[who];
  const char* user = plant(pii, fmt("%s%ld", users[who], k));
  const char* email = plant(pii, fmt("%s+voip@example.org", user));
  const char* name = plant(pii, fmt("%s %s", first, last));
  const char* ip = plant(pii, fmt("203.0.113.%d", rnd_in(1, 254)));
  const char* lan = plant(pii, fmt("192.168.%d.%d", rnd_in(0, 9), rnd_in(2, 250)));
  const char* imei = plant(pii, fmt("35%012llu", rnd() % 1000000000000ULL));
  for (long i = 0; i < count; ++i) {
    char* e = NULL;
    int kind = i == 0 ? 0 : rnd_in(0, 15);
    const char* peer = plant(pii, fmt("+4930%08d", rnd_in(10000000, 99999999)));
    switch (kind) {
      case 0:
        e =
            fmt("{\"type\":\"app.started\",\"attrs\":{\"app_version\":\"5.6.12\",\"os_name\":"
                "\"Android\","
                "\"os_version\":\"14\",\"device_model\":\"Pixel "
                "8\",\"locale\":\"de-DE\",\"username\":\"%s\","
                "\"email\":\"%s\",\"device_id\":\"%s\"}}",
                user, email, imei);
        break;
      case 1:
        e = fmt(
            "{\"type\":\"account.registered\",\"attrs\":{\"provider_domain\":\"sip.example.net\","
            "\"sip_uri\":\"sip:%s@sip.example.net\",\"username\":\"%s\",\"display_name\":\"%s\","
            "\"password\":\"%s\",\"transport\":\"TLS\",\"public_ip\":\"%s\",\"status_code\":"
            "\"200\"}}",
            user, user, name, plant(pii, fmt("S3cr!t%d", rnd_in(100, 999))), ip);
        break;
      case 2:
      case 3:
      case 4:
      case 5:
        e = fmt(
            "{\"type\":\"call.ended\",\"attrs\":{\"call_id\":\"%s\",\"direction\":\"out\",\"remote_"
            "number\":\"%s\","
            "\"remote_display_name\":\"%s\",\"duration_s\":%d,\"codec\":\"%s\",\"transport\":"
            "\"UDP\","
            "\"network_type\":\"wifi\",\"end_reason\":\"hangup\",\"mos\":%d.%d,\"jitter_ms\":%d,"
            "\"packet_loss_pct\":0.%d,\"rtt_ms\":%d,\"local_ip\":\"%s\",\"public_ip\":\"%s\"}}",
            plant(pii, fmt("%016llx@%s", rnd(), lan)), peer, name, rnd_in(0, 3600),
            codecs[rnd_in(0, 3)], rnd_in(2, 4), rnd_in(0, 9), rnd_in(1, 80), rnd_in(0, 9),
            rnd_in(10, 400), lan, ip);
        break;
      case 6:
        e = fmt("{\"type\":\"screen.viewed\",\"attrs\":{\"screen\":\"%s\",\"duration_ms\":%d}}",
                screens[rnd_in(0, 4)], rnd_in(100, 60000));
        break;
      case 7:
        e = fmt("{\"type\":\"feature.used\",\"attrs\":{\"feature\":\"%s\"}}",
                features[rnd_in(0, 4)]);
        break;
      case 8:
        e =
            fmt("{\"type\":\"chat.message_sent\",\"attrs\":{\"body\":\"%s\",\"recipient\":\"sip:%s@"
                "sip.example.net\","
                "\"length\":24,\"has_attachment\":false}}",
                plant(pii, fmt("Hi %s, call me at %s", first, peer)), user);
        break;
      case 9:
        e = fmt(
            "{\"type\":\"network.changed\",\"attrs\":{\"network_type\":\"wifi\",\"ssid\":\"%s\","
            "\"bssid\":\"%s\",\"local_ip\":\"%s\",\"public_ip\":\"%s\"}}",
            plant(pii, fmt("%s's Wi-Fi", first)),
            plant(pii, fmt("a4:%02x:%02x:%02x:%02x:%02x", rnd_in(0, 255), rnd_in(0, 255),
                           rnd_in(0, 255), rnd_in(0, 255), rnd_in(0, 255))),
            lan, ip);
        break;
      case 10:
        e = fmt(
            "{\"type\":\"contacts.synced\",\"attrs\":{\"contact_count\":%d,\"source\":\"carddav\","
            "\"contacts\":[{\"name\":\"%s\",\"numbers\":[\"%s\"],\"emails\":[\"%s\"]}]}}",
            rnd_in(10, 500), name, peer, email);
        break;
      case 11:
        e =
            fmt("{\"type\":\"rating.submitted\",\"attrs\":{\"stars\":%d,\"app_version\":\"5.6.12\","
                "\"comment\":\"Echo on every call. Reach me on %s or %s\"}}",
                rnd_in(1, 5), peer, email);
        break;
      case 12:
        e =
            fmt("{\"type\":\"crash.report\",\"attrs\":{\"signal\":\"SIGSEGV\",\"app_version\":\"5."
                "6.12\","
                "\"os_name\":\"Android\",\"message\":\"crash while calling %s@sip.example.net\","
                "\"frames\":[{\"module\":\"core\",\"offset\":\"0x1f2e\",\"function\":\"main\","
                "\"file\":\"/home/%s/voxline/core.so\"}]}}",
                user, user);
        break;
      case 13:
        e =
            fmt("{\"type\":\"update.checked\",\"attrs\":{\"current_version\":\"5.6.11\","
                "\"available_version\":\"5.6.12\","
                "\"url\":\"https://upd.example.com/"
                "check?uid=%s\",\"server_ip\":\"%s\",\"result\":\"available\"}}",
                plant(pii, fmt("%016llx", rnd())), ip);
        break;
      case 14:
        e =
            fmt("{\"type\":\"location.updated\",\"attrs\":{\"lat\":%s,\"lon\":%s,\"accuracy_m\":12,"
                "\"source\":\"gps\"}}",
                plant(pii, fmt("48.%06d", rnd_in(100000, 999999))),
                plant(pii, fmt("11.%06d", rnd_in(100000, 999999))));
        break;
      default:
        e = fmt(
            "{\"type\":\"log.line\",\"attrs\":{\"level\":\"warn\",\"component\":\"sip\","
            "\"message\":\"REGISTER sip:%s@sip.example.net from %s failed: 408 Request Timeout\"}}",
            user, ip);
        break;
    }
    if (strlist_push(lines, e) != 0) return -1;
  }
  return 0;
}

static int write_truth(const char* path, const strlist* pii) {
  FILE* f = fopen(path, "w");
  if (!f) return -1;
  fputs("{\"pii\":[", f);
  for (size_t i = 0; i < pii->n; ++i) {
    fputs(i ? ",\"" : "\"", f);
    for (const char* c = pii->v[i]; *c; ++c) {
      if (*c == '"' || *c == '\\') fputc('\\', f);
      fputc(*c, f);
    }
    fputc('"', f);
  }
  fputs("],\"benign\":[],\"expect\":[]}\n", f);
  return fclose(f);
}

static int read_lines(const char* path, strlist* out) {
  FILE* f = fopen(path, "r");
  if (!f) return -1;
  char* line = NULL;
  size_t cap = 0;
  ssize_t n;
  while ((n = getline(&line, &cap, f)) > 0) {
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = '\0';
    if (n == 0) continue;
    if (strlist_push(out, strdup(line)) != 0) break;
  }
  free(line);
  fclose(f);
  return 0;
}

/* ---- one install: the part a softphone builder copies ------------------------------------ */

typedef struct {
  unsigned long long recorded, record_failed, processed, stored, sent, batches, live, redactions;
  unsigned long long drops[DROP_COUNT];
  int failed;
} totals;

static int granted(const config* c, const char* cat) {
  size_t n = strlen(cat);
  for (const char* p = c->grant; (p = strstr(p, cat)) != NULL; p += n)
    if ((p == c->grant || p[-1] == ',') && (p[n] == ',' || p[n] == '\0')) return 1;
  return 0;
}

#define TRY(what, expr)                                                                      \
  do {                                                                                       \
    veil_status_t s_ = (expr);                                                               \
    if (s_ != VEIL_OK) {                                                                     \
      fprintf(stderr, "softphone_sim: install %ld: %s: %s\n", k, what, veil_status_str(s_)); \
      goto fail;                                                                             \
    }                                                                                        \
  } while (0)

static void run_install(const config* c, long k, char** lines, size_t count, totals* t) {
  veil_options_t* opts = NULL;
  veil_agent_t* agent = NULL;
  char* stats = NULL;
  char dir[4096];
  snprintf(dir, sizeof dir, "%s/install-%03ld", c->state_dir, k);
  if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
    fprintf(stderr, "softphone_sim: mkdir %s: %s\n", dir, strerror(errno));
    t->failed = 1;
    return;
  }

  /* 1. Options: a copy is taken by veil_agent_open, so they are freed right after. */
  TRY("options", veil_options_new(&opts));
  TRY("policy", veil_options_set_policy_file(opts, c->policy));
  TRY("state dir", veil_options_set_state_dir(opts, dir));
  TRY("endpoint", veil_options_set_endpoint(opts, c->endpoint));
  if (c->dict) TRY("dictionary", veil_options_set_dictionary_file(opts, c->dict));
  TRY("service", veil_options_set_service(opts, "voxline-softphone", "5.6.12", "linux"));
  /* A day's events arrive faster here than on a phone: room for all of them in the queue. */
  TRY("queue", veil_options_set_queue_capacity(opts, count + 16));
  /* Batches of up to 200 records / 256 KiB, or whatever is stored after 500 ms. */
  TRY("batch", veil_options_set_batch(opts, 200, 256 * 1024, 500));
  TRY("shutdown timeout", veil_options_set_shutdown_timeout(opts, 5000));

  /* 2. Open: loads or creates the key, consent file, spool and install id in `dir`. */
  TRY("open", veil_agent_open(opts, &agent));
  veil_options_free(opts);
  opts = NULL;

  /* 3. Consent from the (simulated) consent screen: opt-in, so revoking is explicit only for
   *    clarity; nothing of a category is stored or sent until it is granted. */
  for (size_t i = 0; i < CATEGORY_COUNT; ++i)
    TRY("consent", veil_agent_set_consent(agent, all_categories[i], granted(c, all_categories[i])));

  /* 4. Record the raw events, personal data and all. record_json never blocks on disk or the
   *    network; cleaning happens on the agent's worker thread before anything is stored. */
  for (size_t i = 0; i < count; ++i) {
    const char *tb, *te, *ab, *ae;
    char type[128];
    if (!top_member(lines[i], "type", &tb, &te) || *tb != '"' ||
        (size_t)(te - tb - 2) >= sizeof type) {
      ++t->record_failed;
      continue;
    }
    memcpy(type, tb + 1, (size_t)(te - tb - 2));
    type[te - tb - 2] = '\0';
    char* attrs = NULL;
    if (top_member(lines[i], "attrs", &ab, &ae)) attrs = strndup(ab, (size_t)(ae - ab));
    veil_status_t s = veil_agent_record_json(agent, type, attrs);
    free(attrs);
    if (s == VEIL_OK) ++t->recorded;
    else ++t->record_failed;
  }

  /* 5. Flush: waits until the queue is stored and the spool uploaded (or the timeout). */
  veil_status_t fs = veil_agent_flush(agent, (uint32_t)c->flush_timeout_ms);
  TRY("stats", veil_agent_stats_json(agent, &stats));
  unsigned long long live = stat_u64(stats, "spool", "live_records");
  unsigned long long depth = stat_u64(stats, "queue", "depth");
  t->processed += stat_u64(stats, "pipeline", "processed");
  t->stored += stat_u64(stats, "pipeline", "stored");
  t->redactions += stat_u64(stats, "pipeline", "redactions");
  t->sent += stat_u64(stats, "upload", "records_sent");
  t->batches += stat_u64(stats, "upload", "batches_sent");
  t->live += live;
  for (size_t i = 0; i < DROP_COUNT; ++i) t->drops[i] += stat_u64(stats, "drops", drop_names[i]);
  if (!c->quiet)
    printf("install %03ld: %zu events, stored %llu, sent %llu in %llu batches, spool left %llu%s\n",
           k, count, stat_u64(stats, "pipeline", "stored"),
           stat_u64(stats, "upload", "records_sent"), stat_u64(stats, "upload", "batches_sent"),
           live, fs == VEIL_OK ? "" : " (flush timed out)");
  if (fs != VEIL_OK || live != 0 || depth != 0) {
    fprintf(stderr,
            "softphone_sim: install %ld: spool not drained (%s, live %llu, last HTTP %llu)\n", k,
            veil_status_str(fs), live, stat_u64(stats, "upload", "last_http_status"));
    t->failed = 1;
  }
  veil_string_free(stats);
  /* close flushes again within the shutdown timeout and frees the handle either way. */
  if (veil_agent_close(agent) != VEIL_OK) t->failed = 1;
  return;
fail:
  veil_options_free(opts);
  veil_string_free(stats);
  (void)veil_agent_close(agent);
  t->failed = 1;
}

/* ---- command line ------------------------------------------------------------------------- */

static const char* usage =
    "usage: softphone_sim --endpoint URL --state-dir DIR --policy FILE [--dict FILE]\n"
    "                     [--events FILE | --seed N] [--installs N] [--events-per-install N]\n"
    "                     [--grant CAT[,CAT...]] [--truth FILE] [--flush-timeout-ms MS] "
    "[--quiet]\n";

static int to_long(const char* s, long* out) {
  char* end = NULL;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (errno || !end || *end || v < 0) return 0;
  *out = v;
  return 1;
}

int main(int argc, char** argv) {
  config c = {0};
  c.installs = 10;
  c.seed = 1;
  c.flush_timeout_ms = 60000;
  for (int i = 1; i < argc; ++i) {
    const char* a = argv[i];
    if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      fputs(usage, stdout);
      return 0;
    }
    if (!strcmp(a, "--quiet")) {
      c.quiet = 1;
      continue;
    }
    if (i + 1 >= argc) {
      fprintf(stderr, "softphone_sim: %s needs a value (or is unknown)\n%s", a, usage);
      return 2;
    }
    const char* v = argv[++i];
    int ok = 1;
    if (!strcmp(a, "--endpoint")) c.endpoint = v;
    else if (!strcmp(a, "--state-dir")) c.state_dir = v;
    else if (!strcmp(a, "--policy")) c.policy = v;
    else if (!strcmp(a, "--dict")) c.dict = v;
    else if (!strcmp(a, "--events")) c.events = v;
    else if (!strcmp(a, "--truth")) c.truth = v;
    else if (!strcmp(a, "--grant")) ok = strlen(v) < sizeof c.grant && (strcpy(c.grant, v), 1);
    else if (!strcmp(a, "--installs")) ok = to_long(v, &c.installs) && c.installs > 0;
    else if (!strcmp(a, "--events-per-install")) ok = to_long(v, &c.per_install);
    else if (!strcmp(a, "--seed")) ok = to_long(v, &c.seed);
    else if (!strcmp(a, "--flush-timeout-ms")) ok = to_long(v, &c.flush_timeout_ms);
    else {
      fprintf(stderr, "softphone_sim: unknown flag %s\n%s", a, usage);
      return 2;
    }
    if (!ok) {
      fprintf(stderr, "softphone_sim: bad value for %s\n", a);
      return 2;
    }
  }
  if (!c.endpoint || !c.state_dir || !c.policy) {
    fprintf(stderr, "softphone_sim: --endpoint, --state-dir and --policy are required\n%s", usage);
    return 2;
  }
  for (const char* p = c.grant; *p;) { /* every granted category must exist */
    size_t n = strcspn(p, ",");
    int known = 0;
    for (size_t i = 0; i < CATEGORY_COUNT; ++i)
      known |= strlen(all_categories[i]) == n && !strncmp(all_categories[i], p, n);
    if (!known) {
      fprintf(stderr, "softphone_sim: unknown category in --grant: %.*s\n", (int)n, p);
      return 2;
    }
    p += n + (p[n] == ',');
  }
  if (mkdir(c.state_dir, 0700) != 0 && errno != EEXIST) {
    fprintf(stderr, "softphone_sim: mkdir %s: %s\n", c.state_dir, strerror(errno));
    return 1;
  }

  strlist lines = {0}, pii = {0};
  size_t* start = calloc((size_t)c.installs + 1, sizeof *start);
  if (!start) return 1;
  if (c.events) {
    if (read_lines(c.events, &lines) != 0) {
      fprintf(stderr, "softphone_sim: cannot read %s: %s\n", c.events, strerror(errno));
      return 1;
    }
    /* Contiguous runs, one per install, so each install sees an ordered slice of the day. */
    size_t per = c.per_install ? (size_t)c.per_install
                               : (lines.n + (size_t)c.installs - 1) / (size_t)c.installs;
    for (long k = 0; k <= c.installs; ++k) {
      size_t s = (size_t)k * per;
      start[k] = s < lines.n ? s : lines.n;
    }
  } else {
    rng_state ^= (unsigned long long)c.seed * 0x9E3779B97F4A7C15ULL;
    if (!rng_state) rng_state = 1;
    long per = c.per_install ? c.per_install : 200;
    for (long k = 0; k < c.installs; ++k) {
      start[k] = lines.n;
      if (generate_install(k, per, &lines, &pii) != 0) {
        fprintf(stderr, "softphone_sim: out of memory\n");
        return 1;
      }
    }
    start[c.installs] = lines.n;
    if (c.truth && write_truth(c.truth, &pii) != 0) {
      fprintf(stderr, "softphone_sim: cannot write %s\n", c.truth);
      return 1;
    }
  }

  totals t;
  memset(&t, 0, sizeof t);
  for (long k = 0; k < c.installs; ++k)
    run_install(&c, k, lines.v + start[k], start[k + 1] - start[k], &t);

  printf(
      "summary: {\"installs\":%ld,\"recorded\":%llu,\"record_failed\":%llu,\"processed\":%llu,"
      "\"stored\":%llu,\"sent\":%llu,\"batches\":%llu,\"spool_left\":%llu,\"redactions\":%llu,"
      "\"drops\":{",
      c.installs, t.recorded, t.record_failed, t.processed, t.stored, t.sent, t.batches, t.live,
      t.redactions);
  for (size_t i = 0; i < DROP_COUNT; ++i)
    printf("%s\"%s\":%llu", i ? "," : "", drop_names[i], t.drops[i]);
  printf("},\"drained\":%s}\n", t.failed ? "false" : "true");
  strlist_free(&lines);
  strlist_free(&pii);
  free(start);
  return t.failed ? 1 : 0;
}
