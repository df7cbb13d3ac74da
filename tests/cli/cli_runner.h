// Runs the real `vigil` binary (path in the VIGIL_BIN environment variable,
// set by ctest) as a child process and captures what it prints.
#ifndef VIGIL_TESTS_CLI_CLI_RUNNER_H_
#define VIGIL_TESTS_CLI_CLI_RUNNER_H_

#include <filesystem>
#include <string>
#include <vector>

namespace vigil::testing_util {

struct CommandOutput {
  int exit_code = -1;  // -1 when the child did not exit normally
  std::string out;     // standard output
  std::string err;     // standard error
};

// The vigil binary under test: $VIGIL_BIN. Aborts the test binary if unset.
std::string VigilBinary();

// Runs `vigil args...` in `work_dir`, waiting for it to finish.
CommandOutput RunVigil(const std::vector<std::string>& args,
                       const std::filesystem::path& work_dir = std::filesystem::current_path());

// A fresh directory under the test temp dir, removed when destroyed.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// The whole content of a file ("" if it cannot be read).
std::string ReadFileText(const std::filesystem::path& path);
// Writes `text` to `path`, creating parent folders.
void WriteFileText(const std::filesystem::path& path, const std::string& text);
// Lines of `text` without their terminators.
std::vector<std::string> SplitLines(const std::string& text);

}  // namespace vigil::testing_util

#endif  // VIGIL_TESTS_CLI_CLI_RUNNER_H_
