# Locates the pinned DuckDB (library from @duckdb/node-bindings-linux-x64, header from the
# `duckdb` npm package of the same release) that scripts/bootstrap installs under deps/,
# and refuses to configure unless both are exactly the pinned version.
set(SAFEZONE_DUCKDB_VERSION "v1.4.4" CACHE STRING "DuckDB release the build must use")
set(SAFEZONE_DEPS_DIR "${CMAKE_SOURCE_DIR}/deps/node_modules" CACHE PATH
    "npm-installed native dependencies (see deps/package.json)")

set(_duck_lib_dir "${SAFEZONE_DEPS_DIR}/@duckdb/node-bindings-linux-x64")
set(_duck_inc_dir "${SAFEZONE_DEPS_DIR}/duckdb/src/duckdb/src/include")
if(NOT EXISTS "${_duck_lib_dir}/libduckdb.so" OR NOT EXISTS "${_duck_inc_dir}/duckdb.h")
  message(FATAL_ERROR "DuckDB not found under ${SAFEZONE_DEPS_DIR}. "
                      "Run scripts/bootstrap (npm ci --ignore-scripts in deps/).")
endif()

# The npm manifests must name the pinned versions ...
foreach(_pkg "@duckdb/node-bindings-linux-x64;1.4.4-r.4" "duckdb;1.4.4")
  list(GET _pkg 0 _name)
  list(GET _pkg 1 _want)
  file(READ "${SAFEZONE_DEPS_DIR}/${_name}/package.json" _manifest)
  string(JSON _got GET "${_manifest}" version)
  if(NOT _got STREQUAL _want)
    message(FATAL_ERROR "${_name} is ${_got}, but deps/package-lock.json pins ${_want}. "
                        "Run scripts/bootstrap.")
  endif()
endforeach()

# ... and the library itself must report the pinned release when asked.
file(WRITE "${CMAKE_BINARY_DIR}/duckdb_version_probe.c"
     "#include \"duckdb.h\"\n#include <stdio.h>\nint main(void){puts(duckdb_library_version());return 0;}\n")
try_run(_run_rc _compile_ok
        "${CMAKE_BINARY_DIR}/duckdb_version_probe"
        "${CMAKE_BINARY_DIR}/duckdb_version_probe.c"
        CMAKE_FLAGS "-DINCLUDE_DIRECTORIES=${_duck_inc_dir}"
        LINK_OPTIONS "-Wl,-rpath,${_duck_lib_dir}"
        LINK_LIBRARIES "${_duck_lib_dir}/libduckdb.so"
        COMPILE_OUTPUT_VARIABLE _compile_out
        RUN_OUTPUT_VARIABLE _run_out)
string(STRIP "${_run_out}" _run_out)
if(NOT _compile_ok OR NOT _run_out STREQUAL SAFEZONE_DUCKDB_VERSION)
  message(FATAL_ERROR "libduckdb.so reports '${_run_out}', expected ${SAFEZONE_DUCKDB_VERSION}.\n${_compile_out}")
endif()
message(STATUS "DuckDB ${_run_out} from ${_duck_lib_dir}")

add_library(duckdb SHARED IMPORTED GLOBAL)
set_target_properties(duckdb PROPERTIES
  IMPORTED_LOCATION "${_duck_lib_dir}/libduckdb.so"
  INTERFACE_INCLUDE_DIRECTORIES "${_duck_inc_dir}")
# Header comes from a third-party package: keep our -Werror away from it.
set_property(TARGET duckdb PROPERTY INTERFACE_SYSTEM_INCLUDE_DIRECTORIES "${_duck_inc_dir}")
