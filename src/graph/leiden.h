// The steps of the Leiden algorithm (Traag, Waltman and van Eck, "From
// Louvain to Leiden: guaranteeing well-connected communities", Scientific
// Reports 9, 2019) for generalised modularity, on one CommunityLevel.
// Internal to src/graph; Communities (communities.cc) drives them.
//
// Modularity gains are in weight units: moving a node of strength k from
// nowhere into community C gains link(v, C) - resolution * k * K_C / 2m,
// where K_C is C's total strength (igraph's and leidenalg's convention).
#ifndef VIGIL_GRAPH_LEIDEN_H_
#define VIGIL_GRAPH_LEIDEN_H_

#include <cstdint>
#include <random>
#include <vector>

#include "graph/community_level.h"

namespace vigil {

// Fast local moving: every node starts in a queue in random order; a node
// moves to the neighbouring community with the best modularity gain, and a
// move queues the node's neighbours outside its new community that are not
// already queued. Ends when the queue is empty; each move raises
// modularity, so it terminates. Levels of 32,768 nodes or more take nodes
// off the queue in batches of 16,384: each node's best move is found in
// parallel over `threads` against the same state, then the moves are
// applied in queue order, each only if it still gains (rechecked). The
// result depends on the seed only, not on the thread count.
// `community`: in, the starting partition (ids < level.size()); out, the
// result. Time O(r * (n + m)), r the mean visits per node (a few to ~15 on
// random graphs), plus O(deg) per proposed move for the recheck. Memory:
// 25 bytes per node plus 8 per node per thread.
void MoveNodes(const CommunityLevel& level, double resolution, int threads, std::mt19937_64& random,
               std::vector<uint32_t>& community);

// Renumbers the ids in `ids` to 0..count-1 in order of first appearance
// and returns count. O(n).
uint32_t Renumber(std::vector<uint32_t>& ids);

// Leiden's refinement: within each community of `community` (ids
// 0..count-1), every node starts alone; in random order, each node still
// alone that is well connected to the rest of its community joins a
// well-connected sub-community of it (or stays alone), chosen at random
// with probability proportional to exp(gain / randomness) among those
// whose gain is >= 0 (randomness -> 0: greedy). So every sub-community is
// connected, and aggregating it keeps the partition's quality while
// leaving room to move parts of a community separately later.
// Returns the sub-community of each node, ids 0..result-1 (in `refined`).
// Communities are refined in parallel over `threads`; each draws from its
// own generator seeded by (seed, community id), so the result does not
// depend on the thread count. Time O(n + m) (each tie is read twice);
// memory 29 bytes per node.
uint32_t RefinePartition(const CommunityLevel& level, const std::vector<uint32_t>& community,
                         uint32_t count, double resolution, double randomness, uint64_t seed,
                         int threads, std::vector<uint32_t>& refined);

// Splits every community into its connected parts (which never lowers
// modularity: the parts share no tie) and renumbers the result 0..count-1.
// Returns count. Time O(n + m) (breadth-first search); memory 8 bytes per
// node.
uint32_t SplitDisconnected(const CommunityLevel& level, std::vector<uint32_t>& community);

}  // namespace vigil

#endif  // VIGIL_GRAPH_LEIDEN_H_
