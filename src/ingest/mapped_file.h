// A read-only memory map of a whole file (internal).
#ifndef VIGIL_INGEST_MAPPED_FILE_H_
#define VIGIL_INGEST_MAPPED_FILE_H_

#include <memory>
#include <string>
#include <string_view>

#include "vigil/status.h"

namespace vigil {

class MappedFile {
 public:
  // Maps the file at `path` for sequential reading. IOError if it cannot be
  // opened, examined or mapped. An empty file maps to an empty view. O(1).
  static Result<std::unique_ptr<MappedFile>> Open(const std::string& path);

 private:
  struct PassKey {
    explicit PassKey() = default;
  };

 public:
  // Only Open constructs (PassKey is private).
  MappedFile(PassKey /*key*/, const char* data, size_t size) : data_(data), size_(size) {}
  ~MappedFile();  // unmaps

  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  // The file's bytes, valid for the life of this object.
  std::string_view contents() const { return {data_, size_}; }

  // Tells the kernel the bytes before `offset` will not be read again, so
  // their pages can leave memory (they are re-read from the file if touched).
  // Keeps resident memory bounded on huge files. O(pages released).
  void ReleaseBefore(size_t offset);

 private:
  const char* data_ = nullptr;
  size_t size_ = 0;
  size_t released_ = 0;
};

}  // namespace vigil

#endif  // VIGIL_INGEST_MAPPED_FILE_H_
