// SQLite sink (URL sqlite:///abs/path.db). On-disk layout, schema version 1 (PRAGMA user_version):
//
//   events(id INTEGER PRIMARY KEY, batch_key TEXT NOT NULL, received_at INTEGER NOT NULL /* unix s
//   */,
//          install TEXT NOT NULL /* '' when absent */, day TEXT NOT NULL /* YYYY-MM-DD of ts */,
//          ts TEXT NOT NULL /* RFC 3339 hour */, type TEXT NOT NULL, category TEXT NOT NULL,
//          attrs TEXT NOT NULL /* JSON object */)
//     index: (type, day). Expiry by day walks the types through it. Indexes on (day) and on
//     (install) were dropped (each cost every insert; opening an older database drops them):
//     erasure matches install OR pseudonym attributes inside attrs, which is a scan of events
//     with or without an index on install, and no report filters by install.
//   batches(key TEXT PRIMARY KEY, received_at INTEGER NOT NULL, n INTEGER NOT NULL /* events */)
//     one row per stored Idempotency-Key; a batch whose key is present is not stored again
//   quarantine(received_at INTEGER NOT NULL, batch_key TEXT NOT NULL, type TEXT NOT NULL,
//              reason TEXT NOT NULL)   -- never the offending value
//
// WAL journal, synchronous=NORMAL, busy_timeout 5 s; one IMMEDIATE transaction per batch with
// prepared statements. One connection for every statement, serialised by a mutex (SQLite
// writes are single-writer anyway), and a second one used only by a checkpoint thread: a WAL
// hook wakes it at 1000 WAL pages (instead of SQLite's automatic checkpoint in the committing
// call) and it runs PASSIVE checkpoints, so commits never wait for a checkpoint's fsyncs.
// Retention: expire() deletes events by day and quarantine/batches by received_at.
#pragma once

#include "tools/collector/sink.hpp"
