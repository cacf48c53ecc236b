#pragma once
// PPEMU_ALWAYS_INLINE after a lambda's parameter list makes the compiler inline it. For the small
// helper lambdas of the per-op loops (emulator.cc, metrics.cc): clang, which builds the WASM
// module, left emulate()'s backward_in and compute_metrics()'s emit as calls on every op.
#if defined(__GNUC__) || defined(__clang__)
#define PPEMU_ALWAYS_INLINE __attribute__((always_inline))
#else
#define PPEMU_ALWAYS_INLINE
#endif
