// Cell recovery: how well a partition of the graph (communities, or cells
// grown around seeds) finds the covert cells of a generated world's
// truth/cells.csv.
#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>

#include "ingest/csv_file.h"
#include "vigil/graph.h"

namespace vigil {
namespace {

constexpr uint32_t kNoCommunity = UINT32_MAX;

// Checks one field against the identifier rule of formats.md.
bool IsIdentifier(std::string_view text) {
  if (text.empty() || text.size() > 64) return false;
  return std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == ':' || c == '-';
  });
}

Status LineError(const std::string& path, size_t line, size_t column, const std::string& rule) {
  return Status::InvalidArgument(path + ":" + std::to_string(line) + ":" + std::to_string(column) +
                                 ": " + rule);
}

// Entropy (nats) of a distribution given by counts summing to total.
double Entropy(const std::vector<size_t>& counts, double total) {
  double h = 0;
  for (size_t count : counts) {
    if (count == 0) continue;
    double p = static_cast<double>(count) / total;
    h -= p * std::log(p);
  }
  return h;
}

}  // namespace

Result<std::vector<TruthCellMember>> ReadTruthCells(const std::string& path) {
  std::vector<TruthCellMember> members;
  Status bad_row;   // the first row that breaks the identifier rule
  size_t line = 1;  // the header; a truth file has one line per row
  VIGIL_RETURN_IF_ERROR(ReadCsvColumns(
      path, {"person_id", "cell_id"}, [&](const std::vector<std::string_view>& values) {
        ++line;
        if (!bad_row.ok()) return;
        if (!IsIdentifier(values[0])) {
          bad_row = LineError(path, line, 1, "person_id must match [A-Za-z0-9_.:-]{1,64}");
        } else if (!IsIdentifier(values[1])) {
          // Identifiers are never quoted, so cell_id starts after "person_id,".
          bad_row = LineError(path, line, values[0].size() + 2,
                              "cell_id must match [A-Za-z0-9_.:-]{1,64}");
        } else {
          members.push_back(TruthCellMember{std::string(values[0]), std::string(values[1])});
        }
      }));
  VIGIL_RETURN_IF_ERROR(bad_row);
  return members;
}

double NormalizedMutualInformation(std::span<const uint32_t> x, std::span<const uint32_t> y) {
  if (x.size() != y.size() || x.empty()) return 0;
  std::unordered_map<uint32_t, size_t> ix, iy;
  for (uint32_t c : x) ix.try_emplace(c, ix.size());
  for (uint32_t c : y) iy.try_emplace(c, iy.size());
  std::vector<size_t> cx(ix.size(), 0), cy(iy.size(), 0);
  std::map<std::pair<size_t, size_t>, size_t> joint;
  for (size_t i = 0; i < x.size(); ++i) {
    size_t a = ix[x[i]], b = iy[y[i]];
    ++cx[a];
    ++cy[b];
    ++joint[{a, b}];
  }
  const double n = static_cast<double>(x.size());
  const double hx = Entropy(cx, n), hy = Entropy(cy, n);
  if (hx + hy == 0) return 1.0;  // both a single group: identical
  double mutual = 0;
  for (const auto& [ab, count] : joint) {
    double pxy = static_cast<double>(count) / n;
    double px = static_cast<double>(cx[ab.first]) / n;
    double py = static_cast<double>(cy[ab.second]) / n;
    mutual += pxy * std::log(pxy / (px * py));
  }
  return std::clamp(2.0 * mutual / (hx + hy), 0.0, 1.0);
}

