// The network engine: a compact temporal graph of people (and of selectors
// nobody is attributed to) and the questions analysts ask of it: the wider
// network around seeds, shortest and time-respecting paths, cells,
// centrality and brokers, and exports for Gephi, Cytoscape and i2.
//
// Shape: a Graph is an immutable value built once (BuildGraph from timed
// contacts, BuildGraphFromStore from the store, LoadNetworkFile from a
// public data set). Every analysis is a final class constructed with the
// graph and its options; run() does the work and returns a Status; accessors
// read the results. Analyses borrow the graph: it must outlive them.
//
// Thread-safety: a Graph may be read from any number of threads at once. An
// analysis object is used by one thread at a time (it may start its own
// worker threads inside run()).
#ifndef VIGIL_GRAPH_H_
#define VIGIL_GRAPH_H_

#include <atomic>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/model.h"
#include "vigil/progress.h"
#include "vigil/status.h"

namespace vigil {

class Store;

using NodeId = uint32_t;
using EdgeId = uint32_t;
inline constexpr NodeId kNoNode = UINT32_MAX;

// Why two nodes are linked; an edge keeps the union of its contacts' kinds.
enum EdgeKind : uint8_t {
  kEdgeComm = 1,      // a call, SMS, message or e-mail
  kEdgeCustody = 2,   // overlapping stays in the same facility
  kEdgeCoTravel = 4,  // the same flight (carrier, route, day)
  kEdgeReport = 8,    // a report about one names the other
  // Refinements of kEdgeComm (always set with it), from the communication's
  // kind: a call, or a written message (SMS, messenger, e-mail). They are
  // not kinds of link of their own (tie weights count kEdgeComm once).
  kEdgeCall = 16,
  kEdgeMessage = 32,
  // One handset (IMEI) used by the SIMs of both ends: only in graphs built
  // with StoreGraphOptions::shared_handset (see Graph::EdgeHandsets).
  kEdgeHandset = 64,
};
// The kinds of link that count as separate evidence (every bit but the
// comm refinements).
inline constexpr uint8_t kEdgeCommKinds = kEdgeComm | kEdgeCall | kEdgeMessage;
// "comm|call|custody", "" for none.
std::string EdgeKindsName(uint8_t kinds);

// Evidence of a shared-handset tie (kEdgeHandset): the handset, and when
// each end's selectors were seen in it (first and last communication sent
// from it in the graph's window, and how many).
struct HandsetUse {
  std::string device;  // the handset's selector, "imei:..."
  NodeId a = 0;        // the tie's lower end
  NodeId b = 0;        // the tie's higher end
  UnixTime a_first = 0;
  UnixTime a_last = 0;
  uint32_t a_count = 0;
  UnixTime b_first = 0;
  UnixTime b_last = 0;
  uint32_t b_count = 0;
};

// One undirected contact between nodes a and b at `time`.
struct TimedContact {
  NodeId a = 0;
  NodeId b = 0;
  UnixTime time = 0;
  uint8_t kind = kEdgeComm;
  // A contact of an event several people shared (custody, co-travel): what
  // it says about this pair, 1/(n-1) for n people sharing it (custody:
  // scaled by how long the two stays overlapped); 0 for a pairwise contact.
  float share = 0;
};

// Long runs report progress and stop early, returning Cancelled, when
// *cancel becomes true. Both pointers are borrowed and may be null.
struct RunControl {
  Progress* progress = nullptr;
  const std::atomic<bool>* cancel = nullptr;
};

// ---- The graph ------------------------------------------------------------

// An undirected multigraph collapsed to simple edges, in compressed sparse
// row form. Per node: label (person_id or selector), whether it is a
// selector, and its neighbours with the edge id of each. Per edge: kinds,
// contact count, first and last time, and every contact time in order.
//
// Memory (see MemoryBytes): 8 bytes per contact (its time); 25 bytes per
// edge (2 x 8 of adjacency: neighbour and edge id at both ends, 8 of
// contact offset, 1 of kinds); 8 bytes per node plus, for labelled graphs,
// 13 bytes (label offset, lookup order, selector flag) and the label's
// characters. Measured by network_bench (arrays sized exactly by the
// build): generated graphs of 1M nodes / 10M contacts (9,998,604 edges)
// and 10M nodes / 100M contacts (99,997,745 edges) hold 322.3 MiB and
// 3,223.4 MiB, 33.8 bytes per edge with its contact time (one contact per
// edge there); the people graph of a simulated world (58,680 nodes,
// 303,848 edges, 1,139,838 communications) holds 16.4 MiB, 15.1 bytes per
// communication and 56.6 bytes per edge with its contacts. The large
// arrays are backed by transparent huge pages where the kernel allows
// (fewer TLB misses for the analyses' random reads).
class Graph {
 public:
  Graph() = default;

