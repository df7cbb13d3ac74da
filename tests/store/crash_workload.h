// The synthetic "files" of the store crash test, shared by the writer process
// (crash_writer_main.cc) and the checker (crash_test.cc): both derive every
// file's hash, size and rows from (run, index), so the checker knows exactly
// what a committed file must contain.
#ifndef VIGIL_TESTS_STORE_CRASH_WORKLOAD_H_
#define VIGIL_TESTS_STORE_CRASH_WORKLOAD_H_

#include <cstdint>
#include <cstdio>
#include <string>

#include "vigil/store.h"

namespace vigil::crash {

inline constexpr int kMinComms = 2'000;
inline constexpr int kMaxComms = 20'000;
inline constexpr int kMaxPersons = 8;
inline constexpr int kContacts = 50;
inline constexpr UnixTime kBaseTime = 1'500'000'000;

struct CrashFile {
  int run = 0;
  int index = 0;
  std::string hash;
  int comms = 0;
  int persons = 0;
  int64_t rows() const { return comms + persons; }
  // Every comm of the file has this src, so its rows can be counted.
  std::string src() const { return "handle:crash:" + hash; }
};

inline uint64_t Mix(uint64_t value) {  // splitmix64 finaliser
  value += 0x9e3779b97f4a7c15ULL;
  value = (value ^ (value >> 30)) * 0xbf58476d1ce4e5b9ULL;
  value = (value ^ (value >> 27)) * 0x94d049bb133111ebULL;
  return value ^ (value >> 31);
}

inline CrashFile FileFor(int run, int index) {
  CrashFile file;
  file.run = run;
  file.index = index;
  const uint64_t key = Mix((static_cast<uint64_t>(run) << 32) | static_cast<uint32_t>(index));
  char hash[40];
  std::snprintf(hash, sizeof hash, "%04x%04x%016llx", run, index,
                static_cast<unsigned long long>(key));
  file.hash = hash;
  file.comms = kMinComms + static_cast<int>(key % (kMaxComms - kMinComms + 1));
  file.persons = 1 + static_cast<int>((key >> 20) % kMaxPersons);
  return file;
}

inline std::string PersonId(const CrashFile& file, int person) {
  return file.hash + "-p" + std::to_string(person);
}

inline SourceFile SourceOf(const CrashFile& file) {
  SourceFile source;
  source.path = "/crash/" + std::to_string(file.run) + "/" + std::to_string(file.index);
  source.content_hash = file.hash;
  source.kind = InputKind::kComms;
  source.size_bytes = file.rows() * 64;
  return source;
}

// Puts every record of `file`. Stops at the first failure.
inline Status WriteFile(StoreWriter& writer, const CrashFile& file) {
  for (int person = 0; person < file.persons; ++person) {
    Person record;
    record.person_id = PersonId(file, person);
    record.name = "Synthetic " + record.person_id;
    VIGIL_RETURN_IF_ERROR(writer.Put(record));
  }
  Communication comm;
  comm.src = file.src();
  comm.kind = CommKind::kCall;
  for (int row = 0; row < file.comms; ++row) {
    comm.time = kBaseTime + file.index * kMaxComms + row;
    comm.dst = "msisdn:+4470000" + std::to_string(10000 + row % kContacts);
    comm.duration_s = row % 600;
    VIGIL_RETURN_IF_ERROR(writer.Put(comm));
  }
  return Status::Ok();
}

}  // namespace vigil::crash

#endif  // VIGIL_TESTS_STORE_CRASH_WORKLOAD_H_
