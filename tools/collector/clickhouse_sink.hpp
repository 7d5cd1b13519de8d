// ClickHouse sink (URL clickhouse://host:port/db), written for ClickHouse 18.16 over its HTTP
// interface: blocking POSIX sockets, one request per call (Connection: close), inserts as
// JSONEachRow with Content-Encoding: gzip (18.16 has no zstd), 30 s socket timeouts.
// Schema (created on open, database included):
//   events(day Date, received_at DateTime, batch_key String, install String, ts String,
//          type String, category String, attrs String /* JSON object */)
//     MergeTree PARTITION BY toYYYYMMDD(day) ORDER BY (type, day)
//   quarantine(day Date /* received */, received_at DateTime, batch_key String, type String,
//              reason String)   -- never the value; MergeTree PARTITION BY toYYYYMMDD(day)
//   batches(day Date, received_at DateTime, key String, n UInt64)
//     ReplacingMergeTree PARTITION BY toYYYYMMDD(day) ORDER BY key
//   install_keys(day Date /* of last_seen */, install String, public_key String /* 64 hex */,
//                first_seen DateTime, last_seen DateTime, erased_at DateTime /* 0 = live */,
//                version UInt64)
//     ReplacingMergeTree(version) PARTITION BY toYYYYMMDD(day) ORDER BY install: one version row
//     per change (bound, a new last_seen day, tombstoned), read with argMax(.., version).
// Idempotency: SELECT on batches before the insert, the batches row written last (a crash in
// between means a retry stores the batch again: at-least-once; two collectors racing on the
// same key can both store it). Retention: 18.16 has no TTL, so expire() drops whole day
// partitions (install_keys too). Erasure: tombstones first (under the write lock, so no row of
// an erased install is inserted after them), rows counted per category, then ALTER TABLE ...
// DELETE WHERE install IN (...) (a mutation), awaited via system.mutations (at most 30 s).
// Binding checks are check-then-insert under the write lock: two collectors on one database can
// each bind a first key (the argMax winner is the later version).
// Attributes are read with visitParam* (no JSONExtract in 18.16): top-level fields only.
// Thread-safe: write_batch is serialised by a mutex (check-then-insert), other calls are
// independent HTTP requests.
#pragma once

#include "tools/collector/sink.hpp"