  size_t node_count() const { return offsets_.empty() ? 0 : offsets_.size() - 1; }
  size_t edge_count() const { return edge_kinds_.size(); }
  size_t contact_count() const { return contact_times_.size(); }

  // REQUIRES: v < node_count(). Neighbours in increasing id order; the
  // edge ids are parallel to them.
  std::span<const NodeId> Neighbours(NodeId v) const {
    return {targets_.data() + offsets_[v], targets_.data() + offsets_[v + 1]};
  }
  std::span<const EdgeId> IncidentEdges(NodeId v) const {
    return {edge_ids_.data() + offsets_[v], edge_ids_.data() + offsets_[v + 1]};
  }
  size_t Degree(NodeId v) const { return offsets_[v + 1] - offsets_[v]; }

  // REQUIRES: e < edge_count().
  uint8_t EdgeKinds(EdgeId e) const { return edge_kinds_[e]; }
  uint32_t EdgeContactCount(EdgeId e) const {
    return static_cast<uint32_t>(contact_offsets_[e + 1] - contact_offsets_[e]);
  }
  UnixTime EdgeFirst(EdgeId e) const { return contact_times_[contact_offsets_[e]]; }
  UnixTime EdgeLast(EdgeId e) const { return contact_times_[contact_offsets_[e + 1] - 1]; }
  // Every contact time of the edge, in non-decreasing order.
  std::span<const UnixTime> EdgeContacts(EdgeId e) const {
    return {contact_times_.data() + contact_offsets_[e],
            contact_times_.data() + contact_offsets_[e + 1]};
  }
  // Hints for scans that jump between edges and nodes (expansion): start
  // loading what EdgeContactCount / EdgeLast / Degree will read. Prefetch
  // the edge first, and its last contact some steps later (it reads the
  // edge's offsets). No effect on results.
  void PrefetchEdge(EdgeId e) const { __builtin_prefetch(contact_offsets_.data() + e); }
  void PrefetchLastContact(EdgeId e) const {
    __builtin_prefetch(contact_times_.data() + contact_offsets_[e + 1] - 1);
  }
  void PrefetchNode(NodeId v) const { __builtin_prefetch(offsets_.data() + v); }
  // Contacts of edge e with from <= time < to.
  uint32_t EdgeContactsIn(EdgeId e, UnixTime from, UnixTime to) const;
  // Of edge e's contacts, those of shared events (TimedContact::share > 0)
  // and the sum of their shares (0 and 0 for an edge of pairwise contacts
  // only). Cost O(log edges with shared events).
  uint32_t EdgeSharedEvents(EdgeId e) const;
  double EdgeSharedWeight(EdgeId e) const;
  // The handsets behind edge e's kEdgeHandset kind, one per handset the two
  // ends shared (empty for every other edge, and in graphs built without
  // StoreGraphOptions::shared_handset). Cost O(log handset ties).
  std::span<const HandsetUse> EdgeHandsets(EdgeId e) const;

  // REQUIRES: v < node_count().
  std::string_view Label(NodeId v) const;
  bool IsSelector(NodeId v) const { return !is_selector_.empty() && is_selector_[v] != 0; }
  // The node with this label; NotFound naming it otherwise. Cost O(log n).
  Result<NodeId> Find(std::string_view label) const;

  // The latest contact time in the graph (0 when it has none).
  UnixTime latest_contact() const { return latest_contact_; }

  // Bytes held by the graph's arrays.
  size_t MemoryBytes() const;

  // For a graph built from a store: the storage row of the last
  // communication it has read (its high-water mark; see
  // Store::ScanCommEdgesAfter), so that UpdateGraphFromStore reads only the
  // rows stored after it. 0 for other graphs.
  int64_t store_comm_row() const { return store_comm_row_; }

 private:
  friend class GraphAssembler;

