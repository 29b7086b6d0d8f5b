# Small helpers so each part's CMakeLists stays a few lines long.

# corral_library(NAME SOURCES... [DEPS targets...])
#   A static library corral_<NAME> with src/ on the include path.
function(corral_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(corral_${name} STATIC ${ARG_SOURCES})
  target_include_directories(corral_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(corral_${name} PUBLIC ${ARG_DEPS} PRIVATE corral_warnings)
  if((CORRAL_SANITIZE OR CORRAL_FUZZ) AND name IN_LIST CORRAL_OPTIMIZED_PARTS)
    target_compile_options(corral_${name} PRIVATE -O1)
  endif()
endfunction()

# corral_test(NAME SOURCES... [DEPS targets...] [LABEL unit|integration])
#   A GoogleTest executable registered with CTest. Tests find ../shared through
#   CORRAL_SHARED (default: <project>/../shared) and skip when it is absent.
#   LABEL defaults to "unit" (also run under ASan+UBSan); "integration" tests
#   (servers, registries, whole models) run only in the release build.
function(corral_test name)
  cmake_parse_arguments(ARG "" "LABEL" "SOURCES;DEPS" ${ARGN})
  if(NOT ARG_LABEL)
    set(ARG_LABEL unit)
  endif()
  if(ARG_LABEL STREQUAL "integration" AND NOT CORRAL_INTEGRATION_TESTS)
    return()
  endif()
  add_executable(test_${name} ${ARG_SOURCES})
  target_include_directories(test_${name} PRIVATE ${PROJECT_SOURCE_DIR}/src ${PROJECT_SOURCE_DIR}/tests)
  target_link_libraries(test_${name} PRIVATE ${ARG_DEPS} corral_testutil GTest::gtest GTest::gtest_main corral_warnings)
  # Tests of the compute-heavy parts loop a lot in their own code: -O1 there
  # under the sanitizers too (see cmake/Sanitizers.cmake).
  string(REGEX REPLACE "_.*" "" part ${name})
  if((CORRAL_SANITIZE OR CORRAL_FUZZ) AND part IN_LIST CORRAL_OPTIMIZED_PARTS)
    target_compile_options(test_${name} PRIVATE -O1)
  endif()
  include(GoogleTest)
  gtest_discover_tests(test_${name} DISCOVERY_TIMEOUT 60
    PROPERTIES LABELS ${ARG_LABEL})
  # Tests locate the sources and the binary through corral_testutil's
  # compiled-in defaults (tests/CMakeLists.txt), overridable from the
  # environment with CORRAL_SOURCE_DIR / CORRAL_BINARY.
endfunction()

# corral_bench(NAME SOURCES... [DEPS targets...])
function(corral_bench name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(bench_${name} ${ARG_SOURCES})
  target_include_directories(bench_${name} PRIVATE ${PROJECT_SOURCE_DIR}/src ${PROJECT_SOURCE_DIR}/bench)
  target_link_libraries(bench_${name} PRIVATE ${ARG_DEPS} benchmark::benchmark corral_warnings)
endfunction()

# corral_fuzzer(NAME SOURCES... [DEPS targets...]) -- clang libFuzzer + ASan.
function(corral_fuzzer name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(fuzz_${name} ${ARG_SOURCES})
  target_link_libraries(fuzz_${name} PRIVATE ${ARG_DEPS})
  target_compile_options(fuzz_${name} PRIVATE -fsanitize=fuzzer)
  target_link_options(fuzz_${name} PRIVATE -fsanitize=fuzzer)
  if(NOT TARGET fuzzers)
    add_custom_target(fuzzers)
  endif()
  add_dependencies(fuzzers fuzz_${name})
endfunction()
