#include "server/graph_cache.h"

#include <algorithm>
#include <vector>

namespace vigil::server {
namespace {

// The CLI's defaults (min confidence 0.9), for the build and every update
// (UpdateGraphFromStore needs the same options as the build).
StoreGraphOptions GraphOptions() { return StoreGraphOptions{}; }

}  // namespace

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

Result<std::shared_ptr<const Graph>> GraphCache::Built(AccessStore& store, const std::string& key) {
  using Out = Result<std::shared_ptr<const Graph>>;
  std::promise<Out> promise;
  GraphFuture future;
  bool builder = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto found = graphs_.find(key);
    if (found != graphs_.end()) {
      future = found->second.graph;
    } else {
      future = promise.get_future().share();
      graphs_[key].graph = future;
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
    if (!built.ok()) {
      // A failure (e.g. a role without read_comms) is not kept.
      graphs_.erase(key);
    } else {
      graphs_[key].generation = generation.ok() ? *generation : -1;
    }
  }
  promise.set_value(built);
  return built;
}

Result<std::shared_ptr<const Graph>> GraphCache::Fresh(AccessStore& store, const std::string& key,
                                                       std::shared_ptr<const Graph> graph) {
  Result<int64_t> generation = store.IngestGeneration();
  if (!generation.ok()) return graph;  // the backend cannot tell: keep the snapshot
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto found = graphs_.find(key);
    if (found == graphs_.end() || found->second.generation == *generation ||
        found->second.generation < 0 || updating_.count(key) > 0) {
      return graph;
    }
    updating_.insert(key);
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
  graphs_[key] = Kept{ready.get_future().share(), *generation};
  return fresh;
}

Result<std::shared_ptr<const Graph>> GraphCache::Get(AccessStore& store) {
  const std::string key = KeyOf(store.context().principal);
  VIGIL_ASSIGN_OR_RETURN(std::shared_ptr<const Graph> graph, Built(store, key));
  return Fresh(store, key, std::move(graph));
}

Result<std::shared_ptr<const std::vector<uint32_t>>> GraphCache::Membership(AccessStore& store) {
  using Out = Result<std::shared_ptr<const std::vector<uint32_t>>>;
  VIGIL_ASSIGN_OR_RETURN(std::shared_ptr<const Graph> graph, Get(store));
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
    Communities communities(*graph);
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
    AccessStore& store, const std::atomic<bool>* cancel) {
  VIGIL_ASSIGN_OR_RETURN(std::shared_ptr<const Graph> graph, Get(store));
  VIGIL_ASSIGN_OR_RETURN(std::shared_ptr<const std::vector<uint32_t>> membership,
                         Membership(store));
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