  std::vector<uint64_t> offsets_;          // node_count + 1
  std::vector<NodeId> targets_;            // 2 * edge_count
  std::vector<EdgeId> edge_ids_;           // parallel to targets_
  std::vector<uint8_t> edge_kinds_;        // edge_count
  std::vector<uint64_t> contact_offsets_;  // edge_count + 1
  std::vector<UnixTime> contact_times_;    // contact_count
  std::vector<char> label_chars_;          // labels back to back
  std::vector<uint64_t> label_offsets_;    // node_count + 1, or empty: label = id
  std::vector<NodeId> label_order_;        // node ids sorted by label
  std::vector<uint8_t> is_selector_;       // node_count, or empty
  // Edges with contacts of shared events, ascending, with their count and
  // summed shares (few: custody and co-travel ties).
  std::vector<EdgeId> shared_edges_;
  std::vector<uint32_t> shared_events_;
  std::vector<float> shared_weight_;
  // Shared-handset evidence sorted by edge, and the edge of each.
  std::vector<EdgeId> handset_edges_;
  std::vector<HandsetUse> handset_uses_;
  UnixTime latest_contact_ = 0;
  int64_t store_comm_row_ = 0;
};

// ---- Building -------------------------------------------------------------

struct GraphBuildOptions {
  int threads = 2;  // sorting and assembly workers
};

// Builds a graph of labels.size() nodes (or, with labels empty, of
// 1 + the largest id in contacts, labelled by their decimal id) from
// contacts. Self-contacts are dropped. `selector_nodes`, if not empty, flags
// the nodes that are unattributed selectors (parallel to labels).
// InvalidArgument if a contact names a node >= labels.size(), or labels repeat.
// Cost: O(c log c) for c contacts, split over options.threads.
Result<Graph> BuildGraph(std::vector<std::string> labels, std::vector<TimedContact> contacts,
                         const GraphBuildOptions& options = {},
                         std::vector<uint8_t> selector_nodes = {});

// Keeps a built graph in step with new records without a rebuild: adds
// `contacts` (e.g. one new day of communications) and new nodes, in place.
// New nodes take ids node_count(), node_count() + 1, ... in the order of
// new_labels (for a graph built without labels, any id past the end makes
// the graph grow to it and new_labels must be empty); new_selector_flags, if
// not empty, is parallel to new_labels. Existing node and edge ids do not
// change; a tie the graph lacks becomes edge edge_count(), edge_count() + 1,
// ... Self-contacts are dropped. On error the graph is unchanged:
// InvalidArgument if a contact names a node past the new end, a new label is
// already present or repeats, or labels are given to an unlabelled graph.
// Cost: O(d log d + d log deg) for d new contacts (sort, then finding each
// tie in its endpoint's sorted list), plus one pass that shifts the
// existing arrays in place from the back, O(n + m + c) memory moves with no
// comparisons (no re-sort of the c contacts already held); k new labels
// cost O(k log n) comparisons and an O(n) copy of the lookup order. Memory:
// the arrays grow by the new entries (vector growth, geometric, may
// reallocate them).
// Not thread-safe with readers of the same graph.
Status AddContacts(Graph& graph, std::vector<TimedContact> contacts,
                   std::vector<std::string> new_labels = {},
                   std::vector<uint8_t> new_selector_flags = {});

struct StoreGraphOptions {
  // Attributions in state source or confirmed always lift a selector to its
  // person; proposed ones only at or above this confidence (> 1 disables).
  double min_proposed_confidence = 0.9;
  std::optional<UnixTime> from;  // communications from (inclusive)
  std::optional<UnixTime> to;    // communications to (exclusive)
  bool custody = true;           // links for overlapping stays
  bool co_travel = true;         // links for the same flight
  bool reports = true;           // links for reports naming another person
  // Links for a shared handset: two nodes whose selectors sent
  // communications from the same handset (comms `device`, the handset that
  // `src` used), with the evidence in Graph::EdgeHandsets. Off by default:
  // it adds ties the evaluation's figures were not measured with.
  bool shared_handset = false;
  int threads = 2;
  RunControl control;
};

// More users of one handset than this link none of them (shared handset).
inline constexpr size_t kMaxHandsetUsers = 8;

// Reads communications, attributions, custody, travel and reports from the
// store and builds the people graph: a communication links the owners of its
// two selectors (a selector nobody owns stays a node of its own, flagged
// IsSelector); a person's contact with their own selector is dropped.
// Custody: two stays in one facility that overlap link the two people at the
// start of the overlap. Co-travel: records with the same carrier, origin,
// destination and UTC day whose documents are attributed link their owners.
// Reports: a report about A whose text contains B's person_id links A and B.
// Shared handset (options.shared_handset): the nodes whose selectors sent
// communications in the window from one handset are linked pairwise, one
// contact per pair at the later of their first uses (when the handset was
// seen to pass), as a shared event of share 1/(n-1) for n users; a handset
// with more than kMaxHandsetUsers users (a shop's or a kiosk's phone) links
// nobody. Each such tie carries its handsets and dates (EdgeHandsets).
// Errors: the store's Status; Cancelled. Cost: O(rows + c log c), plus with
// shared_handset O(u log u) for u (handset, node) uses and O(k^2) per
// handset of k <= kMaxHandsetUsers users.
Result<Graph> BuildGraphFromStore(Store& store, const StoreGraphOptions& options = {});

// Keeps a graph built by BuildGraphFromStore in step with new ingests
// without a rebuild: reads only the communications stored after the graph's
// high-water mark (graph.store_comm_row(), then advanced past them), keeps
// those inside options.from/to, and adds them through AddContacts, lifting
// selectors to their owners by the same rules; selectors and people new to
// the graph become new nodes. After build + updates the graph equals a fresh
// build with the same options (same nodes, ties and contacts; node ids may
// differ). Pass the same options to build and every update: a row outside
// the window is passed over for good. Returns the number of contacts added.
// Custody, co-travel and report links are not updated (they are few;
// rebuild for them), nor are contacts already in the graph re-lifted when an
// attribution changes (rebuild then too). With options.shared_handset the
// update is a full BuildGraphFromStore assigned to `graph` (a new
// communication from a known handset ties its sender to the handset's
// earlier users, whom the new rows do not name): the result equals a fresh
// build, node and edge ids may change, and the cost is a build's; the
// number returned is then the growth of contact_count() (0 if none).
// Errors: the store's Status (a backend without ScanCommEdgesAfter returns
// its error); Cancelled; AddContacts' errors (the graph is then unchanged).
// Cost: one scan of attributions and selectors (O(selectors), lookups
// O(log n) each) and of the new communication rows only (O(d), a rowid
// range scan), plus AddContacts for the d new contacts.
Result<size_t> UpdateGraphFromStore(Store& store, Graph& graph,
                                    const StoreGraphOptions& options = {});

// Loads a public network data set as an unweighted graph (one contact per
// tie, at time 0): a square adjacency-matrix CSV (first row and column are
// labels; any non-zero cell is a tie), a JJATT *_Relations_* CSV (ID,
// Tie_ID), a GML file (edge source/target), or an edge list of
// "a,b[,...]" or "a b" lines (.txt, .net, .csv with two or more columns).
// IOError if unreadable, InvalidArgument naming the line if malformed.
// Cost: O(bytes + m log m).
Result<Graph> LoadNetworkFile(const std::string& path);

// The same reader on a file's bytes held in memory: `path` picks the format
// by its extension (".gml", ".csv", other) and names the file in messages.
Result<Graph> ParseNetworkText(std::string_view text, const std::string& path);

// ---- Analyses -------------------------------------------------------------

// Which edges a question sees: those with at least min_contacts contacts
// in [from, to).
struct EdgeFilter {
  std::optional<UnixTime> from;
  std::optional<UnixTime> to;
  uint32_t min_contacts = 1;
};

struct ExpansionOptions {
  int hops = 2;
  EdgeFilter filter;
  size_t limit = 100;  // results kept (0 = all)
  // A node is a hub when its degree is at least hub_min_degree and at least
  // hub_relative_degree times the graph's mean degree. Hubs are listed and
  // flagged, their score is multiplied by hub_penalty, and expansion does
  // not continue through them.
  size_t hub_min_degree = 50;
  double hub_relative_degree = 20.0;
  double hub_penalty = 0.1;
  // Recency: a tie last used half_life_s before `now` counts half.
  int64_t half_life_s = 180 * 86400;
  // If not empty: each edge's strength before recency, in [0, 1], indexed by
  // EdgeId (e.g. EvidenceStrengths), replacing 1 - exp(-contacts / 3).
  std::vector<double> tie_strengths;
  std::optional<UnixTime> now;  // default: the latest contact in the graph
};

struct ExpansionHit {
  NodeId node = kNoNode;
  int hops = 0;              // from the nearest seed
  double score = 0;          // sum over seeds of the best path strength
  int seeds_reached = 0;     // seeds with a path to this node
  bool hub = false;          // down-weighted, not expanded through
  std::vector<NodeId> path;  // seed ... node along the strongest path
};

// The wider network around seeds within `hops` hops, ranked by how strongly
// and how recently each node is tied to the seeds. Tie strength of an edge
// is (1 - exp(-contacts / 3)) * 0.5^(age / half_life); a path's strength is
// the product of its ties; a node's score sums, over seeds, its strongest
// path from that seed. Seeds themselves are not hits.
// Time: O(s * e_h + r log r) for s seeds, e_h the edges scanned within hops
// of a seed (hubs are not crossed) and r the nodes reached; paths are built
// only for the hits kept. Memory: O(s * e_h) steps plus hash maps of the
// reached nodes; nothing proportional to the whole graph.
class Expansion final {
 public:
  Expansion(const Graph& graph, std::vector<NodeId> seeds, ExpansionOptions options);
  // InvalidArgument for a seed out of range or hops < 1.
  Status run();
  const std::vector<ExpansionHit>& hits() const { return hits_; }
  // Hubs met during the expansion (not expanded through).
  const std::vector<NodeId>& hubs() const { return hubs_; }
  bool IsHub(NodeId v) const;

