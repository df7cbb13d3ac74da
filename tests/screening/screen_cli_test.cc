// End to end through the CLI (VIGIL_BIN): simulate a world, ingest it (which
// screens the new travel and stores matches), screen the store again
// (nothing new), and screen the world's travel.csv against its watchlist.csv.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

namespace vigil {
namespace {

namespace fs = std::filesystem;

// Runs `command`, returns its standard output; *exit_code gets the status.
std::string RunCommand(const std::string& command, int* exit_code) {
  std::string output;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return output;
  char buffer[4096];
  size_t read = 0;
  while ((read = fread(buffer, 1, sizeof(buffer), pipe)) > 0) output.append(buffer, read);
  *exit_code = pclose(pipe);
  return output;
}

size_t Lines(const std::string& text) {
  size_t lines = 0;
  for (char c : text) lines += c == '\n';
  return lines;
}

TEST(ScreenCliTest, StoreScreeningAndFileScreeningOnAGeneratedWorld) {
  const char* bin = std::getenv("VIGIL_BIN");
  if (bin == nullptr) GTEST_SKIP() << "VIGIL_BIN not set";
  const fs::path dir =
      fs::temp_directory_path() / ("vigil_screen_cli_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string world = (dir / "world").string();
  const std::string db = (dir / "v.db").string();
  const std::string vigil = std::string(bin) + " --db " + db;
  int code = -1;
  RunCommand(vigil + " simulate --out " + world + " --seed 3 --people 400 --days 60 2>&1", &code);
  ASSERT_EQ(code, 0);
  // Ingesting travel screens it.
  const std::string ingest = RunCommand(vigil + " ingest " + world + " 2>&1", &code);
  ASSERT_EQ(code, 0) << ingest;
  const size_t at = ingest.find("screening: ");
  ASSERT_NE(at, std::string::npos) << ingest;
  EXPECT_EQ(ingest.find(" 0 watch-list matches stored", at), std::string::npos) << ingest;

  // Everything is screened already: header only.
  const std::string again = RunCommand(vigil + " --format csv screen --store 2>/dev/null", &code);
  ASSERT_EQ(code, 0) << again;
  ASSERT_EQ(again.rfind("query_id,entry_id,score,explanation,source,seen_at,retroactive", 0), 0U)
      << again;
  EXPECT_EQ(Lines(again), 1U) << again;

  const std::string file =
      RunCommand(vigil + " --format csv screen --input " + world + "/travel.csv --list " + world +
                     "/watchlist.csv 2>/dev/null",
                 &code);
  ASSERT_EQ(code, 0);
  EXPECT_EQ(file.rfind("query_id,entry_id,score,explanation", 0), 0U) << file;
  EXPECT_GT(Lines(file), 1U);

  RunCommand(vigil + " screen 2>/dev/null", &code);
  EXPECT_NE(code, 0) << "neither --input nor --store is an error";
  fs::remove_all(dir);
}

}  // namespace
}  // namespace vigil
