#include "server/graph_cache.h"

#include <algorithm>
#include <vector>

namespace vigil::server {

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

template <typename T, typename Make>
Result<std::shared_ptr<const T>> GraphCache::Once(
    std::map<std::string, std::shared_future<Result<std::shared_ptr<const T>>>>& cache,
    const std::string& key, Make make) {
  using Built = Result<std::shared_ptr<const T>>;
  std::promise<Built> promise;
  std::shared_future<Built> future;
  bool builder = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto found = cache.find(key);
    if (found != cache.end()) {
      future = found->second;
    } else {
      future = promise.get_future().share();
      cache.emplace(key, future);
      builder = true;
    }
  }
  if (builder) {
    Built built = make();
    if (!built.ok()) {
      // A failure (e.g. a role without read_comms) is not kept.
      std::lock_guard<std::mutex> lock(mu_);
      cache.erase(key);
    }
    promise.set_value(std::move(built));
  }
  return future.get();
}

Result<std::shared_ptr<const Graph>> GraphCache::Get(AccessStore& store) {
  return Once<Graph>(
      graphs_, KeyOf(store.context().principal), [&]() -> Result<std::shared_ptr<const Graph>> {
        StoreGraphOptions options;  // the CLI's defaults (min confidence 0.9)
        VIGIL_ASSIGN_OR_RETURN(Graph graph, BuildGraphFromStore(store, options));
        return std::shared_ptr<const Graph>(std::make_shared<Graph>(std::move(graph)));
      });
}

Result<std::shared_ptr<const std::vector<uint32_t>>> GraphCache::Membership(AccessStore& store) {
  VIGIL_ASSIGN_OR_RETURN(std::shared_ptr<const Graph> graph, Get(store));
  return Once<std::vector<uint32_t>>(
      memberships_, KeyOf(store.context().principal),
      [&]() -> Result<std::shared_ptr<const std::vector<uint32_t>>> {
        Communities communities(*graph);
        VIGIL_RETURN_IF_ERROR(communities.run());
        return std::shared_ptr<const std::vector<uint32_t>>(
            std::make_shared<std::vector<uint32_t>>(communities.membership()));
      });
}

}  // namespace vigil::server
