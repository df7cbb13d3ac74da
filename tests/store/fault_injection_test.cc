// Reliability of the SQLite store under power loss and I/O faults, through a
// fault-injecting VFS (support/fault_vfs.h) beneath the real ingest path.
//
// Power loss: a workload ingests kFiles comms files into a fresh store; the
// power is cut at every sync point in turn (and once after the last one);
// every write not synced at that moment is dropped, the store is reopened,
// and every file whose ingest returned OK must be there, whole. At
// synchronous=FULL (the store's setting) no acknowledged commit may be lost;
// the same harness at synchronous=NORMAL must lose some, or it proves nothing.
//
// I/O faults: one file is ingested into a store holding another while the
// n-th write fails (SQLITE_IOERR once, or SQLITE_FULL from then on: a full
// disk), for every write of that ingest, and the n-th sync fails, for every
// sync. The ingest must return a clean IOError, or OK; the store reopened
// must pass integrity_check and hold the file whole when the ingest returned
// OK and not at all when it failed.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "store/sqlite/sqlite_handle.h"
#include "store/sqlite/sqlite_store.h"
#include "store/store_test_util.h"
#include "support/fault_vfs.h"
#include "vigil/ingest.h"
#include "vigil/store.h"

namespace vigil {
namespace {

using testing_util::FaultCounts;
using testing_util::FaultVfs;
using testing_util::WriteFault;

constexpr int kFiles = 6;
constexpr int kRowsPerFile = 400;
// Checkpoint often, so that checkpoints' syncs are among the sync points.
constexpr int kAutoCheckpointPages = 16;

struct Workload {
  std::vector<std::string> paths;
  std::map<std::string, int64_t> rows;  // path -> comms rows
};

Workload WriteWorkload(const testing_util::ScratchDir& dir) {
  Workload workload;
  for (int file = 0; file < kFiles; ++file) {
    const std::string folder = dir.File("in" + std::to_string(file));
    std::filesystem::create_directories(folder);
    const std::string path = folder + "/comms.csv";
    std::ofstream out(path);
    out << "time,src,dst,kind,duration_s\n";
    for (int row = 0; row < kRowsPerFile; ++row) {
      char line[128];
      std::snprintf(line, sizeof line,
                    "2024-02-%02dT%02d:%02d:00Z,msisdn:+4917%02d%06d,msisdn:+4930%07d,call,%d\n",
                    1 + row % 28, row % 24, row % 60, file, row, row % 97, row % 600);
      out << line;
    }
    workload.paths.push_back(path);
    workload.rows[path] = kRowsPerFile;
  }
  return workload;
}

void RemoveStore(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::filesystem::remove(path + suffix);
  }
}

Status Tune(Store& store, bool full_sync) {
  sqlite3* db = static_cast<sqlite::SqliteStore&>(store).db();
  VIGIL_RETURN_IF_ERROR(
      sqlite::Exec(db, full_sync ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL"));
  return sqlite::Exec(db, "PRAGMA wal_autocheckpoint = " + std::to_string(kAutoCheckpointPages));
}

// What a reopened store holds: path -> rows of each ingested file.
struct Found {
  bool opened = false;
  bool intact = false;
  std::map<std::string, int64_t> files;
  int64_t comms = 0;
};

Found Inspect(const std::string& store_path) {
  Found found;
  auto store = OpenSqliteStore(store_path);
  if (!store.ok()) {
    ADD_FAILURE() << "reopen: " << store.status().ToString();
    return found;
  }
  found.opened = true;
  Status integrity = (*store)->CheckIntegrity();
  EXPECT_TRUE(integrity.ok()) << integrity.ToString();
  found.intact = integrity.ok();
  auto files = (*store)->IngestedFiles();
  EXPECT_TRUE(files.ok());
  if (files.ok()) {
    for (const IngestedFile& file : *files) found.files[file.file.path] = file.rows;
  }
  auto counts = (*store)->Counts();
  EXPECT_TRUE(counts.ok());
  if (counts.ok()) found.comms = counts->comms;
  return found;
}

// Every file present holds exactly its rows and nothing else is there.
void ExpectWhole(const Found& found, const Workload& workload, const std::string& context) {
  int64_t expected = 0;
  for (const auto& [path, rows] : found.files) {
    auto known = workload.rows.find(path);
    ASSERT_NE(known, workload.rows.end()) << context << path;
    EXPECT_EQ(rows, known->second) << context << path;
    expected += known->second;
  }
  EXPECT_EQ(found.comms, expected) << context << "rows of a file not recorded as ingested remain";
}

struct PowerLossRun {
  int64_t syncs = 0;  // sync points reached
  int acknowledged = 0;
  int lost = 0;  // acknowledged but absent after the reboot
  int64_t dropped_writes = 0;
};

// Runs the workload on a fresh store; the power goes at sync point `cut_at`
// (0: after the workload, before the store closes).
PowerLossRun RunPowerLoss(const std::string& store_path, const Workload& workload, bool full_sync,
                          int64_t cut_at, const std::string& context) {
  FaultVfs& vfs = FaultVfs::Install();
  RemoveStore(store_path);
  vfs.Reset();
  if (cut_at > 0) vfs.ArmPowerLoss(cut_at);
  std::vector<std::string> acknowledged;
  PowerLossRun run;
  {
    auto store = OpenSqliteStore(store_path);
    if (store.ok() && Tune(**store, full_sync).ok()) {
      for (const std::string& path : workload.paths) {
        auto result = IngestFile(**store, path, IngestOptions{});
        if (!result.ok()) break;
        acknowledged.push_back(path);
      }
    }
    run.syncs = vfs.Counts().syncs;
    if (!vfs.PowerLost()) vfs.CutPower();  // before the close could checkpoint
  }
  run.dropped_writes = vfs.ApplyPowerLoss();
  vfs.Reset();
  const Found found = Inspect(store_path);
  EXPECT_TRUE(found.intact) << context;
  ExpectWhole(found, workload, context);
  run.acknowledged = static_cast<int>(acknowledged.size());
  for (const std::string& path : acknowledged) run.lost += found.files.count(path) == 0 ? 1 : 0;
  return run;
}

struct PowerLossCampaign {
  int64_t cut_points = 0;
  int64_t acknowledged = 0;
  int64_t lost = 0;
  int64_t runs_with_loss = 0;
  int64_t dropped_writes = 0;
};

PowerLossCampaign PowerLossAtEverySyncPoint(bool full_sync) {
  testing_util::ScratchDir dir;
  const Workload workload = WriteWorkload(dir);
  const std::string store_path = dir.File("power.db");
  // A run with the power cut only at the end counts the sync points.
  const PowerLossRun last = RunPowerLoss(store_path, workload, full_sync, 0, "end: ");
  EXPECT_EQ(last.acknowledged, kFiles);
  PowerLossCampaign campaign;
  auto add = [&](const PowerLossRun& run) {
    ++campaign.cut_points;
    campaign.acknowledged += run.acknowledged;
    campaign.lost += run.lost;
    campaign.runs_with_loss += run.lost > 0 ? 1 : 0;
    campaign.dropped_writes += run.dropped_writes;
  };
  add(last);
  for (int64_t cut = 1; cut <= last.syncs; ++cut) {
    const std::string context = "power lost at sync " + std::to_string(cut) + ": ";
    add(RunPowerLoss(store_path, workload, full_sync, cut, context));
    if (::testing::Test::HasFatalFailure()) break;
  }
  return campaign;
}

void Print(const char* mode, const PowerLossCampaign& campaign) {
  std::printf(
      "synchronous=%s: %lld power cuts (every sync point and the end), %lld acknowledged "
      "commits, %lld lost in %lld runs, %lld unsynced writes dropped\n",
      mode, static_cast<long long>(campaign.cut_points),
      static_cast<long long>(campaign.acknowledged), static_cast<long long>(campaign.lost),
      static_cast<long long>(campaign.runs_with_loss),
      static_cast<long long>(campaign.dropped_writes));
}

TEST(PowerLossTest, FullSyncLosesNoAcknowledgedCommitAtAnySyncPoint) {
  const PowerLossCampaign campaign = PowerLossAtEverySyncPoint(/*full_sync=*/true);
  Print("FULL", campaign);
  EXPECT_GT(campaign.cut_points, kFiles);  // at least one sync per commit
  EXPECT_GT(campaign.dropped_writes, 0);   // the cuts did drop writes
  EXPECT_EQ(campaign.lost, 0);
}

// The control: the same harness must catch the loss that synchronous=NORMAL
// allows in WAL mode (commits are not synced until a checkpoint).
TEST(PowerLossTest, NormalSyncControlLosesAcknowledgedCommits) {
  const PowerLossCampaign campaign = PowerLossAtEverySyncPoint(/*full_sync=*/false);
  Print("NORMAL", campaign);
  EXPECT_GT(campaign.lost, 0);
}

// ---- I/O errors and a full disk -------------------------------------------

struct FaultRun {
  bool ingest_ok = false;
  bool present = false;
};

class IoFaultTest : public ::testing::Test {
 protected:
  void SetUp() override {
    workload_ = WriteWorkload(dir_);
    baseline_ = dir_.File("baseline.db");
    store_path_ = dir_.File("faulty.db");
    FaultVfs::Install().Reset();
    auto store = OpenSqliteStore(baseline_);
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE(IngestFile(**store, workload_.paths[0], IngestOptions{}).ok());
  }  // closed: checkpointed into the one file

  // A copy of the baseline store, then `arm` faults and ingest paths[1].
  FaultRun Run(const std::function<void(FaultVfs&)>& arm, const std::string& context) {
    FaultVfs& vfs = FaultVfs::Install();
    RemoveStore(store_path_);
    std::filesystem::copy_file(baseline_, store_path_);
    FaultRun run;
    {
      vfs.Reset();
      auto store = OpenSqliteStore(store_path_);
      EXPECT_TRUE(store.ok()) << context;
      if (!store.ok()) return run;
      EXPECT_TRUE(Tune(**store, true).ok());
      vfs.Reset();
      arm(vfs);
      auto result = IngestFile(**store, workload_.paths[1], IngestOptions{});
      run.ingest_ok = result.ok();
      if (!result.ok()) {
        const Status status = result.status();
        EXPECT_EQ(status.code(), Status::Code::kIOError) << context << status.ToString();
        const std::string message = status.ToString();
        EXPECT_TRUE(message.find("disk I/O error") != std::string::npos ||
                    message.find("disk is full") != std::string::npos)
            << context << message;
      }
    }  // closed (its checkpoint's writes count too), perhaps still with the fault armed
    last_counts_ = vfs.Counts();
    vfs.Reset();  // the disk works again
    const Found found = Inspect(store_path_);
    EXPECT_TRUE(found.intact) << context;
    ExpectWhole(found, workload_, context);
    EXPECT_EQ(found.files.count(workload_.paths[0]), 1u) << context << "an earlier file was lost";
    run.present = found.files.count(workload_.paths[1]) == 1;
    EXPECT_EQ(run.present, run.ingest_ok)
        << context << (run.ingest_ok ? "acknowledged file lost" : "failed ingest left its file");
    return run;
  }

  testing_util::ScratchDir dir_;
  Workload workload_;
  std::string baseline_;
  std::string store_path_;
  FaultCounts last_counts_;
};

TEST_F(IoFaultTest, EveryWriteFailingGivesACleanErrorAndAnIntactStore) {
  Run([](FaultVfs&) {}, "clean: ");
  const FaultCounts clean = last_counts_;
  ASSERT_GT(clean.writes, 0);
  ASSERT_GT(clean.syncs, 0);
  int64_t points = 0, failed = 0, tolerated = 0;
  for (const WriteFault fault : {WriteFault::kIoError, WriteFault::kDiskFull}) {
    const char* name = fault == WriteFault::kIoError ? "I/O error" : "disk full";
    for (int64_t write = 1; write <= clean.writes; ++write) {
      const std::string context = std::string(name) + " at write " + std::to_string(write) + ": ";
      const FaultRun run = Run([&](FaultVfs& vfs) { vfs.ArmWriteFault(write, fault); }, context);
      EXPECT_GE(last_counts_.faults, 1) << context << "no fault was injected";
      ++points;
      (run.ingest_ok ? tolerated : failed) += 1;
      if (HasFailure()) return;
    }
  }
  for (int64_t sync = 1; sync <= clean.syncs; ++sync) {
    const std::string context = "sync fault at sync " + std::to_string(sync) + ": ";
    const FaultRun run = Run([&](FaultVfs& vfs) { vfs.ArmSyncFault(sync); }, context);
    EXPECT_GE(last_counts_.faults, 1) << context << "no fault was injected";
    ++points;
    (run.ingest_ok ? tolerated : failed) += 1;
    if (HasFailure()) return;
  }
  std::printf(
      "%lld writes and %lld syncs in one ingest; %lld fault points (I/O error and disk "
      "full at every write, I/O error at every sync): %lld clean errors, %lld absorbed "
      "by SQLite with the file committed whole\n",
      static_cast<long long>(clean.writes), static_cast<long long>(clean.syncs),
      static_cast<long long>(points), static_cast<long long>(failed),
      static_cast<long long>(tolerated));
  EXPECT_GT(failed, 0);
}

}  // namespace
}  // namespace vigil
