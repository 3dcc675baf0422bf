# PikeVerilated.cmake - cheaper builds of the Verilator unit tests' models.
#
# Verilator's verilate() (verilator-config.cmake) adds its runtime
# (verilated.cpp, verilated_threads.cpp) to every target and compiles each
# generated .cpp file on its own.  With ~50 models in tests/rtl that is the
# runtime compiled ~50 times (about 7 s of CPU each at -O2 -g) and
# verilated.h parsed once per generated file (about 0.7 s of CPU each, ~10
# files a model).  pk_verilated_fast(DIR) therefore, for every target of DIR
# and its subdirectories that verilate() gave the runtime:
#   - drops the runtime sources and links pk_verilated_rt instead (one build
#     of the same two files; every model here is built without trace,
#     coverage or SystemC, the VM_* values pk_verilated_rt is compiled with);
#   - builds the generated C++ as one unity source (UNITY_BUILD): a source
#     with its own COMPILE_OPTIONS (the harnesses: -Wall -Wextra) stays out
#     of it, as CMake does for any source with per-source options;
#   - compiles without -g (RelWithDebInfo's default): Verilator's output is
#     never stepped through (a Debug build of the tree still has it all).
# Measured on dp_edge (10 generated files): 9.4 s of CPU separately at
# -O2 -g, 2.7 s as one unity source at -O2 (README.md, "Tests").
#
# tests/rtl/CMakeLists.txt calls it deferred, at the end of its directory,
# so a model added anywhere in that file (or in tests/rtl/system) gets it
# without a call of its own.
#
# It also wraps verilate() so that every model is Verilated with
# --output-split 0: its generated C++ is compiled as one unity source anyway,
# and Verilator's splitting made the set of generated files depend on the
# model's size.  verilate() takes that set from its configure-time run, so a
# template change that crossed a split boundary (a new ..._DepSet_..__1.cpp)
# broke the next incremental build at link time (undefined Vpk_..._eval);
# only the build after it, reconfigured, linked.  Seen on pk_ring2 after
# V2-11.5 "Timing, step 20".
include_guard(GLOBAL)
function(verilate target)
  _verilate(${target} ${ARGN} VERILATOR_ARGS --output-split 0)
endfunction()

# The runtime, once.  Same flags verilate() gives a model's own copy
# (VERILATOR_CFLAGS: the warning switches verilator-config.cmake tested).
function(pk_verilated_runtime)
  if(TARGET pk_verilated_rt)
    return()
  endif()
  add_library(pk_verilated_rt STATIC ${VERILATOR_ROOT}/include/verilated.cpp
                                     ${VERILATOR_ROOT}/include/verilated_threads.cpp)
  target_include_directories(pk_verilated_rt SYSTEM PUBLIC ${VERILATOR_ROOT}/include
                                                           ${VERILATOR_ROOT}/include/vltstd)
  target_compile_definitions(pk_verilated_rt PRIVATE VM_COVERAGE=0 VM_SC=0 VM_TRACE=0
                             VM_TRACE_VCD=0 VM_TRACE_FST=0)
  target_compile_options(pk_verilated_rt PRIVATE ${VERILATOR_CFLAGS} -g0)
  target_compile_features(pk_verilated_rt PRIVATE cxx_std_11)
  target_link_libraries(pk_verilated_rt PUBLIC ${VERILATOR_MT_CFLAGS})
endfunction()

# Collect the buildsystem targets of DIR and its subdirectories into OUT.
function(_pk_dir_targets dir out)
  get_property(t DIRECTORY ${dir} PROPERTY BUILDSYSTEM_TARGETS)
  get_property(subs DIRECTORY ${dir} PROPERTY SUBDIRECTORIES)
  foreach(s ${subs})
    _pk_dir_targets(${s} st)
    list(APPEND t ${st})
  endforeach()
  set(${out} ${t} PARENT_SCOPE)
endfunction()

function(pk_verilated_fast dir)
  pk_verilated_runtime()
  set(rt ${VERILATOR_ROOT}/include/verilated.cpp ${VERILATOR_ROOT}/include/verilated_threads.cpp)
  _pk_dir_targets(${dir} targets)
  list(REMOVE_ITEM targets pk_verilated_rt)
  foreach(tgt ${targets})
    get_target_property(srcs ${tgt} SOURCES)
    if(NOT srcs)
      continue()
    endif()
    list(FIND srcs ${VERILATOR_ROOT}/include/verilated.cpp has_rt)
    if(has_rt LESS 0)
      continue()
    endif()
    # the models built here have no trace / coverage / SystemC (pk_verilated_rt's VM_*)
    foreach(p VERILATOR_TRACE VERILATOR_COVERAGE VERILATOR_SYSTEMC)
      get_target_property(v ${tgt} ${p})
      if(v)
        message(FATAL_ERROR "pk_verilated_fast: ${tgt} has ${p}; pk_verilated_rt is built without")
      endif()
    endforeach()
    list(REMOVE_ITEM srcs ${rt})
    set_property(TARGET ${tgt} PROPERTY SOURCES ${srcs})
    target_link_libraries(${tgt} PRIVATE pk_verilated_rt)
    set_target_properties(${tgt} PROPERTIES UNITY_BUILD ON UNITY_BUILD_MODE BATCH
                                            UNITY_BUILD_BATCH_SIZE 0)
    # no debug info (after RelWithDebInfo's -g; a per-source option would
    # keep a source out of the unity build, so for the whole target)
    target_compile_options(${tgt} PRIVATE -g0)
  endforeach()
endfunction()
