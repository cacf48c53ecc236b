# Runs the ppemu CLI as users do and checks exit status and the stderr line.
# Invoked by ctest: cmake -DPPEMU=/path/to/ppemu -P cli_contract.cmake
set(failures 0)

# expect(<exit code> <regex the output must match> args...)
function(expect code pattern)
  execute_process(COMMAND ${PPEMU} ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL code)
    message(SEND_ERROR "ppemu ${ARGN}: exit ${rc}, expected ${code}\nstdout: ${out}\nstderr: ${err}")
  elseif(code EQUAL 2)
    string(REGEX MATCHALL "\n" lines "${err}")
    list(LENGTH lines n)
    if(NOT err MATCHES "${pattern}" OR NOT n EQUAL 1)
      message(SEND_ERROR "ppemu ${ARGN}: stderr should be one line matching '${pattern}', got: ${err}")
    endif()
  elseif(NOT out MATCHES "${pattern}")
    message(SEND_ERROR "ppemu ${ARGN}: stdout should match '${pattern}', got: ${out}")
  endif()
endfunction()

# The original PP-Emulation README's command lines run unchanged.
expect(0 "makespan +33\n" strategy=1f1b num_devices=4 num_stages=4 num_batches=8)
expect(0 "makespan +57\n" strategy=interleave num_devices=4 num_stages=8 num_batches=8)
expect(0 "makespan +27\n" strategy=zb1p num_devices=4 num_stages=4 num_batches=8)
expect(0 "makespan +33\n" strategy=1f1b_overlap num_devices=4 num_stages=4 num_batches=8)
expect(0 "makespan +13.5\n" op_times.forward=0.5 op_times.backward=1.0 num_batches=6)
expect(0 "\"makespan\": 33" --format json)
expect(0 "\"traceEvents\"" --format=trace)
expect(0 "^<\\?xml version=\"1.0\" encoding=\"UTF-8\"\\?>\n<svg xmlns=\"http://www.w3.org/2000/svg\".*makespan 57.*</svg>\n$" strategy=interleave num_stages=8 --format svg)
expect(0 "interleave.*constraints" --list-strategies)
expect(0 "bubble_over_ideal" --help)

# Bad input: exit 2, one line naming the key and what is allowed.
expect(2 "unknown config key 'num_device'; did you mean 'num_devices'" num_device=4)
expect(2 "num_devices must be a whole number from 1 to [0-9]+ \\(got -3\\)" num_devices=-3)
expect(2 "num_batches must be a whole number \\(got 2.5\\)" num_batches=2.5)
expect(2 "op_times.forward must be a number > 0 \\(got 0\\)" op_times.forward=0)
expect(2 "op_times.forward must be a number, a per-stage list or a per-stage map \\(got abc\\)" op_times.forward=abc)
expect(2 "op_times.forward gives 5 stage times but num_stages is 4" "op_times.forward=[1,2,3,4,5]")
expect(2 "op_times.backward gives no time for stage 3; a per-stage list or map must give all 4 stages" "op_times.backward=[1,2,3]")
expect(2 "p2p_latency must be a number >= 0" p2p_latency=-1)
expect(2 "unknown strategy 'zb1'; did you mean 'zb1p'" strategy=zb1)
expect(2 "interleave needs num_stages to be a multiple of num_devices \\(got 6 stages on 4 devices\\); try num_stages=8" strategy=interleave num_stages=6)
expect(2 "1f1b needs num_stages equal to num_devices" num_stages=8)
expect(2 "would make up to [0-9]+ ops, more than the limit" num_stages=60000 num_batches=4000000)
expect(2 "--format must be one of" --format pdf)
expect(2 "unknown option --frobnicate" --frobnicate)
expect(2 "expected key=value" strategy)
expect(2 "cannot read config file" --config /nonexistent/ppemu.json)

