# Project-wide warnings, applied to our own targets only (never to third-party code).
add_library(medchain_warnings INTERFACE)
target_compile_options(medchain_warnings INTERFACE -Wall -Wextra -Werror -Wshadow -Wnon-virtual-dtor
                                                   -Wno-error=deprecated-declarations)
# GCC 12 reports -Wrestrict falsely on std::string concatenation at -O2 and above
# (GCC bug 105329); the check is kept on clang.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(medchain_warnings INTERFACE -Wno-restrict)
endif()

# medchain_library(<name> DEPS <targets...>)
#
# One library per folder under src/medchain/<name>: every *.cpp in the folder except
# *_test.cpp is a source of the library medchain::<name>; every *_test.cpp goes into the
# GoogleTest executable medchain_<name>_test, registered with CTest. Headers are included as
# <medchain/<name>/<file>.hpp>; a file under detail/ is private to its folder.
function(medchain_library name)
  cmake_parse_arguments(ARG "" "" "DEPS" ${ARGN})
  file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp ${CMAKE_CURRENT_SOURCE_DIR}/detail/*.cpp)
  file(GLOB tests CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*_test.cpp)
  list(REMOVE_ITEM sources ${tests})
  add_library(medchain_${name} STATIC ${sources})
  add_library(medchain::${name} ALIAS medchain_${name})
  target_include_directories(medchain_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(medchain_${name} PUBLIC ${ARG_DEPS} PRIVATE medchain_warnings)
  if(MEDCHAIN_TESTS AND tests)
    add_executable(medchain_${name}_test ${tests})
    target_link_libraries(medchain_${name}_test PRIVATE medchain::${name} GTest::gtest_main GTest::gmock
                                                        medchain_warnings)
    target_compile_definitions(medchain_${name}_test PRIVATE
                               MEDCHAIN_TESTDATA_DIR="${PROJECT_SOURCE_DIR}/tests/data")
    gtest_discover_tests(medchain_${name}_test DISCOVERY_TIMEOUT 60 PROPERTIES LABELS unit)
    add_dependencies(medchain_unit_tests medchain_${name}_test)
  endif()
endfunction()
