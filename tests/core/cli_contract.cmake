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
expect(2 "the ASCII timeline would be 2.2e\\+08 columns wide on 4 rows" op_times.forward=1e7 --format ascii)

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

# --search (issue 11): every strategy over the varied keys, ranked; skipped configurations counted.
expect(0 "search: 2 strategies x num_stages \\(2 values\\) = 4 configurations; 2 ran, 2 skipped.*fastest: 1f1b num_stages=4  \\(time 33, peak memory 4\\).*\n +1  1f1b +4 +33 +4 +0.272727  \\*\n +2  interleave +8 +57 +11 .*interleave +1  interleave needs at least two stages per device"
       --search strategies=1f1b,interleave vary.num_stages=4,8)
expect(0 "\"count\": 4,\n  \"ran\": 2,\n  \"skipped\": 2,.*\"best\": 0,.*\"rank\": 1,\n      \"time\": 33"
       --search strategies=1f1b,interleave vary.num_stages=4,8 --format json)
expect(0 "fastest within the cap: zb1p num_batches=8.*zb2p +8 +27 +7 +0.111111 +over"
       --search strategies=zb1p,zb2p memory_cap=5 vary.num_batches=8)
expect(0 "search: [0-9]+ strategies x num_stages \\(8 values\\) x num_batches \\(16 values\\) = [0-9]+ configurations"
       --search num_devices=8 vary=num_stages,num_batches)
expect(2 "vary lists 'p2p_latency', which has no default range; give its values, e.g. vary.p2p_latency=0,0.5,1" --search vary=p2p_latency)
expect(2 "vary.num_batches: '8..4' runs downwards" --search vary.num_batches=8..4)
expect(2 "--search --format must be summary or json \\(got 'svg'\\)" --search --format svg)
expect(2 "--schedule cannot be combined with --search" --search --schedule ${data}/legacy_tiny.csv)
expect(2 "unknown config key 'num_device'" --search num_device=4)

# zb_auto (issue 11): the Zero Bubble heuristic under zb_memory_limit.
expect(0 "strategy zb_auto: 4 devices.*makespan +27\n" strategy=zb_auto)
expect(2 "zb_auto needs zb_memory_limit >= 0.25 = 1/num_devices on 4 devices \\(got 0.2\\)" strategy=zb_auto zb_memory_limit=0.2)
