// vigil subject show ID: everything known about one person.
#include <cstdio>

#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "vigil/lookup.h"

namespace vigil::cli {
namespace {

using Json = nlohmann::ordered_json;

std::string Join(const std::vector<std::string>& values, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += sep;
    out += values[i];
  }
  return out;
}

std::string OptionalTime(const std::optional<UnixTime>& t) { return t ? FormatTime(*t) : ""; }

// One section of the dossier as a header and rows, shared by every format.
struct Section {
  std::string name;
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;
};

std::vector<Section> Sections(const Dossier& d) {
  const Person& p = d.person;
  std::vector<Section> sections;
  sections.push_back({"person",
                      {"field", "value"},
                      {{"person_id", p.person_id},
                       {"name", p.name},
                       {"aliases", Join(p.aliases, " | ")},
                       {"birth_date", p.birth_date},
                       {"nationality", p.nationality},
                       {"status", std::string(PersonStatusName(p.status))},
                       {"compartment", p.compartment},
                       {"legal_basis", p.legal_basis},
                       {"review_by", p.review_by}}});
  Section selectors{"selectors",
                    {"selector", "state", "confidence", "evidence", "decided_by", "first_seen",
                     "last_seen", "source"},
                    {}};
  for (const auto& s : d.selectors) {
    const auto& a = s.attribution;
    selectors.rows.push_back({a.selector, std::string(AttributionStateName(a.state)),
                              std::to_string(a.confidence).substr(0, 4), a.evidence, a.decided_by,
                              s.record ? OptionalTime(s.record->first_seen) : "",
                              s.record ? OptionalTime(s.record->last_seen) : "",
                              s.record ? s.record->source : ""});
  }
  sections.push_back(std::move(selectors));
  Section custody{"custody", {"facility", "start", "end"}, {}};
  for (const auto& c : d.custody) custody.rows.push_back({c.facility, c.start, c.end});
  sections.push_back(std::move(custody));
  Section reports{"reports", {"report_id", "time", "source", "category", "text"}, {}};
  for (const auto& r : d.reports) {
    reports.rows.push_back({r.report_id, FormatTime(r.time), r.source,
                            std::string(ReportCategoryName(r.category)), r.text});
  }
  sections.push_back(std::move(reports));
  Section travel{"travel", {"record_id", "time", "name", "document", "origin", "destination"}, {}};
  for (const auto& t : d.travel) {
    travel.rows.push_back(
        {t.record_id, FormatTime(t.time), t.name, t.document, t.origin, t.destination});
  }
  sections.push_back(std::move(travel));
  Section watchlist{"watchlist", {"entry_id", "list", "name", "handling", "reason"}, {}};
  for (const auto& w : d.watchlist) {
    watchlist.rows.push_back(
        {w.entry_id, w.list, w.name, std::string(HandlingName(w.handling)), w.reason});
  }
  sections.push_back(std::move(watchlist));
  return sections;
}

void PrintTable(const std::vector<Section>& sections) {
  for (const auto& section : sections) {
    std::printf("%s%s (%zu)\n", section.name == "person" ? "" : "\n", section.name.c_str(),
                section.rows.size());
    if (section.rows.empty()) continue;
    TableOutput table(section.columns, OutputFormat::kTable, stdout);
    for (const auto& row : section.rows) table.AddRow(row);
  }
}

void PrintCsv(const std::vector<Section>& sections) {
  TableOutput table({"section", "row", "field", "value"}, OutputFormat::kCsv, stdout);
  for (const auto& section : sections) {
    for (size_t r = 0; r < section.rows.size(); ++r) {
      for (size_t c = 0; c < section.columns.size(); ++c) {
        table.AddRow({section.name, std::to_string(r), section.columns[c], section.rows[r][c]});
      }
    }
  }
}

void PrintJson(const std::vector<Section>& sections) {
  Json document = Json::object();
  for (const auto& section : sections) {
    Json rows = Json::array();
    for (const auto& row : section.rows) {
      Json object = Json::object();
      for (size_t c = 0; c < section.columns.size(); ++c) object[section.columns[c]] = row[c];
      rows.push_back(std::move(object));
    }
    if (section.name == "person") {
      Json person = Json::object();
      for (const auto& row : section.rows) person[row[0]] = row[1];
      document["person"] = std::move(person);
    } else {
      document[section.name] = std::move(rows);
    }
  }
  std::printf("%s\n", document.dump(-1, ' ', false, Json::error_handler_t::replace).c_str());
}

}  // namespace

void RegisterSubjectCommand(CLI::App& app, CliContext& context) {
  CLI::App* subject = app.add_subcommand("subject", "Look up people");
  subject->require_subcommand(1);
  auto person_id = std::make_shared<std::string>();
  CLI::App* show = subject->add_subcommand(
      "show",
      "Names, aliases, selectors, custody, reports, travel, watch-list entries, legal basis");
  show->add_option("id", *person_id, "person_id")->required();
  show->callback([person_id, &context] {
    auto format = FormatOf(context);
    if (!format.ok()) return;
    auto store = OpenStoreForCli(context, /*must_exist=*/true);
    if (!store.ok()) return ReportFailure(context, store.status());
    auto dossier = LoadDossier(**store, *person_id);
    if (!dossier.ok()) return ReportFailure(context, dossier.status());
    const auto sections = Sections(*dossier);
    switch (*format) {
      case OutputFormat::kTable:
        PrintTable(sections);
        break;
      case OutputFormat::kCsv:
        PrintCsv(sections);
        break;
      case OutputFormat::kJsonl:
        PrintJson(sections);
        break;
    }
  });
}

}  // namespace vigil::cli