Result<CellRecovery> EvaluateCells(const Graph& graph, std::span<const uint32_t> membership,
                                   std::span<const TruthCellMember> truth) {
  if (membership.size() != graph.node_count()) {
    return Status::InvalidArgument("membership has " + std::to_string(membership.size()) +
                                   " entries for " + std::to_string(graph.node_count()) + " nodes");
  }
  CellRecovery out;
  // Cells in first-seen order; each member's node (or none).
  std::map<std::string, size_t> cell_index;
  std::vector<std::vector<NodeId>> cell_nodes;
  for (const TruthCellMember& member : truth) {
    auto [it, fresh] = cell_index.try_emplace(member.cell_id, out.cells.size());
    if (fresh) {
      out.cells.emplace_back();
      out.cells.back().cell_id = member.cell_id;
      cell_nodes.emplace_back();
    }
    CellMatch& cell = out.cells[it->second];
    ++cell.size;
    ++out.members;
    auto node = graph.Find(member.person_id);
    if (node.ok()) cell_nodes[it->second].push_back(*node);
  }
  std::unordered_map<uint32_t, size_t> community_size;
  for (uint32_t c : membership) ++community_size[c];

  std::vector<uint32_t> truth_labels, found_labels;
  for (size_t i = 0; i < out.cells.size(); ++i) {
    CellMatch& cell = out.cells[i];
    cell.in_graph = cell_nodes[i].size();
    std::map<uint32_t, size_t> overlap;
    for (NodeId v : cell_nodes[i]) {
      ++overlap[membership[v]];
      truth_labels.push_back(static_cast<uint32_t>(i));
      found_labels.push_back(membership[v]);
    }
    // The best match shares the most members; ties go to the smaller one.
    cell.community = kNoCommunity;
    for (const auto& [community, shared] : overlap) {
      size_t size = community_size[community];
      if (shared > cell.overlap || (shared == cell.overlap && size < cell.community_size)) {
        cell.community = community;
        cell.overlap = shared;
        cell.community_size = size;
      }
    }
    cell.recall = cell.size == 0 ? 0 : static_cast<double>(cell.overlap) / cell.size;
    cell.precision =
        cell.community_size == 0 ? 0 : static_cast<double>(cell.overlap) / cell.community_size;
    double sum = cell.recall + cell.precision;
    cell.f1 = sum == 0 ? 0 : 2 * cell.recall * cell.precision / sum;
    out.members_in_graph += cell.in_graph;
    out.mean_recall += cell.recall;
    out.mean_precision += cell.precision;
    out.mean_f1 += cell.f1;
    if (cell.recall >= 0.5 && cell.precision >= 0.5) ++out.recovered;
  }
  if (!out.cells.empty()) {
    const double cells = static_cast<double>(out.cells.size());
    out.mean_recall /= cells;
    out.mean_precision /= cells;
    out.mean_f1 /= cells;
  }
  out.nmi = NormalizedMutualInformation(truth_labels, found_labels);
  // Strict: also every other node in a community holding a member, labelled
  // "in no cell", so that merging a cell into a large group costs.
  std::vector<uint8_t> is_member(graph.node_count(), 0);
  std::unordered_map<uint32_t, bool> holds_member;
  for (const auto& nodes : cell_nodes) {
    for (NodeId v : nodes) {
      is_member[v] = 1;
      holds_member[membership[v]] = true;
    }
  }
  const auto background = static_cast<uint32_t>(out.cells.size());
  for (NodeId v = 0; v < graph.node_count(); ++v) {
    if (is_member[v] == 0 && holds_member.contains(membership[v])) {
      truth_labels.push_back(background);
      found_labels.push_back(membership[v]);
    }
  }
  out.nmi_strict = NormalizedMutualInformation(truth_labels, found_labels);
  return out;
}

Result<CellExpansionRecall> EvaluateCellExpansion(const Graph& graph,
                                                  std::span<const TruthCellMember> truth,
                                                  const ExpansionOptions& options,
                                                  size_t seeds_per_cell) {
  seeds_per_cell = std::max<size_t>(1, seeds_per_cell);
  std::map<std::string, std::vector<NodeId>> cells;
  std::vector<std::string> order;
  for (const TruthCellMember& member : truth) {
    auto [it, fresh] = cells.try_emplace(member.cell_id);
    if (fresh) order.push_back(member.cell_id);
    auto node = graph.Find(member.person_id);
    if (node.ok()) it->second.push_back(*node);
  }
  CellExpansionRecall out;
  for (const std::string& cell : order) {
    const std::vector<NodeId>& members = cells[cell];
    if (members.size() <= seeds_per_cell) continue;
    std::vector<NodeId> seeds(members.begin(),
                              members.begin() + static_cast<ptrdiff_t>(seeds_per_cell));
    Expansion expansion(graph, seeds, options);
    VIGIL_RETURN_IF_ERROR(expansion.run());
    size_t found = 0;
    for (size_t i = seeds_per_cell; i < members.size(); ++i) {
      for (const ExpansionHit& hit : expansion.hits()) {
        if (hit.node == members[i]) {
          ++found;
          break;
        }
      }
    }
    ++out.cells;
    out.mates += members.size() - seeds_per_cell;
    out.mates_found += found;
    if (found == members.size() - seeds_per_cell) ++out.complete;
  }
  return out;
}

}  // namespace vigil
