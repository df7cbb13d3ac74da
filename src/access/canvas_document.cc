#include "access/canvas_document.h"

#include <algorithm>

namespace vigil::access {
namespace {

using Json = nlohmann::json;

constexpr const char* kArrays[] = {"nodes", "edges", "groups", "notes"};

std::string TextOf(const Json& object, const char* field) {
  auto found = object.find(field);
  return found != object.end() && found->is_string() ? found->get<std::string>() : std::string();
}

bool Hidden(const std::set<std::string>& hidden, const std::string& id) {
  return !id.empty() && hidden.count(id) > 0;
}

// Whether an element of array `name` refers to a hidden node (groups never
// do as a whole: only their members).
bool RefersToHidden(const char* name, const Json& item, const std::set<std::string>& hidden) {
  const std::string_view array = name;
  if (array == "nodes") return Hidden(hidden, TextOf(item, "id"));
  if (array == "edges") {
    return Hidden(hidden, TextOf(item, "source")) || Hidden(hidden, TextOf(item, "target"));
  }
  if (array == "notes") return Hidden(hidden, TextOf(item, "node"));
  return false;
}

}  // namespace

Result<Json> ParseCanvasDocument(std::string_view text) {
  Json document = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded() || !document.is_object()) {
    return Status::InvalidArgument("a canvas document must be a JSON object");
  }
  for (const char* name : kArrays) {
    auto found = document.find(name);
    if (found == document.end()) continue;
    if (!found->is_array()) {
      return Status::InvalidArgument(std::string("canvas '") + name + "' must be an array");
    }
    for (const Json& item : *found) {
      if (!item.is_object()) {
        return Status::InvalidArgument(std::string("canvas '") + name + "' must hold objects");
      }
    }
  }
  if (auto nodes = document.find("nodes"); nodes != document.end()) {
    for (const Json& node : *nodes) {
      if (TextOf(node, "id").empty()) {
        return Status::InvalidArgument("every canvas node needs a string 'id'");
      }
    }
  }
  if (auto groups = document.find("groups"); groups != document.end()) {
    for (const Json& group : *groups) {
      auto members = group.find("members");
      if (members != group.end() && !members->is_array()) {
        return Status::InvalidArgument("a canvas group's 'members' must be an array");
      }
    }
  }
  return document;
}

std::vector<std::string> CanvasNodesOfKind(const Json& document, std::string_view kind) {
  std::vector<std::string> out;
  auto nodes = document.find("nodes");
  if (nodes == document.end()) return out;
  for (const Json& node : *nodes) {
    if (TextOf(node, "kind") == kind) out.push_back(TextOf(node, "id"));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

bool WithholdNodes(Json& document, const std::set<std::string>& hidden) {
  if (hidden.empty()) return false;
  bool removed = false;
  for (const char* name : kArrays) {
    auto array = document.find(name);
    if (array == document.end()) continue;
    Json kept = Json::array();
    for (Json& item : *array) {
      if (RefersToHidden(name, item, hidden)) {
        removed = true;
        continue;
      }
      if (std::string_view(name) == "groups") {
        auto members = item.find("members");
        if (members != item.end() && members->is_array()) {
          Json shown = Json::array();
          for (const Json& member : *members) {
            if (member.is_string() && Hidden(hidden, member.get<std::string>())) {
              removed = true;
              continue;
            }
            shown.push_back(member);
          }
          *members = std::move(shown);
        }
      }
      kept.push_back(std::move(item));
    }
    *array = std::move(kept);
  }
  return removed;
}

void KeepWithheld(Json& document, const Json& stored, const std::set<std::string>& hidden) {
  if (hidden.empty()) return;
  for (const char* name : kArrays) {
    auto from = stored.find(name);
    if (from == stored.end()) continue;
    if (!document.contains(name)) document[name] = Json::array();
    Json& into = document[name];
    if (std::string_view(name) != "groups") {
      for (const Json& item : *from) {
        if (RefersToHidden(name, item, hidden)) into.push_back(item);
      }
      continue;
    }
    for (const Json& group : *from) {
      auto members = group.find("members");
      if (members == group.end() || !members->is_array()) continue;
      Json withheld = Json::array();
      for (const Json& member : *members) {
        if (member.is_string() && Hidden(hidden, member.get<std::string>())) {
          withheld.push_back(member);
        }
      }
      if (withheld.empty()) continue;
      const std::string id = TextOf(group, "id");
      auto same = std::find_if(into.begin(), into.end(),
                               [&](const Json& g) { return !id.empty() && TextOf(g, "id") == id; });
      if (same == into.end()) {
        Json kept = group;
        kept["members"] = withheld;
        into.push_back(std::move(kept));
        continue;
      }
      if (!same->contains("members") || !(*same)["members"].is_array()) {
        (*same)["members"] = Json::array();
      }
      for (Json& member : withheld) (*same)["members"].push_back(std::move(member));
    }
  }
}

}  // namespace vigil::access
