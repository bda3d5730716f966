# Tests of the report writers.
set(RPT_TESTS ${CMAKE_CURRENT_LIST_DIR})

# HTML: test_rpt_html renders a result (and checks determinism, the
# embedded JSON block and, given one, a golden file); html_test.py opens
# the page in headless Chromium, filters through the URL fragment and the
# page's own controls, and checks the DOM. Skipped (77) only when no
# chromium is installed (scripts/install-deps.sh --browser).
add_executable(test_rpt_html ${RPT_TESTS}/test_rpt_html.c)
target_compile_definitions(test_rpt_html PRIVATE _GNU_SOURCE)
target_link_libraries(test_rpt_html PRIVATE reports)
siospec_warnings(test_rpt_html)
# Byte-exact against the committed page (after an intended change:
# build/reports/test_rpt_html reports/tests/result-fixture.json
#   reports/tests/golden/result-fixture.html).
add_test(NAME html_golden
         COMMAND test_rpt_html ${RPT_TESTS}/result-fixture.json
                 ${CMAKE_CURRENT_BINARY_DIR}/html_golden.html
                 ${RPT_TESTS}/golden/result-fixture.html)
set_tests_properties(html_golden PROPERTIES LABELS unit TIMEOUT 60)
add_test(NAME html_report_browser
         COMMAND python3 ${RPT_TESTS}/html_test.py $<TARGET_FILE:test_rpt_html>
                 ${RPT_TESTS}/result-fixture.json ${CMAKE_CURRENT_BINARY_DIR}/html_test)
set_tests_properties(html_report_browser PROPERTIES LABELS integration TIMEOUT 300
                     SKIP_RETURN_CODE 77)
