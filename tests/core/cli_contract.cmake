# Runs the ppemu CLI as users do and checks exit status and the stderr line.
# Invoked by ctest: cmake -DPPEMU=/path/to/ppemu -P cli_contract.cmake
set(failures 0)

# expect(<exit code> <regex the output must match> args...)
# Runs in ${cwd} (set it for the Hydra config-path cases; conf/ is looked up there).
set(cwd ${CMAKE_CURRENT_BINARY_DIR})
function(expect code pattern)
  execute_process(COMMAND ${PPEMU} ${ARGN} WORKING_DIRECTORY ${cwd} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
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
expect(2 "would make up to [0-9]+ ops, more than the limit" num_stages=30000 num_batches=4000000)
expect(2 "num_stages must be a whole number from 1 to 32768 \\(got 60000\\)" num_stages=60000)
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

# Projection (issue 8): the issue's command line, key order, units, and the bad inputs it lists.
set(gpt3 model=gpt3_175b gpu=a100_80gb num_devices=8 num_stages=24 strategy=interleave parallel.tensor_model_parallel_size=8
    train.micro_batch_size=1 train.global_batch_size=64 train.recompute_granularity=full)
expect(0 "makespan +[0-9.]+ ms\n.*projection: gpt3_175b on a100_80gb - 64 GPUs.*stage +layers +F ms +B ms +W ms.*= iteration time.*MFU [0-9.]+%.*memory per device, GiB.*weights +gradients +optimizer +activations +peak +fits" ${gpt3})
expect(0 "\"projection\": {.*\"iteration_time_s\": [0-9.]+,.*\"mfu\": 0[.][0-9]+," ${gpt3} --format json)
expect(0 "\"memory_gib\": {\n +\"activations_peak\"" ${gpt3} --format json)
expect(0 "time \\(ms\\)" ${gpt3} --format svg)
expect(0 "\"num_layers\": 48," model.num_layers=48 model=gpt3_175b gpu=a100_80gb num_stages=4 --format json)
expect(0 "\"num_layers\": 48," model=gpt3_175b model.num_layers=48 gpu=a100_80gb num_stages=4 --format json)
expect(2 "unknown model preset 'gpt4' \\(presets: deepseek_v3, gpt3_175b, " model=gpt4)
expect(2 "model.num_attention_heads \\(96\\) is not divisible by parallel.tensor_model_parallel_size \\(5\\)" model=gpt3_175b gpu=a100_80gb parallel.tensor_model_parallel_size=5)
expect(2 "parallel.pipeline_model_parallel_layout covers 95 layers but model.num_layers is 96" model=gpt3_175b gpu=a100_80gb "parallel.pipeline_model_parallel_layout=[24,24,24,23]")
expect(2 "train.global_batch_size \\(64\\) is not a multiple of .* = 3; try train.global_batch_size=66" model=gpt3_175b gpu=a100_80gb parallel.data_parallel_size=3 train.global_batch_size=64)
expect(2 "num_batches=4 contradicts train.global_batch_size=64" model=gpt3_175b gpu=a100_80gb num_batches=4 train.global_batch_size=64)
expect(2 "model.moe_router_topk is an MoE key but model.num_experts is not set" model=llama3_8b gpu=h100_sxm model.moe_router_topk=2)
expect(2 "the projection needs a GPU: give gpu=NAME \\(presets: a100_40gb" model=llama3_8b)
expect(2 "gpu.[*] keys describe the hardware of a projection, which needs a model" gpu=h100_sxm)

# Hydra configs (issue 10). hydra/conf/config.yaml is the original PP-Emulation project's own
# conf/config.yaml, unchanged (Victarry/PP-Schedule-Visualization at c684983); model_A.yaml is
# the kind of file its README tells users to write, with stage-specific maps.
set(hydra ${data}/hydra)
set(yaml_corpus ${CMAKE_CURRENT_LIST_DIR}/../data/yaml)

# The makespan a command prints, in `var` (the run must succeed).
function(makespan_of var)
  execute_process(COMMAND ${PPEMU} ${ARGN} WORKING_DIRECTORY ${cwd} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0 OR NOT out MATCHES "\nmakespan +([0-9.]+)\n")
    message(SEND_ERROR "ppemu ${ARGN}: exit ${rc}, no makespan\nstdout: ${out}\nstderr: ${err}")
  endif()
  set(${var} "${CMAKE_MATCH_1}" PARENT_SCOPE)
endfunction()

# The stage-specific model_A as key=value, run where no conf/ folder is.
set(model_A_keys "op_times.forward=[0.8,1.2,1.5,0.9]" "op_times.backward=[1.6,2.4,3.0,1.8]" p2p_latency=0.1)
makespan_of(by_keys ${model_A_keys})
makespan_of(by_keys_16 ${model_A_keys} num_batches=16)
makespan_of(by_keys_f2 ${model_A_keys} op_times.forward.2=3)
if(NOT by_keys STREQUAL "43.8")
  message(SEND_ERROR "model_A as key=value: makespan ${by_keys}, expected 43.8")
endif()

set(cwd ${hydra})
# conf/config.yaml is read by default: its op times are the defaults, so the README's numbers hold,
# and its visualization_port earns one note on stderr.
expect(0 "makespan +33\n")
execute_process(COMMAND ${PPEMU} WORKING_DIRECTORY ${hydra} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT err STREQUAL "ppemu: note: visualization_port is ignored (it is the port of PP-Emulation's Dash server; ppemu's page is a static site: scripts/serve)\n")
  message(SEND_ERROR "the original conf/config.yaml: stderr should be one note on visualization_port, got: ${err}")
endif()
expect(0 "makespan +33\n" visualization_port=8050 microbatch_group_size_per_vp_stage=null)
foreach(spelling "--config-name=model_A" "--config-name;model_A" "-cn;model_A" "-cn;model_A.yaml" "-cp;conf;-cn;model_A" "--config-path=conf;--config-name=model_A")
  makespan_of(by_file ${spelling})
  if(NOT by_file STREQUAL by_keys)
    message(SEND_ERROR "ppemu ${spelling}: makespan ${by_file}, the same keys on the command line give ${by_keys}")
  endif()
endforeach()
# key=value wins over the YAML config.
makespan_of(over_16 --config-name=model_A num_batches=16)
makespan_of(over_f2 --config-name=model_A op_times.forward.2=3)
if(NOT over_16 STREQUAL by_keys_16 OR NOT over_f2 STREQUAL by_keys_f2 OR over_16 STREQUAL by_keys)
  message(SEND_ERROR "overrides on model_A: ${over_16} and ${over_f2}, expected ${by_keys_16} and ${by_keys_f2}")
endif()
# --cfg job prints the resolved config as YAML; read back, it gives the same run.
expect(0 "op_times:\n  backward: \\[1.6, 2.4, 3, 1.8\\]\n.*  forward: \\[0.8, 1.2, 1.5, 0.9\\]\n.*p2p_latency: 0.1\np2p_mode: \"async\"\nstrategy: \"1f1b\"\n" --cfg job -cn model_A)
execute_process(COMMAND ${PPEMU} --cfg job -cn model_A WORKING_DIRECTORY ${hydra} OUTPUT_VARIABLE job_yaml ERROR_QUIET)
set(written_dir ${CMAKE_CURRENT_BINARY_DIR}/cli_contract_written)
file(MAKE_DIRECTORY ${written_dir})
file(WRITE ${written_dir}/written.yaml "${job_yaml}")
set(cwd ${CMAKE_CURRENT_BINARY_DIR})
makespan_of(written_back --config-path ${written_dir} --config-name written)
makespan_of(written_config --config ${written_dir}/written.yaml)
if(NOT written_back STREQUAL by_keys OR NOT written_config STREQUAL by_keys)
  message(SEND_ERROR "--cfg job read back: ${written_back} (--config-name) and ${written_config} (--config), expected ${by_keys}")
endif()
# Named from anywhere with an absolute --config-path.
makespan_of(from_afar --config-path ${hydra}/conf --config-name model_A)
if(NOT from_afar STREQUAL by_keys)
  message(SEND_ERROR "--config-path ${hydra}/conf: makespan ${from_afar}, expected ${by_keys}")
endif()

# Errors: exit 2, one line naming the file, line and key.
set(cwd ${hydra})
expect(2 "^ppemu: config conf/model_B.yaml does not exist \\(--config-name model_B\\); configs in conf: config.yaml, model_A.yaml\n$" -cn model_B)
expect(2 "^ppemu: config folder /nonexistent/conf does not exist\n$" --config-path /nonexistent/conf)
expect(2 "^ppemu: config folder nowhere does not exist \\(--config-path is relative to the working directory" -cp nowhere -cn model_A)
expect(2 "--cfg takes job \\(got 'hydra'\\)" --cfg hydra)
expect(2 "--cfg job shows a strategy run's config" --cfg job --schedule ${data}/legacy_tiny.csv)
expect(2 "unknown config key 'num_device'; did you mean 'num_devices'" -cn model_A num_device=4)
set(broken ${yaml_corpus}/broken)
expect(2 "^ppemu: ${broken}/wrong_type.yaml: line 3: num_devices must be a whole number \\(got four\\)\n$" -cp ${broken} -cn wrong_type)
expect(2 "^ppemu: ${broken}/unknown_key.yaml: line 5: unknown config key 'op_times.backwad'; did you mean 'op_times.backward'\\?\n$" -cp ${broken} -cn unknown_key)
expect(2 "^ppemu: ${broken}/missing_stage.yaml: line 4: op_times.forward gives no time for stage 3" -cp ${broken} -cn missing_stage)
expect(2 "^ppemu: ${broken}/unclosed_list.yaml: line 4, column [0-9]+: " -cp ${broken} -cn unclosed_list)
expect(2 "^ppemu: ${broken}/duplicate_key.yaml: line 4, column 1: duplicate key 'num_devices'\n$" --config ${broken}/duplicate_key.yaml)
# A key=value that replaces the file's per-stage map takes the blame for it, not the file.
expect(2 "^ppemu: op_times.forward gives no time for stage 3" -cp ${broken} -cn negative_stage "op_times.forward=[1,1,1]")
expect(2 "^ppemu: conf/model_A.yaml: line 11: op_times.forward gives 4 stage times but num_stages is 2" -cn model_A num_stages=2 num_devices=2)

# --search (issue 11): every strategy over the varied keys, ranked; skipped configurations counted.
expect(0 "search: 2 strategies x num_stages \\(2 values\\) = 4 configurations; 2 ran, 2 skipped.*fastest: 1f1b num_stages=4  \\(time 33, peak memory 4\\).*\n +1  1f1b +4 +33 +4 +0.272727  \\*\n +2  interleave +8 +57 +11 .*interleave +1  interleave needs at least two stages per device"
       --search strategies=1f1b,interleave vary.num_stages=4,8 same_model=0)
expect(0 "same model: op times and op memory x 4 / num_stages.*fastest: interleave num_stages=8  \\(time 28.5, peak memory 5.5\\)"
       --search strategies=1f1b,interleave vary.num_stages=4,8)
expect(0 "\"count\": 4,\n  \"ran\": 2,\n  \"skipped\": 2,.*\"best\": 0,.*\"rank\": 1,\n      \"time\": 33"
       --search strategies=1f1b,interleave vary.num_stages=4,8 same_model=0 --format json)
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