 private:
  const Graph& graph_;
  std::vector<NodeId> seeds_;
  ExpansionOptions options_;
  double hub_degree_ = 0;
  std::vector<ExpansionHit> hits_;
  std::vector<NodeId> hubs_;
};

// Fewest-hop path between two nodes over the edges the filter admits.
// Cost: O(n + m) (breadth-first search).
class ShortestPath final {
 public:
  ShortestPath(const Graph& graph, NodeId source, NodeId target, EdgeFilter filter = {});
  // InvalidArgument for a node out of range. No path is an OK outcome.
  Status run();
  bool found() const { return !path_.empty(); }
  // source ... target; empty when unreachable.
  const std::vector<NodeId>& path() const { return path_; }

 private:
  const Graph& graph_;
  NodeId source_;
  NodeId target_;
  EdgeFilter filter_;
  std::vector<NodeId> path_;
};

// Earliest-arrival time-respecting path: a chain of contacts at
// non-decreasing times, starting at or after `start`, so that something
// passed on at each contact could have reached the target. Cost:
// O((n + m) log n + m log c) (Dijkstra on arrival time, binary search in
// each edge's contacts).
class TemporalPath final {
 public:
  TemporalPath(const Graph& graph, NodeId source, NodeId target, UnixTime start,
               std::optional<UnixTime> end = std::nullopt);
  Status run();
  bool found() const { return !path_.empty(); }
  const std::vector<NodeId>& path() const { return path_; }
  // times()[i] is when path()[i] heard; times()[0] = start.
  const std::vector<UnixTime>& times() const { return times_; }

