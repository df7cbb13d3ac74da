// The SQLite store's protective-deployment plans: stored once, approved
// once, never by their proposer (the store refuses it too, and so does the
// table's CHECK), and kept across a reopen.
#include <gtest/gtest.h>

#include "store/sqlite/sqlite_handle.h"
#include "store/sqlite/sqlite_store.h"
#include "store_test_util.h"
#include "vigil/store.h"

namespace vigil {
namespace {

using testing_util::ScratchDir;

ProtectPlanRecord MakePlan(const std::string& id, const std::string& by) {
  ProtectPlanRecord plan;
  plan.id = id;
  plan.content = "{\"format\":\"vigil-protect-plan/1\"}";
  plan.content_hash = "abc";
  plan.proposed_by = by;
  plan.proposed_at = 100;
  return plan;
}

TEST(ProtectTablesTest, ProposeApproveOnceAndNeverByTheProposer) {
  ScratchDir dir;
  const std::string path = dir.File("vigil.db");
  {
    auto store = OpenSqliteStore(path);
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE((*store)->PutProtectPlan(MakePlan("PP1", "ana")).ok());
    EXPECT_EQ((*store)->PutProtectPlan(MakePlan("PP1", "bob")).code(),
              Status::Code::kAlreadyExists);
    EXPECT_EQ((*store)->ApproveProtectPlan("PP1", "ana", 200, "mine").code(),
              Status::Code::kPermissionDenied);
    EXPECT_EQ((*store)->ApproveProtectPlan("PP1", "sup", 200, "").code(),
              Status::Code::kInvalidArgument);
    EXPECT_TRUE((*store)->ApproveProtectPlan("PP9", "sup", 200, "x").IsNotFound());
    ASSERT_TRUE((*store)->ApproveProtectPlan("PP1", "sup", 200, "checked").ok());
    EXPECT_EQ((*store)->ApproveProtectPlan("PP1", "eve", 300, "again").code(),
              Status::Code::kAlreadyExists);
    // Beneath the store: the table itself refuses a self-approval.
    auto& sqlite_store = static_cast<sqlite::SqliteStore&>(**store);
    ASSERT_TRUE((*store)->PutProtectPlan(MakePlan("PP2", "ana")).ok());
    EXPECT_FALSE(sqlite::Exec(sqlite_store.db(),
                              "UPDATE protect_plans SET approved_by = 'ana', approved_at = 1, "
                              "approval_reason = 'x' WHERE id = 'PP2'")
                     .ok());
  }
  auto store = OpenSqliteStore(path);
  ASSERT_TRUE(store.ok());
  auto plan = (*store)->GetProtectPlan("PP1");
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->approved_by, "sup");
  EXPECT_EQ(plan->approval_reason, "checked");
  EXPECT_EQ(plan->proposed_by, "ana");
  int count = 0;
  ASSERT_TRUE((*store)
                  ->ScanProtectPlans([&](const ProtectPlanRecord& p) {
                    ++count;
                    EXPECT_EQ(p.approved_by.empty(), p.id == "PP2");
                    return true;
                  })
                  .ok());
  EXPECT_EQ(count, 2);
}

}  // namespace
}  // namespace vigil
