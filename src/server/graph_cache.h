// The people graph the network routes answer from, built once per set of
// compartments and kept in step with new ingests.
//
// A graph built through a user's AccessStore holds only the persons that
// user may see (access.h), so users with different compartments need
// different graphs; users with the same compartments share one. The first
// Get of a key builds the graph; later ones compare the store's
// IngestGeneration with the one the graph was built or last updated at and,
// when it moved, bring a copy up to date with UpdateGraphFromStore (only the
// communications stored since the graph's high-water mark) and swap it in.
// Requests already holding the old snapshot keep it (a shared_ptr); requests
// arriving while one updates answer from the old snapshot instead of
// waiting. When the store's ChangeGeneration moved (a link confirmed or
// rejected, a resolve run, a person erased, in this process or another),
// the graph is rebuilt from scratch at the next Get instead: an update only
// adds, and those changes remove. With shared-handset ties every update is
// a rebuild (UpdateGraphFromStore). Custody, co-travel and report links and re-lifted attributions
// are not updated (UpdateGraphFromStore's limits): a restart rebuilds them.
//
// Thread-safety: Get may be called from any thread; a graph is built once
// (other callers for the same key wait for it) and then read concurrently.
// Cost: the first Get of a key is BuildGraphFromStore, O(rows + c log c);
// later ones one IngestGeneration query (O(log files)) and O(log keys), and
// after an ingest one update: a copy of the graph plus O(selectors + new
// rows). Memory: one Graph per distinct compartment set seen (see
// Graph::MemoryBytes), two for a moment during an update.
#ifndef VIGIL_SERVER_GRAPH_CACHE_H_
#define VIGIL_SERVER_GRAPH_CACHE_H_

#include <atomic>
#include <cstdint>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "vigil/access.h"
#include "vigil/graph.h"
#include "vigil/status.h"

namespace vigil::server {

class GraphCache {
 public:
  // `shared_handset`: graphs are built with StoreGraphOptions::shared_handset
  // (every update is then a rebuild, UpdateGraphFromStore).
  explicit GraphCache(bool shared_handset = false) : shared_handset_(shared_handset) {}
  // The current graph for the principal of `store`'s context, built or
  // updated through `store` (its scans are authorised and audited as that
  // user) when needed.
  Result<std::shared_ptr<const Graph>> Get(AccessStore& store);
  // The communities (DefaultCommunityOptions, as `vigil network
  // communities` and GET /v1/network/communities) of `graph`, a graph Get
  // returned for `store`'s principal, computed once per graph version:
  // brokers need them on every request. Passing the graph keeps the two of
  // one request in step when a newer version is swapped in meanwhile.
  // Cost: the first call per graph runs Communities (see graph.h); later
  // ones O(log keys).
  Result<std::shared_ptr<const std::vector<uint32_t>>> Membership(
      AccessStore& store, const std::shared_ptr<const Graph>& graph);
  // Which nodes of `graph` (as for Membership) are brokers (1) among
  // everyone: the Brokers analysis without seeds (betweenness sampled from
  // 256 sources, ranked among nodes whose neighbours lie in two or more
  // communities), its top `kBrokersFlagged`, computed once per graph
  // version like Membership. Cost: the first call per graph O(256 m) plus
  // Membership's.
  static constexpr size_t kBrokersFlagged = 50;
  Result<std::shared_ptr<const std::vector<uint8_t>>> BrokerFlags(
      AccessStore& store, const std::shared_ptr<const Graph>& graph,
      const std::atomic<bool>* cancel);

 private:
  using GraphFuture = std::shared_future<Result<std::shared_ptr<const Graph>>>;
  using MembershipFuture = std::shared_future<Result<std::shared_ptr<const std::vector<uint32_t>>>>;
  struct Kept {
    GraphFuture graph;
    int64_t generation = -1;  // IngestGeneration when built or last updated
    int64_t change = -1;      // ChangeGeneration read before the build
    uint64_t build = 0;       // which build made it (a newer one replaces it)
  };
  struct KeptMembership {
    std::shared_ptr<const Graph> graph;  // the version it was computed on
    MembershipFuture membership;
  };

  static std::string KeyOf(const Principal& principal);
  StoreGraphOptions GraphOptions() const;
  // The graph of `key`, built on first use (other callers wait for it).
  Result<std::shared_ptr<const Graph>> Built(AccessStore& store, const std::string& key,
                                             int64_t change);
  // `graph` brought up to date when the store's generation moved since it
  // was kept; the old snapshot when another caller is updating it or the
  // store cannot tell its generation.
  Result<std::shared_ptr<const Graph>> Fresh(AccessStore& store, const std::string& key,
                                             std::shared_ptr<const Graph> graph);

  std::mutex mu_;
  // guarded by mu_
  std::map<std::string, Kept> graphs_;
  std::set<std::string> updating_;
  std::map<std::string, KeptMembership> memberships_;
  struct KeptBrokers {
    std::shared_ptr<const Graph> graph;
    std::shared_ptr<const std::vector<uint8_t>> flags;
  };
  std::map<std::string, KeptBrokers> brokers_;
  uint64_t next_build_ = 1;
  const bool shared_handset_;
};

}  // namespace vigil::server

#endif  // VIGIL_SERVER_GRAPH_CACHE_H_
