#include "ingest/quarantine.h"

namespace vigil {

void AppendCsvField(std::string_view field, std::string* out) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
    out->append(field);
    return;
  }
  out->push_back('"');
  for (const char c : field) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

Status QuarantineFile::Append(std::string_view file, int64_t line, int column,
                              std::string_view rule, std::string_view raw) {
  if (!file_) {
    file_.reset(std::fopen(path_.c_str(), "ab"));
    if (!file_) return Status::IOError(path_ + ": cannot open the quarantine file");
    if (std::ftell(file_.get()) == 0) buffer_ = "file,line,column,rule,raw\n";
  }
  AppendCsvField(file, &buffer_);
  buffer_ += ',' + std::to_string(line) + ',' + std::to_string(column) + ',';
  AppendCsvField(rule, &buffer_);
  buffer_.push_back(',');
  AppendCsvField(raw, &buffer_);
  buffer_.push_back('\n');
  if (std::fwrite(buffer_.data(), 1, buffer_.size(), file_.get()) != buffer_.size()) {
    return Status::IOError(path_ + ": cannot write the quarantine file");
  }
  buffer_.clear();
  return Status::Ok();
}

Status QuarantineFile::Close() {
  if (!file_) return Status::Ok();
  const bool flushed = std::fflush(file_.get()) == 0;
  file_.reset();
  if (!flushed) return Status::IOError(path_ + ": cannot write the quarantine file");
  return Status::Ok();
}

}  // namespace vigil
