# siospec_warnings(target): our warning set, applied to our own targets only.
set(SIOSPEC_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes
    -Wmissing-prototypes -Wvla -Wformat=2 -Wconversion -Wno-sign-conversion)
function(siospec_warnings target)
  target_compile_options(${target} PRIVATE ${SIOSPEC_WARNINGS})
  if(ENABLE_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
