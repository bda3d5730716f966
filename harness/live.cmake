# harness_live: the live-server fuzzer (case model, reproducer format,
# generator, executor, oracles, minimiser, campaign, report), built on
# harness_net (sessions and raw channels) and harness_proc (supervised
# targets). Included from harness/CMakeLists.txt; `siospec fuzz` and
# `siospec replay` (apps/) are its front ends.
set(HX_LIVE_DIR ${CMAKE_CURRENT_LIST_DIR})

if(TARGET harness_net)
  file(GLOB HARNESS_LIVE_SOURCES CONFIGURE_DEPENDS ${HX_LIVE_DIR}/src/live/*.c)
  add_library(harness_live STATIC ${HARNESS_LIVE_SOURCES})
  target_include_directories(harness_live PUBLIC ${HX_LIVE_DIR}/include
                                          PRIVATE ${HX_LIVE_DIR}/src/live)
  target_compile_definitions(harness_live PRIVATE _POSIX_C_SOURCE=200809L)
  target_link_libraries(harness_live PUBLIC harness_net harness_proc)
  siospec_warnings(harness_live)

  if(BUILD_TESTING)
    # test_harness_live: generator determinism, reproducer round trips,
    # ddmin, signatures, /proc parsing. No server, no network.
    file(GLOB HARNESS_LIVE_TESTS CONFIGURE_DEPENDS ${HX_LIVE_DIR}/tests/test_live*.c)
    add_executable(test_harness_live ${HARNESS_LIVE_TESTS} ${HX_LIVE_DIR}/tests/th_run.c)
    target_include_directories(test_harness_live PRIVATE ${HX_LIVE_DIR}/tests
                                                         ${HX_LIVE_DIR}/src/live)
    target_compile_definitions(test_harness_live PRIVATE _POSIX_C_SOURCE=200809L)
    target_link_libraries(test_harness_live PRIVATE harness_live PkgConfig::CUNIT)
    siospec_warnings(test_harness_live)
    add_test(NAME harness_live COMMAND test_harness_live)
    set_tests_properties(harness_live PROPERTIES LABELS unit TIMEOUT 120)

    if(ENABLE_INTEGRATION_TESTS)
      # The live fuzzer's self-test (needs harness/targets/install.sh):
      # against the pinned vulnerable set it must find the three known
      # crashes (it stops as soon as they are in), and every crash
      # reproducer must replay; against the current release it must find
      # no crash and no hang.
      set(HX_LIVE_OUT ${CMAKE_BINARY_DIR}/fuzz-live)
      add_test(NAME fuzz_live_vuln
               COMMAND ${HX_LIVE_DIR}/tests/live_selftest.sh $<TARGET_FILE:siospec> positive
                       ${HX_LIVE_OUT}/sio4-vuln)
      set_tests_properties(fuzz_live_vuln PROPERTIES LABELS fuzz-live TIMEOUT 240)
      add_test(NAME fuzz_live_sio4
               COMMAND ${HX_LIVE_DIR}/tests/live_selftest.sh $<TARGET_FILE:siospec> negative
                       ${HX_LIVE_OUT}/sio4)
      set_tests_properties(fuzz_live_sio4 PROPERTIES LABELS fuzz-live TIMEOUT 180)
    endif()
  endif()
endif()
