# ASan + UBSan for everything built in this tree when ENABLE_SANITIZERS is on.
if(ENABLE_SANITIZERS)
  set(SIOSPEC_SAN_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=all
      -fno-omit-frame-pointer)
  add_compile_options(${SIOSPEC_SAN_FLAGS})
  add_link_options(${SIOSPEC_SAN_FLAGS})
endif()
if(ENABLE_COVERAGE)
  if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "ENABLE_COVERAGE needs clang (configure with CC=clang)")
  endif()
  add_compile_options(-fprofile-instr-generate -fcoverage-mapping)
  add_link_options(-fprofile-instr-generate -fcoverage-mapping)
endif()
