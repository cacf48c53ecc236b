#include "projection/comm.h"

namespace ppemu::projection {

Links links_of(const Shape& x) {
  const long node = x.gpus_per_node;
  auto over = [&](long span) { return span > node ? Link::kNetwork : Link::kNvlink; };
  Links l;
  l.tp = over(x.t);                                  // t consecutive ranks
  l.dp = over(static_cast<long>(x.t) * x.dp);        // stride t over t x d ranks
  l.ep = over(static_cast<long>(x.t) * x.ep);        // inside data parallelism, stride t
  l.pp = over(static_cast<long>(x.t) * x.dp * x.p);  // stride t x d: some neighbours cross a node once the pipeline spans more than one
  return l;
}

const char* link_name(Link link) { return link == Link::kNvlink ? "NVLink" : "network"; }

double link_bytes_per_s(const Shape& x, Link link) { return link == Link::kNvlink ? x.intra_bytes_per_s : x.inter_bytes_per_s; }

double all_reduce_s(double bytes, int ranks, double bytes_per_s) {
  return ranks <= 1 ? 0 : 2.0 * (ranks - 1) / ranks * bytes / bytes_per_s;
}

double all_gather_s(double bytes, int ranks, double bytes_per_s) {
  return ranks <= 1 ? 0 : 1.0 * (ranks - 1) / ranks * bytes / bytes_per_s;
}

double reduce_scatter_s(double bytes, int ranks, double bytes_per_s) { return all_gather_s(bytes, ranks, bytes_per_s); }

double all_to_all_s(double bytes, int ranks, double bytes_per_s) {
  return ranks <= 1 ? 0 : 1.0 * (ranks - 1) / ranks * bytes / bytes_per_s;
}

}  // namespace ppemu::projection
