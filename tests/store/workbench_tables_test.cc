// The SQLite store's workbench tables (schema version 9): alert triage keeps
// the current state and every decision, survives a reopen, and refuses
// decisions that lack what they need; canvases are versioned (a stale write
// is AlreadyExists and changes nothing) and keep the persons they show.
#include <gtest/gtest.h>

#include "store/sqlite/sqlite_handle.h"
#include "store/sqlite/sqlite_store.h"
#include "store_test_util.h"
#include "vigil/store.h"

namespace vigil {
namespace {

using testing_util::ScratchDir;

class WorkbenchTablesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Reopen();
    WatchBatch batch;
    for (const char* key : {"reactivation:p1:1", "new_contact:p2:2"}) {
      StoredAlert alert;
      alert.key = key;
      alert.time = 100;
      alert.kind = "test";
      alert.score = 0.5;
      alert.raised_at = 100;
      batch.alerts.push_back(alert);
    }
    ASSERT_TRUE(store_->CommitWatchBatch(batch, nullptr).ok());
    auto& sqlite_store = static_cast<sqlite::SqliteStore&>(*store_);
    ASSERT_TRUE(sqlite::Exec(sqlite_store.db(),
                             "INSERT INTO cases(case_id, compartment, created_by, created_at) "
                             "VALUES ('OP-1', 'general', 'test', 1), "
                             "('OP-1', 'CT-B', 'test', 1)")
                    .ok());
  }

  void Reopen() {
    store_.reset();
    auto opened = OpenSqliteStore(path_);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(opened).value();
  }

  std::vector<AlertTriage> History(const std::string& key) {
    std::vector<AlertTriage> out;
    EXPECT_TRUE(store_
                    ->ScanAlertTriageHistory(key,
                                             [&](const AlertTriage& t) {
                                               out.push_back(t);
                                               return true;
                                             })
                    .ok());
    return out;
  }

  ScratchDir dir_;
  std::string path_ = dir_.File("vigil.db");
  std::unique_ptr<Store> store_;
};

AlertTriage Decision(const std::string& key, AlertState state, UnixTime at) {
  AlertTriage t;
  t.key = key;
  t.state = state;
  t.decided_by = "ana";
  t.decided_at = at;
  return t;
}

TEST_F(WorkbenchTablesTest, TriageKeepsTheLatestStateAndEveryDecision) {
  AlertTriage dismiss = Decision("reactivation:p1:1", AlertState::kDismissed, 10);
  EXPECT_TRUE(store_->PutAlertTriage(dismiss).IsInvalidArgument())
      << "a dismissal without a reason";
  dismiss.reason = "family call";
  ASSERT_TRUE(store_->PutAlertTriage(dismiss).ok());
  AlertTriage assign = Decision("reactivation:p1:1", AlertState::kAssigned, 20);
  EXPECT_TRUE(store_->PutAlertTriage(assign).IsInvalidArgument()) << "no assignee";
  assign.assignee = "bob";
  ASSERT_TRUE(store_->PutAlertTriage(assign).ok());
  EXPECT_TRUE(store_->PutAlertTriage(Decision("reactivation:p1:1", AlertState::kEscalated, 30))
                  .IsInvalidArgument())
      << "no case";
  EXPECT_TRUE(store_->PutAlertTriage(Decision("no:such:alert", AlertState::kAcknowledged, 30))
                  .IsInvalidArgument());
  Reopen();
  std::vector<AlertTriage> current;
  ASSERT_TRUE(store_
                  ->ScanAlertTriage([&](const AlertTriage& t) {
                    current.push_back(t);
                    return true;
                  })
                  .ok());
  ASSERT_EQ(current.size(), 1u);
  EXPECT_EQ(current[0].state, AlertState::kAssigned);
  EXPECT_EQ(current[0].assignee, "bob");
  std::vector<AlertTriage> history = History("reactivation:p1:1");
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].state, AlertState::kDismissed);
  EXPECT_EQ(history[0].reason, "family call");
  EXPECT_EQ(history[1].decided_at, 20);
  EXPECT_TRUE(History("new_contact:p2:2").empty());
  auto alert = store_->GetAlert("new_contact:p2:2");
  ASSERT_TRUE(alert.ok());
  EXPECT_EQ(alert->kind, "test");
  EXPECT_TRUE(store_->GetAlert("nope").status().IsNotFound());
}

