// What the network handlers share (handlers_network.cc,
// handlers_explorer.cc): seeds resolved in the caller's graph, the reveal
// hook over graph nodes, and the window filter of a request.
#ifndef VIGIL_SERVER_NETWORK_HELPERS_H_
#define VIGIL_SERVER_NETWORK_HELPERS_H_

#include <string>
#include <string_view>
#include <vector>

#include "server/routes.h"
#include "vigil/graph.h"

namespace vigil::server {

// Nodes of the caller's graph for `seeds`. A person id must name a person
// the caller may see (else NotFound, as for a missing person); a visible
// person without contacts yields no node. A selector must be a node of the
// graph (else NotFound). Cost: one person look-up or O(log n) per seed.
Result<std::vector<NodeId>> ResolveSeeds(HandlerContext& ctx, const Graph& graph,
                                         const std::vector<std::string>& seeds);

// The persons among `nodes` the caller may be shown, sorted (logged as
// revealed via `via`). Cost: that of AccessStore::Reveal.
Result<std::vector<std::string>> RevealNodes(HandlerContext& ctx, const Graph& graph,
                                             const std::vector<NodeId>& nodes,
                                             std::string_view via);

// Whether node v may be shown: a selector, or a person in `shown` (sorted).
bool Shown(const Graph& graph, NodeId v, const std::vector<std::string>& shown);

// The request's from, to and min_contacts as an EdgeFilter.
Result<EdgeFilter> FilterOf(const ApiRequest& request);

}  // namespace vigil::server

#endif  // VIGIL_SERVER_NETWORK_HELPERS_H_
