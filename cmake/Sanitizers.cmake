# Sanitizer configurations.
#  -DCORRAL_SANITIZE=ON: ASan + UBSan on every target (unit tests run under them).
#  -DCORRAL_FUZZ=ON (clang): libFuzzer targets, everything instrumented for ASan
#    and libFuzzer's coverage. Both together (what scripts/test.sh does) give one
#    clang build in which the unit tests run under ASan + UBSan and the fuzzers
#    run with UBSan too.
# Under CORRAL_SANITIZE the compute-heavy parts are built with -O1
# (corral_library, cmake/Helpers.cmake) and everything else at the build
# type's level (-O0 for Debug): that keeps the sanitizer build short and the
# kernel-heavy tests fast.
set(CORRAL_OPTIMIZED_PARTS util gguf quant kernels model sample tokenizer grammar runner)
if(CORRAL_FUZZ AND NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "CORRAL_FUZZ needs clang (e.g. -DCMAKE_CXX_COMPILER=clang++-14)")
endif()
set(corral_sanitizers "")
if(CORRAL_SANITIZE)
  list(APPEND corral_sanitizers address undefined)
  add_compile_options(-fno-sanitize-recover=undefined)
  add_compile_definitions(CORRAL_SANITIZE=1)
endif()
if(CORRAL_FUZZ)
  list(APPEND corral_sanitizers address)
endif()
list(REMOVE_DUPLICATES corral_sanitizers)
if(corral_sanitizers)
  list(JOIN corral_sanitizers "," corral_sanitize_list)
  set(corral_compile_sanitize "${corral_sanitize_list}")
  if(CORRAL_FUZZ)
    set(corral_compile_sanitize "${corral_sanitize_list},fuzzer-no-link")
  endif()
  add_compile_options(-fsanitize=${corral_compile_sanitize} -fno-omit-frame-pointer)
  add_link_options(-fsanitize=${corral_sanitize_list})
endif()
