// Helpers shared by the store tests: a scratch directory and synthetic records.
#ifndef VIGIL_TESTS_STORE_STORE_TEST_UTIL_H_
#define VIGIL_TESTS_STORE_STORE_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "vigil/model.h"
#include "vigil/store.h"

namespace vigil::testing_util {

// A fresh directory under the test temp dir, removed when destroyed.
class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern = ::testing::TempDir() + "vigil_store_XXXXXX";
    path_ = mkdtemp(pattern.data());
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

inline SourceFile MakeSource(const std::string& hash, InputKind kind) {
  SourceFile file;
  file.path = "/synthetic/" + hash + ".csv";
  file.content_hash = hash;
  file.kind = kind;
  file.size_bytes = 1234;
  return file;
}

inline Person MakePerson(const std::string& id, const std::string& name) {
  Person person;
  person.person_id = id;
  person.name = name;
  person.status = PersonStatus::kSubject;
  return person;
}

inline Communication MakeComm(UnixTime time, const std::string& src, const std::string& dst) {
  Communication comm;
  comm.time = time;
  comm.src = src;
  comm.dst = dst;
  comm.kind = CommKind::kCall;
  return comm;
}

}  // namespace vigil::testing_util

#endif  // VIGIL_TESTS_STORE_STORE_TEST_UTIL_H_
