// The people graph the network routes answer from, built once per set of
// compartments and kept.
//
// A graph built through a user's AccessStore holds only the persons that
// user may see (access.h), so users with different compartments need
// different graphs; users with the same compartments share one. The graph is
// a snapshot taken at its first use: data ingested while the server runs
// reaches the network routes after a restart (known limit).
//
// Thread-safety: Get may be called from any thread; a graph is built once
// (other callers for the same key wait for it) and then read concurrently.
// Cost: the first Get of a key is BuildGraphFromStore, O(rows + c log c);
// later ones O(log keys). Memory: one Graph per distinct compartment set
// seen (see Graph::MemoryBytes).
#ifndef VIGIL_SERVER_GRAPH_CACHE_H_
#define VIGIL_SERVER_GRAPH_CACHE_H_

#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "vigil/access.h"
#include "vigil/graph.h"
#include "vigil/status.h"

namespace vigil::server {

class GraphCache {
 public:
  // The graph for the principal of `store`'s context, built through `store`
  // (its scans are authorised and audited as that user) when not cached.
  Result<std::shared_ptr<const Graph>> Get(AccessStore& store);
  // The communities (default CommunityOptions) of that graph, computed once
  // per graph: brokers need them on every request. Cost: the first call per
  // key runs Communities (see graph.h); later ones O(log keys).
  Result<std::shared_ptr<const std::vector<uint32_t>>> Membership(AccessStore& store);

 private:
  static std::string KeyOf(const Principal& principal);
  // Runs `make` once per key of `cache` (other callers wait for it); a
  // failure is returned to the callers waiting then and not kept.
  template <typename T, typename Make>
  Result<std::shared_ptr<const T>> Once(
      std::map<std::string, std::shared_future<Result<std::shared_ptr<const T>>>>& cache,
      const std::string& key, Make make);

  std::mutex mu_;
  // guarded by mu_
  std::map<std::string, std::shared_future<Result<std::shared_ptr<const Graph>>>> graphs_;
  std::map<std::string, std::shared_future<Result<std::shared_ptr<const std::vector<uint32_t>>>>>
      memberships_;
};

}  // namespace vigil::server

#endif  // VIGIL_SERVER_GRAPH_CACHE_H_
