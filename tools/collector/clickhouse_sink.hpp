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
// Idempotency: SELECT on batches before the insert, the batches row written last (a crash in
// between means a retry stores the batch again: at-least-once; two collectors racing on the
// same key can both store it). Retention: 18.16 has no TTL, so expire() drops whole day
// partitions. Erasure: ALTER TABLE ... DELETE (a mutation), awaited via system.mutations.
// Attributes are read with visitParam* (no JSONExtract in 18.16): top-level fields only.
// Thread-safe: write_batch is serialised by a mutex (check-then-insert), other calls are
// independent HTTP requests.
#pragma once

#include "tools/collector/sink.hpp"
