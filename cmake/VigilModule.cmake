# Shared compile settings and a helper to declare one module library.

set(VIGIL_WARNINGS -Wall -Wextra -Wpedantic -Wno-missing-field-initializers)
if(VIGIL_WERROR)
  list(APPEND VIGIL_WARNINGS -Werror)
endif()
# ASan + UBSan on every target (scripts/test.sh builds build/test this way).
# VIGIL_SANITIZER_SOURCES is added to every executable that tests run.
set(VIGIL_SANITIZER_SOURCES "")
if(VIGIL_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
  set(VIGIL_SANITIZER_SOURCES ${CMAKE_CURRENT_LIST_DIR}/sanitizer_options.cc)
endif()

# vigil_module(NAME SOURCES <files...> DEPS <targets...>)
# Creates the static library vigil_<NAME>, with include/ public and src/ private.
function(vigil_module NAME)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(vigil_${NAME} STATIC ${ARG_SOURCES})
  target_include_directories(vigil_${NAME}
    PUBLIC ${PROJECT_SOURCE_DIR}/include
    PRIVATE ${PROJECT_SOURCE_DIR}/src)
  target_compile_options(vigil_${NAME} PRIVATE ${VIGIL_WARNINGS})
  target_link_libraries(vigil_${NAME} PUBLIC ${ARG_DEPS})
endfunction()

# vigil_test(NAME SOURCES <files...> DEPS <targets...>): a GoogleTest binary
# registered with ctest (each TEST becomes one ctest case).
function(vigil_test NAME)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${NAME} ${ARG_SOURCES} ${VIGIL_SANITIZER_SOURCES})
  target_include_directories(${NAME} PRIVATE ${PROJECT_SOURCE_DIR}/src ${PROJECT_SOURCE_DIR}/tests)
  target_compile_options(${NAME} PRIVATE ${VIGIL_WARNINGS})
  target_link_libraries(${NAME} PRIVATE ${ARG_DEPS} GTest::gtest_main)
  target_compile_definitions(${NAME} PRIVATE
    VIGIL_DATA_DIR="${PROJECT_SOURCE_DIR}/data"
    VIGIL_BINARY_DIR="${PROJECT_BINARY_DIR}")
  gtest_discover_tests(${NAME} DISCOVERY_TIMEOUT 60 PROPERTIES ENVIRONMENT "VIGIL_BIN=$<TARGET_FILE:vigil>")
endfunction()