 private:
  const Graph& graph_;
  NodeId source_;
  NodeId target_;
  UnixTime start_;
  std::optional<UnixTime> end_;
  std::vector<NodeId> path_;
  std::vector<UnixTime> times_;
};

// Degree of every node. Cost O(n).
std::vector<double> DegreeCentrality(const Graph& graph);

struct PageRankOptions {
  double damping = 0.85;
  double tolerance = 1e-10;  // stop when the L1 change of an iteration is below
  int max_iterations = 1000;
  bool weighted = false;  // weight edges by contact count
  int threads = 2;
  RunControl control;
};

// PageRank on the undirected graph (each edge both ways); a node without
// edges spreads its rank evenly over all nodes, as igraph's PRPACK does.
// Scores sum to 1. Cost: O(iterations * (n + m)), split over threads.
class PageRank final {
 public:
  PageRank(const Graph& graph, PageRankOptions options = {});
  Status run();
  const std::vector<double>& scores() const { return scores_; }
  int iterations() const { return iterations_; }

 private:
  const Graph& graph_;
  PageRankOptions options_;
  std::vector<double> scores_;
  int iterations_ = 0;
};

struct BetweennessOptions {
  // 0: exact (every node a source). k > 0: k sources drawn at random and
  // the sums scaled by n / k (an unbiased estimate).
  size_t samples = 0;
  uint64_t seed = 1;
  bool normalized = false;  // divide by (n-1)(n-2)/2
  int threads = 2;
  RunControl control;
};

// Betweenness of every node on the unweighted undirected graph, Brandes'
// algorithm; each unordered pair counted once (igraph's convention).
// Cost: O(n m) exact, O(k m) sampled, split over threads.
class Betweenness final {
 public:
  Betweenness(const Graph& graph, BetweennessOptions options = {});
  Status run();
  const std::vector<double>& scores() const { return scores_; }

