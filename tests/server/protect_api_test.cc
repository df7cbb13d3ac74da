// The protective-deployment routes as their users meet them: an analyst
// proposes a plan from rows of the input files, bad rows are refused naming
// the row and field, an analyst may not approve, the proposer may not
// approve their own plan, no day is drawn from a proposal (except marked as
// a draft), a second person (a supervisor) approves, and every step is in
// the audit log under the user who took it.
#include <set>

#include "server_world.h"
#include "support/protect_plan.h"

namespace vigil::testing {
namespace {

TEST(ProtectApi, ProposeApproveScheduleWithFourEyesAndAudit) {
  ServerWorld world("protect-api", UsersFor({{"CT-A"}, {"*"}}), ManyLogins());
  Session s = LogIn(world);

  // An analyst proposes: the plan is solved and stored under them.
  const Json body = {{"inputs", SmallProtectInputRows("api")}, {"shifts", 1}};
  HttpResult proposed = s.Post("analyst-0", "/v1/protect/plans", body);
  ASSERT_EQ(proposed.status, 200) << proposed.body;
  const std::string id = proposed.json["id"];
  EXPECT_EQ(id.substr(0, 2), "PP");
  EXPECT_TRUE(proposed.json["stored"].get<bool>());
  EXPECT_EQ(proposed.json["proposed_by"], "analyst-0");
  EXPECT_FALSE(proposed.json["approved"].get<bool>());
  // One unit over two sites of value 10 and 4, by hand: the attacker is
  // held to k at both, (1 - c1) * 10 = (1 - c2) * 4 = k with c1 + c2 = 1,
  // so c1 = 5/7 and k = 20/7.
  EXPECT_NEAR(proposed.json["attacker_utility"].get<double>(), 20.0 / 7.0, 1e-6);
  EXPECT_LE(proposed.json["attacker_utility"].get<double>(),
            proposed.json["uniform_attacker_utility"].get<double>() + 1e-9);
  EXPECT_LE(proposed.json["attacker_utility"].get<double>(),
            proposed.json["proportional_attacker_utility"].get<double>() + 1e-9);
  EXPECT_EQ(proposed.json["sites"], 2);
  // The same plan again is the stored one, still the analyst's.
  HttpResult again = s.Post("supervisor-0", "/v1/protect/plans", body);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_FALSE(again.json["stored"].get<bool>());
  EXPECT_EQ(again.json["id"], id);
  EXPECT_EQ(again.json["proposed_by"], "analyst-0");

  // Bad rows are refused with the row and field named, and nothing is stored.
  Json bad = body;
  bad["inputs"]["sites"][1]["value"] = -4;
  HttpResult refused = s.Post("analyst-0", "/v1/protect/plans", bad);
  EXPECT_EQ(refused.status, 400) << refused.body;
  EXPECT_NE(refused.body.find("sites.jsonl:2:"), std::string::npos) << refused.body;
  Json nothing = body;
  nothing["shifts"] = 2;  // the sites open in shift 0, the team working shift 1
  nothing["inputs"]["resources"][0]["shifts"] = "1";
  refused = s.Post("analyst-0", "/v1/protect/plans", nothing);
  EXPECT_EQ(refused.status, 400) << refused.body;
  EXPECT_NE(refused.body.find("covers nothing"), std::string::npos) << refused.body;
  HttpResult listed = s.Get("analyst-0", "/v1/protect/plans");
  ASSERT_EQ(listed.status, 200) << listed.body;
  ASSERT_EQ(listed.json["plans"].size(), 1u) << listed.body;
  EXPECT_EQ(listed.json["plans"][0]["id"], id);

  // One plan's every target with its coverage and why.
  HttpResult one = s.Get("analyst-0", "/v1/protect/plans/" + id);
  ASSERT_EQ(one.status, 200) << one.body;
  ASSERT_EQ(one.json["target_coverage"].size(), 2u);
  EXPECT_NEAR(one.json["target_coverage"][0]["coverage"].get<double>(), 5.0 / 7.0, 1e-6);
  EXPECT_TRUE(one.json["target_coverage"][0]["binding"].get<bool>());
  EXPECT_FALSE(one.json["target_coverage"][0]["why"].get<std::string>().empty());
  EXPECT_EQ(one.json["threat_assessments"][0]["legal_basis"], "test order");
  EXPECT_EQ(s.Get("analyst-0", "/v1/protect/plans/PP000000000000").status, 404);

  // No day from a proposal, unless asked for drafts.
  HttpResult early = s.Get("analyst-0", "/v1/protect/plans/" + id + "/schedule");
  EXPECT_EQ(early.status, 403) << early.body;
  HttpResult draft = s.Get("analyst-0", "/v1/protect/plans/" + id + "/schedule?draft=true");
  ASSERT_EQ(draft.status, 200) << draft.body;
  EXPECT_TRUE(draft.json["draft"].get<bool>());

  // An analyst may not approve; auditors and admins may not read plans.
  const Json reason = {{"reason", "reviewed the binding sites"}};
  EXPECT_EQ(s.Post("analyst-1", "/v1/protect/plans/" + id + "/approve", reason).status, 403);
  EXPECT_EQ(s.Get("auditor-0", "/v1/protect/plans").status, 403);
  EXPECT_EQ(s.Get("admin-1", "/v1/protect/plans/" + id).status, 403);

  // A supervisor's own proposal needs another supervisor.
  Json own_body = {{"inputs", SmallProtectInputRows("own")}, {"shifts", 1}};
  HttpResult own = s.Post("supervisor-1", "/v1/protect/plans", own_body);
  ASSERT_EQ(own.status, 200) << own.body;
  const std::string own_id = own.json["id"];
  HttpResult self = s.Post("supervisor-1", "/v1/protect/plans/" + own_id + "/approve", reason);
  EXPECT_EQ(self.status, 403) << self.body;
  EXPECT_NE(self.body.find("four eyes"), std::string::npos) << self.body;

  // A supervisor who is not the proposer approves; once only.
  HttpResult approved = s.Post("supervisor-1", "/v1/protect/plans/" + id + "/approve", reason);
  ASSERT_EQ(approved.status, 200) << approved.body;
  EXPECT_TRUE(approved.json["approved"].get<bool>());
  EXPECT_EQ(approved.json["approved_by"], "supervisor-1");
  EXPECT_EQ(approved.json["approval_reason"], "reviewed the binding sites");
  EXPECT_EQ(s.Post("supervisor-0", "/v1/protect/plans/" + id + "/approve", reason).status, 409);
  EXPECT_EQ(s.Post("supervisor-0", "/v1/protect/plans/PP000000000000/approve", reason).status, 404);

  // Days from the approved plan: one unit, one shift, one of the two sites.
  HttpResult days = s.Get("analyst-0", "/v1/protect/plans/" + id + "/schedule?days=5");
  ASSERT_EQ(days.status, 200) << days.body;
  EXPECT_FALSE(days.json["draft"].get<bool>());
  ASSERT_EQ(days.json["days"].size(), 5u);
  for (const Json& day : days.json["days"]) {
    ASSERT_EQ(day["assignments"].size(), 1u) << day.dump();
    const std::string site = day["assignments"][0]["sites"][0];
    EXPECT_TRUE(site == "S-api" || site == "S-other") << site;
  }

  // Every step is audited under its user, refusals as refused.
  HttpResult log = s.Get("auditor-0", "/v1/audit?limit=100000");
  ASSERT_EQ(log.status, 200);
  std::set<std::string> seen;
  for (const Json& r : log.json["records"]) {
    const std::string object = r["object"];
    if (object == "protect_plan:" + id || object == "protect_plan:" + own_id ||
        object == "route:/v1/protect/plans/{plan}/approve") {
      seen.insert(r["user"].get<std::string>() + " " + r["action"].get<std::string>() + " " +
                  r["outcome"].get<std::string>());
    }
  }
  EXPECT_TRUE(seen.count("analyst-0 propose_protection_plan allowed")) << log.body.size();
  EXPECT_TRUE(seen.count("supervisor-1 approve_protection_plan allowed"));
  EXPECT_TRUE(seen.count("supervisor-1 approve_protection_plan refused"));  // four eyes
  EXPECT_TRUE(seen.count("analyst-1 approve_protection_plan refused"));     // role
}

}  // namespace
}  // namespace vigil::testing
