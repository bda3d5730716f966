# Tests of the catalogue: its listing and metadata, spec coverage, the
# canonical result against its JSON Schema, and (integration) the whole
# catalogue against every bundled target and the fault-injection fixture.
set(CK_TESTS ${CMAKE_CURRENT_LIST_DIR})

add_executable(test_cases ${CK_TESTS}/test_cases.c ${CMAKE_SOURCE_DIR}/harness/tests/th_run.c)
target_include_directories(test_cases PRIVATE ${CMAKE_SOURCE_DIR}/harness/tests)
target_compile_definitions(test_cases PRIVATE _GNU_SOURCE)
target_link_libraries(test_cases PRIVATE cases PkgConfig::CUNIT)
siospec_warnings(test_cases)
add_test(NAME cases_unit COMMAND test_cases)
set_tests_properties(cases_unit PROPERTIES LABELS unit TIMEOUT 60)

add_test(NAME catalogue_list
         COMMAND python3 ${CK_TESTS}/check_list.py $<TARGET_FILE:siospec> 250)
set_tests_properties(catalogue_list PROPERTIES LABELS unit TIMEOUT 60)
add_test(NAME spec_statements
         COMMAND sh -c "for f in ${CMAKE_CURRENT_SOURCE_DIR}/spec/*.tsv; do python3 ${CMAKE_CURRENT_SOURCE_DIR}/spec/check_statements.py $f || exit 1; done")
set_tests_properties(spec_statements PROPERTIES LABELS unit TIMEOUT 60)
# Every statement needs a case or a written reason why none can exist.
add_test(NAME coverage COMMAND $<TARGET_FILE:siospec> coverage --check)
set_tests_properties(coverage PROPERTIES LABELS unit TIMEOUT 60)

if(ENABLE_INTEGRATION_TESTS)
  # The reference must be clean (PASS or baselined); every other bundled
  # target must run the whole catalogue to the end with every case judged.
  # Sanitizer builds are slower: time windows are doubled (--timeout-scale).
  foreach(t sio4 sio4-eio3 sio4-recovery sio4-cookie sio3 sio2 engineio engineio-eio3 deno bun bun-eio
            py-aiohttp py-asgi py-eventlet py-engineio)
    set(mode no-error)
    if(t STREQUAL "sio4")
      set(mode clean)
    endif()
    add_test(NAME run_${t}
             COMMAND ${CK_TESTS}/run_target.sh $<TARGET_FILE:siospec> ${t} ${mode}
                     --timeout-scale 2)
    set_tests_properties(run_${t} PROPERTIES LABELS integration TIMEOUT 300 RUN_SERIAL TRUE)
  endforeach()
endif()

if(ENABLE_INTEGRATION_TESTS)
  # The catalogue must be able to fail: every fault of our fault-injection
  # testee is caught (expected case ids fail), the faithful testee is clean.
  add_test(NAME fault_injection
           COMMAND python3 ${CK_TESTS}/fault_test.py $<TARGET_FILE:siospec> --timeout-scale 2)
  set_tests_properties(fault_injection PROPERTIES LABELS integration TIMEOUT 1200 RUN_SERIAL TRUE)
  add_test(NAME fault_fixture_wire COMMAND node ${CK_TESTS}/faulty/check_faults.js)
  set_tests_properties(fault_fixture_wire PROPERTIES LABELS integration TIMEOUT 300 RUN_SERIAL TRUE)
endif()
