# start_sink sqlite|clickhouse: sets DBURL (the collector's --db) and DUMP (pipeline_check.py
# dump's arguments). For ClickHouse, starts a clickhouse-server on free loopback ports in
# $T/ch and adds its pid to $pids (the caller's cleanup stops it); exits 77 when none is
# installed. Needs lib.sh (T, pass, fail, finish). The body is not indented: it holds
# here-documents and inline Python.
start_sink() {
local SINK=$1
if [ "$SINK" = clickhouse ]; then
  CH=/usr/sbin/clickhouse-server
  [ -x "$CH" ] || { echo "SKIP: $CH not found; install clickhouse-server (scripts/install-deps.sh --with-clickhouse)"; exit 77; }
  read -r CHP CHT < <(python3 -c "
import socket
ss = [socket.socket() for _ in range(2)]
for s in ss: s.bind(('127.0.0.1', 0))
print(*[s.getsockname()[1] for s in ss])")
  C=$T/ch; mkdir -p "$C/log"
  cat > "$C/config.xml" <<XML
<yandex>
<logger><level>warning</level><log>$C/log/server.log</log><errorlog>$C/log/server.err.log</errorlog><size>10M</size><count>1</count></logger>
<listen_host>127.0.0.1</listen_host><http_port>$CHP</http_port><tcp_port>$CHT</tcp_port>
<path>$C/data/</path><tmp_path>$C/data/tmp/</tmp_path>
<user_files_path>$C/data/user_files/</user_files_path><format_schema_path>$C/data/format_schemas/</format_schema_path>
<users_config>users.xml</users_config><default_profile>default</default_profile><default_database>default</default_database>
<mark_cache_size>268435456</mark_cache_size><uncompressed_cache_size>268435456</uncompressed_cache_size>
<max_concurrent_queries>20</max_concurrent_queries><timezone>UTC</timezone>
</yandex>
XML
  cat > "$C/users.xml" <<'XML'
<yandex><profiles><default><max_memory_usage>2000000000</max_memory_usage></default></profiles>
<users><default><password></password><networks><ip>127.0.0.1</ip><ip>::1</ip></networks><profile>default</profile><quota>default</quota></default></users>
<quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas></yandex>
XML
  "$CH" --config-file="$C/config.xml" >"$C/log/stdout.log" 2>&1 &
  pids="$pids $!"
  for _ in $(seq 600); do curl -s "http://127.0.0.1:$CHP/ping" 2>/dev/null | grep -q Ok && break; sleep 0.05; done
  curl -s "http://127.0.0.1:$CHP/ping" | grep -q Ok && pass "clickhouse-server up on 127.0.0.1:$CHP" \
    || { fail "clickhouse-server did not answer /ping: $(tail -5 "$C/log/stdout.log")"; finish; }
  DBURL="clickhouse://127.0.0.1:$CHP/veil_e2e"; DUMP=(clickhouse "$CHP" veil_e2e)
elif [ "$SINK" = sqlite ]; then
  DBURL="sqlite://$T/events.db"; DUMP=(sqlite "$T/events.db")
else
  echo "start_sink: sqlite or clickhouse, not $SINK" >&2; exit 2
fi
}
