# Tests of the cross-server matrix: the writers on hand-made results, and
# the committed matrix (reports/matrix/) against today's catalogue.
set(MX_TESTS ${CMAKE_CURRENT_LIST_DIR})

add_executable(test_matrix ${MX_TESTS}/test_matrix.c)
target_compile_definitions(test_matrix PRIVATE _GNU_SOURCE)
target_link_libraries(test_matrix PRIVATE reports PkgConfig::CJSON PkgConfig::CUNIT)
siospec_warnings(test_matrix)
add_test(NAME matrix_unit COMMAND test_matrix)
set_tests_properties(matrix_unit PROPERTIES LABELS unit TIMEOUT 60)

# The command line without servers: usage errors, a missing result.
add_test(NAME matrix_cli COMMAND ${MX_TESTS}/matrix_cli.sh $<TARGET_FILE:siospec>
                                 ${CMAKE_SOURCE_DIR}/harness/targets)
set_tests_properties(matrix_cli PROPERTIES LABELS unit TIMEOUT 60)

# Fails when the committed matrix names case ids that `siospec list` no
# longer has, misses ones it has, or leaves out a bundled target.
add_test(NAME matrix_current
         COMMAND python3 ${MX_TESTS}/check_matrix.py $<TARGET_FILE:siospec>
                 ${CMAKE_SOURCE_DIR}/reports/matrix ${CMAKE_SOURCE_DIR}/harness/targets)
set_tests_properties(matrix_current PROPERTIES LABELS unit TIMEOUT 60)

# The committed matrix.html in a real browser (Debian's chromium): filters
# applied through the URL fragment show exactly the rows they select, and
# cells link to the case in the target's report.
find_program(MX_CHROMIUM NAMES chromium chromium-browser)
if(MX_CHROMIUM)
  add_test(NAME matrix_browser
           COMMAND python3 ${MX_TESTS}/check_matrix_browser.py ${MX_CHROMIUM}
                   ${CMAKE_SOURCE_DIR}/reports/matrix/matrix.html)
  set_tests_properties(matrix_browser PROPERTIES LABELS integration TIMEOUT 300)
  # A matrix with its reports: every target's cell link opens that case in
  # the target's HTML report (the fragment both pages agree on).
  add_test(NAME matrix_links
           COMMAND ${MX_TESTS}/matrix_links.sh $<TARGET_FILE:siospec> ${MX_CHROMIUM}
                   ${MX_TESTS}/result-fixture.json ${CMAKE_SOURCE_DIR}/harness/targets)
  set_tests_properties(matrix_links PROPERTIES LABELS integration TIMEOUT 300)
endif()
