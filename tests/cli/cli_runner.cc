#include "cli/cli_runner.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace vigil::testing_util {

std::string VigilBinary() {
  const char* bin = std::getenv("VIGIL_BIN");
  if (bin == nullptr || *bin == '\0') {
    ADD_FAILURE() << "VIGIL_BIN is not set (run the tests through ctest)";
    std::abort();
  }
  return bin;
}

CommandOutput RunVigil(const std::vector<std::string>& args,
                       const std::filesystem::path& work_dir) {
  const std::string binary = VigilBinary();
  TempDir capture;
  const std::string out_path = capture.File("stdout");
  const std::string err_path = capture.File("stderr");
  const pid_t child = fork();
  if (child == 0) {
    if (chdir(work_dir.c_str()) != 0) _exit(126);
    const int out_fd = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int err_fd = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(out_fd, STDOUT_FILENO);
    dup2(err_fd, STDERR_FILENO);
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(binary.c_str()));
    for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
  int wait_status = 0;
  waitpid(child, &wait_status, 0);
  CommandOutput output;
  output.exit_code = WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : -1;
  output.out = ReadFileText(out_path);
  output.err = ReadFileText(err_path);
  return output;
}

TempDir::TempDir() {
  std::string pattern = ::testing::TempDir() + "vigil_cli_XXXXXX";
  path_ = mkdtemp(pattern.data());
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::string ReadFileText(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream buffer;
  buffer << file.rdbuf();
  return buffer.str();
}

void WriteFileText(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream file(path, std::ios::binary);
  file << text;
}

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream stream(text);
  std::string line;
  while (std::getline(stream, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
  }
  return lines;
}

}  // namespace vigil::testing_util
