// The audit chain against an attacker who edits the SQLite file directly:
// changed, removed, inserted and reordered records, a truncated tail, and a
// chain rewritten and re-signed with another key are all found, and named.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fstream>

#include "access/audit_chain.h"
#include "access/oversight_world.h"

namespace vigil::testing {
namespace {

class AuditChainTest : public ::testing::Test {
 protected:
  AuditChainTest() : world_("audit", {"CT-A", "CT-B"}, 3) {}

  void SetUp() override {
    world_.ActAs(MakePrincipal("ana", Role::kAnalyst, {"CT-A"}), "op-lantern");
    // 40 reads (20 shown, 20 refused), then a checkpoint exported by an admin.
    for (int round = 0; round < 10; ++round) {
      for (const char* id : {"CT-A-0", "CT-A-1", "CT-B-0", "CT-B-1"}) {
        world_.store().GetPerson(id);
      }
      world_.clock().Advance(60);
    }
    ASSERT_TRUE(world_.oversight().FlushReads().ok());
    admin_ = world_.Context(MakePrincipal("root", Role::kAdmin, {}));
    auto checkpoint = world_.oversight().Checkpoint(admin_);
    ASSERT_TRUE(checkpoint.ok()) << checkpoint.status().ToString();
    exported_ = *checkpoint;
    // A few more records after the checkpoint.
    for (int i = 0; i < 5; ++i) world_.store().GetPerson("CT-A-2");
    ASSERT_TRUE(world_.oversight().FlushReads().ok());
    Open();
  }

  void TearDown() override { sqlite3_close(attacker_); }

  // The attacker's own connection to the file, with the append-only
  // triggers dropped.
  void Open() {
    ASSERT_EQ(sqlite3_open(world_.path().c_str(), &attacker_), SQLITE_OK);
    for (const char* trigger : {"audit_log_no_update", "audit_log_no_delete",
                                "audit_subjects_no_update", "audit_subjects_no_delete"}) {
      Exec(std::string("DROP TRIGGER IF EXISTS ") + trigger);
    }
  }
  void Exec(const std::string& sql) {
    char* error = nullptr;
    ASSERT_EQ(sqlite3_exec(attacker_, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK)
        << sql << ": " << (error ? error : "");
  }
  int64_t Int(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(attacker_, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK);
    EXPECT_EQ(sqlite3_step(stmt), SQLITE_ROW);
    const int64_t value = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    return value;
  }

  AuditVerifyReport Verify(bool with_external) {
    auto report = world_.oversight().VerifyAudit(
        admin_, with_external ? std::optional<AuditCheckpoint>(exported_) : std::nullopt);
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    return report.ok() ? *report : AuditVerifyReport{};
  }
  static std::string All(const AuditVerifyReport& report) {
    std::string out;
    for (const auto& p : report.problems) out += p + "\n";
    return out;
  }

  // Rewrites every record's hash from `from` on, as an attacker who knows
  // the hash function would.
  void Rehash(int64_t from) {
    sqlite3_stmt* stmt = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(attacker_,
                                 "SELECT seq, time, user, action, object, outcome, purpose, "
                                 "params FROM audit_log WHERE seq >= ?1 ORDER BY seq",
                                 -1, &stmt, nullptr),
              SQLITE_OK);
    sqlite3_bind_int64(stmt, 1, from);
    std::string prev = from == 1 ? access::kGenesisHash : "";
    if (prev.empty()) {
      sqlite3_stmt* p = nullptr;
      sqlite3_prepare_v2(attacker_, "SELECT hash FROM audit_log WHERE seq = ?1", -1, &p, nullptr);
      sqlite3_bind_int64(p, 1, from - 1);
      EXPECT_EQ(sqlite3_step(p), SQLITE_ROW);
      prev = reinterpret_cast<const char*>(sqlite3_column_text(p, 0));
      sqlite3_finalize(p);
    }
    std::vector<std::pair<int64_t, std::string>> updates;
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      AuditRecord r;
      r.seq = sqlite3_column_int64(stmt, 0);
      r.time = sqlite3_column_int64(stmt, 1);
      r.user = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 2));
      r.action = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 3));
      r.object = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 4));
      r.refused = sqlite3_column_int64(stmt, 5) != 0;
      r.purpose = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 6));
      r.params = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 7));
      sqlite3_stmt* s = nullptr;
      sqlite3_prepare_v2(attacker_,
                         "SELECT person_id FROM audit_subjects WHERE seq = ?1 ORDER BY person_id",
                         -1, &s, nullptr);
      sqlite3_bind_int64(s, 1, r.seq);
      while (sqlite3_step(s) == SQLITE_ROW) {
        r.subjects.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)));
      }
      sqlite3_finalize(s);
      prev = access::ChainHash(prev, r);
      updates.emplace_back(r.seq, prev);
    }
    sqlite3_finalize(stmt);
    for (const auto& [seq, hash] : updates) {
      Exec("UPDATE audit_log SET hash = '" + hash + "' WHERE seq = " + std::to_string(seq));
    }
  }

  OversightWorld world_;
  RequestContext admin_;
  AuditCheckpoint exported_;
  sqlite3* attacker_ = nullptr;
};

