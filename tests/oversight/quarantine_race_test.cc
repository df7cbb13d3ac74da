// An ingest appending to a quarantine file while an erasure rewrites it:
// erasure reads the file, writes the copy without the erased person's rows
// beside it and renames the copy over the file. A row appended after the
// read through a descriptor opened before the rename would land in the file
// the rename unlinks, and be lost. The quarantine file's lock (taken by
// WrittenFileScrub from the read to the rename, and by QuarantineFile for
// each row) and QuarantineFile's check that it still holds the file at the
// path close that window. Both interleavings are produced for certain, not
// by timing: (1) the append's descriptor is opened before the erasure reads
// and written after its rename; (2) an append is started while the erasure
// holds the lock, is shown not to have written, and completes after the
// rename. In both, every row appended is in the file afterwards, the
// erased person's rows are not, and the appender reports having followed
// the replaced file (reopened), which proves the interleaving happened.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <thread>

#include "access/erasure.h"
#include "ingest/quarantine.h"

namespace vigil::testing {
namespace {

constexpr char kErased[] = "ERASE-ME-4411";

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

class QuarantineRaceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("vigil-quarantine-race-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "quarantine.csv").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Erases kErased from the quarantine file: Prepare (read under the lock,
  // copy written), `between` (while the lock is held), then Apply (rename,
  // unlock). Returns the rows dropped.
  int64_t Erase(const std::function<void()>& between) {
    access::WrittenFileScrub scrub;
    std::vector<int64_t> rows;
    std::vector<std::vector<std::string>> holding;
    EXPECT_TRUE(scrub.Prepare({{path_, 0}}, {{kErased}}, &rows, &holding).ok());
    between();
    EXPECT_TRUE(scrub.Apply().ok());
    return rows.empty() ? -1 : rows[0];
  }

  std::filesystem::path dir_;
  std::string path_;
};

TEST_F(QuarantineRaceTest, AnAppendThroughTheReplacedFileGoesToTheRewrittenOne) {
  QuarantineFile ingest(path_);
  ASSERT_TRUE(ingest.Append("persons.csv", 2, 1, "bad date", std::string(kErased) + ",x").ok());
  ASSERT_TRUE(ingest.Append("persons.csv", 3, 1, "bad date", "KEEP-1,x").ok());
  // The erasure reads and replaces the file while the ingest holds it open.
  EXPECT_EQ(Erase([] {}), 1);
  ASSERT_EQ(ReadAll(path_).find(kErased), std::string::npos);
  // The ingest's next row: its descriptor names the file the rename unlinked.
  ASSERT_TRUE(ingest.Append("persons.csv", 4, 1, "bad date", "KEEP-2,x").ok());
  ASSERT_TRUE(ingest.Close().ok());
  EXPECT_EQ(ingest.reopened(), 1) << "the append did not meet the replaced file";
  const std::string after = ReadAll(path_);
  EXPECT_NE(after.find("KEEP-1"), std::string::npos) << after;
  EXPECT_NE(after.find("KEEP-2"), std::string::npos) << "the appended row was lost: " << after;
  EXPECT_EQ(after.find(kErased), std::string::npos) << after;
  EXPECT_EQ(after.rfind("file,line,column,rule,raw\n", 0), 0u) << after;
}

TEST_F(QuarantineRaceTest, AnAppendDuringTheRewriteWaitsAndIsKept) {
  QuarantineFile ingest(path_);
  ASSERT_TRUE(ingest.Append("persons.csv", 2, 1, "bad date", std::string(kErased) + ",x").ok());
  ASSERT_TRUE(ingest.Append("persons.csv", 3, 1, "bad date", "KEEP-1,x").ok());
  std::atomic<bool> appending{false};
  std::atomic<bool> appended{false};
  Status append_status;
  std::thread appender;
  const int64_t dropped = Erase([&] {
    // The erasure holds the lock between its read and its rename.
    const int probe = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
    ASSERT_GE(probe, 0);
    EXPECT_NE(::flock(probe, LOCK_EX | LOCK_NB), 0) << "the erasure does not hold the lock";
    ::close(probe);
    appender = std::thread([&] {
      appending = true;
      append_status = ingest.Append("persons.csv", 4, 1, "bad date", "KEEP-2,x");
      appended = true;
    });
    while (!appending) std::this_thread::yield();
    // Whether or not the thread has reached the lock yet, it cannot have
    // written while the erasure holds it.
    EXPECT_FALSE(appended.load());
    EXPECT_EQ(ReadAll(path_).find("KEEP-2"), std::string::npos);
  });
  appender.join();
  EXPECT_EQ(dropped, 1);
  ASSERT_TRUE(append_status.ok()) << append_status.ToString();
  EXPECT_EQ(ingest.reopened(), 1) << "the append did not meet the replaced file";
  const std::string after = ReadAll(path_);
  EXPECT_NE(after.find("KEEP-1"), std::string::npos) << after;
  EXPECT_NE(after.find("KEEP-2"), std::string::npos) << "the appended row was lost: " << after;
  EXPECT_EQ(after.find(kErased), std::string::npos) << after;
}

TEST_F(QuarantineRaceTest, AFileLeftWithItsHeaderOnlyIsRemovedAndAStartedAgainOnTheNextRow) {
  QuarantineFile ingest(path_);
  ASSERT_TRUE(ingest.Append("persons.csv", 2, 1, "bad date", std::string(kErased) + ",x").ok());
  EXPECT_EQ(Erase([] {}), 1);
  ASSERT_FALSE(std::filesystem::exists(path_)) << "a file of the header alone is deleted";
  ASSERT_TRUE(ingest.Append("persons.csv", 3, 1, "bad date", "KEEP-1,x").ok());
  EXPECT_EQ(ingest.reopened(), 1);
  EXPECT_EQ(ReadAll(path_), "file,line,column,rule,raw\npersons.csv,3,1,bad date,\"KEEP-1,x\"\n");
  EXPECT_EQ(std::filesystem::status(path_).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

}  // namespace
}  // namespace vigil::testing
