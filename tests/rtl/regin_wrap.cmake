# regin_wrap.cmake - pk_regin_wrapper(SRC MODULE OUT): write OUT, a Verilog module
# <MODULE>_regin with MODULE's parameters (the same declarations, so -G overrides
# apply to it) and ports, in which every input but clk passes through a flip-flop
# clocked by an extra input `in_clk` before it reaches MODULE.  Outputs are
# MODULE's own.
#
# Why (simulation speed only, not a hardware change): Verilator 5.006 evaluates
# all logic driven by a top-level input (its `ico` region) on every eval() call,
# and a harness that sets a cycle's inputs, evaluates with clk low to read the
# outputs and then evaluates the rising edge computes such logic three times a
# cycle (twice in `ico`, once after the edge).  Behind these flip-flops that logic
# is driven by state: it is computed only when the flip-flops or MODULE's
# registers change.  harness_clock.h's RegClock loads the cycle's inputs with
# in_clk and, where an edge is owed, gives clk's rising edge in the same
# evaluation (the edge uses the flip-flops' old values, the cycle before's
# inputs: non-blocking semantics), so that logic is computed once a cycle and
# MODULE sees at every edge what it saw with its inputs driven directly.
#
# The ports are read from MODULE's header in SRC: `module MODULE #(` parameter
# lines `) (` one port declaration per line (`input wire [range] a, b,`) `);`.
function(pk_regin_wrapper src module out)
  file(READ ${src} text)
  string(FIND "${text}" "module ${module} #(" p0)
  if(p0 LESS 0)
    message(FATAL_ERROR "pk_regin_wrapper: no 'module ${module} #(' in ${src}")
  endif()
  string(SUBSTRING "${text}" ${p0} -1 text)
  string(FIND "${text}" "\n) (" p1)
  string(FIND "${text}" "\n);" p2)
  if(p1 LESS 0 OR p2 LESS p1)
    message(FATAL_ERROR "pk_regin_wrapper: ${module}'s header in ${src} is not '#( ... ) ( ... );'")
  endif()
  string(LENGTH "module ${module} #(" l0)
  math(EXPR n "${p1} - ${l0}")
  string(SUBSTRING "${text}" ${l0} ${n} params)
  math(EXPR s "${p1} + 4")
  math(EXPR n "${p2} - ${s}")
  string(SUBSTRING "${text}" ${s} ${n} ports)
  # parameter names, for the instance
  set(pnames "")
  string(REGEX REPLACE "//[^\n]*" "" pm "${params}")
  string(REGEX MATCHALL "parameter +[A-Za-z_][A-Za-z_0-9]*" pm "${pm}")
  foreach(p ${pm})
    string(REGEX REPLACE "parameter +" "" p "${p}")
    list(APPEND pnames ".${p}(${p})")
  endforeach()
  string(REPLACE ";" ", " pinst "${pnames}")
  # ports
  string(REGEX REPLACE "//[^\n]*" "" ports "${ports}")  # (comments may hold ';')
  string(REPLACE "\n" ";" lines "${ports}")
  set(decl "    input  wire in_clk")
  set(body "")
  set(conn "")
  foreach(line ${lines})
    string(STRIP "${line}" line)
    if(line STREQUAL "")
      continue()
    endif()
    if(NOT line MATCHES "^(input|output) +(wire|reg) *(\\[[^]]*\\])? *(.*)$")
      message(FATAL_ERROR "pk_regin_wrapper: cannot read the port line '${line}' of ${module} in ${src}")
    endif()
    set(dir ${CMAKE_MATCH_1})
    set(range "${CMAKE_MATCH_3}")
    string(REGEX REPLACE ",$" "" names "${CMAKE_MATCH_4}")
    string(REPLACE "," ";" names "${names}")
    foreach(nm ${names})
      string(STRIP "${nm}" nm)
      if(dir STREQUAL "input")
        string(APPEND decl ",\n    input  wire ${range} ${nm}")
        if(nm STREQUAL "clk")
          list(APPEND conn "        .clk(clk)")
        else()
          string(APPEND body "    reg ${range} ${nm}_q;\n    always @(posedge in_clk) ${nm}_q <= ${nm};\n")
          list(APPEND conn "        .${nm}(${nm}_q)")
        endif()
      else()
        string(APPEND decl ",\n    output wire ${range} ${nm}")
        list(APPEND conn "        .${nm}(${nm})")
      endif()
    endforeach()
  endforeach()
  string(REPLACE ";" ",\n" conn "${conn}")
  set(v "// ${module}_regin - ${module} with every input but clk through a flip-flop on in_clk\n")
  string(APPEND v "// (a simulation wrapper written by tests/rtl/regin_wrap.cmake from ${module}'s header;\n")
  string(APPEND v "// see there why)\n")
  file(STRINGS ${src} incs REGEX "^`include ")  # MODULE's own includes (its parameters' macros)
  foreach(i ${incs})
    string(APPEND v "${i}\n")
  endforeach()
  string(APPEND v "module ${module}_regin #(${params}\n) (\n${decl}\n);\n")
  string(APPEND v "${body}    ${module} #(${pinst}) u (\n${conn}\n    );\nendmodule\n")
  file(WRITE ${out}.tmp "${v}")
  configure_file(${out}.tmp ${out} COPYONLY)  # rewritten only when it changes
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${src})
endfunction()
