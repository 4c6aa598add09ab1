# The flags every fanzha target is built with, in one place. Each module links them PUBLIC, so the
# tests, the command line, the benchmarks and the fuzzers built on the modules get them too:
# - warnings are errors (-Wall -Wextra -Werror), with gcc and with clang; clang also proves the
#   locking of every GUARDED_BY member (-Wthread-safety, core/mutex.h), in the checking build CI
#   runs;
# - FANZHA_SANITIZE (e.g. "address;undefined") builds a checking build: the sanitizers, frame
#   pointers for their stacks, and every finding fatal (a test fails instead of printing a line);
# - FANZHA_BUILD_FUZZERS adds libFuzzer's coverage instrumentation (clang only, see fuzz/).
add_library(fanzha_build_flags INTERFACE)
target_compile_options(fanzha_build_flags INTERFACE -Wall -Wextra -Werror)
# gcc's maybe-uninitialized analysis reports moves out of std::optional after inlining (a known
# false positive at -O2, e.g. server/lead_routes.cc); clang and the sanitizers check the real case.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  target_compile_options(fanzha_build_flags INTERFACE -Wno-maybe-uninitialized)
  # In a unity build a .cc file is included into a batch file, and gcc then treats a class that
  # holds a type of the file's anonymous namespace (linker.cc's Impl, say) as if it were in a header.
  target_compile_options(fanzha_build_flags INTERFACE -Wno-subobject-linkage)
endif()
if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  target_compile_options(fanzha_build_flags INTERFACE -Wthread-safety)
endif()
if(FANZHA_SANITIZE)
  list(JOIN FANZHA_SANITIZE "," fanzha_sanitizers)
  target_compile_options(fanzha_build_flags INTERFACE -fsanitize=${fanzha_sanitizers}
                         -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(fanzha_build_flags INTERFACE -fsanitize=${fanzha_sanitizers})
endif()
if(FANZHA_BUILD_FUZZERS)
  target_compile_options(fanzha_build_flags INTERFACE -fsanitize=fuzzer-no-link)
endif()

# fanzha_add_module(NAME SOURCES ... DEPS ...): a static library fanzha_NAME whose headers are
# included as "NAME/header.h" from the repository root.
function(fanzha_add_module name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(fanzha_${name} STATIC ${ARG_SOURCES})
  target_include_directories(fanzha_${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(fanzha_${name} PUBLIC ${ARG_DEPS} fanzha_build_flags)
endfunction()

# fanzha_add_test(NAME SOURCES ... DEPS ... [LABELS ...]): a GoogleTest binary registered with CTest.
# Tests run with the repository root as working directory so fixtures are found by relative path.
# Labels (default `unit`): `unit` is the fast suite every build runs, also under the sanitizers;
# `slow` is left out of the sanitizer run; `browser` needs Chromium; `security` marks the
# regression tests of tests/security/; `fuzz` replays the fuzzers' corpora (fuzz/).
function(fanzha_add_test name)
  if(NOT FANZHA_BUILD_TESTS)
    return()
  endif()
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest_main GTest::gmock)
  target_compile_definitions(${name} PRIVATE FANZHA_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
                                               FANZHA_BINARY_DIR="${PROJECT_BINARY_DIR}")
  set(labels unit)
  if(ARG_LABELS)
    set(labels ${ARG_LABELS})
  endif()
  gtest_discover_tests(${name} WORKING_DIRECTORY ${PROJECT_SOURCE_DIR} TEST_PREFIX "${name}."
                       PROPERTIES LABELS "${labels}" DISCOVERY_TIMEOUT 60)
endfunction()

# fanzha_add_postgres_run(TEST): runs the tests of TEST (a fanzha_add_test target) a second time
# on PostgreSQL, as "TEST.pg.<case>" (label `postgres`): with FANZHA_TEST_POSTGRES naming the server
# the fixture `postgres_server` starts for the run (tests/support/postgres_server.sh), each test
# opens its store at test_support::StoreLocation(path), a database of its own on that server.
# FILTER (a gtest filter) runs only the tests of TEST that use the store.
function(fanzha_add_postgres_run name)
  if(NOT FANZHA_BUILD_TESTS)
    return()
  endif()
  cmake_parse_arguments(ARG "" "FILTER" "" ${ARGN})
  set(filter "*")
  if(ARG_FILTER)
    set(filter ${ARG_FILTER})
  endif()
  gtest_discover_tests(${name} WORKING_DIRECTORY ${PROJECT_SOURCE_DIR} TEST_PREFIX "${name}.pg."
                       DISCOVERY_TIMEOUT 60 TEST_FILTER "${filter}"
                       PROPERTIES LABELS postgres FIXTURES_REQUIRED postgres_server
                                  ENVIRONMENT "FANZHA_TEST_POSTGRES=${FANZHA_TEST_POSTGRES_DIR}")
endfunction()

# fanzha_add_fuzzer(NAME SOURCES ... DEPS ... [DEFINITIONS ...]): a libFuzzer target NAME_fuzzer
# (FANZHA_BUILD_FUZZERS only) whose seed corpus is fuzz/corpus/NAME/ and dictionary, when there is
# one, fuzz/dict/NAME.dict. CTest replays the corpus (label `fuzz`): every seed and every saved
# reproducer must pass. scripts/fuzz.sh runs each target for a bounded time.
function(fanzha_add_fuzzer name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;DEFINITIONS" ${ARGN})
  add_executable(${name}_fuzzer ${ARG_SOURCES})
  target_link_libraries(${name}_fuzzer PRIVATE ${ARG_DEPS} fanzha_fuzz_util)
  target_compile_definitions(${name}_fuzzer PRIVATE ${ARG_DEFINITIONS})
  target_link_options(${name}_fuzzer PRIVATE -fsanitize=fuzzer)
  set_target_properties(${name}_fuzzer PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/fuzz)
  add_dependencies(fuzzers ${name}_fuzzer)
  if(FANZHA_BUILD_TESTS)
    add_test(NAME fuzz_${name}_corpus
             COMMAND ${name}_fuzzer -runs=0 ${PROJECT_SOURCE_DIR}/fuzz/corpus/${name})
    set_tests_properties(fuzz_${name}_corpus PROPERTIES LABELS fuzz TIMEOUT 300)
  endif()
endfunction()
