// The protective-deployment inputs: sites, resources and threat assessments
// (CSV or JSONL, all or nothing, "file:line:column: rule" errors), their
// cross-file validation, and the what-ifs.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <initializer_list>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ingest/csv_reader.h"
#include "ingest/jsonl_reader.h"
#include "vigil/protect.h"

namespace vigil::protect {
namespace {

constexpr size_t kMaxFieldBytes = 4096;

const std::vector<std::string>& SiteColumns() {
  static const std::vector<std::string> kColumns = {
      "id", "kind", "area", "lat", "lon", "shifts", "value", "foiled_cost", "value_set_by"};
  return kColumns;
}
const std::vector<std::string>& ResourceColumns() {
  static const std::vector<std::string> kColumns = {"id",        "kind",   "units", "shifts",
                                                    "home_base", "covers", "routes"};
  return kColumns;
}
const std::vector<std::string>& ThreatColumns() {
  static const std::vector<std::string> kColumns = {"area", "level", "legal_basis", "author",
                                                    "assessed_on"};
  return kColumns;
}

// One row: each known column's text and the column number it came from (0:
// absent).
struct Row {
  int64_t line = 0;
  std::vector<std::string> values;
  std::vector<int> columns;
};

std::string Where(std::string_view file, int64_t line, int column, std::string_view rule) {
  return std::string(file) + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " +
         std::string(rule);
}

std::string ColumnRuleText(std::string_view name, std::string_view rule) {
  return "column '" + std::string(name) + "': " + std::string(rule);
}

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// Reads every row of a CSV text whose header names only `columns` (each at
// most once; `optional` ones may be absent).
Status ReadCsv(std::string_view text, std::string_view file,
               const std::vector<std::string>& columns, const std::set<std::string>& optional,
               std::vector<Row>* rows) {
  CsvReader reader(text);
  CsvRow row;
  CsvError error;
  std::vector<int> index_of_field;  // field -> column index
  bool header = true;
  while (true) {
    CsvStep step = reader.Next(&row, &error);
    if (step == CsvStep::kEnd) break;
    if (step == CsvStep::kBadRow) {
      return Status::InvalidArgument(Where(file, error.line, error.column, error.rule));
    }
    if (header) {
      header = false;
      std::vector<bool> seen(columns.size(), false);
      for (size_t f = 0; f < row.fields.size(); ++f) {
        const auto it = std::find(columns.begin(), columns.end(), row.fields[f]);
        if (it == columns.end()) {
          return Status::InvalidArgument(
              Where(file, row.line, static_cast<int>(f + 1),
                    "unknown column '" + std::string(row.fields[f]) +
                        "' (the columns are fixed: see src/protect/README.md)"));
        }
        const size_t index = static_cast<size_t>(it - columns.begin());
        if (seen[index]) {
          return Status::InvalidArgument(Where(file, row.line, static_cast<int>(f + 1),
                                               "column '" + columns[index] + "' given twice"));
        }
        seen[index] = true;
        index_of_field.push_back(static_cast<int>(index));
      }
      for (size_t c = 0; c < columns.size(); ++c) {
        if (!seen[c] && optional.count(columns[c]) == 0) {
          return Status::InvalidArgument(
              Where(file, row.line, 1, "missing column '" + columns[c] + "'"));
        }
      }
      continue;
    }
    Row out;
    out.line = row.line;
    out.values.assign(columns.size(), "");
    out.columns.assign(columns.size(), 0);
    for (size_t f = 0; f < row.fields.size(); ++f) {
      const int index = index_of_field[f];
      if (row.fields[f].size() > kMaxFieldBytes) {
        return Status::InvalidArgument(
            Where(file, row.line, static_cast<int>(f + 1),
                  ColumnRuleText(columns[index], "longer than 4096 bytes")));
      }
      out.values[index] = std::string(row.fields[f]);
      out.columns[index] = static_cast<int>(f + 1);
    }
    rows->push_back(std::move(out));
  }
  if (header) return Status::InvalidArgument(Where(file, 1, 1, "no header row"));
  return Status::Ok();
}

// A JSON value in the CSV's text form: strings as they are, numbers printed,
// arrays joined with '|' (inner arrays with '+').
bool JsonText(const nlohmann::json& value, bool nested, std::string* out) {
  if (value.is_string()) {
    *out = value.get<std::string>();
    return true;
  }
  if (value.is_number_integer()) {
    *out = std::to_string(value.get<int64_t>());
    return true;
  }
  if (value.is_number()) {
    std::ostringstream stream;
    stream.precision(17);
    stream << value.get<double>();
    *out = stream.str();
    return true;
  }
  if (value.is_array() && !nested) {
    std::string joined;
    for (size_t i = 0; i < value.size(); ++i) {
      std::string item;
      if (value[i].is_array()) {
        for (size_t k = 0; k < value[i].size(); ++k) {
          std::string part;
          if (!JsonText(value[i][k], true, &part) || value[i][k].is_array()) return false;
          if (k > 0) item += "+";
          item += part;
        }
      } else if (!JsonText(value[i], true, &item)) {
        return false;
      }
      if (i > 0) joined += "|";
      joined += item;
    }
    *out = joined;
    return true;
  }
  return false;
}

Status ReadJsonl(std::string_view text, std::string_view file,
                 const std::vector<std::string>& columns, const std::set<std::string>& optional,
                 std::vector<Row>* rows) {
  int64_t line_number = 0;
  size_t pos = 0;
  std::vector<int> offsets;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    nlohmann::json object = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (object.is_discarded() || !object.is_object()) {
      return Status::InvalidArgument(Where(file, line_number, 1, "not a JSON object"));
    }
    offsets.clear();
    JsonlReader::FindKeyOffsets(line, object.size(), &offsets);
    Row row;
    row.line = line_number;
    row.values.assign(columns.size(), "");
    row.columns.assign(columns.size(), 0);
    // The byte offset of each top-level key, for messages (nlohmann's
    // object is ordered by key, not as written).
    std::map<std::string, int> key_column;
    for (int offset : offsets) {
      const size_t open = static_cast<size_t>(offset - 1);
      if (open >= line.size() || line[open] != '"') continue;
      const size_t close = line.find('"', open + 1);
      if (close == std::string_view::npos) continue;
      key_column.emplace(std::string(line.substr(open + 1, close - open - 1)), offset);
    }
    for (auto it = object.begin(); it != object.end(); ++it) {
      const auto found = key_column.find(it.key());
      const int column = found == key_column.end() ? 1 : found->second;
      const auto known = std::find(columns.begin(), columns.end(), it.key());
      if (known == columns.end()) {
        return Status::InvalidArgument(
            Where(file, line_number, column, "unknown key '" + it.key() + "'"));
      }
      const size_t index = static_cast<size_t>(known - columns.begin());
      std::string value;
      if (!it.value().is_null() && !JsonText(it.value(), false, &value)) {
        return Status::InvalidArgument(
            Where(file, line_number, column, ColumnRuleText(columns[index], "wrong JSON type")));
      }
      if (value.size() > kMaxFieldBytes) {
        return Status::InvalidArgument(Where(
            file, line_number, column, ColumnRuleText(columns[index], "longer than 4096 bytes")));
      }
      row.values[index] = std::move(value);
      row.columns[index] = column;
    }
    for (size_t c = 0; c < columns.size(); ++c) {
      if (row.columns[c] == 0 && optional.count(columns[c]) == 0) {
        return Status::InvalidArgument(
            Where(file, line_number, 1, "missing key '" + columns[c] + "'"));
      }
    }
    rows->push_back(std::move(row));
  }
  return Status::Ok();
}

Status ReadRows(std::string_view text, std::string_view file,
                const std::vector<std::string>& columns, const std::set<std::string>& optional,
                std::vector<Row>* rows) {
  if (EndsWith(file, ".jsonl")) return ReadJsonl(text, file, columns, optional, rows);
  return ReadCsv(text, file, columns, optional, rows);
}

// Field access with the row's location for messages.
class Fields {
 public:
  Fields(std::string_view file, const Row& row, const std::vector<std::string>& columns)
      : file_(file), row_(row), columns_(columns) {}

