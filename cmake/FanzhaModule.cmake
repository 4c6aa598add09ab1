# fanzha_add_module(NAME SOURCES ... DEPS ...): a static library fanzha_NAME whose headers are
# included as "NAME/header.h" from the repository root.
function(fanzha_add_module name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(fanzha_${name} STATIC ${ARG_SOURCES})
  target_include_directories(fanzha_${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(fanzha_${name} PUBLIC ${ARG_DEPS})
  target_compile_options(fanzha_${name} PRIVATE -Wall -Wextra)
endfunction()

# fanzha_add_test(NAME SOURCES ... DEPS ... [LABELS ...]): a GoogleTest binary registered with CTest.
# Tests run with the repository root as working directory so fixtures are found by relative path.
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
