# harness_proc: the servers under test (description files, spawning,
# readiness, death detection, stop). libc + cJSON only; POSIX.
# Included from harness/CMakeLists.txt.
set(HX_PROC_DIR ${CMAKE_CURRENT_LIST_DIR})

file(GLOB HARNESS_PROC_SOURCES CONFIGURE_DEPENDS ${HX_PROC_DIR}/src/proc/*.c)
add_library(harness_proc STATIC ${HARNESS_PROC_SOURCES})
target_include_directories(harness_proc PUBLIC ${HX_PROC_DIR}/include
                                        PRIVATE ${HX_PROC_DIR}/src/proc)
target_link_libraries(harness_proc PRIVATE PkgConfig::CJSON)
siospec_warnings(harness_proc)

if(BUILD_TESTING)
  # test_harness_proc: CUnit unit tests (no network beyond 127.0.0.1, no
  # server install needed: the fake server is the test program itself).
  file(GLOB HARNESS_PROC_TESTS CONFIGURE_DEPENDS ${HX_PROC_DIR}/tests/test_target*.c)
  add_executable(test_harness_proc ${HARNESS_PROC_TESTS})
  target_include_directories(test_harness_proc PRIVATE ${HX_PROC_DIR}/src/proc
                                                       ${HX_PROC_DIR}/tests)
  target_compile_definitions(test_harness_proc PRIVATE
                             HX_TARGETS_DIR="${HX_PROC_DIR}/targets")
  target_link_libraries(test_harness_proc PRIVATE harness_proc PkgConfig::CJSON
                                                  PkgConfig::CUNIT)
  siospec_warnings(test_harness_proc)
  add_test(NAME harness_proc COMMAND test_harness_proc)
  set_tests_properties(harness_proc PROPERTIES LABELS unit TIMEOUT 120)

  if(ENABLE_INTEGRATION_TESTS)
    # Starts the reference target (harness/targets/sio4.json, needs
    # harness/targets/install.sh to have run), checks a polling handshake,
    # stops it.
    add_test(NAME harness_proc_integration
             COMMAND test_harness_proc --integration ${HX_PROC_DIR}/targets/sio4.json)
    set_tests_properties(harness_proc_integration PROPERTIES LABELS integration TIMEOUT 60)
  endif()
endif()
