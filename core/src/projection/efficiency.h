#pragma once
// The achieved fractions of peak the projection assumes when gpu.* does not say (macros, so that
// --help shows the same numbers the code uses).
//
// GEMMs and memory-bound kernels: fitted by `node bench/validation.mjs --tune` on the tuning rows
// of bench/validation/runs.json (A100 runs of Narayanan et al. 2021 and Korthikanti et al. 2022);
// the other rows check them (README, "Projection").
#define PPEMU_MATMUL_EFFICIENCY 0.72
#define PPEMU_HBM_EFFICIENCY 0.69
// Links: not fitted. Calculon's DGX A100 model (calculon-ai/calculon systems/a100_80g.json, the
// system its authors validated against the same papers): NVLink at 0.65 of its bandwidth, the
// InfiniBand network at 0.9.
#define PPEMU_INTRA_NODE_EFFICIENCY 0.65
#define PPEMU_INTER_NODE_EFFICIENCY 0.9

#define PPEMU_DEFAULT_TEXT_(x) #x
#define PPEMU_DEFAULT_TEXT(x) PPEMU_DEFAULT_TEXT_(x)