# PyTorch schedule CSVs (issue 4): PyTorch's own DualPipeV file, F = B = W = 1: 60 busy + 6 bubble per rank.
set(data ${CMAKE_CURRENT_LIST_DIR}/data)
expect(0 "strategy pytorch_csv: 4 devices, 8 stages, 10 microbatches.*makespan +66\n" --schedule ${data}/dualpipev_4rank_10mb.csv)
expect(0 "makespan +52\n" --schedule=${data}/dualpipev_4rank_10mb.csv op_times.overlapped_forward_backward=2)
expect(0 "^0F0,0F1,0F2,0F3,0I0,0W0,0F4,0I1,0W1," strategy=zb1p --format csv)
expect(0 "^0F0,0I0,0W0\n1F0,1B0\n$" --schedule ${data}/legacy_tiny.csv --csv-dialect legacy --format csv)
expect(2 "bad_action.csv: row 2, column 4: unknown action kind 'X' in '1X1'" --schedule ${data}/bad_action.csv)
expect(2 "deadlock.csv: the schedule can never finish: row 1, column 3 \\(BW0 s0\\)" --schedule ${data}/deadlock.csv)
expect(2 "num_batches cannot be given with --schedule" --schedule ${data}/dualpipev_4rank_10mb.csv num_batches=8)
expect(2 "--csv-dialect applies only with --schedule" --csv-dialect legacy)
expect(2 "--csv-dialect: the CSV dialect must be auto, current or legacy \\(got 'new'\\)" --schedule ${data}/bad_action.csv --csv-dialect new)
expect(2 "cannot read schedule file" --schedule /nonexistent/ppemu.csv)
expect(2 "^ppemu: this schedule sends microbatches through 2 chains.*cannot be written as CSV" strategy=dualpipe num_batches=8 --format csv)

# Measured traces (issue 12): fixtures written here, from runs whose times are known.
set(work ${WORK})
file(REMOVE_RECURSE ${work})
file(MAKE_DIRECTORY ${work}/megatron)
# ppemu's own trace of zb1p with uneven forwards and a 0.25 latency: the fit gives them back and the
# replay has no error (makespan 37.25 as the run has).
execute_process(COMMAND ${PPEMU} strategy=zb1p "op_times.forward=[1,1.5,1.25,2]" p2p_latency=0.25 --format trace -o ${work}/zb1p.json)
expect(0 "measured: ppemu trace, 4 devices, 4 stages, 8 microbatches, 96 ops; times in ms\n" --trace ${work}/zb1p.json)
expect(0 "\n  op_times.forward=\\[1,1.5,1.25,2\\]\n  op_times.backward=\\[2,2,2,2\\]\n  op_times.backward_D=\\[1,1,1,1\\]\n  op_times.backward_W=\\[1,1,1,1\\]\n  p2p_latency=0.25\n  p2p_mode=async\n"
       --trace ${work}/zb1p.json)
expect(0 "p2p_mode=async fits better: mean \\|start error\\| 0 ms.*\nmakespan  measured 37.25  replay 37.25  error 0\n" --trace ${work}/zb1p.json)
expect(0 "what-if: strategy zbv on the fitted times: makespan 33.125 ms against 37.25 ms measured" --trace ${work}/zb1p.json strategy=zbv num_stages=8)
expect(0 "\"fitted\": {\n    \"num_batches\": 8,\n    \"num_devices\": 4,\n    \"num_stages\": 4,\n    \"op_times\": {" --trace ${work}/zb1p.json --format json)
expect(0 "\"replay\": {.*\"makespan_error\": 0.0," --trace ${work}/zb1p.json --format json)
# An imported trace exported again reads back to the same run; a rank's offset moves its clock.
execute_process(COMMAND ${PPEMU} --trace ${work}/zb1p.json --format trace -o ${work}/again.json)
expect(0 "makespan  measured 37.25  replay 37.25" --trace ${work}/again.json)
expect(0 "makespan  measured 37.5  replay 37.25  error -0.25\n" --trace ${work}/zb1p.json trace.offset_ms.1=0.5)
# Megatron-LM timer dumps of 1F1B on 2 ranks, 2 microbatches, F 1, BW 2, no latency, times from 100
# ms: rank 0 F0 0-1, F1 1-2, BW0 4-6, BW1 7-9; rank 1 F0 1-2, BW0 2-4, F1 4-5, BW1 5-7. One is gzipped,
# and a data-parallel rank 1 copy is ignored.
file(WRITE ${work}/megatron/event_times_PP2_VPP1_TPxCPxDP_rank_0_pp_rank_0_rank_0.json
     "{\"forward-0-start\": 100, \"forward-0-end\": 101, \"forward-1-start\": 101, \"forward-1-end\": 102,
       \"backward-0-start\": 104, \"backward-0-end\": 106, \"backward-1-start\": 107, \"backward-1-end\": 109}")
