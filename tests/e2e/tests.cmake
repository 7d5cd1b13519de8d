# Script-driven tests: the CLI as a user runs it, and the shared corpus checker.
# Scripts exit 77 to mark a test skipped (e.g. ../shared not present in a plain clone).
set(VEIL_E2E_DIR ${CMAKE_CURRENT_LIST_DIR})
function(veil_script_test name script)
  add_test(NAME ${name} COMMAND bash ${VEIL_E2E_DIR}/${script} ${ARGN})
  set_tests_properties(${name} PROPERTIES SKIP_RETURN_CODE 77
    ENVIRONMENT "VEIL_BIN=$<TARGET_FILE:veil_cli>;VEIL_SOURCE_DIR=${PROJECT_SOURCE_DIR};VEIL_BUILD_DIR=${PROJECT_BINARY_DIR}")
endfunction()
if(TARGET veil_cli)
  veil_script_test(e2e.cli_scrub cli_scrub_test.sh)
  veil_script_test(e2e.corpus_public corpus_test.sh)
  set_tests_properties(e2e.corpus_public PROPERTIES TIMEOUT 600)
endif()
veil_script_test(e2e.exports exports_test.sh $<TARGET_FILE:veil_agent>)
if(TARGET c_abi_test AND TARGET veil_test_server)
  veil_script_test(e2e.c_abi c_abi_test.sh $<TARGET_FILE:c_abi_test> $<TARGET_FILE:veil_test_server>)
endif()
