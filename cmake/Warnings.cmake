# Compiler warnings applied to all project targets.
add_library(corral_warnings INTERFACE)
target_compile_options(corral_warnings INTERFACE
  -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers)
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  # g++ 12 reports false positives on std::vector/string internals at -O3.
  target_compile_options(corral_warnings INTERFACE -Wno-stringop-overflow -Wno-array-bounds -Wno-restrict)
endif()
