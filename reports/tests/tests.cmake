# Tests of the report writers: unit tests against hand-written result
# documents and golden outputs (no server), the golden JUnit file against
# the committed XSD.
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
