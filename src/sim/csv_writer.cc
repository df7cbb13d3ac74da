#include "sim/csv_writer.h"

#include <cerrno>
#include <cstring>

#include "sim/civil_time.h"

namespace vigil::sim {
namespace {

constexpr size_t kBufferBytes = 4 << 20;  // flushed when this fills
constexpr size_t kMaxIntChars = 24;       // sign and 20 digits, with room
constexpr size_t kTimeOfDayChars = 10;    // "THH:MM:SSZ"

void TwoDigits(int64_t value, char* out) {
  out[0] = static_cast<char>('0' + value / 10);
  out[1] = static_cast<char>('0' + value % 10);
}

}  // namespace

Result<std::unique_ptr<CsvWriter>> CsvWriter::Open(const std::string& path,
                                                   std::span<const std::string_view> columns) {
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) {
    return Status::IOError("cannot create " + path + ": " + std::strerror(errno));
  }
  auto writer = std::make_unique<CsvWriter>(Key(), file, path);
  for (std::string_view column : columns) writer->Plain(column);
  writer->EndRow();
  writer->rows_ = 0;
  return writer;
}

CsvWriter::CsvWriter(Key /*key*/, std::FILE* file, std::string path)
    : file_(file), path_(std::move(path)), buffer_(kBufferBytes) {}

CsvWriter::~CsvWriter() {
  if (file_ != nullptr) std::fclose(file_);
}

void CsvWriter::Reserve(size_t bytes) {
  if (used_ + bytes > buffer_.size()) Flush();
  if (bytes > buffer_.size()) buffer_.resize(bytes);
}

void CsvWriter::Flush() {
  if (used_ == 0) return;
  if (status_.ok() && std::fwrite(buffer_.data(), 1, used_, file_) != used_) {
    status_ = Status::IOError("cannot write " + path_ + ": " + std::strerror(errno));
  }
  used_ = 0;
}

void CsvWriter::Separate() {
  if (row_started_) buffer_[used_++] = ',';
  row_started_ = true;
}

void CsvWriter::Plain(std::string_view text) {
  Reserve(text.size() + 1);
  Separate();
  std::memcpy(buffer_.data() + used_, text.data(), text.size());
  used_ += text.size();
}

void CsvWriter::Field(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) {
    Plain(text);
    return;
  }
  Reserve(2 * text.size() + 3);
  Separate();
  buffer_[used_++] = '"';
  for (char ch : text) {
    if (ch == '"') buffer_[used_++] = '"';
    buffer_[used_++] = ch;
  }
  buffer_[used_++] = '"';
}

void CsvWriter::Int(int64_t value) {
  Reserve(kMaxIntChars);
  Separate();
  char digits[kMaxIntChars];
  size_t count = 0;
  uint64_t magnitude = value < 0 ? 0 - static_cast<uint64_t>(value) : static_cast<uint64_t>(value);
  do {
    digits[count++] = static_cast<char>('0' + magnitude % 10);
    magnitude /= 10;
  } while (magnitude != 0);
  if (value < 0) buffer_[used_++] = '-';
  while (count > 0) buffer_[used_++] = digits[--count];
}

void CsvWriter::Empty() {
  Reserve(1);
  Separate();
}

void CsvWriter::Time(int64_t seconds) {
  Reserve(kTimeChars + 1);
  Separate();
  int64_t day = seconds / kSecondsPerDay;
  int64_t second_of_day = seconds % kSecondsPerDay;
  if (second_of_day < 0) {
    second_of_day += kSecondsPerDay;
    --day;
  }
  if (day != cached_day_) {
    FormatDate(day, cached_date_);
    cached_day_ = day;
  }
  char* out = buffer_.data() + used_;
  std::memcpy(out, cached_date_, kDateChars);
  out += kDateChars;
  out[0] = 'T';
  TwoDigits(second_of_day / kSecondsPerHour, out + 1);
  out[3] = ':';
  TwoDigits(second_of_day % kSecondsPerHour / kSecondsPerMinute, out + 4);
  out[6] = ':';
  TwoDigits(second_of_day % kSecondsPerMinute, out + 7);
  out[9] = 'Z';
  used_ += kDateChars + kTimeOfDayChars;
}

void CsvWriter::Date(int64_t days) {
  Reserve(kDateChars + 1);
  Separate();
  FormatDate(days, buffer_.data() + used_);
  used_ += kDateChars;
}

void CsvWriter::EndRow() {
  Reserve(1);
  buffer_[used_++] = '\n';
  row_started_ = false;
  ++rows_;
}

Status CsvWriter::Close() {
  if (file_ == nullptr) return status_;
  Flush();
  if (std::fclose(file_) != 0 && status_.ok()) {
    status_ = Status::IOError("cannot close " + path_ + ": " + std::strerror(errno));
  }
  file_ = nullptr;
  return status_;
}

}  // namespace vigil::sim
