// SQLite sink (URL sqlite:///abs/path.db). On-disk layout, schema version 3 (PRAGMA user_version):
//
//   events(id INTEGER PRIMARY KEY, batch_key TEXT NOT NULL, received_at INTEGER NOT NULL /* unix s
//   */,
//          install TEXT NOT NULL /* '' when absent */, day TEXT NOT NULL /* YYYY-MM-DD of ts */,
//          ts TEXT NOT NULL /* RFC 3339 hour */, type TEXT NOT NULL, category TEXT NOT NULL,
//          attrs TEXT NOT NULL /* JSON object */)
//     indexes: (type, day) — expiry by day walks the types through it; (install) — erasure and
//     subject access select by the install column only. The index on (day) alone was dropped
//     (it cost every insert; opening an older database drops it).
//   batches(key TEXT PRIMARY KEY, received_at INTEGER NOT NULL, n INTEGER NOT NULL /* events */)
//     one row per stored Idempotency-Key; a batch whose key is present is not stored again
//   quarantine(received_at INTEGER NOT NULL, batch_key TEXT NOT NULL, type TEXT NOT NULL,
//              reason TEXT NOT NULL)   -- never the offending value
//   install_keys(install TEXT PRIMARY KEY, public_key TEXT NOT NULL /* 64 hex, Ed25519 */,
//                first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL /* unix s */,
//                erased_at INTEGER /* NULL = live; set = tombstone */) WITHOUT ROWID
//     the device key each install token was first seen with (veil.erasure_key); checked and
//     written in the batch's transaction. Erasure deletes events by install (index
//     events_install) and sets erased_at in one transaction; expiry deletes rows whose
//     last_seen (moved to erased_at on erasure) is before the cutoff day.
//   metrics(id INTEGER PRIMARY KEY, batch_key TEXT, received_at INTEGER /* unix s */,
//           day TEXT /* YYYY-MM-DD received: retention */, window_start INTEGER,
//           window_end INTEGER /* unix s, whole minutes */, name TEXT, kind TEXT /* sum, gauge,
//           histogram */, unit TEXT, temporality INTEGER /* 0 gauge, 1 delta, 2 cumulative */,
//           monotonic INTEGER, attrs TEXT /* JSON object, keys sorted */, resource TEXT /* JSON
//           object, allowlisted */, count INTEGER, sum REAL, min REAL, max REAL /* NULL when not
//           sent */, bounds TEXT /* JSON array */, bucket_counts TEXT /* JSON array */)
//     index (name, day); anonymous: no install column (POST /v1/metrics)
//   metric_batches(key TEXT PRIMARY KEY, received_at INTEGER, n INTEGER /* points */)
//     the metrics lane's Idempotency-Keys, apart from batches
//
// WAL journal, synchronous=NORMAL, busy_timeout 5 s; one IMMEDIATE transaction per batch with
// prepared statements. One connection for every statement, serialised by a mutex (SQLite
// writes are single-writer anyway), and a second one used only by a checkpoint thread: a WAL
// hook wakes it at 1000 WAL pages (instead of SQLite's automatic checkpoint in the committing
// call) and it runs PASSIVE checkpoints, so commits never wait for a checkpoint's fsyncs.
// Retention: expire() deletes events and metrics by day, quarantine/batches/metric_batches by
// received_at and install_keys by last_seen.
#pragma once

#include "tools/collector/sink.hpp"
