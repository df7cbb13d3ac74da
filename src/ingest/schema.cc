#include "ingest/schema.h"

namespace vigil {
namespace {

constexpr bool kReq = true;
constexpr bool kOpt = false;

constexpr ColumnSpec kPersons[] = {
    {"person_id", kReq},   {"name", kReq},        {"aliases", kOpt},
    {"birth_date", kOpt},  {"nationality", kOpt}, {"status", kOpt},
    {"compartment", kOpt}, {"legal_basis", kOpt}, {"review_by", kOpt},
};
constexpr ColumnSpec kSelectors[] = {
    {"selector", kReq},  {"person_id", kOpt}, {"first_seen", kOpt},
    {"last_seen", kOpt}, {"source", kOpt},
};
constexpr ColumnSpec kComms[] = {
    {"time", kReq},       {"src", kReq},    {"dst", kReq},  {"kind", kOpt},
    {"duration_s", kOpt}, {"device", kOpt}, {"cell", kOpt},
};
constexpr ColumnSpec kTravel[] = {
    {"record_id", kReq},  {"time", kReq},        {"name", kReq},
    {"birth_date", kOpt}, {"document", kOpt},    {"nationality", kOpt},
    {"origin", kOpt},     {"destination", kReq}, {"carrier", kOpt},
};
constexpr ColumnSpec kCustody[] = {
    {"person_id", kReq},
    {"facility", kReq},
    {"start", kReq},
    {"end", kOpt},
};
// person_id or name: one is required per row (checked by row parsing).
constexpr ColumnSpec kReports[] = {
    {"report_id", kReq}, {"time", kReq},     {"person_id", kOpt}, {"name", kOpt},
    {"source", kReq},    {"category", kOpt}, {"text", kOpt},
};
constexpr ColumnSpec kWatchlist[] = {
    {"entry_id", kReq}, {"list", kReq},        {"name", kReq},
    {"aliases", kOpt},  {"birth_date", kOpt},  {"nationality", kOpt},
    {"reason", kOpt},   {"valid_until", kOpt}, {"handling", kOpt},
};

const Schema kSchemas[] = {
    {InputKind::kPersons, kPersons},     {InputKind::kSelectors, kSelectors},
    {InputKind::kComms, kComms},         {InputKind::kTravel, kTravel},
    {InputKind::kCustody, kCustody},     {InputKind::kReports, kReports},
    {InputKind::kWatchlist, kWatchlist},
};

}  // namespace

int Schema::Find(std::string_view name) const {
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

std::string Schema::AllowedNames() const {
  std::string names;
  for (const ColumnSpec& column : columns) {
    if (!names.empty()) names += ", ";
    names += column.name;
  }
  return names + ", x_*";
}

const Schema& SchemaFor(InputKind kind) {
  for (const Schema& schema : kSchemas) {
    if (schema.kind == kind) return schema;
  }
  return kSchemas[0];
}

}  // namespace vigil
