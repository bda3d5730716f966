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

# HTML: test_rpt_html renders a result (and checks determinism and the
# embedded JSON block; the golden page is small.html in test_reports);
# html_test.py opens the page in headless Chromium, filters through the URL
# fragment and the page's own controls, and checks the DOM. Skipped (77)
# only when no chromium is installed (scripts/install-deps.sh --browser).
add_executable(test_rpt_html ${RPT_TESTS}/test_rpt_html.c)
target_compile_definitions(test_rpt_html PRIVATE _GNU_SOURCE)
target_link_libraries(test_rpt_html PRIVATE reports)
siospec_warnings(test_rpt_html)
add_test(NAME html_report_browser
         COMMAND python3 ${RPT_TESTS}/html_test.py $<TARGET_FILE:test_rpt_html>
                 ${RPT_TESTS}/result-fixture.json ${CMAKE_CURRENT_BINARY_DIR}/html_test)
set_tests_properties(html_report_browser PROPERTIES LABELS integration TIMEOUT 300
                     SKIP_RETURN_CODE 77)