  const std::string& Text(size_t index) const { return row_.values[index]; }
  int Column(size_t index) const { return std::max(1, row_.columns[index]); }
  Status Fail(size_t index, std::string_view rule) const {
    return Status::InvalidArgument(
        Where(file_, row_.line, Column(index), ColumnRuleText(columns_[index], rule)));
  }
  Status Required(size_t index) const {
    if (Text(index).empty()) return Fail(index, "is required");
    return Status::Ok();
  }
  // Required, for each of `indices` in turn (the first missing one fails).
  Status Required(std::initializer_list<size_t> indices) const {
    for (size_t index : indices) VIGIL_RETURN_IF_ERROR(Required(index));
    return Status::Ok();
  }
  // A finite number; non-negative unless `allow_negative`.
  Result<double> Number(size_t index, bool allow_negative) const {
    const std::string& text = Text(index);
    if (text.empty()) return Fail(index, "is required");
    size_t used = 0;
    double value = 0;
    try {
      value = std::stod(text, &used);
    } catch (...) {
      used = 0;
    }
    if (used != text.size() || !std::isfinite(value)) {
      return Fail(index, "'" + text + "' is not a number");
    }
    if (!allow_negative && value < 0) return Fail(index, "is negative (" + text + ")");
    return value;
  }
  // "*" (every shift) or '|'-separated shift numbers in [0, shifts).
  Result<std::vector<int>> Shifts(size_t index, int shifts) const {
    const std::string& text = Text(index);
    std::vector<int> out;
    if (text == "*") {
      for (int s = 0; s < shifts; ++s) out.push_back(s);
      return out;
    }
    if (text.empty()) return Fail(index, "is required (shift numbers joined by '|', or '*')");
    std::stringstream stream(text);
    std::string item;
    while (std::getline(stream, item, '|')) {
      if (item.empty() || item.size() > 3 ||
          item.find_first_not_of("0123456789") != std::string::npos) {
        return Fail(index, "'" + item + "' is not a shift number");
      }
      const int shift = std::stoi(item);
      if (shift >= shifts) {
        return Fail(index, "shift " + item + " is outside the day's " + std::to_string(shifts) +
                               " shifts (0.." + std::to_string(shifts - 1) + ")");
      }
      out.push_back(shift);
    }
    std::sort(out.begin(), out.end());
    if (std::adjacent_find(out.begin(), out.end()) != out.end()) {
      return Fail(index, "names a shift twice");
    }
    return out;
  }