const CaseRef kGeneralCase{"general", "OP-1"};

TEST_F(WorkbenchTablesTest, CanvasesAreVersionedAndStaleWritesChangeNothing) {
  Canvas canvas;
  canvas.compartment = "general";
  canvas.case_id = "OP-1";
  canvas.name = "main";
  canvas.document = R"({"nodes":[]})";
  canvas.persons = {"p1", "p2"};
  canvas.updated_by = "ana";
  canvas.updated_at = 5;
  auto created = store_->PutCanvas(canvas, 0);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(*created, 1);
  EXPECT_EQ(store_->PutCanvas(canvas, 0).status().code(), Status::Code::kAlreadyExists);
  canvas.document = R"({"nodes":[{"id":"p1"}]})";
  canvas.persons = {"p1"};
  canvas.updated_by = "bob";
  canvas.updated_at = 9;
  auto second = store_->PutCanvas(canvas, 1);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*second, 2);
  Canvas stale = canvas;
  stale.document = R"({"nodes":[{"id":"stale"}]})";
  EXPECT_EQ(store_->PutCanvas(stale, 1).status().code(), Status::Code::kAlreadyExists);
  Reopen();
  auto read = store_->GetCanvas(kGeneralCase, "main");
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->version, 2);
  EXPECT_EQ(read->document, canvas.document);
  EXPECT_EQ(read->persons, std::vector<std::string>{"p1"});
  EXPECT_EQ(read->created_by, "ana");
  EXPECT_EQ(read->created_at, 5);
  EXPECT_EQ(read->updated_by, "bob");
  Canvas elsewhere = canvas;
  elsewhere.case_id = "OP-404";
  EXPECT_TRUE(store_->PutCanvas(elsewhere, 0).status().IsInvalidArgument());
  EXPECT_TRUE(store_->PutCanvas(canvas, 7).status().code() == Status::Code::kAlreadyExists);
  Canvas missing = canvas;
  missing.name = "other";
  EXPECT_TRUE(store_->PutCanvas(missing, 3).status().IsNotFound());
  int listed = 0;
  ASSERT_TRUE(store_->ScanCanvases(kGeneralCase, [&](const Canvas&) { return ++listed > 0; }).ok());
  EXPECT_EQ(listed, 1);
  // The case of that id in another compartment has canvases of its own.
  EXPECT_TRUE(store_->GetCanvas(CaseRef{"CT-B", "OP-1"}, "main").status().IsNotFound());
  Canvas other = canvas;
  other.compartment = "CT-B";
  other.document = R"({"nodes":[{"id":"b"}]})";
  ASSERT_TRUE(store_->PutCanvas(other, 0).ok());
  EXPECT_EQ(store_->GetCanvas(kGeneralCase, "main")->document, canvas.document);
  EXPECT_EQ(store_->GetCanvas(CaseRef{"CT-B", "OP-1"}, "main")->document, other.document);
  listed = 0;
  ASSERT_TRUE(store_->ScanCanvases(CaseRef{}, [&](const Canvas&) { return ++listed > 0; }).ok());
  EXPECT_EQ(listed, 2);
  EXPECT_EQ(store_->DeleteCanvas(kGeneralCase, "main", 1).code(), Status::Code::kAlreadyExists);
  ASSERT_TRUE(store_->DeleteCanvas(kGeneralCase, "main", 2).ok());
  EXPECT_TRUE(store_->GetCanvas(kGeneralCase, "main").status().IsNotFound());
  EXPECT_TRUE(store_->CheckIntegrity().ok());
}

}  // namespace
}  // namespace vigil
