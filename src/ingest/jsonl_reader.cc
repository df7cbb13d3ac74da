#include "ingest/jsonl_reader.h"

#include <charconv>
#include <nlohmann/json.hpp>

namespace vigil {
namespace {

using Json = nlohmann::json;

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";
constexpr std::string_view kNotObjectRule = "a line must be one JSON object";
constexpr int kAttributeTarget = -1;

bool IsBlank(std::string_view line) {
  return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

// The SAX handler for one line: checks the object's shape and keys and
// copies its values into the reader's reusable slots.
class LineHandler {
 public:
  LineHandler(const Schema& schema, std::vector<JsonlReader::Slot>* slots,
              std::vector<std::string>* attribute_names, std::vector<std::string>* attribute_values)
      : schema_(schema),
        slots_(*slots),
        attribute_names_(*attribute_names),
        attribute_values_(*attribute_values) {}

  bool null() { return Scalar({}, ValueType::kNull); }
  bool boolean(bool /*value*/) {
    if (depth_ == 0) return NotObject();
    return ValueError("must be a string or a number, not true/false");
  }
  bool number_integer(Json::number_integer_t value) { return Number(value); }
  bool number_unsigned(Json::number_unsigned_t value) { return Number(value); }
  bool number_float(Json::number_float_t /*value*/, const Json::string_t& text) {
    return Scalar(text, ValueType::kNumber);
  }
  bool string(Json::string_t& text) { return Scalar(text, ValueType::kString); }
  bool binary(Json::binary_t& /*value*/) { return ValueError("must not be binary"); }

  bool start_object(std::size_t /*size*/) {
    if (depth_ == 0) {
      depth_ = 1;
      return true;
    }
    return ValueError("must not be a nested object");
  }
  bool end_object() {
    depth_ = 0;
    return true;
  }

  bool key(Json::string_t& name) {
    ++key_ordinal_;
    current_key_.assign(name);
    const int index = schema_.Find(name);
    if (index >= 0) {
      JsonlReader::Slot& slot = slots_[index];
      if (slot.set) return KeyError("duplicate key");
      slot.set = true;
      slot.key_ordinal = key_ordinal_;
      target_ = index;
      return true;
    }
    if (std::string_view(name).substr(0, kAttributePrefix.size()) != kAttributePrefix) {
      return KeyError("unknown column (allowed: " + schema_.AllowedNames() + ")");
    }
    for (size_t i = 0; i < attribute_count_; ++i) {
      if (attribute_names_[i] == name) return KeyError("duplicate key");
    }
    target_ = kAttributeTarget;
    return true;
  }

  bool start_array(std::size_t /*size*/) {
    if (depth_ == 0) return NotObject();
    if (depth_ == 2) return ValueError("list items must be strings, not lists");
    if (target_ == kAttributeTarget)
      return ValueError("an x_ attribute must be a string or number");
    JsonlReader::Slot& slot = slots_[target_];
    slot.is_list = true;
    slot.item_count = 0;
    depth_ = 2;
    return true;
  }
  bool end_array() {
    JsonlReader::Slot& slot = slots_[target_];
    slot.item_views.clear();
    for (size_t i = 0; i < slot.item_count; ++i) slot.item_views.emplace_back(slot.items[i]);
    depth_ = 1;
    return true;
  }

  // `position` is the 1-based byte at which the parser detected the error.
  bool parse_error(std::size_t position, const std::string& /*last_token*/,
                   const nlohmann::detail::exception& exception) {
    error_position_ = position == 0 ? 1 : static_cast<int>(position);
    error_key_ = -1;
    std::string_view what = exception.what();
    const size_t column_at = what.find("column ");
    const size_t detail_at = what.find(": ", column_at == std::string_view::npos ? 0 : column_at);
    if (detail_at != std::string_view::npos) what.remove_prefix(detail_at + 2);
    error_rule_ = "JSON syntax error: " + std::string(what);
    return false;
  }

  size_t attribute_count() const { return attribute_count_; }
  int key_ordinal() const { return key_ordinal_; }
  // The error, if any: its rule, and either the key it concerns (ordinal)
  // or a byte position in the line.
  const std::string& error_rule() const { return error_rule_; }
  int error_key() const { return error_key_; }
  int error_position() const { return error_position_; }

 private:
  enum class ValueType { kNull, kNumber, kString };

  template <typename Integer>
  bool Number(Integer value) {
    char digits[32];
    const auto [end, code] = std::to_chars(digits, digits + sizeof(digits), value);
    (void)code;
    return Scalar(std::string_view(digits, end - digits), ValueType::kNumber);
  }

  bool Scalar(std::string_view text, ValueType type) {
    if (depth_ == 0) return NotObject();
    if (depth_ == 2) {
      if (type != ValueType::kString) return ValueError("list items must be strings");
      JsonlReader::Slot& slot = slots_[target_];
      if (slot.item_count < slot.items.size()) {
        slot.items[slot.item_count].assign(text);
      } else {
        slot.items.emplace_back(text);
      }
      ++slot.item_count;
      return true;
    }
    if (target_ == kAttributeTarget) {
      if (type == ValueType::kNull) return true;
      if (attribute_count_ == attribute_names_.size()) {
        attribute_names_.emplace_back();
        attribute_values_.emplace_back();
      }
      attribute_names_[attribute_count_].assign(current_key_);
      attribute_values_[attribute_count_].assign(text);
      ++attribute_count_;
      return true;
    }
    JsonlReader::Slot& slot = slots_[target_];
    slot.text.assign(text);
    slot.is_number = type == ValueType::kNumber;
    slot.is_null = type == ValueType::kNull;
    return true;
  }

  bool NotObject() {
    error_rule_ = std::string(kNotObjectRule);
    error_key_ = -1;
    error_position_ = 1;
    return false;
  }
  bool KeyError(std::string_view rule) {
    error_rule_ = ColumnRule(current_key_, rule);
    error_key_ = key_ordinal_;
    return false;
  }
  bool ValueError(std::string_view rule) { return KeyError(rule); }

  const Schema& schema_;
  std::vector<JsonlReader::Slot>& slots_;
  std::vector<std::string>& attribute_names_;
  std::vector<std::string>& attribute_values_;
  size_t attribute_count_ = 0;
  int depth_ = 0;
  int key_ordinal_ = -1;
  int target_ = kAttributeTarget;
  std::string current_key_;
  std::string error_rule_;
  int error_key_ = -1;
  int error_position_ = 1;
};

}  // namespace

JsonlReader::JsonlReader(std::string_view text, InputKind kind)
    : text_(text), schema_(SchemaFor(kind)), slots_(schema_.columns.size()) {
  if (text_.substr(0, kByteOrderMark.size()) == kByteOrderMark) pos_ = kByteOrderMark.size();
}

bool JsonlReader::Start(RowError* /*error*/) { return true; }

void JsonlReader::FindKeyOffsets(std::string_view line, size_t max_keys,
                                 std::vector<int>* offsets) {
  offsets->clear();
  int depth = 0;
  bool in_string = false;
  bool expecting_key = false;
  for (size_t i = 0; i < line.size() && offsets->size() < max_keys; ++i) {
    const char c = line[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
      if (depth == 1 && expecting_key) {
        offsets->push_back(static_cast<int>(i) + 1);
        expecting_key = false;
      }
    } else if (c == '{' || c == '[') {
      ++depth;
      expecting_key = depth == 1;
    } else if (c == '}' || c == ']') {
      --depth;
    } else if (c == ',' && depth == 1) {
      expecting_key = true;
    }
  }
}

RowStep JsonlReader::Next(RowCells* row, RowError* error) {
  std::string_view line;
  for (;;) {
    if (pos_ >= text_.size()) return RowStep::kEnd;
    const size_t newline = text_.find('\n', pos_);
    const size_t end = newline == std::string_view::npos ? text_.size() : newline;
    line = text_.substr(pos_, end - pos_);
    pos_ = newline == std::string_view::npos ? text_.size() : newline + 1;
    ++line_number_;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!IsBlank(line)) break;
  }
  row->Reset(schema_);
  row->line = line_number_;
  row->raw = line;
  row->row_column = static_cast<int>(line.find_first_not_of(" \t")) + 1;
  for (Slot& slot : slots_) {
    slot.set = slot.is_number = slot.is_null = slot.is_list = false;
    slot.key_ordinal = -1;
  }
  LineHandler handler(schema_, &slots_, &attribute_names_, &attribute_values_);
  bool parsed = false;
  try {
    parsed = Json::sax_parse(line.data(), line.data() + line.size(), &handler);
  } catch (const std::exception& exception) {
    error->column = row->row_column;
    error->rule = std::string("JSON could not be parsed: ") + exception.what();
    return RowStep::kBadRow;
  }
  if (!parsed) {
    error->column = handler.error_position();
    if (handler.error_key() >= 0) {
      FindKeyOffsets(line, static_cast<size_t>(handler.error_key()) + 1, &key_offsets_);
      if (static_cast<size_t>(handler.error_key()) < key_offsets_.size()) {
        error->column = key_offsets_[handler.error_key()];
      }
    }
    error->rule = handler.error_rule();
    return RowStep::kBadRow;
  }
  FindKeyOffsets(line, static_cast<size_t>(handler.key_ordinal() + 1), &key_offsets_);
  for (size_t index = 0; index < slots_.size(); ++index) {
    const Slot& slot = slots_[index];
    if (!slot.set) continue;
    Cell& cell = row->cells[index];
    const auto ordinal = static_cast<size_t>(slot.key_ordinal);
    cell.column = ordinal < key_offsets_.size() ? key_offsets_[ordinal] : row->row_column;
    cell.is_number = slot.is_number;
    cell.is_null = slot.is_null;
    if (slot.is_list) {
      cell.items = &slot.item_views;
    } else {
      cell.text = slot.text;
    }
  }
  for (size_t i = 0; i < handler.attribute_count(); ++i) {
    row->attributes.emplace_back(attribute_names_[i], attribute_values_[i]);
  }
  return RowStep::kRow;
}

}  // namespace vigil
