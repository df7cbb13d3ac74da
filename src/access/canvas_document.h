// The canvas document of a saved investigation as the access layer reads
// it: a JSON object whose optional "nodes", "edges", "groups" and "notes"
// are arrays of objects. A node has a string "id" and a "kind" ("person",
// "selector", or anything else the workbench draws); an edge names its ends
// in "source" and "target"; a group lists node ids in "members"; a note may
// be pinned to a node by "node". Every other field is kept as it is.
// Private to src/access.
#ifndef VIGIL_ACCESS_CANVAS_DOCUMENT_H_
#define VIGIL_ACCESS_CANVAS_DOCUMENT_H_

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "vigil/status.h"

namespace vigil::access {

// Parses and checks the shape above; InvalidArgument naming what is wrong.
// Cost: O(document size).
Result<nlohmann::json> ParseCanvasDocument(std::string_view text);

// The ids of the nodes of one kind ("person", "selector"), sorted, unique.
std::vector<std::string> CanvasNodesOfKind(const nlohmann::json& document, std::string_view kind);

// Removes from `document` the nodes whose id is in `hidden` and everything
// that refers to them: edges with such an end, their ids in group members,
// notes pinned to them. Returns whether anything was removed.
// Cost: O(document size x log hidden).
bool WithholdNodes(nlohmann::json& document, const std::set<std::string>& hidden);

// Puts back into `document` the parts of `stored` that WithholdNodes(stored,
// hidden) would remove and that `document` lacks: the hidden nodes, the
// edges touching them, their group memberships (into the group of the same
// id, or the stored group when `document` dropped it) and notes pinned to
// them. Cost: O(size of both documents x log hidden).
void KeepWithheld(nlohmann::json& document, const nlohmann::json& stored,
                  const std::set<std::string>& hidden);

}  // namespace vigil::access

#endif  // VIGIL_ACCESS_CANVAS_DOCUMENT_H_