 private:
  std::string_view file_;
  const Row& row_;
  const std::vector<std::string>& columns_;
};

std::vector<std::string> Split(const std::string& text, char separator) {
  std::vector<std::string> out;
  if (text.empty()) return out;
  std::stringstream stream(text);
  std::string item;
  while (std::getline(stream, item, separator)) out.push_back(item);
  if (text.back() == separator) out.push_back("");
  return out;
}

Status CheckShifts(int shifts) {
  if (shifts < 1 || shifts > kMaxShifts) {
    return Status::InvalidArgument("--shifts must lie in 1.." + std::to_string(kMaxShifts));
  }
  return Status::Ok();
}

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot read '" + path + "'");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// The frame the three parsers share: reads every row (all or nothing),
// fills one item a row with `parse_row(fields, item)`, and refuses an item
// whose key (column 0) an earlier row gave: "NOUN 'KEY' was already VERB on
// line N".
template <typename T, typename ParseRow, typename KeyOf>
Status ParseEachRow(std::string_view text, std::string_view file,
                    const std::vector<std::string>& columns, const std::set<std::string>& optional,
                    std::string_view noun, std::string_view verb, ParseRow parse_row, KeyOf key_of,
                    std::vector<T>* out) {
  std::vector<Row> rows;
  VIGIL_RETURN_IF_ERROR(ReadRows(text, file, columns, optional, &rows));
  std::vector<T> items;
  std::map<std::string, int64_t> first_line;
  for (const Row& row : rows) {
    Fields fields(file, row, columns);
    T item;
    item.line = row.line;
    VIGIL_RETURN_IF_ERROR(parse_row(fields, item));
    const std::string& key = key_of(item);
    const auto [it, inserted] = first_line.emplace(key, row.line);
    if (!inserted) {
      return fields.Fail(0, std::string(noun) + " '" + key + "' was already " + std::string(verb) +
                                " on line " + std::to_string(it->second));
    }
    items.push_back(std::move(item));
  }
  *out = std::move(items);
  return Status::Ok();
}

}  // namespace

