// Helper process of crash_test.cc: ingests synthetic files into a store until
// killed (or until it has written `max_files`).
//
// Usage: store_crash_writer <store path> <run> <max files>
// Prints, flushed, "committing <hash>" just before each Commit and
// "committed <hash> <rows>" once Commit returned OK.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "store/crash_workload.h"
#include "vigil/store.h"

namespace {

constexpr int kExitFailure = 3;

// write(2) straight to the pipe: nothing buffered in this process can be lost
// by the SIGKILL after the line was "printed".
void Say(const std::string& line) {
  const std::string text = line + "\n";
  size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = write(STDOUT_FILENO, text.data() + written, text.size() - written);
    if (n <= 0) std::_Exit(kExitFailure);
    written += static_cast<size_t>(n);
  }
}

int Fail(const vigil::Status& status) {
  std::fprintf(stderr, "crash writer: %s\n", status.ToString().c_str());
  return kExitFailure;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s <store> <run> <max files>\n", argv[0]);
    return 2;
  }
  const int run = std::atoi(argv[2]);
  const int max_files = std::atoi(argv[3]);
  auto store = vigil::OpenSqliteStore(argv[1]);
  if (!store.ok()) return Fail(store.status());
  for (int index = 0; index < max_files; ++index) {
    const vigil::crash::CrashFile file = vigil::crash::FileFor(run, index);
    auto writer = (*store)->BeginIngest(vigil::crash::SourceOf(file));
    if (!writer.ok()) return Fail(writer.status());
    vigil::Status status = vigil::crash::WriteFile(**writer, file);
    if (!status.ok()) return Fail(status);
    Say("committing " + file.hash);
    status = (*writer)->Commit(file.rows());
    if (!status.ok()) return Fail(status);
    Say("committed " + file.hash + " " + std::to_string(file.rows()));
  }
  return 0;
}
