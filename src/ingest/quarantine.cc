#include "ingest/quarantine.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

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
    // The rows hold personal data: the file is the owner's alone (0600),
    // also when it existed with wider permissions.
    const int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0) return Status::IOError(path_ + ": cannot open the quarantine file");
    if (::fchmod(fd, 0600) != 0) {
      ::close(fd);
      return Status::IOError(path_ + ": cannot make the quarantine file private (chmod 0600)");
    }
    file_.reset(::fdopen(fd, "ab"));
    if (!file_) {
      ::close(fd);
      return Status::IOError(path_ + ": cannot open the quarantine file");
    }
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