TEST_F(AuditChainTest, IntactChainVerifies) {
  const AuditVerifyReport report = Verify(/*with_external=*/true);
  EXPECT_TRUE(report.ok()) << All(report);
  EXPECT_GE(report.records, 46);
  EXPECT_GE(report.checkpoints, 1);
}

TEST(AuditLog, IsAppendOnlyThroughSql) {
  OversightWorld fresh("append-only", {"CT-A"}, 1);
  fresh.store().GetPerson("CT-A-0");
  ASSERT_TRUE(fresh.oversight().FlushReads().ok());
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(fresh.path().c_str(), &db), SQLITE_OK);
  char* error = nullptr;
  EXPECT_NE(sqlite3_exec(db, "UPDATE audit_log SET purpose = 'x'", nullptr, nullptr, &error),
            SQLITE_OK);
  EXPECT_NE(std::string(error ? error : "").find("append-only"), std::string::npos);
  sqlite3_free(error);
  EXPECT_NE(sqlite3_exec(db, "DELETE FROM audit_log", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
}

TEST_F(AuditChainTest, ChangedRecordIsFound) {
  Exec("UPDATE audit_log SET purpose = 'routine' WHERE seq = 10");
  const AuditVerifyReport report = Verify(false);
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.problems[0].find("record 10:"), std::string::npos) << All(report);
}

TEST_F(AuditChainTest, ChangedSubjectIsFound) {
  const int64_t seq = Int("SELECT min(seq) FROM audit_subjects WHERE person_id = 'CT-A-1'");
  Exec("UPDATE audit_subjects SET person_id = 'CT-A-0' WHERE seq = " + std::to_string(seq));
  const AuditVerifyReport report = Verify(false);
  ASSERT_FALSE(report.ok());
  EXPECT_NE(All(report).find("record " + std::to_string(seq) + ":"), std::string::npos)
      << All(report);
}

TEST_F(AuditChainTest, RemovedRecordIsFound) {
  Exec("DELETE FROM audit_subjects WHERE seq = 12");
  Exec("DELETE FROM audit_log WHERE seq = 12");
  const AuditVerifyReport report = Verify(false);
  ASSERT_FALSE(report.ok());
  EXPECT_NE(All(report).find("records 12..12 are missing"), std::string::npos) << All(report);
}

TEST_F(AuditChainTest, InsertedRecordIsFound) {
  // Make room at seq 8 and forge a record there that chains to record 7.
  Exec("UPDATE audit_subjects SET seq = -seq WHERE seq >= 8");
  Exec("UPDATE audit_subjects SET seq = -seq + 1 WHERE seq < 0");
  Exec("UPDATE audit_log SET seq = -seq WHERE seq >= 8");
  Exec("UPDATE audit_log SET seq = -seq + 1 WHERE seq < 0");
  AuditRecord forged;
  forged.seq = 8;
  forged.time = kStart;
  forged.user = "ana";
  forged.action = "read_person";
  forged.object = "person:CT-A-0";
  forged.purpose = "cover story";
  sqlite3_stmt* p = nullptr;
  sqlite3_prepare_v2(attacker_, "SELECT hash FROM audit_log WHERE seq = 7", -1, &p, nullptr);
  ASSERT_EQ(sqlite3_step(p), SQLITE_ROW);
  const std::string prev = reinterpret_cast<const char*>(sqlite3_column_text(p, 0));
  sqlite3_finalize(p);
  Exec("INSERT INTO audit_log VALUES (8, " + std::to_string(forged.time) +
       ", 'ana', 'read_person', 'person:CT-A-0', 0, 'cover story', '', '" +
       access::ChainHash(prev, forged) + "')");
  const AuditVerifyReport report = Verify(false);
  ASSERT_FALSE(report.ok());
  // Record 8 chains; record 9 (the old 8) no longer does.
  EXPECT_NE(report.problems[0].find("record 9:"), std::string::npos) << All(report);
}

