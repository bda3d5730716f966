# libFuzzer support. ENABLE_FUZZING requires clang; the replay programs are
# always built (any compiler) from fuzz/replay_main.c.
if(ENABLE_FUZZING)
  if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "ENABLE_FUZZING needs clang: configure with CC=clang "
                        "(Debian: apt-get install clang libclang-rt-14-dev)")
  endif()
  # Instrument everything for coverage feedback; only fuzz_* link the driver.
  add_compile_options(-fsanitize=fuzzer-no-link)
  add_link_options(-fsanitize=fuzzer-no-link)
endif()
