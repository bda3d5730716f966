# Tests of the report writers: unit tests against hand-written result
# documents and golden outputs (no server), the golden JUnit file against
# the committed XSD, the `siospec report` command line, and (integration)
# real runs against the reference server.
set(RPT_TESTS ${CMAKE_CURRENT_LIST_DIR})

add_executable(test_reports ${RPT_TESTS}/test_reports.c)
target_compile_definitions(test_reports PRIVATE _GNU_SOURCE
                           RPT_GOLDEN_DIR="${RPT_TESTS}/golden")
target_link_libraries(test_reports PRIVATE reports PkgConfig::CUNIT)
siospec_warnings(test_reports)
add_test(NAME reports COMMAND test_reports)
set_tests_properties(reports PROPERTIES LABELS unit TIMEOUT 120)

find_program(XMLLINT xmllint)
if(XMLLINT)
  # The golden JUnit file is valid against the XSD, and its counts agree
  # with the document it was rendered from.
  add_test(NAME junit_schema_golden
           COMMAND sh -c "${XMLLINT} --noout --schema ${CMAKE_CURRENT_SOURCE_DIR}/schema/junit.xsd ${RPT_TESTS}/golden/small.junit.xml && python3 ${RPT_TESTS}/check_junit.py ${RPT_TESTS}/golden/small.json ${RPT_TESTS}/golden/small.junit.xml")
  set_tests_properties(junit_schema_golden PROPERTIES LABELS unit TIMEOUT 60)
endif()

# `siospec report`: usage errors, unreadable input, output equal to the
# golden files. (siospec is defined in apps/, after this directory.)
add_test(NAME report_cli COMMAND ${RPT_TESTS}/report_cli.sh $<TARGET_FILE:siospec> ${RPT_TESTS}/golden)
set_tests_properties(report_cli PROPERTIES LABELS unit TIMEOUT 60)

if(ENABLE_INTEGRATION_TESTS)
  # The catalogue on the reference with --junit: valid against the XSD, the
  # counts and the mapping of every verdict checked against the JSON.
  add_test(NAME junit_sio4
           COMMAND ${RPT_TESTS}/junit_test.sh $<TARGET_FILE:siospec>
                   ${CMAKE_CURRENT_SOURCE_DIR}/schema/junit.xsd --timeout-scale 2)
  set_tests_properties(junit_sio4 PROPERTIES LABELS integration TIMEOUT 300 RUN_SERIAL TRUE)
  # `siospec run --report` and `siospec report RESULT.json` give the same
  # bytes for every report.
  add_test(NAME report_rerender
           COMMAND ${RPT_TESTS}/rerender_test.sh $<TARGET_FILE:siospec> --timeout-scale 2)
  set_tests_properties(report_rerender PROPERTIES LABELS integration TIMEOUT 300 RUN_SERIAL TRUE)
endif()
