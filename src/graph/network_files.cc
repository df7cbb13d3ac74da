// LoadNetworkFile: public network data sets (adjacency-matrix CSV, JJATT
// relations CSV, GML, plain edge lists) as unweighted graphs.
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include "vigil/graph.h"

namespace vigil {
namespace {

// Splits one RFC 4180 line (no embedded newlines) on `separator`.
std::vector<std::string> SplitCsv(std::string_view line, char separator) {
  std::vector<std::string> cells(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        cells.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cells.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == separator) {
      cells.emplace_back();
    } else if (c != '\r') {
      cells.back() += c;
    }
  }
  return cells;
}

std::string Trim(std::string_view text) {
  size_t begin = text.find_first_not_of(" \t\r");
  if (begin == std::string_view::npos) return "";
  size_t end = text.find_last_not_of(" \t\r");
  return std::string(text.substr(begin, end - begin + 1));
}

// Labels in first-seen order and one contact per tie.
class EdgeCollector {
 public:
  NodeId Node(const std::string& label) {
    auto [it, fresh] = ids_.try_emplace(label, static_cast<NodeId>(labels_.size()));
    if (fresh) labels_.push_back(label);
    return it->second;
  }
  void Tie(const std::string& a, const std::string& b) {
    NodeId x = Node(a), y = Node(b);
    if (x != y) contacts_.push_back(TimedContact{x, y, 0, kEdgeComm});
  }
  Result<Graph> Build() {
    // A tie listed twice (both directions, or twice) counts once.
    for (auto& c : contacts_) {
      if (c.a > c.b) std::swap(c.a, c.b);
    }
    std::sort(contacts_.begin(), contacts_.end(), [](const TimedContact& x, const TimedContact& y) {
      return x.a != y.a ? x.a < y.a : x.b < y.b;
    });
    contacts_.erase(std::unique(contacts_.begin(), contacts_.end(),
                                [](const TimedContact& x, const TimedContact& y) {
                                  return x.a == y.a && x.b == y.b;
                                }),
                    contacts_.end());
    return BuildGraph(std::move(labels_), std::move(contacts_));
  }

 private:
  std::map<std::string, NodeId> ids_;
  std::vector<std::string> labels_;
  std::vector<TimedContact> contacts_;
};

bool NonZero(const std::string& cell) {
  std::string value = Trim(cell);
  return !value.empty() && std::strtod(value.c_str(), nullptr) != 0.0;
}

Result<Graph> LoadMatrix(const std::vector<std::vector<std::string>>& rows) {
  EdgeCollector collector;
  const auto& header = rows[0];
  for (size_t row = 1; row < rows.size(); ++row) {
    std::string label = Trim(rows[row][0]);
    if (label.empty()) continue;
    collector.Node(label);
  }
  for (size_t row = 1; row < rows.size(); ++row) {
    std::string label = Trim(rows[row][0]);
    if (label.empty()) continue;
    for (size_t col = 1; col < rows[row].size() && col < header.size(); ++col) {
      std::string other = Trim(header[col]);
      if (!other.empty() && NonZero(rows[row][col])) collector.Tie(label, other);
    }
  }
  return collector.Build();
}

Result<Graph> LoadJjatt(const std::vector<std::vector<std::string>>& rows) {
  const auto& header = rows[0];
  size_t id = header.size(), tie = header.size();
  for (size_t i = 0; i < header.size(); ++i) {
    if (header[i] == "ID") id = i;
    if (header[i] == "Tie_ID") tie = i;
  }
  EdgeCollector collector;
  for (size_t row = 1; row < rows.size(); ++row) {
    if (rows[row].size() <= std::max(id, tie)) continue;
    std::string a = Trim(rows[row][id]), b = Trim(rows[row][tie]);
    if (!a.empty() && !b.empty()) collector.Tie(a, b);
  }
  return collector.Build();
}

Result<Graph> LoadGml(std::istream& in) {
  EdgeCollector collector;
  std::string token, source;
  bool in_edge = false;
  while (in >> token) {
    if (token == "edge") in_edge = true;
    if (token == "id" && !in_edge) {
      in >> token;
      collector.Node(token);
    } else if (token == "source") {
      in >> source;
    } else if (token == "target") {
      in >> token;
      collector.Tie(source, token);
    }
  }
  return collector.Build();
}

}  // namespace

Result<Graph> LoadNetworkFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IOError("cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Status::IOError("cannot read " + path);
  return ParseNetworkText(text.str(), path);
}

Result<Graph> ParseNetworkText(std::string_view text, const std::string& path) {
  std::istringstream in{std::string(text)};
  if (path.ends_with(".gml")) return LoadGml(in);
  std::vector<std::vector<std::string>> rows;
  std::string line;
  bool comma = path.ends_with(".csv");
  while (std::getline(in, line)) {
    if (rows.empty() && line.starts_with("\xEF\xBB\xBF")) line.erase(0, 3);
    if (Trim(line).empty()) continue;
    if (line.find(',') != std::string::npos) comma = true;
    if (comma) {
      rows.push_back(SplitCsv(line, ','));
    } else {
      std::istringstream words(line);
      rows.emplace_back();
      for (std::string word; words >> word;) rows.back().push_back(word);
    }
  }
  if (rows.empty()) return BuildGraph({}, {});
  const auto& header = rows[0];
  if (std::find(header.begin(), header.end(), "Tie_ID") != header.end()) return LoadJjatt(rows);
  if (path.ends_with(".csv") && Trim(header[0]).empty() && header.size() > 2)
    return LoadMatrix(rows);
  EdgeCollector collector;
  for (size_t row = 0; row < rows.size(); ++row) {
    if (rows[row].size() < 2) {
      return Status::InvalidArgument(path + ":" + std::to_string(row + 1) +
                                     ": an edge line needs two node labels");
    }
    collector.Tie(Trim(rows[row][0]), Trim(rows[row][1]));
  }
  return collector.Build();
}

}  // namespace vigil
