#include "ingest/quarantine.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

namespace vigil {
namespace {

constexpr std::string_view kHeader = "file,line,column,rule,raw\n";

// How often one Append follows a replaced file before giving up (each
// replacement is a whole erasure: more than a few in a row means something
// else keeps replacing it).
constexpr int kMaxReopens = 16;

bool WriteAll(int fd, std::string_view bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

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

QuarantineFile::~QuarantineFile() {
  if (fd_ >= 0) ::close(fd_);
}

Status QuarantineFile::Open() {
  // The rows hold personal data: the file is the owner's alone (0600),
  // also when it existed with wider permissions.
  fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd_ < 0) return Status::IOError(path_ + ": cannot open the quarantine file");
  if (::fchmod(fd_, 0600) != 0) {
    ::close(fd_);
    fd_ = -1;
    return Status::IOError(path_ + ": cannot make the quarantine file private (chmod 0600)");
  }
  return Status::Ok();
}

Status QuarantineFile::Append(std::string_view file, int64_t line, int column,
                              std::string_view rule, std::string_view raw) {
  std::string row;
  AppendCsvField(file, &row);
  row += ',' + std::to_string(line) + ',' + std::to_string(column) + ',';
  AppendCsvField(rule, &row);
  row.push_back(',');
  AppendCsvField(raw, &row);
  row.push_back('\n');
  for (int attempt = 0;; ++attempt) {
    if (fd_ < 0) VIGIL_RETURN_IF_ERROR(Open());
    int locked = 0;
    while ((locked = ::flock(fd_, LOCK_EX)) != 0 && errno == EINTR) {
    }
    if (locked != 0) return Status::IOError(path_ + ": cannot lock the quarantine file");
    struct stat held {};
    struct stat named {};
    if (::fstat(fd_, &held) != 0) {
      ::flock(fd_, LOCK_UN);
      return Status::IOError(path_ + ": cannot read the quarantine file's state");
    }
    const bool same = ::stat(path_.c_str(), &named) == 0 && named.st_dev == held.st_dev &&
                      named.st_ino == held.st_ino;
    if (!same) {
      // Replaced while not locked (an erasure put its rewritten copy in
      // place, or removed a file left with its header only): write to the
      // file now at the path. Closing releases the lock.
      ::close(fd_);
      fd_ = -1;
      ++reopened_;
      if (attempt >= kMaxReopens) {
        return Status::IOError(path_ + ": the quarantine file keeps being replaced");
      }
      continue;
    }
    const bool written = (held.st_size > 0 || WriteAll(fd_, kHeader)) && WriteAll(fd_, row);
    ::flock(fd_, LOCK_UN);
    if (!written) return Status::IOError(path_ + ": cannot write the quarantine file");
    return Status::Ok();
  }
}

Status QuarantineFile::Close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  return Status::Ok();
}

}  // namespace vigil
