#pragma once
// Which link each parallel group's traffic crosses, and how long a collective takes on it.
// Ranks are ordered as Megatron-LM orders them by default (tensor fastest, then data, then
// pipeline: "tp-cp-ep-dp-pp" in megatron/core/parallel_state.py); a node holds gpus_per_node
// consecutive ranks.
#include "projection/shape.h"

namespace ppemu::projection {

enum class Link { kNvlink, kNetwork };

struct Links {
  Link tp = Link::kNvlink, pp = Link::kNvlink, dp = Link::kNvlink, ep = Link::kNvlink;
};
Links links_of(const Shape& x);
const char* link_name(Link link);
/// Achieved bytes/s per GPU per direction on the link.
double link_bytes_per_s(const Shape& x, Link link);

// Bandwidth-optimal ring algorithms (Patarasuk & Yuan 2009; NCCL's "bus bandwidth" accounting):
// each GPU moves 2(n-1)/n of the buffer for an all-reduce, (n-1)/n for a reduce-scatter or an
// all-gather (bytes = the whole buffer), and (n-1)/n of its own data in an all-to-all.
double all_reduce_s(double bytes, int ranks, double bytes_per_s);
double all_gather_s(double bytes, int ranks, double bytes_per_s);
double reduce_scatter_s(double bytes, int ranks, double bytes_per_s);
double all_to_all_s(double bytes, int ranks, double bytes_per_s);

}  // namespace ppemu::projection
