#include "strategies/dualpipe_phases.h"

#include <algorithm>
#include <deque>
#include <utility>

#include "strategies/common.h"

namespace ppemu::detail {
namespace {

// Hands out each phase's next forward / backward microbatch and keeps the split backwards whose
// W is still due, oldest first, as DualPipe's WeightGradStore queue does.
class PhaseOps {
 public:
  PhaseOps(const DualPipeRank& r, std::vector<Action>& out) : r_(r), out_(out) {}

  void f(int q) { detail::append(out_, OpKind::F, r_.stage[q], next_f(q)); }
  // A backward; split ones (zero bubble) leave their W for a later w().
  void b(int q, bool split) {
    const int mb = next_b(q);
    if (split) {
      detail::append(out_, OpKind::B, r_.stage[q], mb);
      pending_w_.emplace_back(r_.stage[q], mb);
    } else {
      detail::append(out_, OpKind::BW, r_.stage[q], mb);
    }
  }
  // The forward of phase fq overlapped with the full backward of the other phase.
  void ov(int fq, int bq) {
    const int fmb = next_f(fq);
    detail::append(out_, OpKind::OV, r_.stage[fq], fmb, r_.stage[bq], next_b(bq));
  }
  void w() {
    detail::append(out_, OpKind::W, pending_w_.front().first, pending_w_.front().second);
    pending_w_.pop_front();
  }

 private:
  int next_f(int q) { return r_.first_mb[q] + f_[q]++; }
  int next_b(int q) { return r_.first_mb[q] + b_[q]++; }

  const DualPipeRank& r_;
  std::vector<Action>& out_;
  int f_[2] = {0, 0}, b_[2] = {0, 0};
  std::deque<std::pair<int, int>> pending_w_;  // (stage, microbatch)
};

}  // namespace

std::vector<Action> dualpipe_phases(const DualPipeRank& r) {
  const int k = r.index, n = r.ranks - k - 1;
  const bool last = k == r.ranks - 1;  // DualPipe's middle rank, DualPipeV's last rank
  std::vector<Action> out;
  out.reserve(6 * static_cast<size_t>(r.chunks));
  PhaseOps op(r, out);

  for (int i = 0; i < 2 * n; ++i) op.f(0);  // 1
  for (int i = 0; i <= k; ++i) {            // 2
    op.f(0);
    op.f(1);
  }
  for (int i = 0; i < n; ++i) {  // 3: the W right after its own B
    op.b(1, true);
    op.w();
    op.f(1);
  }
  const int steady = r.chunks - 2 * r.ranks + k + 1;
  for (int i = 0; i < steady; ++i) {  // 4
    if (i == 0 && last) {
      // The references run these two apart here ("to further reduce bubble size").
      op.f(0);
      op.b(1, false);
    } else {
      op.ov(0, 1);
    }
    op.ov(1, 0);
  }
  for (int i = 0; i < n; ++i) {  // 5
    op.b(1, false);
    op.ov(1, 0);
  }
  bool split = false;  // 6: the second half of these backwards leave their W for later
  for (int i = 0; i <= k; ++i) {
    if (i == (k + 1) / 2 && k % 2 == 1) split = true;
    op.b(1, split);
    if (i == (k + 1) / 2 && k % 2 == 0) split = true;
    op.b(0, split);
  }
  for (int i = 0; i < n; ++i) {  // 7
    op.w();
    op.b(0, true);
  }
  for (int i = 0; i <= k; ++i) op.w();  // 8
  return out;
}

bool readme_times_hold(const UniformTimes& u) { return u.F == u.B && u.W <= u.F && u.Bf == u.B + u.W; }

bool overlap_between_perfect_and_none(const UniformTimes& u) {
  return u.ov >= std::max(u.F, u.Bf) && u.ov <= u.F + u.Bf;
}

}  // namespace ppemu::detail