file(WRITE ${work}/rank1.json
     "{\"forward-0-start\": 101, \"forward-0-end\": 102, \"forward-1-start\": 104, \"forward-1-end\": 105,
       \"backward-0-start\": 102, \"backward-0-end\": 104, \"backward-1-start\": 105, \"backward-1-end\": 107}")
file(ARCHIVE_CREATE OUTPUT ${work}/megatron/event_times_PP2_VPP1_TPxCPxDP_rank_0_pp_rank_1_rank_1.json.gz
     PATHS ${work}/rank1.json FORMAT raw COMPRESSION GZip)
file(COPY_FILE ${work}/rank1.json ${work}/megatron/event_times_PP2_VPP1_TPxCPxDP_rank_1_pp_rank_1_rank_3.json)
expect(0 "measured: Megatron-LM timer dump, 2 devices, 2 stages, 2 microbatches, 8 ops.*0 ms here is 100 ms.*note: 1 files of data-parallel ranks other than 0 ignored.*\nmakespan +9\n"
       --trace ${work}/megatron)
expect(0 "  op_times.forward=\\[1,1\\]\n  op_times.backward=\\[2,2\\]\n  op_times.backward_D=\\[1,1\\]\n  op_times.backward_W=\\[1,1\\]\n  p2p_latency=0\n"
       --trace ${work}/megatron)
expect(0 "what-if: strategy zb1p on the fitted times: makespan 7 ms against 9 ms measured" --trace ${work}/megatron strategy=zb1p)
# Broken inputs: one line naming the file and what is wrong.
file(WRITE ${work}/bad.json.gz "not gzip")
expect(2 "bad.json.gz is named .gz but is not gzip data" --trace ${work}/bad.json.gz)
expect(2 "but pipeline rank 1 is missing \\(given: pipeline rank 0 in .*event_times_PP2_VPP1_TPxCPxDP_rank_0_pp_rank_0_rank_0.json\\)"
       --trace ${work}/megatron/event_times_PP2_VPP1_TPxCPxDP_rank_0_pp_rank_0_rank_0.json)
file(WRITE ${work}/cut.json "{\"traceEvents\": [{\"ph\": \"X\", \"name\": \"PP:0F0\", \"ts\": 1")
expect(2 "cut.json: not valid JSON: .*\\(the file is cut short\\)" --trace ${work}/cut.json)
expect(2 "a what-if on the fitted times needs strategy=NAME" --trace ${work}/zb1p.json num_batches=16)
expect(2 "unknown key trace.offset_ms.x; a rank's clock offset is trace.offset_ms.<rank>=MS" --trace ${work}/zb1p.json trace.offset_ms.x=1)
expect(2 "--trace-format: the trace format must be auto, pytorch, megatron or ppemu \\(got 'kineto'\\)" --trace ${work}/zb1p.json --trace-format kineto)
expect(2 "cannot read trace file /nonexistent/trace.json" --trace /nonexistent/trace.json)
expect(2 "what-if: zbv needs num_stages" --trace ${work}/zb1p.json strategy=zbv)
expect(2 "--trace and --schedule are two modes; give one" --trace ${work}/zb1p.json --schedule ${data}/bad_action.csv)
