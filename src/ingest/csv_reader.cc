#include "ingest/csv_reader.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>

#include "ingest/utf8.h"

namespace vigil {
namespace {

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";
constexpr unsigned char kAsciiLimit = 0x80;

constexpr std::string_view kUnterminatedQuoteRule =
    "unterminated quoted field (a quote opened here is never closed)";
constexpr std::string_view kQuoteInUnquotedRule =
    "a quote inside an unquoted field (quote the whole field and double inner quotes)";
constexpr std::string_view kTextAfterQuoteRule =
    "text after a closing quote (a quoted field must end at a comma or the line end)";
constexpr std::string_view kBareCarriageReturnRule =
    "a carriage return not followed by a line feed";

// Bytes that stop the scan of an unquoted field.
constexpr std::array<bool, 256> MakeSpecialBytes() {
  std::array<bool, 256> special{};
  special[static_cast<unsigned char>(',')] = true;
  special[static_cast<unsigned char>('\n')] = true;
  special[static_cast<unsigned char>('\r')] = true;
  special[static_cast<unsigned char>('"')] = true;
  for (size_t byte = kAsciiLimit; byte < special.size(); ++byte) special[byte] = true;
  return special;
}
constexpr std::array<bool, 256> kSpecialBytes = MakeSpecialBytes();

constexpr uint64_t kEveryByteOne = 0x0101010101010101ULL;
constexpr uint64_t kEveryByteHigh = 0x8080808080808080ULL;

// Marks (in the high bit of each byte) the bytes of `block` equal to `byte`.
// Borrows can mark bytes above a true match, never below, so the lowest mark
// is exact.
constexpr uint64_t MarkBytes(uint64_t block, unsigned char byte) {
  const uint64_t diff = block ^ (kEveryByteOne * byte);
  return (diff - kEveryByteOne) & ~diff & kEveryByteHigh;
}

// The offset of the first special byte at or after `pos`, scanning eight
// bytes at a time, or the first position from which fewer than eight remain.
size_t SkipPlainBytes(std::string_view text, size_t pos) {
  constexpr size_t kBlock = sizeof(uint64_t);
  constexpr int kBitsPerByte = 8;
  while (pos + kBlock <= text.size()) {
    uint64_t block = 0;
    std::memcpy(&block, text.data() + pos, kBlock);
    const uint64_t marks = MarkBytes(block, ',') | MarkBytes(block, '\n') | MarkBytes(block, '\r') |
                           MarkBytes(block, '"') | (block & kEveryByteHigh);
    if (marks != 0) return pos + static_cast<size_t>(std::countr_zero(marks)) / kBitsPerByte;
    pos += kBlock;
  }
  return pos;
}

}  // namespace

CsvReader::CsvReader(std::string_view text) : text_(text) {
  if (text_.substr(0, kByteOrderMark.size()) == kByteOrderMark) pos_ = kByteOrderMark.size();
}

void CsvReader::SkipBlankLines() {
  while (pos_ < text_.size()) {
    if (text_[pos_] == '\n') {
      ++pos_;
    } else if (text_[pos_] == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') {
      pos_ += 2;
    } else {
      return;
    }
    ++line_;
  }
}

void CsvReader::SkipRestOfLine() {
  const size_t newline = text_.find('\n', pos_);
  if (newline == std::string_view::npos) {
    pos_ = text_.size();
    return;
  }
  pos_ = newline + 1;
  ++line_;
}

CsvStep CsvReader::Fail(CsvError* error, int column, std::string rule) {
  error->line = row_line_;
  error->column = column;
  error->rule = std::move(rule);
  SkipRestOfLine();
  size_t raw_end = pos_;
  if (raw_end > row_start_ && text_[raw_end - 1] == '\n') --raw_end;
  if (raw_end > row_start_ && text_[raw_end - 1] == '\r') --raw_end;
  error->raw = text_.substr(row_start_, raw_end - row_start_);
  return CsvStep::kBadRow;
}

CsvStep CsvReader::Next(CsvRow* row, CsvError* error) {
  SkipBlankLines();
  if (pos_ >= text_.size()) return CsvStep::kEnd;
  row_start_ = pos_;
  row_line_ = line_;
  row->fields.clear();
  scratch_.clear();
  fixups_.clear();
  size_t row_end = 0;
  for (;;) {
    const int column = static_cast<int>(row->fields.size()) + 1;
    const bool quoted = pos_ < text_.size() && text_[pos_] == '"';
    std::string_view rule;
    FieldEnd end = quoted ? ReadQuoted(row, &rule) : ReadUnquoted(row, &rule);
    if (end == FieldEnd::kError) return Fail(error, column, std::string(rule));
    end = ReadDelimiter(&row_end);
    if (end == FieldEnd::kError) {
      return Fail(error, column,
                  std::string(quoted ? kTextAfterQuoteRule : kBareCarriageReturnRule));
    }
    if (end == FieldEnd::kRowEnd) break;
  }
  for (const Fixup& fixup : fixups_) {
    row->fields[fixup.field] = std::string_view(scratch_).substr(fixup.offset, fixup.length);
  }
  row->line = row_line_;
  row->raw = text_.substr(row_start_, row_end - row_start_);
  if (expected_fields_ == 0) {
    expected_fields_ = row->fields.size();
  } else if (row->fields.size() != expected_fields_) {
    error->line = row_line_;
    error->column = static_cast<int>(std::min(row->fields.size(), expected_fields_)) + 1;
    error->rule = "row has " + std::to_string(row->fields.size()) + " fields but the header has " +
                  std::to_string(expected_fields_);
    error->raw = row->raw;
    return CsvStep::kBadRow;
  }
  return CsvStep::kRow;
}

CsvReader::FieldEnd CsvReader::ReadUnquoted(CsvRow* row, std::string_view* rule) {
  const size_t start = pos_;
  const size_t size = text_.size();
  const char* data = text_.data();
  while (pos_ < size) {
    pos_ = SkipPlainBytes(text_, pos_);
    if (pos_ >= size) break;
    const auto byte = static_cast<unsigned char>(data[pos_]);
    if (!kSpecialBytes[byte]) {
      ++pos_;
      continue;
    }
    if (byte >= kAsciiLimit) {
      const size_t length = Utf8SequenceLength(text_.substr(pos_));
      if (length == 0) {
        *rule = kUtf8Rule;
        return FieldEnd::kError;
      }
      pos_ += length;
      continue;
    }
    if (byte == '"') {
      *rule = kQuoteInUnquotedRule;
      return FieldEnd::kError;
    }
    break;
  }
  row->fields.push_back(text_.substr(start, pos_ - start));
  return FieldEnd::kRead;
}

CsvReader::FieldEnd CsvReader::ReadQuoted(CsvRow* row, std::string_view* rule) {
  ++pos_;  // the opening quote
  const size_t start = pos_;
  const size_t size = text_.size();
  bool escaped = false;
  bool bad_utf8 = false;
  size_t end = 0;
  for (;;) {
    const void* found = std::memchr(text_.data() + pos_, '"', size - pos_);
    const size_t quote = found == nullptr ? size : static_cast<const char*>(found) - text_.data();
    const std::string_view chunk = text_.substr(pos_, quote - pos_);
    line_ += std::count(chunk.begin(), chunk.end(), '\n');
    bad_utf8 = bad_utf8 || FindInvalidUtf8(chunk) != std::string_view::npos;
    if (found == nullptr) {
      pos_ = size;
      *rule = kUnterminatedQuoteRule;
      return FieldEnd::kError;
    }
    if (quote + 1 < size && text_[quote + 1] == '"') {
      escaped = true;
      pos_ = quote + 2;
      continue;
    }
    end = quote;
    pos_ = quote + 1;
    break;
  }
  if (bad_utf8) {
    *rule = kUtf8Rule;
    return FieldEnd::kError;
  }
  const std::string_view content = text_.substr(start, end - start);
  if (!escaped) {
    row->fields.push_back(content);
    return FieldEnd::kRead;
  }
  const size_t offset = scratch_.size();
  for (size_t i = 0; i < content.size(); ++i) {
    scratch_.push_back(content[i]);
    if (content[i] == '"') ++i;  // the second quote of a "" pair
  }
  fixups_.push_back({row->fields.size(), offset, scratch_.size() - offset});
  row->fields.emplace_back();
  return FieldEnd::kRead;
}

CsvReader::FieldEnd CsvReader::ReadDelimiter(size_t* row_end) {
  const size_t size = text_.size();
  if (pos_ >= size) {
    *row_end = pos_;
    return FieldEnd::kRowEnd;
  }
  const char c = text_[pos_];
  if (c == ',') {
    ++pos_;
    return FieldEnd::kComma;
  }
  if (c == '\n' || (c == '\r' && pos_ + 1 < size && text_[pos_ + 1] == '\n')) {
    *row_end = pos_;
    pos_ += c == '\n' ? 1 : 2;
    ++line_;
    return FieldEnd::kRowEnd;
  }
  return FieldEnd::kError;
}

}  // namespace vigil