 private:
  const Graph& graph_;
  BetweennessOptions options_;
  std::vector<double> scores_;
};

struct CommunityOptions {
  // Higher finds smaller communities (the gamma of generalised modularity).
  double resolution = 1.0;
  // Weight each tie by its number of contacts (weighted modularity) rather
  // than counting every tie once.
  bool weighted = false;
  // Only ties the filter admits (contacts in the window, at least
  // min_contacts of them) take part; weights count contacts in the window.
  EdgeFilter filter;
  // If not empty: the weight of every edge (indexed by EdgeId, e.g. from
  // TieWeights), overriding `weighted`; an edge of weight <= 0 or one the
  // filter does not admit takes no part.
  std::vector<double> edge_weights;
  uint64_t seed = 1;
  // Rounds of the multilevel search: each continues from the best partition
  // so far, or restarts from singletons after a round that did not improve.
  // 0: 32 rounds below 10,000 nodes (cheap there, and igraph-level
  // modularity on every public network needs the restarts), 2 above.
  int rounds = 0;
  // Workers for refinement and aggregation (local moving is sequential).
  // The result does not depend on it.
  int threads = 2;
  RunControl control;
};

// Cells and groups by modularity: the Leiden algorithm (Traag, Waltman and
// van Eck 2019). Each pass: fast local moving (a queue; after a move only
// the moved node's neighbours are revisited), then refinement (within each
// community, nodes start alone and merge at random into well-connected
// sub-communities), then aggregation of the refined partition, the moved
// partition being the aggregate's starting one; repeated until moving
// changes nothing. Passes repeat from the best partition found (rounds).
// Every community is connected (guaranteed by a final split into
// connected parts, which never lowers modularity). Deterministic given the
// seed, whatever the thread count.
// Local moving takes nodes off its queue in batches whose best moves are
// found in parallel (threads) and applied in order with a recheck;
// refinement and aggregation split over the threads too.
// Time: O(rounds * levels * (r (n_l + m_l) + n + m)), r the mean visits per
// node in local moving (a few; ~15 on random graphs), n_l + m_l the size
// of level l (shrinking), n + m for aggregating each level from level 0.
// Memory: without weights or a filter, level 0 is the graph itself (no
// copy); working arrays ~50 bytes per node (plus 8 per node per thread);
// aggregated levels at 8 bytes per direction of each tie between two
// groups (at most the graph's m ties); a level holding a quarter or more
// of them is freed before the next is built (from level 0), so two large
// levels are never held at once. Weighted or filtered: one
// more copy of the admitted ties at 8 bytes per direction.
class Communities final {
 public:
  Communities(const Graph& graph, CommunityOptions options = {});
  Status run();
  // community of each node, numbered 0.. by decreasing size.
  const std::vector<uint32_t>& membership() const { return membership_; }
  size_t community_count() const { return count_; }
  // Modularity at the options' resolution (weighted if options.weighted).
  double modularity() const { return modularity_; }