Status ParseSites(std::string_view text, std::string_view file_name, int shifts,
                  std::vector<Site>* out) {
  VIGIL_RETURN_IF_ERROR(CheckShifts(shifts));
  auto parse = [&](const Fields& fields, Site& site) -> Status {
    VIGIL_RETURN_IF_ERROR(fields.Required({0, 1, 2, 8}));
    site.id = fields.Text(0);
    site.kind = fields.Text(1);
    site.area = fields.Text(2);
    site.value_set_by = fields.Text(8);
    VIGIL_ASSIGN_OR_RETURN(site.lat, fields.Number(3, /*allow_negative=*/true));
    VIGIL_ASSIGN_OR_RETURN(site.lon, fields.Number(4, /*allow_negative=*/true));
    if (site.lat < -90 || site.lat > 90) return fields.Fail(3, "is outside -90..90");
    if (site.lon < -180 || site.lon > 180) return fields.Fail(4, "is outside -180..180");
    VIGIL_ASSIGN_OR_RETURN(site.shifts, fields.Shifts(5, shifts));
    VIGIL_ASSIGN_OR_RETURN(site.value, fields.Number(6, false));
    VIGIL_ASSIGN_OR_RETURN(site.foiled_cost, fields.Number(7, false));
    if (site.foiled_cost > site.value) {
      return fields.Fail(7, "is larger than value (" + fields.Text(6) +
                                "): a foiled attack cannot cost more than a successful one");
    }
    return Status::Ok();
  };
  return ParseEachRow<Site>(
      text, file_name, SiteColumns(), {}, "site", "given", parse,
      [](const Site& site) -> const std::string& { return site.id; }, out);
}

Status ParseResources(std::string_view text, std::string_view file_name, int shifts,
                      std::vector<Resource>* out) {
  VIGIL_RETURN_IF_ERROR(CheckShifts(shifts));
  auto parse = [&](const Fields& fields, Resource& resource) -> Status {
    VIGIL_RETURN_IF_ERROR(fields.Required({0, 1}));
    resource.id = fields.Text(0);
    resource.kind = fields.Text(1);
    if (resource.kind != "guard" && resource.kind != "patrol") {
      return fields.Fail(1, "'" + resource.kind + "' is not guard or patrol");
    }
    VIGIL_ASSIGN_OR_RETURN(double units, fields.Number(2, false));
    if (units < 1 || units != std::floor(units) || units > 1e6) {
      return fields.Fail(2, "must be a whole number of units from 1 to 1000000");
    }
    resource.units = static_cast<int>(units);
    VIGIL_ASSIGN_OR_RETURN(resource.shifts, fields.Shifts(3, shifts));
    resource.home_base = fields.Text(4);
    resource.covers = Split(fields.Text(5), '|');
    for (const std::string& item : resource.covers) {
      if (item.empty()) return fields.Fail(5, "has an empty item");
    }
    for (const std::string& route : Split(fields.Text(6), '|')) {
      std::vector<std::string> stops = Split(route, '+');
      if (stops.empty()) return fields.Fail(6, "has an empty route");
      for (const std::string& stop : stops) {
        if (stop.empty()) return fields.Fail(6, "has a route with an empty site");
      }
      resource.routes.push_back(std::move(stops));
    }
    if (resource.covers.empty() && resource.routes.empty()) {
      return fields.Fail(5, "covers nothing: give site ids, kind:K, area:A or * (or routes)");
    }
    if (!resource.covers.empty() && !resource.routes.empty()) {
      return fields.Fail(6, "a resource takes routes or covers single sites, not both");
    }
    return Status::Ok();
  };
  return ParseEachRow<Resource>(
      text, file_name, ResourceColumns(), {"routes", "home_base"}, "resource", "given", parse,
      [](const Resource& resource) -> const std::string& { return resource.id; }, out);
}

Status ParseThreats(std::string_view text, std::string_view file_name, std::vector<Threat>* out) {
  auto parse = [&](const Fields& fields, Threat& threat) -> Status {
    VIGIL_RETURN_IF_ERROR(fields.Required({0, 2, 3, 4}));
    threat.area = fields.Text(0);
    VIGIL_ASSIGN_OR_RETURN(threat.level, fields.Number(1, false));
    threat.legal_basis = fields.Text(2);
    threat.author = fields.Text(3);
    threat.assessed_on = fields.Text(4);
    const std::string& date = threat.assessed_on;
    if (date.size() != 10 || date[4] != '-' || date[7] != '-' ||
        date.find_first_not_of("0123456789-") != std::string::npos) {
      return fields.Fail(4, "'" + date + "' is not a date YYYY-MM-DD");
    }
    return Status::Ok();
  };
  return ParseEachRow<Threat>(
      text, file_name, ThreatColumns(), {}, "area", "assessed", parse,
      [](const Threat& threat) -> const std::string& { return threat.area; }, out);
}