TEST_F(AuditChainTest, ReorderedRecordsAreFound) {
  Exec("UPDATE audit_subjects SET seq = -seq WHERE seq IN (20, 21)");
  Exec("UPDATE audit_subjects SET seq = CASE seq WHEN -20 THEN 21 ELSE 20 END WHERE seq < 0");
  Exec("UPDATE audit_log SET seq = -seq WHERE seq IN (20, 21)");
  Exec("UPDATE audit_log SET seq = CASE seq WHEN -20 THEN 21 ELSE 20 END WHERE seq < 0");
  const AuditVerifyReport report = Verify(false);
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.problems[0].find("record 20:"), std::string::npos) << All(report);
}

TEST_F(AuditChainTest, TruncatedTailIsFound) {
  // The attacker cuts the log before the checkpoint and removes the stored
  // checkpoints too: only the exported one can tell.
  const int64_t cut = exported_.seq - 3;
  Exec("DELETE FROM audit_subjects WHERE seq > " + std::to_string(cut));
  Exec("DELETE FROM audit_log WHERE seq > " + std::to_string(cut));
  Exec("DELETE FROM audit_checkpoints");
  EXPECT_TRUE(Verify(false).ok()) << "without a checkpoint a clean cut is invisible";
  const AuditVerifyReport report = Verify(true);
  ASSERT_FALSE(report.ok());
  EXPECT_NE(All(report).find("truncated tail"), std::string::npos) << All(report);
  EXPECT_NE(All(report).find("covers record " + std::to_string(exported_.seq)), std::string::npos);
}

TEST_F(AuditChainTest, TruncatedTailIsFoundByStoredCheckpoint) {
  const int64_t cut = exported_.seq - 2;
  Exec("DELETE FROM audit_subjects WHERE seq > " + std::to_string(cut));
  Exec("DELETE FROM audit_log WHERE seq > " + std::to_string(cut));
  const AuditVerifyReport report = Verify(false);
  ASSERT_FALSE(report.ok());
  EXPECT_NE(All(report).find("truncated tail"), std::string::npos) << All(report);
}

TEST_F(AuditChainTest, ChainResignedWithAnotherKeyIsFound) {
  // Rewrite record 5, recompute every hash after it, and re-sign every
  // checkpoint with the attacker's key: the chain itself is consistent.
  Exec("UPDATE audit_log SET purpose = 'routine' WHERE seq = 5");
  Rehash(5);
  const access::Signer attacker = access::Signer::FromSeed({7});
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(attacker_,
                     "SELECT c.seq, l.hash FROM audit_checkpoints c JOIN audit_log l "
                     "ON l.seq = c.seq",
                     -1, &stmt, nullptr);
  std::vector<AuditCheckpoint> resigned;
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    resigned.push_back(attacker.Sign(sqlite3_column_int64(stmt, 0),
                                     reinterpret_cast<const char*>(sqlite3_column_text(stmt, 1)),
                                     kStart));
  }
  sqlite3_finalize(stmt);
  ASSERT_FALSE(resigned.empty());
  Exec("DELETE FROM audit_checkpoints");
  for (const AuditCheckpoint& c : resigned) {
    Exec("INSERT INTO audit_checkpoints VALUES (" + std::to_string(c.seq) + ", '" + c.hash + "', " +
         std::to_string(c.signed_at) + ", '" + c.public_key + "', '" + c.signature + "')");
  }
  // The exported checkpoint (real key) and the configured key both catch it.
  const AuditVerifyReport report = Verify(true);
  ASSERT_FALSE(report.ok());
  const std::string all = All(report);
  EXPECT_NE(all.find("re-signed with another key"), std::string::npos) << all;
  EXPECT_NE(all.find("no longer has the signed hash"), std::string::npos) << all;
}

TEST_F(AuditChainTest, CheckpointFileRoundTripsAndRejectsTampering) {
  const std::string text = FormatCheckpointFile(exported_);
  auto parsed = ParseCheckpointFile(text, "cp.txt");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->hash, exported_.hash);
  EXPECT_TRUE(access::SignatureValid(*parsed));
  AuditCheckpoint forged = *parsed;
  forged.seq -= 1;
  EXPECT_FALSE(access::SignatureValid(forged));
  auto bad = ParseCheckpointFile("vigil-audit-checkpoint-v1\nseq=x\n", "cp.txt");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message().substr(0, 11), "cp.txt:2:5:");
}

TEST_F(AuditChainTest, LogHoldsIdsNotPersonalContent) {
  // Names never enter the log; free-text parameters are hashed.
  EXPECT_EQ(Int("SELECT count(*) FROM audit_log WHERE params LIKE '%Person %' OR "
                "object LIKE '%Person %'"),
            0);
  EXPECT_GT(Int("SELECT count(*) FROM audit_subjects WHERE person_id = 'CT-A-0'"), 0);
}

}  // namespace
}  // namespace vigil::testing
