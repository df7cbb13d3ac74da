#include "server/graph_cache.h"

#include <algorithm>
#include <vector>

namespace vigil::server {

std::string GraphCache::KeyOf(const Principal& principal) {
  if (principal.setup) return "*";
  std::vector<std::string> compartments = principal.compartments;
  std::sort(compartments.begin(), compartments.end());
  if (std::find(compartments.begin(), compartments.end(), kAllCompartments) !=
      compartments.end()) {
    return "*";
  }
  std::string key;
  for (const std::string& c : compartments) key += c + "\n";
  return key;
}

Result<std::shared_ptr<const Graph>> GraphCache::Get(AccessStore& store) {
  const std::string key = KeyOf(store.context().principal);
  std::promise<Built> promise;
  std::shared_future<Built> future;
  bool builder = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto found = graphs_.find(key);
    if (found != graphs_.end()) {
      future = found->second;
    } else {
      future = promise.get_future().share();
      graphs_.emplace(key, future);
      builder = true;
    }
  }
  if (builder) {
    StoreGraphOptions options;  // the CLI's defaults (min confidence 0.9)
    Result<Graph> graph = BuildGraphFromStore(store, options);
    if (graph.ok()) {
      promise.set_value(std::shared_ptr<const Graph>(
          std::make_shared<Graph>(std::move(graph).value())));
    } else {
      promise.set_value(graph.status());
      // A failed build (e.g. a role without read_comms) is not kept.
      std::lock_guard<std::mutex> lock(mu_);
      graphs_.erase(key);
    }
  }
  return future.get();
}

}  // namespace vigil::server