 private:
  const Graph& graph_;
  CommunityOptions options_;
  std::vector<uint32_t> membership_;
  size_t count_ = 0;
  double modularity_ = 0;
};

// The options `vigil network communities` uses when none are given, chosen
// on the training suite only (scripts/fit_training.sh,
// bench/network/community_grid; figures in BENCHMARKS.md): evidence tie
// weights (TieWeights, shared events weighted 1/(n-1)) with hubs damped
// (hub_damping 0.5) at resolution 3.
// Unweighted modularity at resolution 1 collapses once identifiers are
// resolved (cells dissolve into a few large groups); these weights keep
// groups that act together. Cost: that of TieWeights.
inline constexpr double kDefaultHubDamping = 0.5;
inline constexpr double kDefaultCommunityResolution = 3.0;
CommunityOptions DefaultCommunityOptions(const Graph& graph);

// A resolution for Communities chosen without ground truth: the candidate
// whose partition agrees most (mean NMI over all nodes) with the partitions
// at the other candidates, i.e. the most typical partition across scales.
// (Agreement between search seeds at one resolution is no criterion: it
// rises with the resolution and picks the largest.) On generated worlds,
// with evidence tie weights and candidates {0.5, 1, 2, 3, 5, 8}, it picks 2
// or 3 (bench/network/README.md). InvalidArgument for fewer than two
// candidates; the errors of Communities::run. Cost: one Communities run per
// candidate plus O(k^2 n) for k candidates.
Result<double> CentralResolution(const Graph& graph, const CommunityOptions& options,
                                 std::span<const double> candidates);

struct TieWeightOptions {
  // Only ties the filter admits are weighted (others get 0); contacts and
  // activity count in the window.
  EdgeFilter filter;
  // Each kind besides comm adds: a report 1; custody, co-travel and a
  // shared handset shared_gain * log2(1 + the tie's summed shares, Graph::EdgeSharedWeight),
  // so a flight of 200 adds little to each of its pairs and a 2-person cell
  // shared for a month adds shared_gain. Their contacts do not count as
  // contacts (volume is comms and reports only). A tie whose shared events
  // carry no group size (TimedContact::share 0: a network file, contacts
  // made by hand) adds 1 per such kind.
  bool multiplex = true;
  double shared_gain = 1.0;
  bool synchrony = true;  // ties whose activity rises and falls together weigh more
  // weight *= 1 + gain * synchrony (synchrony in [0, 1]): a tie fully in
  // step with its triangles counts five times a steady one of equal volume.
  double synchrony_gain = 4.0;
  int64_t bin_s = 7 * 86400;  // activity series bins (widened to at most max_bins)
  size_t max_bins = 104;
  // Third nodes of triangles that are hubs (as ExpansionOptions) are ignored.
  size_t hub_min_degree = 50;
  double hub_relative_degree = 20.0;
  // Hubs damped: a tie with an end of degree d above the hub degree h is
  // multiplied by (h / d)^hub_damping (0: no damping), so that a call centre
  // or a hotline does not pull the many people it touches into one group.
  double hub_damping = 0.0;
};

// Evidence weights of every tie (indexed by EdgeId) for finding groups that
// act together (CommunityOptions::edge_weights): log2(1 + contacts), plus 1
// for a report and shared_gain * log2(1 + summed shares) for custody and
// co-travel (see TieWeightOptions), times 1 + gain * synchrony, where
// synchrony is the mean positive Pearson correlation between the tie's
// binned activity series and those of the two other ties of each triangle
// it closes through a non-hub. Why each term: see tie_weights.cc. Only
// behavioural evidence (contacts, kinds, timing) is used.
// Time: O(c + m * B + sum over non-hub-bounded triangles of B), with c
// contacts, m edges, B bins (<= max_bins), triangles found by merging sorted
// neighbour lists (O(sum of deg(u) + deg(v) over edges)). Memory: O(m * B)
// floats for the series (104 bins: 416 bytes per edge; meant for the
// thousands to millions of ties of an investigation, not 100M edges).
std::vector<double> TieWeights(const Graph& graph, const TieWeightOptions& options = {});

// TieWeights mapped to tie strengths in [0, 1) for ExpansionOptions:
// 1 - exp(-w / 3), the same curve contacts follow by default, so that a
// tie's strength rises with its evidence rather than its volume alone.
// Cost: that of TieWeights.
std::vector<double> EvidenceStrengths(const Graph& graph, const TieWeightOptions& options = {});

// Newman's modularity of a membership on the unweighted graph.
// REQUIRES: membership.size() == graph.node_count(). Cost O(n + m).
double Modularity(const Graph& graph, std::span<const uint32_t> membership,
                  double resolution = 1.0);

struct Broker {
  NodeId node = kNoNode;
  double score = 0;             // share of shortest seed-to-seed paths through it
  int communities_bridged = 0;  // distinct communities among its neighbours
};

// Who bridges: with seeds, betweenness counted only over shortest paths
// between pairs of seeds (seeds themselves excluded); without seeds, over all
// pairs, ranked among nodes whose neighbours lie in two or more communities.
// Cost: O(s m) with s seeds, O(n m) without (or sampled, see options).
class Brokers final {
 public:
  Brokers(const Graph& graph, std::vector<NodeId> seeds, std::span<const uint32_t> membership,
          size_t limit = 20, BetweennessOptions options = {});
  Status run();
  const std::vector<Broker>& brokers() const { return brokers_; }