Status Validate(const Inputs& inputs) {
  VIGIL_RETURN_IF_ERROR(CheckShifts(inputs.shifts));
  const std::string sites_file = inputs.sites_file.empty() ? "sites" : inputs.sites_file;
  const std::string resources_file =
      inputs.resources_file.empty() ? "resources" : inputs.resources_file;
  std::set<std::string> areas;
  for (const Threat& threat : inputs.threats) areas.insert(threat.area);
  std::map<std::string, const Site*> by_id;
  std::set<std::string> kinds;
  std::set<std::string> site_areas;
  for (const Site& site : inputs.sites) {
    if (areas.count(site.area) == 0) {
      return Status::InvalidArgument(Where(
          sites_file, site.line, 3,
          "column 'area': area '" + site.area + "' has no threat assessment in the threat file"));
    }
    if (site.shifts.empty()) {
      return Status::InvalidArgument(
          Where(sites_file, site.line, 6, "column 'shifts': the site is open in no shift"));
    }
    for (int shift : site.shifts) {
      if (shift < 0 || shift >= inputs.shifts) {
        return Status::InvalidArgument(
            Where(sites_file, site.line, 6, "column 'shifts': outside the day's shifts"));
      }
    }
    by_id[site.id] = &site;
    kinds.insert(site.kind);
    site_areas.insert(site.area);
  }
  auto open_in = [](const Site& site, const std::vector<int>& shifts) {
    for (int shift : shifts) {
      if (std::binary_search(site.shifts.begin(), site.shifts.end(), shift)) return true;
    }
    return false;
  };
  for (const Resource& resource : inputs.resources) {
    auto fail = [&](int column, const std::string& rule) {
      return Status::InvalidArgument(Where(resources_file, resource.line, column, rule));
    };
    if (resource.shifts.empty()) return fail(4, "column 'shifts': works no shift");
    if (!resource.routes.empty()) {
      for (const auto& route : resource.routes) {
        for (const std::string& stop : route) {
          const auto it = by_id.find(stop);
          if (it == by_id.end()) {
            return fail(7, "column 'routes': unknown site '" + stop + "'");
          }
          if (!open_in(*it->second, resource.shifts)) {
            return fail(
                7, "column 'routes': site '" + stop + "' is open in none of the resource's shifts");
          }
        }
      }
      continue;
    }
    bool reaches = false;
    for (const std::string& item : resource.covers) {
      if (item == "*") {
        for (const Site& site : inputs.sites) reaches = reaches || open_in(site, resource.shifts);
      } else if (item.rfind("kind:", 0) == 0) {
        const std::string kind = item.substr(5);
        if (kinds.count(kind) == 0)
          return fail(6, "column 'covers': no site of kind '" + kind + "'");
        for (const Site& site : inputs.sites) {
          if (site.kind == kind) reaches = reaches || open_in(site, resource.shifts);
        }
      } else if (item.rfind("area:", 0) == 0) {
        const std::string area = item.substr(5);
        if (site_areas.count(area) == 0) {
          return fail(6, "column 'covers': no site in area '" + area + "'");
        }
        for (const Site& site : inputs.sites) {
          if (site.area == area) reaches = reaches || open_in(site, resource.shifts);
        }
      } else {
        const auto it = by_id.find(item);
        if (it == by_id.end()) return fail(6, "column 'covers': unknown site '" + item + "'");
        reaches = reaches || open_in(*it->second, resource.shifts);
      }
    }
    if (!reaches) {
      return fail(6, "column 'covers': covers nothing (no site it names is open in its shifts)");
    }
  }
  return Status::Ok();
}

