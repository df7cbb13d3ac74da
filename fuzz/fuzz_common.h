// Shared body of the reader fuzz targets: read every row of arbitrary bytes
// as one input kind and validate it, as IngestFile's parse thread does.
#ifndef VIGIL_FUZZ_FUZZ_COMMON_H_
#define VIGIL_FUZZ_FUZZ_COMMON_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ingest/row_source.h"

namespace vigil {

template <typename Record>
void ReadAllRows(RowSource& source) {
  RowError error;
  if (!source.Start(&error)) return;
  RowCells row;
  Record record;
  for (;;) {
    const RowStep step = source.Next(&row, &error);
    if (step == RowStep::kEnd) return;
    if (step == RowStep::kRow) ParseRecord(row, &record, &error);
  }
}

// The first byte picks the input kind; the rest is the file.
inline void FuzzOneInput(FileFormat format, const uint8_t* data, size_t size) {
  constexpr size_t kKinds = 7;
  if (size == 0) return;
  const auto kind = static_cast<InputKind>(data[0] % kKinds);
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  const auto source = MakeRowSource(format, text, kind);
  switch (kind) {
    case InputKind::kPersons:
      return ReadAllRows<Person>(*source);
    case InputKind::kSelectors:
      return ReadAllRows<SelectorRecord>(*source);
    case InputKind::kComms:
      return ReadAllRows<Communication>(*source);
    case InputKind::kTravel:
      return ReadAllRows<TravelRecord>(*source);
    case InputKind::kCustody:
      return ReadAllRows<CustodyRecord>(*source);
    case InputKind::kReports:
      return ReadAllRows<Report>(*source);
    case InputKind::kWatchlist:
      return ReadAllRows<WatchlistEntry>(*source);
  }
}

}  // namespace vigil

#endif  // VIGIL_FUZZ_FUZZ_COMMON_H_