 private:
  const Graph& graph_;
  std::vector<NodeId> seeds_;
  std::span<const uint32_t> membership_;
  size_t limit_;
  BetweennessOptions options_;
  std::vector<Broker> brokers_;
};

// ---- Cell recovery (generated worlds) ----------------------------------------

// One row of a generated world's truth/cells.csv.
struct TruthCellMember {
  std::string person_id;
  std::string cell_id;
};

// Reads truth/cells.csv (columns person_id and cell_id, by the header) with
// the shared small-CSV reader (ReadCsvColumns). NotFound if unreadable;
// InvalidArgument naming file, line, column and rule for a malformed row, a
// missing column or a value that is not an identifier.
Result<std::vector<TruthCellMember>> ReadTruthCells(const std::string& path);

// How one true cell was found: its best-matching community is the one
// holding most of its members (ties: the smaller community).
struct CellMatch {
  std::string cell_id;
  size_t size = 0;                  // members in the truth
  size_t in_graph = 0;              // members that are nodes of the graph
  uint32_t community = UINT32_MAX;  // best match; UINT32_MAX if none in graph
  size_t overlap = 0;               // members in that community
  size_t community_size = 0;        // nodes in that community
  double recall = 0;                // overlap / size
  double precision = 0;             // overlap / community_size
  double f1 = 0;
};

struct CellRecovery {
  // Normalised mutual information 2 I(T;F) / (H(T) + H(F)) between true
  // cells and found communities over the cell members in the graph (the
  // issue's measure). Blind to background people merged into a cell's
  // community: a partition putting each cell in its own huge community
  // scores 1.
  double nmi = 0;
  // The same over the members plus every other node sharing a community
  // with one, labelled "in no cell": merging cells into large groups costs.
  double nmi_strict = 0;
  double mean_recall = 0;     // over cells
  double mean_precision = 0;  // over cells
  double mean_f1 = 0;
  size_t recovered = 0;  // cells with recall >= 0.5 and precision >= 0.5
  size_t members = 0;
  size_t members_in_graph = 0;
  std::vector<CellMatch> cells;  // in first-seen order of truth
};

// Scores `membership` (community of each node, e.g. Communities or
// CellsAroundSeeds) against the true cells; members absent from the graph
// count as missed. InvalidArgument if membership does not cover the graph.
// Cost: O(n + t log t) for t truth rows.
Result<CellRecovery> EvaluateCells(const Graph& graph, std::span<const uint32_t> membership,
                                   std::span<const TruthCellMember> truth);

// Expansion from seeds_per_cell members of each true cell (the first of its
// members found in the graph, in truth order), as an analyst starting from
// the members they know: how many of the other members are among the hits
// at rank <= options.limit within options.hops (issue goal, one seed: all
// of them, 2 hops, rank <= 20).
struct CellExpansionRecall {
  size_t cells = 0;        // cells with more members in the graph than seeds
  size_t complete = 0;     // cells whose other members were all reached
  size_t mates = 0;        // other members, summed over cells
  size_t mates_found = 0;  // of those, reached at rank <= limit
  double recall() const { return mates == 0 ? 0 : static_cast<double>(mates_found) / mates; }
};
// Cost: one Expansion per cell. Errors: those of Expansion::run.
Result<CellExpansionRecall> EvaluateCellExpansion(const Graph& graph,
                                                  std::span<const TruthCellMember> truth,
                                                  const ExpansionOptions& options,
                                                  size_t seeds_per_cell = 1);

// NMI (arithmetic normalisation, as igraph's compare_communities "nmi") of
// two labelings of the same items; 1 when both are a single group, 0 for
// empty or mismatched input. Cost O(k log k).
double NormalizedMutualInformation(std::span<const uint32_t> x, std::span<const uint32_t> y);

// ---- Export ---------------------------------------------------------------

enum class ExportFormat { kGraphml, kGexf, kCsvNodes, kCsvLinks };
// "graphml", "gexf"; "csv" is two tables (nodes, links).
// Writes the graph with node attributes label, kind (person|selector),
// degree and community (if membership is not empty), and edge attributes
// kinds, count, first and last (ISO 8601). IOError if the stream fails.
Status ExportGraph(const Graph& graph, std::span<const uint32_t> membership, ExportFormat format,
                   std::ostream& out);

}  // namespace vigil

#endif  // VIGIL_GRAPH_H_
