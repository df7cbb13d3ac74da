#include "ingest/mapped_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace vigil {
namespace {

std::string ErrnoMessage(const std::string& path, std::string_view what) {
  return path + ": " + std::string(what) + ": " + std::strerror(errno);
}

}  // namespace

Result<std::unique_ptr<MappedFile>> MappedFile::Open(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::IOError(ErrnoMessage(path, "cannot open"));
  struct stat info {};
  if (::fstat(fd, &info) != 0) {
    const Status status = Status::IOError(ErrnoMessage(path, "cannot stat"));
    ::close(fd);
    return status;
  }
  const auto size = static_cast<size_t>(info.st_size);
  if (size == 0) {
    ::close(fd);
    return std::make_unique<MappedFile>(PassKey(), "", 0);
  }
  void* data = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  const int map_errno = errno;
  ::close(fd);
  if (data == MAP_FAILED) {
    errno = map_errno;
    return Status::IOError(ErrnoMessage(path, "cannot map"));
  }
  ::madvise(data, size, MADV_SEQUENTIAL);
  return std::make_unique<MappedFile>(PassKey(), static_cast<const char*>(data), size);
}

MappedFile::~MappedFile() {
  if (size_ > 0) ::munmap(const_cast<char*>(data_), size_);
}

void MappedFile::ReleaseBefore(size_t offset) {
  const auto page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  const size_t end = offset / page * page;
  if (size_ == 0 || end <= released_) return;
  ::madvise(const_cast<char*>(data_) + released_, end - released_, MADV_DONTNEED);
  released_ = end;
}

}  // namespace vigil
