// A JSON Lines reader for the input files of formats.md (internal).
//
// One JSON object per line, with the CSV file's column names as keys;
// multi-valued fields are arrays of strings; numeric fields (duration_s) may
// be JSON numbers; null means unknown; blank lines are skipped. The JSON is
// parsed by nlohmann's SAX parser (no DOM, no exceptions escape), and each
// cell's column is the 1-based byte offset of its key in the line.
//
// Thread-safety: one reader is used by one thread at a time.
#ifndef VIGIL_INGEST_JSONL_READER_H_
#define VIGIL_INGEST_JSONL_READER_H_

#include <string>
#include <string_view>
#include <vector>

#include "ingest/row_source.h"
#include "ingest/schema.h"

namespace vigil {

class JsonlReader final : public RowSource {
 public:
  // Reads `text`, which must outlive the reader.
  JsonlReader(std::string_view text, InputKind kind);

  // Always true: JSONL has no header.
  bool Start(RowError* error) override;
  // kBadRow for a JSON syntax error (column = byte offset in the line), a
  // line that is not an object, an unknown or duplicate key, a nested object
  // or array, or a value of the wrong JSON type.
  RowStep Next(RowCells* row, RowError* error) override;
  size_t offset() const override { return pos_; }

  // The 1-based byte offsets of the keys of the top-level object in `line`,
  // in order, up to `max_keys`. Tolerates malformed JSON. O(line length).
  static void FindKeyOffsets(std::string_view line, size_t max_keys, std::vector<int>* offsets);

  // Storage for one line's decoded values (reused from line to line).
  struct Slot {
    std::string text;
    std::vector<std::string> items;
    std::vector<std::string_view> item_views;
    size_t item_count = 0;  // items in use (items keeps spare capacity)
    int key_ordinal = -1;   // which key of the line set it
    bool set = false;
    bool is_number = false;
    bool is_null = false;
    bool is_list = false;
  };

 private:
  std::string_view text_;
  size_t pos_ = 0;
  int64_t line_number_ = 0;
  const Schema& schema_;
  std::vector<Slot> slots_;  // one per schema column
  std::vector<std::string> attribute_names_;
  std::vector<std::string> attribute_values_;
  std::vector<int> key_offsets_;
};

}  // namespace vigil

#endif  // VIGIL_INGEST_JSONL_READER_H_
