# ASan + UBSan configuration (-DCORRAL_SANITIZE=ON): every target, tests included.
if(CORRAL_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined -O1)
  add_link_options(-fsanitize=address,undefined)
  add_compile_definitions(CORRAL_SANITIZE=1)
endif()

# Fuzzing configuration (-DCORRAL_FUZZ=ON, clang): instrument everything for libFuzzer + ASan.
if(CORRAL_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "CORRAL_FUZZ needs clang (e.g. -DCMAKE_CXX_COMPILER=clang++-14)")
  endif()
  add_compile_options(-fsanitize=address,fuzzer-no-link -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address)
endif()
