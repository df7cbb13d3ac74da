// The audit chain against an attacker who edits the SQLite file directly
// (every append-only trigger dropped) but holds neither the audit key nor
// the witness: changed, removed, inserted and reordered records, a record
// appended with a correctly computed hash, a truncated tail (also after the
// last checkpoint), deleted checkpoints, a changed meta value and a chain
// rewritten and re-signed with another key are all found, and named.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "access/audit_chain.h"
#include "access/oversight_world.h"
#include "store/sqlite/schema.h"
#include "store/sqlite/sqlite_handle.h"

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
                                "audit_subjects_no_update", "audit_subjects_no_delete",
                                "audit_checkpoints_no_update", "audit_checkpoints_no_delete"}) {
      Exec(std::string("DROP TRIGGER IF EXISTS ") + trigger);
    }
  }
  void Exec(const std::string& sql) {
    char* error = nullptr;
    ASSERT_EQ(sqlite3_exec(attacker_, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK)
        << sql << ": " << (error ? error : "");
  }
  std::string Text(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(attacker_, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK);
    EXPECT_EQ(sqlite3_step(stmt), SQLITE_ROW) << sql;
    const auto* text = sqlite3_column_text(stmt, 0);
    std::string value = text != nullptr ? reinterpret_cast<const char*>(text) : "";
    sqlite3_finalize(stmt);
    return value;
  }
  std::string PseudonymOf(const std::string& person) {
    return Text("SELECT pseudonym FROM audit_pseudonyms WHERE ident = 'person:" + person + "'");
  }
  // Appends a record after the last one, with the hash computed exactly as
  // Vigil computes it, and `mac` (NULL: none).
  void AppendForged(const std::string& mac_sql) {
    const int64_t last = Int("SELECT max(seq) FROM audit_log");
    AuditRecord forged;
    forged.seq = last + 1;
    forged.time = kStart + 100'000;
    forged.user = "ana";
    forged.action = "read_person";
    forged.object = "person:" + PseudonymOf("CT-A-0");
    forged.purpose = "cover story";
    const std::string prev = Text("SELECT hash FROM audit_log WHERE seq = " + std::to_string(last));
    Exec("INSERT INTO audit_log VALUES (" + std::to_string(forged.seq) + ", " +
         std::to_string(forged.time) + ", 'ana', 'read_person', '" + forged.object +
         "', 0, 'cover story', '', '" + access::ChainHash(prev, forged) + "', " + mac_sql + ")");
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
  const int64_t seq =
      Int("SELECT min(seq) FROM audit_subjects WHERE person_id = '" + PseudonymOf("CT-A-1") + "'");
  Exec("UPDATE audit_subjects SET person_id = '" + PseudonymOf("CT-A-0") +
       "' WHERE seq = " + std::to_string(seq));
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
       access::ChainHash(prev, forged) + "', NULL)");
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
  // checkpoints too: the witness and the exported checkpoint both tell.
  const int64_t cut = exported_.seq - 3;
  Exec("DELETE FROM audit_subjects WHERE seq > " + std::to_string(cut));
  Exec("DELETE FROM audit_log WHERE seq > " + std::to_string(cut));
  Exec("DELETE FROM audit_checkpoints");
  const AuditVerifyReport by_witness = Verify(false);
  ASSERT_FALSE(by_witness.ok());
  EXPECT_NE(All(by_witness).find("the witness's last head"), std::string::npos) << All(by_witness);
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
                                     kStart, /*mac_from=*/0));
  }
  sqlite3_finalize(stmt);
  ASSERT_FALSE(resigned.empty());
  Exec("DELETE FROM audit_checkpoints");
  for (const AuditCheckpoint& c : resigned) {
    Exec("INSERT INTO audit_checkpoints VALUES (" + std::to_string(c.seq) + ", '" + c.hash + "', " +
         std::to_string(c.signed_at) + ", '" + c.public_key + "', '" + c.signature + "', NULL)");
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

TEST_F(AuditChainTest, LogHoldsPseudonymsNotIdentifiers) {
  // Names never enter the log, and person ids only as keyed pseudonyms.
  EXPECT_EQ(Int("SELECT count(*) FROM audit_log WHERE params LIKE '%Person %' OR "
                "object LIKE '%Person %'"),
            0);
  EXPECT_EQ(Int("SELECT count(*) FROM audit_log WHERE object LIKE '%CT-A-0%' OR "
                "params LIKE '%CT-A-0%'"),
            0);
  EXPECT_EQ(Int("SELECT count(*) FROM audit_subjects WHERE person_id = 'CT-A-0'"), 0);
  const std::string pseudonym = PseudonymOf("CT-A-0");
  ASSERT_EQ(pseudonym.size(), 33u);
  EXPECT_GT(Int("SELECT count(*) FROM audit_subjects WHERE person_id = '" + pseudonym + "'"), 0);
  // The auditor still reads the id while the person exists.
  AuditQuery q;
  q.subject = "CT-A-0";
  auto records =
      world_.oversight().QueryAudit(world_.Context(MakePrincipal("aud", Role::kAuditor, {})), q);
  ASSERT_TRUE(records.ok());
  ASSERT_FALSE(records->empty());
  EXPECT_EQ(records->front().object, "person:CT-A-0");
}

// ---- Attacks that need the audit key or the witness to pass --------------------

TEST_F(AuditChainTest, RecordAppendedWithCorrectHashButNoMacIsFound) {
  ASSERT_TRUE(Verify(true).ok()) << All(Verify(true));
  AppendForged("NULL");
  const int64_t forged = Int("SELECT max(seq) FROM audit_log");
  const AuditVerifyReport report = Verify(true);
  ASSERT_FALSE(report.ok());
  EXPECT_NE(All(report).find("record " + std::to_string(forged) + ": no valid MAC"),
            std::string::npos)
      << All(report);
}

TEST_F(AuditChainTest, RecordAppendedWithAGuessedMacIsFound) {
  AppendForged("'" + std::string(64, 'a') + "'");
  const AuditVerifyReport report = Verify(false);
  ASSERT_FALSE(report.ok());
  EXPECT_NE(All(report).find("no valid MAC"), std::string::npos) << All(report);
}

TEST_F(AuditChainTest, EditedAndRehashedRecordIsFoundByItsMac) {
  // The attacker edits record 5 and recomputes every later hash: the chain
  // is consistent again, but no MAC from record 5 on matches.
  Exec("UPDATE audit_log SET purpose = 'routine' WHERE seq = 5");
  Rehash(5);
  const AuditVerifyReport report = Verify(false);
  ASSERT_FALSE(report.ok());
  EXPECT_NE(All(report).find("records 5.."), std::string::npos) << All(report);
  EXPECT_NE(All(report).find("no valid MAC"), std::string::npos) << All(report);
}

TEST_F(AuditChainTest, TailCutAfterTheLastCheckpointIsFoundThroughTheWitness) {
  // Stored checkpoints stay valid: the cut is past the last of them.
  const int64_t last = Int("SELECT max(seq) FROM audit_log");
  const int64_t last_checkpoint = Int("SELECT max(seq) FROM audit_checkpoints");
  ASSERT_GT(last, last_checkpoint + 2);
  Exec("DELETE FROM audit_subjects WHERE seq > " + std::to_string(last - 2));
  Exec("DELETE FROM audit_log WHERE seq > " + std::to_string(last - 2));
  const AuditVerifyReport report = Verify(false);
  ASSERT_FALSE(report.ok());
  EXPECT_NE(All(report).find("truncated tail: the witness's last head covers record " +
                             std::to_string(last)),
            std::string::npos)
      << All(report);
}

TEST_F(AuditChainTest, DeletedCheckpointIsFound) {
  // The checkpoint an admin signed is published to the witness.
  Exec("DELETE FROM audit_checkpoints WHERE seq = " + std::to_string(exported_.seq));
  const AuditVerifyReport report = Verify(false);
  ASSERT_FALSE(report.ok());
  EXPECT_NE(All(report).find("published to the witness is missing from the store"),
            std::string::npos)
      << All(report);
}

TEST(AuditCheckpoints, DeletedAutomaticCheckpointIsFoundWithoutTheWitness) {
  OversightWorld world("auto-checkpoint", {"CT-A"}, 1);  // a checkpoint every 500 records
  for (int i = 0; i < 520; ++i) world.store().GetPerson("CT-A-0");
  ASSERT_TRUE(world.oversight().FlushReads().ok());
  const RequestContext admin = world.Context(MakePrincipal("root", Role::kAdmin, {}));
  auto clean = world.oversight().VerifyAudit(admin, std::nullopt);
  ASSERT_TRUE(clean.ok());
  ASSERT_TRUE(clean->ok()) << clean->problems.front();
  std::filesystem::remove(world.key_path() + ".witness");  // only the store can tell
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(world.path().c_str(), &db), SQLITE_OK);
  // With the trigger in place the table refuses.
  EXPECT_NE(
      sqlite3_exec(db, "DELETE FROM audit_checkpoints WHERE seq = 500", nullptr, nullptr, nullptr),
      SQLITE_OK);
  EXPECT_NE(sqlite3_exec(db, "UPDATE audit_checkpoints SET seq = 501 WHERE seq = 500", nullptr,
                         nullptr, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "DROP TRIGGER audit_checkpoints_no_delete; "
                         "DELETE FROM audit_checkpoints WHERE seq = 500",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  auto report = world.oversight().VerifyAudit(admin, std::nullopt);
  ASSERT_TRUE(report.ok());
  ASSERT_FALSE(report->ok());
  EXPECT_EQ(report->problems.front(),
            "the automatic checkpoint at record 500 is missing (deleted)");
}

TEST_F(AuditChainTest, RaisingMacFromToStripMacsIsFound) {
  // Declaring every record older than the MACs (meta audit_mac_from) so that
  // none is checked: the witness and the signed checkpoints name the real value.
  Exec("UPDATE meta SET value = '100000' WHERE key = 'audit_mac_from'");
  AppendForged("NULL");
  const AuditVerifyReport report = Verify(false);
  ASSERT_FALSE(report.ok());
  EXPECT_NE(All(report).find("meta 'audit_mac_from' was changed"), std::string::npos)
      << All(report);
}

TEST_F(AuditChainTest, WitnessAlteredIsFound) {
  // Even one who could write the witness cannot forge its heads.
  std::ofstream(world_.key_path() + ".witness", std::ios::app)
      << "head seq=999 hash=" << std::string(64, '0') << " mac_from=1 mac=" << std::string(64, 'b')
      << "\n";
  const AuditVerifyReport report = Verify(false);
  ASSERT_FALSE(report.ok());
  EXPECT_NE(All(report).find("its MAC is not valid"), std::string::npos) << All(report);
}

TEST(AuditKey, RefusesAKeyOthersCanReadOrReplace) {
  const std::string dir = TempDir("audit-key-rule");
  const std::string key = dir + "/audit.key";
  ASSERT_TRUE(access::Signer::LoadOrCreate(key, "").ok());
  struct stat st {};
  ASSERT_EQ(::stat(key.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(::chmod(key.c_str(), 0644), 0);
  auto readable = access::Signer::LoadOrCreate(key, "");
  ASSERT_FALSE(readable.ok());
  EXPECT_EQ(readable.status().code(), Status::Code::kPermissionDenied);
  EXPECT_NE(readable.status().message().find("chmod 600"), std::string::npos);
  ASSERT_EQ(::chmod(key.c_str(), 0600), 0);
  ASSERT_EQ(::chmod(dir.c_str(), 0777), 0);
  auto replaceable = access::Signer::LoadOrCreate(key, "");
  ASSERT_FALSE(replaceable.ok());
  EXPECT_NE(replaceable.status().message().find("directory is writable"), std::string::npos);
  ASSERT_EQ(::chmod(dir.c_str(), 0755), 0);
  EXPECT_TRUE(access::Signer::LoadOrCreate(key, "").ok());
  std::filesystem::remove_all(dir);
}

TEST(AuditLogin, FailedLoginNamesAreKeyedPseudonyms) {
  OversightWorld world("login-names", {"CT-A"}, 1);
  const std::string typed = "Correct-Horse-Battery-9";  // a password typed as the name
  EXPECT_FALSE(world.oversight().Authenticate(typed, "whatever").ok());
  ASSERT_TRUE(world.oversight().FlushReads().ok());
  std::ifstream in(world.path(), std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::ifstream wal(world.path() + "-wal", std::ios::binary);
  bytes.append((std::istreambuf_iterator<char>(wal)), std::istreambuf_iterator<char>());
  EXPECT_EQ(bytes.find(typed), std::string::npos) << "the typed name is in the store's bytes";
  auto signer = access::Signer::LoadOrCreate(world.key_path(), "");
  ASSERT_TRUE(signer.ok());
  AuditQuery q;
  q.user = "unknown:" + signer->LoginPseudonym(typed);
  auto records =
      world.oversight().QueryAudit(world.Context(MakePrincipal("aud", Role::kAuditor, {})), q);
  ASSERT_TRUE(records.ok());
  ASSERT_EQ(records->size(), 1u) << "the key holder can still tell which name failed";
  EXPECT_EQ(records->front().action, "authenticate");
  EXPECT_TRUE(records->front().refused);
}

// A store written before schema 9 (no MACs, clear ids, v1 checkpoints)
// keeps working: its old records verify by their chain and checkpoint,
// records from the upgrade on carry MACs, and a person's old records are
// still found by id.
TEST(AuditMigration, Version8LogVerifiesAndGainsMacs) {
  const std::string dir = TempDir("audit-v8");
  const std::string path = dir + "/v8.db";
  const std::string key = dir + "/audit.key";
  auto signer = access::Signer::LoadOrCreate(key, "");
  ASSERT_TRUE(signer.ok());
  {
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
    sqlite::DbPtr db(raw);
    for (const sqlite::Migration& migration : sqlite::Migrations()) {
      if (migration.version > 8) continue;
      ASSERT_TRUE(sqlite::Exec(db.get(), migration.sql).ok()) << migration.version;
    }
    ASSERT_TRUE(sqlite::Exec(db.get(), "PRAGMA user_version = 8; PRAGMA application_id = " +
                                           std::to_string(sqlite::kApplicationId))
                    .ok());
    ASSERT_TRUE(
        sqlite::Exec(db.get(), "INSERT INTO persons(person_id, name, status) VALUES ('P1', 'A', 1)")
            .ok());
    std::string prev = access::kGenesisHash;
    for (int64_t seq = 1; seq <= 3; ++seq) {
      AuditRecord r;
      r.seq = seq;
      r.time = kStart + seq;
      r.user = "ana";
      r.action = "read_person";
      r.object = "person:P1";
      r.purpose = "old";
      r.subjects = {"P1"};
      prev = access::ChainHash(prev, r);
      ASSERT_TRUE(
          sqlite::Exec(db.get(), "INSERT INTO audit_log VALUES (" + std::to_string(seq) + ", " +
                                     std::to_string(r.time) +
                                     ", 'ana', 'read_person', 'person:P1', 0, 'old', '', '" + prev +
                                     "'); INSERT INTO audit_subjects VALUES (" +
                                     std::to_string(seq) + ", 'P1')")
              .ok());
    }
    const AuditCheckpoint v1 = signer->Sign(3, prev, kStart, /*mac_from=*/0);
    ASSERT_TRUE(sqlite::Exec(db.get(), "INSERT INTO audit_checkpoints VALUES (3, '" + v1.hash +
                                           "', " + std::to_string(v1.signed_at) + ", '" +
                                           v1.public_key + "', '" + v1.signature + "')")
                    .ok());
  }
  auto store = OpenSqliteStore(path);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  FakeClock clock(kStart + 10);
  OversightOptions options;
  options.clock = &clock;
  options.signing_key_path = key;
  options.synchronous = false;
  auto oversight = Oversight::Open(**store, options);
  ASSERT_TRUE(oversight.ok()) << oversight.status().ToString();
  const RequestContext admin = [] {
    RequestContext c;
    c.principal = MakePrincipal("root", Role::kAdmin, {});
    c.purpose = "upgrade";
    return c;
  }();
  auto report = (*oversight)->VerifyAudit(admin, std::nullopt);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_TRUE(report->ok()) << report->problems.front();
  EXPECT_EQ(report->records, 3);
  EXPECT_EQ(report->macs_checked, 0);
  report = (*oversight)->VerifyAudit(admin, std::nullopt);  // after the first verify's record
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok()) << report->problems.front();
  EXPECT_EQ(report->macs_checked, 1);
  AuditQuery q;
  q.subject = "P1";
  RequestContext auditor = admin;
  auditor.principal = MakePrincipal("aud", Role::kAuditor, {});
  auto records = (*oversight)->QueryAudit(auditor, q);
  ASSERT_TRUE(records.ok());
  EXPECT_EQ(records->size(), 3u);
  oversight->reset();
  store->reset();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace vigil::testing
