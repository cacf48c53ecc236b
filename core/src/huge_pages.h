#pragma once
// The columns a run writes end to end (a timeline's, the emulator's index) are megabytes at a
// million ops. A fresh process gets them from the kernel a 4 KiB page at a time, one fault each
// (issue 13's cold runs: about 0.3-0.5 ns per byte touched on the development VMs, more than the
// emulation itself). Asking for transparent huge pages on such a buffer before it is first
// written makes that one fault per 2 MiB. Only the 2 MiB-aligned inside of a buffer can get them,
// so small buffers are left alone; where the kernel has THP off, or under WASM, this does nothing.
#include <cstddef>
#include <cstdint>
#include <vector>

#if defined(__linux__) && !defined(__EMSCRIPTEN__)
#include <sys/mman.h>
#endif

namespace ppemu::detail {

inline void prefer_huge_pages(void* data, size_t bytes) {
#if defined(__linux__) && !defined(__EMSCRIPTEN__) && defined(MADV_HUGEPAGE)
  constexpr uintptr_t kHuge = uintptr_t{2} << 20;
  if (bytes < 2 * kHuge) return;
  const auto lo = (reinterpret_cast<uintptr_t>(data) + kHuge - 1) & ~(kHuge - 1);
  const auto hi = (reinterpret_cast<uintptr_t>(data) + bytes) & ~(kHuge - 1);
  // Advice only: a kernel that refuses it leaves the buffer as it was.
  if (hi > lo) (void)madvise(reinterpret_cast<void*>(lo), hi - lo, MADV_HUGEPAGE);
#else
  (void)data;
  (void)bytes;
#endif
}

/// Room for n elements in `v`, advised before anything is written to it.
template <class T>
void reserve_fresh(std::vector<T>& v, size_t n) {
  if (v.capacity() >= n) return;
  v.reserve(n);
  prefer_huge_pages(v.data(), n * sizeof(T));
}

/// `v` resized to n, its storage advised before the resize writes it.
template <class T>
void resize_fresh(std::vector<T>& v, size_t n) {
  reserve_fresh(v, n);
  v.resize(n);
}

}  // namespace ppemu::detail
