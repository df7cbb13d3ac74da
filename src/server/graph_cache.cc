#include "server/graph_cache.h"

#include <algorithm>
#include <vector>

namespace vigil::server {

// The CLI's defaults (min confidence 0.9) and the server's shared-handset
// option, for the build and every update (UpdateGraphFromStore needs the
// same options as the build).
StoreGraphOptions GraphCache::GraphOptions() const {
  StoreGraphOptions options;
  options.shared_handset = shared_handset_;
  return options;
}

std::string GraphCache::KeyOf(const Principal& principal) {
  if (principal.setup) return "*";
  std::vector<std::string> compartments = principal.compartments;
  std::sort(compartments.begin(), compartments.end());
  if (std::find(compartments.begin(), compartments.end(), kAllCompartments) != compartments.end()) {
    return "*";
  }
  std::string key;
  for (const std::string& c : compartments) key += c + "\n";
  return key;
}

Result<std::shared_ptr<const Graph>> GraphCache::Built(AccessStore& store, const std::string& key,
                                                       int64_t change) {
  using Out = Result<std::shared_ptr<const Graph>>;
  std::promise<Out> promise;
  GraphFuture future;
  bool builder = false;
  uint64_t build = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto found = graphs_.find(key);
    // A graph built before a decision or an erasure may show what is no
    // longer so: it is replaced, not updated (callers holding it keep it).
    if (found != graphs_.end() && (change < 0 || found->second.change == change)) {
      future = found->second.graph;
    } else {
      future = promise.get_future().share();
      build = next_build_++;
      graphs_[key] = Kept{future, -1, change, build};
      builder = true;
    }
  }
  if (!builder) return future.get();
  // The generation is read before the build, so that an ingest during it
  // makes the next Get update the graph (rows are read after the graph's
  // high-water mark only: nothing is added twice).
  Result<int64_t> generation = store.IngestGeneration();
  Out built = [&]() -> Out {
    VIGIL_ASSIGN_OR_RETURN(Graph graph, BuildGraphFromStore(store, GraphOptions()));
    return std::shared_ptr<const Graph>(std::make_shared<Graph>(std::move(graph)));
  }();
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto found = graphs_.find(key);
    // Only this build's entry is touched: a newer one may have replaced it.
    if (found != graphs_.end() && found->second.build == build) {
      if (!built.ok()) {
        // A failure (e.g. a role without read_comms) is not kept.
        graphs_.erase(found);
      } else {
        found->second.generation = generation.ok() ? *generation : -1;
      }
    }
  }
  promise.set_value(built);
  return built;
}

Result<std::shared_ptr<const Graph>> GraphCache::Fresh(AccessStore& store, const std::string& key,
                                                       std::shared_ptr<const Graph> graph) {
  Result<int64_t> generation = store.IngestGeneration();
  if (!generation.ok()) return graph;  // the backend cannot tell: keep the snapshot
  uint64_t build = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto found = graphs_.find(key);
    if (found == graphs_.end() || found->second.generation == *generation ||
        found->second.generation < 0 || updating_.count(key) > 0) {
      return graph;
    }
    updating_.insert(key);
    build = found->second.build;
  }
  // Outside the lock: readers keep answering from the old snapshot.
  auto updated = std::make_shared<Graph>(*graph);
  Result<size_t> added = UpdateGraphFromStore(store, *updated, GraphOptions());
  std::lock_guard<std::mutex> lock(mu_);
  updating_.erase(key);
  if (!added.ok()) return added.status();
  std::promise<Result<std::shared_ptr<const Graph>>> ready;
  std::shared_ptr<const Graph> fresh = std::move(updated);
  ready.set_value(fresh);
  // Swapped in only over the build it updated (a rebuild after a decision
  // may have replaced it meanwhile).
  auto found = graphs_.find(key);
  if (found != graphs_.end() && found->second.build == build) {
    found->second.graph = ready.get_future().share();
    found->second.generation = *generation;
  }
  return fresh;
}

Result<std::shared_ptr<const Graph>> GraphCache::Get(AccessStore& store) {
  const std::string key = KeyOf(store.context().principal);
  Result<int64_t> change = store.ChangeGeneration();
  VIGIL_ASSIGN_OR_RETURN(std::shared_ptr<const Graph> graph,
                         Built(store, key, change.ok() ? *change : -1));
  return Fresh(store, key, std::move(graph));
}

Result<std::shared_ptr<const std::vector<uint32_t>>> GraphCache::Membership(
    AccessStore& store, const std::shared_ptr<const Graph>& graph) {
  using Out = Result<std::shared_ptr<const std::vector<uint32_t>>>;
  const std::string key = KeyOf(store.context().principal);
  std::promise<Out> promise;
  MembershipFuture future;
  bool builder = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto found = memberships_.find(key);
    if (found != memberships_.end() && found->second.graph == graph) {
      future = found->second.membership;
    } else {
      // First use, or the graph was updated since: compute for this version.
      future = promise.get_future().share();
      memberships_[key] = KeptMembership{graph, future};
      builder = true;
    }
  }
  if (!builder) return future.get();
  Out computed = [&]() -> Out {
    Communities communities(*graph, DefaultCommunityOptions(*graph));
    VIGIL_RETURN_IF_ERROR(communities.run());
    return std::shared_ptr<const std::vector<uint32_t>>(
        std::make_shared<std::vector<uint32_t>>(communities.membership()));
  }();
  if (!computed.ok()) {
    std::lock_guard<std::mutex> lock(mu_);
    auto found = memberships_.find(key);
    if (found != memberships_.end() && found->second.graph == graph) memberships_.erase(found);
  }
  promise.set_value(computed);
  return computed;
}

Result<std::shared_ptr<const std::vector<uint8_t>>> GraphCache::BrokerFlags(
    AccessStore& store, const std::shared_ptr<const Graph>& graph,
    const std::atomic<bool>* cancel) {
  VIGIL_ASSIGN_OR_RETURN(std::shared_ptr<const std::vector<uint32_t>> membership,
                         Membership(store, graph));
  const std::string key = KeyOf(store.context().principal);
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto found = brokers_.find(key);
    if (found != brokers_.end() && found->second.graph == graph) return found->second.flags;
  }
  // Computed outside the lock; two first callers may both compute (the
  // result is the same: the sampling is seeded).
  BetweennessOptions options;
  options.samples = 256;
  options.control.cancel = cancel;
  Brokers brokers(*graph, {}, *membership, kBrokersFlagged, options);
  VIGIL_RETURN_IF_ERROR(brokers.run());
  auto flags = std::make_shared<std::vector<uint8_t>>(graph->node_count(), 0);
  for (const Broker& broker : brokers.brokers()) (*flags)[broker.node] = 1;
  std::shared_ptr<const std::vector<uint8_t>> out = flags;
  std::lock_guard<std::mutex> lock(mu_);
  brokers_[key] = KeptBrokers{graph, out};
  return out;
}

}  // namespace vigil::server