Result<Inputs> LoadInputs(const std::string& sites_path, const std::string& resources_path,
                          const std::string& threat_path, int shifts) {
  Inputs inputs;
  inputs.shifts = shifts;
  inputs.sites_file = sites_path;
  inputs.resources_file = resources_path;
  inputs.threat_file = threat_path;
  VIGIL_ASSIGN_OR_RETURN(std::string sites_text, ReadFile(sites_path));
  VIGIL_ASSIGN_OR_RETURN(std::string resources_text, ReadFile(resources_path));
  VIGIL_ASSIGN_OR_RETURN(std::string threat_text, ReadFile(threat_path));
  VIGIL_RETURN_IF_ERROR(ParseSites(sites_text, sites_path, shifts, &inputs.sites));
  VIGIL_RETURN_IF_ERROR(ParseResources(resources_text, resources_path, shifts, &inputs.resources));
  VIGIL_RETURN_IF_ERROR(ParseThreats(threat_text, threat_path, &inputs.threats));
  VIGIL_RETURN_IF_ERROR(Validate(inputs));
  return inputs;
}

Result<Inputs> ApplyWhatIf(const Inputs& inputs, std::string_view spec) {
  Inputs changed = inputs;
  const std::string text(spec);
  if (text.rfind("add-team=", 0) == 0) {
    const std::vector<std::string> parts = Split(text.substr(9), ':');
    if (parts.size() != 3 || parts[0].empty() || parts[2].empty()) {
      return Status::InvalidArgument("add-team=ID:UNITS:COVERS (COVERS as the covers column)");
    }
    Resource team;
    team.id = parts[0];
    team.kind = "guard";
    if (parts[1].empty() || parts[1].size() > 6 ||
        parts[1].find_first_not_of("0123456789") != std::string::npos || std::stoi(parts[1]) < 1) {
      return Status::InvalidArgument("add-team: UNITS must be a whole number >= 1");
    }
    team.units = std::stoi(parts[1]);
    for (int s = 0; s < inputs.shifts; ++s) team.shifts.push_back(s);
    team.covers = Split(parts[2], '|');
    for (const Resource& resource : inputs.resources) {
      if (resource.id == team.id) {
        return Status::InvalidArgument("add-team: resource '" + team.id + "' exists");
      }
    }
    team.line = 0;
    changed.resources.push_back(std::move(team));
  } else if (text.rfind("close-site=", 0) == 0) {
    const std::string id = text.substr(11);
    const auto it = std::find_if(changed.sites.begin(), changed.sites.end(),
                                 [&](const Site& site) { return site.id == id; });
    if (it == changed.sites.end()) {
      return Status::InvalidArgument("close-site: unknown site '" + id + "'");
    }
    changed.sites.erase(it);
    std::vector<Resource> kept;
    for (Resource& resource : changed.resources) {
      resource.covers.erase(std::remove(resource.covers.begin(), resource.covers.end(), id),
                            resource.covers.end());
      for (auto& route : resource.routes) {
        route.erase(std::remove(route.begin(), route.end(), id), route.end());
      }
      resource.routes.erase(
          std::remove_if(resource.routes.begin(), resource.routes.end(),
                         [](const std::vector<std::string>& route) { return route.empty(); }),
          resource.routes.end());
      // A resource that guarded only the closed site is stood down.
      if (!resource.covers.empty() || !resource.routes.empty()) kept.push_back(resource);
    }
    changed.resources = std::move(kept);
  } else if (text.rfind("threat ", 0) == 0 || text.rfind("threat=", 0) == 0) {
    const std::string rest = text.substr(7);
    const size_t equals = rest.find('=');
    if (equals == std::string::npos || equals == 0) {
      return Status::InvalidArgument("threat AREA=LEVEL");
    }
    const std::string area = rest.substr(0, equals);
    const std::string level_text = rest.substr(equals + 1);
    double level = -1;
    try {
      size_t used = 0;
      level = std::stod(level_text, &used);
      if (used != level_text.size()) level = -1;
    } catch (...) {
      level = -1;
    }
    if (!(level >= 0) || !std::isfinite(level)) {
      return Status::InvalidArgument("threat: LEVEL must be a non-negative number");
    }
    bool found = false;
    for (Threat& threat : changed.threats) {
      if (threat.area == area) {
        threat.level = level;
        threat.author += " (what-if)";
        found = true;
      }
    }
    if (!found) return Status::InvalidArgument("threat: unknown area '" + area + "'");
  } else {
    return Status::InvalidArgument(
        "unknown what-if '" + text +
        "' (add-team=ID:UNITS:COVERS, close-site=ID, threat AREA=LEVEL)");
  }
  VIGIL_RETURN_IF_ERROR(Validate(changed));
  return changed;
}

}  // namespace vigil::protect
