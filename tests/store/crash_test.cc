// Crash test of the SQLite store: a writer process (store_crash_writer) is
// killed with SIGKILL at random moments -- after a random delay, or just as a
// Commit starts -- 50 times; after each kill the store must open, pass
// CheckIntegrity, hold every file whose commit was reported with exactly its
// rows, and hold any other file only whole, never in part. Each kill is
// observed (support/transaction_probe.h): the writer is stopped and the test
// reads whether it holds the store's WAL write lock; most runs after a delay
// then hunt for a moment inside a write transaction (resume, stop, probe)
// before the kill. The test requires kills observed inside a write
// transaction and inside a COMMIT.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <thread>

#include "store/crash_workload.h"
#include "store/store_test_util.h"
#include "support/transaction_probe.h"
#include "vigil/store.h"

namespace vigil {
namespace {

constexpr int kRuns = 50;
constexpr int kRunsPerStore = 5;  // a fresh store every few runs keeps checks fast
constexpr int kMaxFilesPerRun = 12;
constexpr int kMinDelayMs = 5;
constexpr int kMaxDelayMs = 120;
constexpr int kMaxCommitDelayUs = 3'000;
constexpr int kHuntAttempts = 2000;
constexpr int kHuntIntervalUs = 500;
constexpr uint64_t kSeed = 0x5eed2024;

struct RunOutput {
  std::map<std::string, int64_t> committed;  // hash -> rows, as printed
  std::string text;
  std::string last_line;        // the last line the writer printed
  bool in_transaction = false;  // it held the WAL write lock when killed
};

// Reads one line from `fd` (unbuffered, so nothing is read past it).
bool ReadLine(int fd, std::string* line) {
  line->clear();
  char byte = 0;
  while (read(fd, &byte, 1) == 1) {
    if (byte == '\n') return true;
    *line += byte;
  }
  return !line->empty();
}

void Record(const std::string& line, RunOutput* out) {
  out->text += line + "\n";
  out->last_line = line;
  std::istringstream words(line);
  std::string verb, hash;
  int64_t rows = 0;
  if (words >> verb >> hash >> rows && verb == "committed") out->committed[hash] = rows;
}

// Runs the writer on `store_path` and kills it: when `commit_number` > 0,
// `delay_us` after it announces that commit; otherwise after `delay_us`.
// With `hunt`, after the delay it waits for a moment inside a write
// transaction (support/transaction_probe.h) before the kill.
RunOutput RunAndKill(const std::string& store_path, int run, int commit_number, int delay_us,
                     bool hunt) {
  int pipe_fds[2];
  EXPECT_EQ(pipe(pipe_fds), 0);
  const pid_t child = fork();
  if (child == 0) {
    dup2(pipe_fds[1], STDOUT_FILENO);
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    const std::string run_text = std::to_string(run);
    const std::string max_files = std::to_string(kMaxFilesPerRun);
    execl(VIGIL_CRASH_WRITER, VIGIL_CRASH_WRITER, store_path.c_str(), run_text.c_str(),
          max_files.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(pipe_fds[1]);
  RunOutput out;
  std::string line;
  if (commit_number > 0) {
    int seen = 0;
    while (seen < commit_number && ReadLine(pipe_fds[0], &line)) {
      Record(line, &out);
      if (line.rfind("committing ", 0) == 0) ++seen;
    }
  }
  std::this_thread::sleep_for(std::chrono::microseconds(delay_us));
  const testing_util::KillObservation observed =
      hunt ? testing_util::KillInsideTransaction(child, store_path, kHuntAttempts, kHuntIntervalUs)
           : testing_util::StopProbeAndKill(child, store_path);
  out.in_transaction = observed.in_transaction;
  const int wait_status = observed.exit_status;
  while (ReadLine(pipe_fds[0], &line)) Record(line, &out);  // lines printed before the kill
  close(pipe_fds[0]);
  EXPECT_TRUE(WIFSIGNALED(wait_status) || (WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0))
      << out.text;
  return out;
}

int64_t CountComms(Store& store, const std::string& src) {
  int64_t count = 0;
  CommQuery query;
  query.selectors = {src};
  EXPECT_TRUE(store.ScanComms(query, [&](const Communication&) { return ++count > 0; }).ok());
  return count;
}

// Checks the store after a kill. `printed` holds every commit reported so far
// on this store.
// Returns (through `unreported`) how many present files were never reported:
// commits that completed just before the kill, ahead of their print.
void CheckStore(const std::string& store_path, const std::map<std::string, int64_t>& printed,
                const std::string& context, int* unreported) {
  auto opened = OpenSqliteStore(store_path);
  ASSERT_TRUE(opened.ok()) << context << opened.status().ToString();
  Store& store = **opened;
  Status integrity = store.CheckIntegrity();
  ASSERT_TRUE(integrity.ok()) << context << integrity.ToString();

  auto files = store.IngestedFiles();
  ASSERT_TRUE(files.ok());
  std::map<std::string, int64_t> present;
  int64_t expected_comms = 0;
  int64_t expected_persons = 0;
  for (const IngestedFile& file : *files) {
    present[file.file.content_hash] = file.rows;
    int run = 0, index = 0;
    ASSERT_EQ(std::sscanf(file.file.path.c_str(), "/crash/%d/%d", &run, &index), 2);
    const crash::CrashFile expected = crash::FileFor(run, index);
    ASSERT_EQ(expected.hash, file.file.content_hash);
    // Whole, never partial: the log's rows and the data agree with the file.
    EXPECT_EQ(file.rows, expected.rows()) << context << expected.hash;
    EXPECT_EQ(CountComms(store, expected.src()), expected.comms) << context << expected.hash;
    EXPECT_TRUE(store.GetPerson(crash::PersonId(expected, expected.persons - 1)).ok());
    expected_comms += expected.comms;
    expected_persons += expected.persons;
  }
  for (const auto& [hash, rows] : present) {
    if (printed.count(hash) == 0) ++*unreported;
  }
  for (const auto& [hash, rows] : printed) {
    auto found = present.find(hash);
    ASSERT_NE(found, present.end()) << context << "committed file lost: " << hash;
    EXPECT_EQ(found->second, rows) << context << hash;
  }
  // Nothing of an uncommitted file is left behind.
  auto counts = store.Counts();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->comms, expected_comms) << context;
  EXPECT_EQ(counts->persons, expected_persons) << context;
  EXPECT_EQ(counts->files, static_cast<int64_t>(present.size())) << context;
}

TEST(StoreCrashTest, SigkillDuringIngestNeverLosesOrHalfAppliesAFile) {
  testing_util::ScratchDir dir;
  std::mt19937_64 random(kSeed);
  std::map<std::string, int64_t> printed;
  std::string store_path;
  int planned_at_commit = 0;
  int killed_in_transaction = 0;  // observed: held the WAL write lock
  int killed_in_commit = 0;       // observed: held it after printing "committing"
  int reported_commits = 0;
  int unreported_commits = 0;
  for (int run = 0; run < kRuns; ++run) {
    if (run % kRunsPerStore == 0) {
      store_path = dir.File("crash_" + std::to_string(run / kRunsPerStore) + ".db");
      printed.clear();
    }
    // Every third run dies just after announcing a commit (inside Commit,
    // before or after its fsync); the others after a random delay.
    const bool at_commit = run % 3 == 0;
    const int commit_number = at_commit ? 1 + static_cast<int>(random() % 3) : 0;
    const int delay_us =
        at_commit ? static_cast<int>(random() % kMaxCommitDelayUs)
                  : 1000 * (kMinDelayMs + static_cast<int>(random() % (kMaxDelayMs - kMinDelayMs)));
    // Of the runs after a delay, four in five hunt for a transaction; the
    // fifth dies wherever it is (opening the store, between files).
    const bool hunt = !at_commit && run % 5 != 4;
    RunOutput out = RunAndKill(store_path, run, commit_number, delay_us, hunt);
    planned_at_commit += at_commit ? 1 : 0;
    killed_in_transaction += out.in_transaction ? 1 : 0;
    killed_in_commit += out.in_transaction && out.last_line.rfind("committing ", 0) == 0 ? 1 : 0;
    printed.insert(out.committed.begin(), out.committed.end());
    reported_commits += static_cast<int>(out.committed.size());
    int unreported = 0;
    const std::string context = "run " + std::to_string(run) + " (delay " +
                                std::to_string(delay_us) + "us, commit " +
                                std::to_string(commit_number) + "): ";
    CheckStore(store_path, printed, context, &unreported);
    if (HasFatalFailure()) return;
    if (run % kRunsPerStore == kRunsPerStore - 1) unreported_commits += unreported;
  }
  std::printf(
      "%d runs (%d planned at a commit): %d killed inside a write transaction, %d of them inside "
      "COMMIT; %d commits reported, %d completed but unreported\n",
      kRuns, planned_at_commit, killed_in_transaction, killed_in_commit, reported_commits,
      unreported_commits);
  // Observed, not planned: the kills must have hit open transactions and commits.
  EXPECT_GE(killed_in_transaction, kRuns / 2);
  EXPECT_GT(killed_in_commit, 0);
}

}  // namespace
}  // namespace vigil
