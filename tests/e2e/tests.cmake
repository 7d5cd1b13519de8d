# Script-driven tests: the CLI as a user runs it, and the shared corpus checker.
# Scripts exit 77 to mark a test skipped (e.g. ../shared not present in a plain clone).
set(VEIL_E2E_DIR ${CMAKE_CURRENT_LIST_DIR})
list(JOIN _veil_san_flags " " VEIL_SAN_FLAGS_STR)
# A cross build (aarch64 under qemu-user): scripts run the target's programs through
# VEIL_EMULATOR and inspect its libraries with the target's nm (VEIL_NM).
list(JOIN CMAKE_CROSSCOMPILING_EMULATOR " " VEIL_EMULATOR_STR)
if(CMAKE_NM)
  set(VEIL_NM_STR ${CMAKE_NM})
else()
  set(VEIL_NM_STR nm)
endif()
# Without the tools (VEIL_HTTP_CLIENT=OFF) there is no CLI: VEIL_BIN is empty then.
if(TARGET veil_cli)
  set(VEIL_E2E_CLI $<TARGET_FILE:veil_cli>)
else()
  set(VEIL_E2E_CLI "")
endif()
function(veil_script_test name script)
  add_test(NAME ${name} COMMAND bash ${VEIL_E2E_DIR}/${script} ${ARGN})
  set_tests_properties(${name} PROPERTIES SKIP_RETURN_CODE 77
    ENVIRONMENT "VEIL_BIN=${VEIL_E2E_CLI};VEIL_SOURCE_DIR=${PROJECT_SOURCE_DIR};VEIL_BUILD_DIR=${PROJECT_BINARY_DIR};VEIL_SAN_FLAGS=${VEIL_SAN_FLAGS_STR};VEIL_EMULATOR=${VEIL_EMULATOR_STR};VEIL_NM=${VEIL_NM_STR}")
endfunction()
# The word table's generator (VEIL_WORD_LANGS): runs on the build machine in every build.
veil_script_test(e2e.wordlist wordlist_test.sh)
if(TARGET veil_cli)
  veil_script_test(e2e.cli_scrub cli_scrub_test.sh)
  veil_script_test(e2e.own_corpus own_corpus_test.sh)
  veil_script_test(e2e.real_corpus real_corpus_test.sh)
  veil_script_test(e2e.corpus_public corpus_test.sh)
  set_tests_properties(e2e.corpus_public PROPERTIES TIMEOUT 600)
endif()
if(TARGET veil_cli AND TARGET veil_collector)
  add_test(NAME e2e.report_html COMMAND sh ${VEIL_E2E_DIR}/report_html.sh
           $<TARGET_FILE:veil_collector> $<TARGET_FILE:veil_cli> ${PROJECT_BINARY_DIR}/e2e_report_html)
  set_tests_properties(e2e.report_html PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 120)
  veil_script_test(e2e.collector_tls collector_tls_test.sh $<TARGET_FILE:veil_collector>)
  # Hostile clients against a real collector (issue 12): one summary line, exit 1 on a failure.
  add_test(NAME e2e.hostile_clients COMMAND python3 ${VEIL_E2E_DIR}/hostile_clients
           $<TARGET_FILE:veil_collector>)
  if(TARGET veil_bench_leak_guard)
    veil_script_test(e2e.leak_guard leak_guard_test.sh $<TARGET_FILE:veil_bench_leak_guard>)
    set_tests_properties(e2e.leak_guard PROPERTIES TIMEOUT 300)
  endif()
  set_tests_properties(e2e.hostile_clients PROPERTIES TIMEOUT 300
    ENVIRONMENT "VEIL_SAN_FLAGS=${VEIL_SAN_FLAGS_STR}")
  set_tests_properties(e2e.collector_tls PROPERTIES TIMEOUT 60)
endif()
# The consumer projects build with the build machine's compiler: not in a cross build.
if(VEIL_INSTALL AND TARGET veil_test_server AND NOT CMAKE_CROSSCOMPILING)
  veil_script_test(e2e.install install_test.sh $<TARGET_FILE:veil_test_server>
    $<$<NOT:$<BOOL:${VEIL_HTTP_CLIENT}>>:--no-http-client>)
  set_tests_properties(e2e.install PROPERTIES TIMEOUT 300)
endif()
veil_script_test(e2e.exports exports_test.sh $<TARGET_FILE:veil_agent>
  $<$<NOT:$<BOOL:${VEIL_HTTP_CLIENT}>>:--no-http-client>)
if(TARGET c_abi_test AND TARGET veil_test_server)
  # Without the built-in client only the program's host transport uploads.
  veil_script_test(e2e.c_abi c_abi_test.sh $<TARGET_FILE:c_abi_test> $<TARGET_FILE:veil_test_server>
    $<$<NOT:$<BOOL:${VEIL_HTTP_CLIENT}>>:--host-only>)
endif()
if(TARGET veil_cli AND TARGET veil_test_server)
  veil_script_test(e2e.run run_test.sh $<TARGET_FILE:veil_test_server>)
  set_tests_properties(e2e.run PROPERTIES TIMEOUT 120)
  veil_script_test(e2e.crash_dedup crash_dedup_test.sh $<TARGET_FILE:veil_test_server>)
  set_tests_properties(e2e.crash_dedup PROPERTIES TIMEOUT 180)
endif()
# Platform crash reports imported by the CLI into an agent that uploads to a real collector.
if(TARGET veil_cli AND TARGET veil_collector)
  veil_script_test(e2e.crash_import crash_import_test.sh $<TARGET_FILE:veil_collector>)
  set_tests_properties(e2e.crash_import PROPERTIES TIMEOUT 120)
endif()
# Agent -> collector -> sink end to end with the simulated softphone, and the main job itself.
if(TARGET veil_cli AND TARGET veil_collector AND TARGET softphone_sim)
  veil_script_test(e2e.pipeline_sqlite pipeline_test.sh sqlite $<TARGET_FILE:veil_collector> $<TARGET_FILE:softphone_sim>)
  veil_script_test(e2e.pipeline_clickhouse pipeline_test.sh clickhouse $<TARGET_FILE:veil_collector> $<TARGET_FILE:softphone_sim>)
  veil_script_test(e2e.demo demo_test.sh)
  set_tests_properties(e2e.pipeline_sqlite e2e.pipeline_clickhouse e2e.demo PROPERTIES TIMEOUT 400)
endif()
# Users' rights through the CLI against the real collector, both sinks (issue 14).
if(TARGET veil_cli AND TARGET veil_collector)
  veil_script_test(e2e.rights_sqlite rights_test.sh sqlite $<TARGET_FILE:veil_collector>)
  veil_script_test(e2e.rights_clickhouse rights_test.sh clickhouse $<TARGET_FILE:veil_collector>)
  set_tests_properties(e2e.rights_sqlite e2e.rights_clickhouse PROPERTIES TIMEOUT 300)
  # Anonymous statistics: aggregate-mode daemon against event mode, into both sinks (issue 15).
  veil_script_test(e2e.aggregate_sqlite aggregate_test.sh sqlite $<TARGET_FILE:veil_collector>)
  veil_script_test(e2e.aggregate_clickhouse aggregate_test.sh clickhouse $<TARGET_FILE:veil_collector>)
  set_tests_properties(e2e.aggregate_sqlite e2e.aggregate_clickhouse PROPERTIES TIMEOUT 300)
endif()
