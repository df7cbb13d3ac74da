// The columns of each input file of formats.md (internal).
//
// Each kind's columns are listed in a fixed order; the enums below name the
// positions so row parsing reads cells by index, without string lookups.
#ifndef VIGIL_INGEST_SCHEMA_H_
#define VIGIL_INGEST_SCHEMA_H_

#include <span>
#include <string>
#include <string_view>

#include "vigil/model.h"

namespace vigil {

struct ColumnSpec {
  std::string_view name;
  bool required = false;
};

struct Schema {
  InputKind kind = InputKind::kPersons;
  std::span<const ColumnSpec> columns;

  // The position of the column called `name`, or -1. O(columns).
  int Find(std::string_view name) const;
  // "a, b, c": the allowed column names, for messages. O(columns).
  std::string AllowedNames() const;
};

// The schema of one input kind. The reference is to static data. O(1).
const Schema& SchemaFor(InputKind kind);

// Columns named with this prefix are free attributes.
inline constexpr std::string_view kAttributePrefix = "x_";

enum PersonsColumn {
  kPersonId,
  kPersonName,
  kPersonAliases,
  kPersonBirthDate,
  kPersonNationality,
  kPersonStatus,
  kPersonCompartment,
  kPersonLegalBasis,
  kPersonReviewBy,
};
enum SelectorsColumn {
  kSelectorSelector,
  kSelectorPersonId,
  kSelectorFirstSeen,
  kSelectorLastSeen,
  kSelectorSource,
};
enum CommsColumn {
  kCommTime,
  kCommSrc,
  kCommDst,
  kCommKind,
  kCommDuration,
  kCommDevice,
  kCommCell
};
enum TravelColumn {
  kTravelRecordId,
  kTravelTime,
  kTravelName,
  kTravelBirthDate,
  kTravelDocument,
  kTravelNationality,
  kTravelOrigin,
  kTravelDestination,
  kTravelCarrier,
};
enum CustodyColumn { kCustodyPersonId, kCustodyFacility, kCustodyStart, kCustodyEnd };
enum ReportsColumn {
  kReportId,
  kReportTime,
  kReportPersonId,
  kReportName,
  kReportSource,
  kReportCategory,
  kReportText,
};
enum WatchlistColumn {
  kEntryId,
  kEntryList,
  kEntryName,
  kEntryAliases,
  kEntryBirthDate,
  kEntryNationality,
  kEntryReason,
  kEntryValidUntil,
  kEntryHandling,
};

}  // namespace vigil

#endif  // VIGIL_INGEST_SCHEMA_H_
