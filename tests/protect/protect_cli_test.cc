// `vigil protect` as users run it: a plan is computed and stored as a
// proposal, its author cannot approve it, a second supervisor can, schedules
// come only from approved plans, and the auditor finds every step.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <utility>

#include "vigil/protect.h"

namespace vigil::protect {
namespace {

std::pair<int, std::string> RunVigil(const std::string& env, const std::string& args) {
  const std::string command = env + " " + std::getenv("VIGIL_BIN") + " " + args + " 2>&1";
  std::FILE* pipe = popen(command.c_str(), "r");
  std::string output;
  char buffer[512];
  while (pipe != nullptr && std::fgets(buffer, sizeof buffer, pipe) != nullptr) output += buffer;
  const int status = pipe != nullptr ? pclose(pipe) : -1;
  return {status, output};
}

std::string MakeDir() {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("vigil-protect-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::filesystem::permissions(dir, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::replace);
  return dir.string();
}

std::string PlanId(const std::string& out) {
  std::smatch match;
  if (std::regex_search(out, match, std::regex("plan (PP[0-9a-f]{12}) proposed"))) {
    return match[1];
  }
  return "";
}

TEST(ProtectCliTest, PlanApproveScheduleAndAudit) {
  ASSERT_NE(std::getenv("VIGIL_BIN"), nullptr);
  const std::string dir = MakeDir();
  GenerateOptions options;
  options.sites = 30;
  options.units = 9;
  options.sites_per_area = 10;
  options.patrols = 2;
  ASSERT_TRUE(WriteInputs(Generate(options), dir).ok());
  const std::string db = " --db " + dir + "/v.db";
  const std::string files = " --sites " + dir + "/sites.csv --resources " + dir +
                            "/resources.csv --threat " + dir + "/threat.csv";

  auto [rc, out] = RunVigil("VIGIL_NEW_PASSWORD='admin secret'", "user add boss --role admin" + db);
  ASSERT_EQ(rc, 0) << out;
  const std::string boss = "VIGIL_USER=boss VIGIL_PASSWORD='admin secret' VIGIL_PURPOSE=admin";
  for (const std::string user : {"sup1", "sup2"}) {
    std::tie(rc, out) = RunVigil(boss + " VIGIL_NEW_PASSWORD='" + user + " secret'",
                                 "user add " + user + " --role supervisor" + db);
    ASSERT_EQ(rc, 0) << out;
  }
  std::tie(rc, out) =
      RunVigil(boss + " VIGIL_NEW_PASSWORD='ana secret'", "user add ana --role analyst" + db);
  ASSERT_EQ(rc, 0) << out;
  std::tie(rc, out) =
      RunVigil(boss + " VIGIL_NEW_PASSWORD='aud secret'", "user add aud --role auditor" + db);
  ASSERT_EQ(rc, 0) << out;
  auto as = [](const std::string& user) {
    return "VIGIL_USER=" + user + " VIGIL_PASSWORD='" + user + " secret' VIGIL_PURPOSE=deploy";
  };

  // The analyst proposes; the plan explains itself and shows a what-if.
  std::tie(rc, out) = RunVigil(as("ana"), "protect plan" + files + " --out " + dir +
                                              "/plan.json --days 2 --what-if add-team=X:3:*" + db);
  ASSERT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("attacker's best-response utility"), std::string::npos) << out;
  EXPECT_NE(out.find("binding: coverage"), std::string::npos) << out;
  EXPECT_NE(out.find("what-if add-team=X:3:*"), std::string::npos) << out;
  EXPECT_NE(out.find("DRAFT"), std::string::npos) << out;
  EXPECT_NE(out.find("generated assessment, by generator"), std::string::npos) << out;
  const std::string ana_plan = PlanId(out);
  ASSERT_FALSE(ana_plan.empty()) << out;
  Result<Plan> written = PlanFromJson([&] {
    std::ifstream in(dir + "/plan.json");
    return std::string(std::istreambuf_iterator<char>(in), {});
  }());
  ASSERT_TRUE(written.ok()) << written.status().ToString();

  // An analyst may not approve; nor may the proposer; a second supervisor may.
  std::tie(rc, out) = RunVigil(as("ana"), "protect approve " + ana_plan + " --reason ok" + db);
  EXPECT_NE(rc, 0) << out;
  EXPECT_NE(out.find("may not approve_protection_plan"), std::string::npos) << out;

  std::tie(rc, out) = RunVigil(as("sup1"), "protect plan" + files + " --shifts 4" + db);
  ASSERT_EQ(rc, 0) << out;
  const std::string sup_plan = PlanId(out);
  ASSERT_FALSE(sup_plan.empty()) << out;
  ASSERT_NE(sup_plan, ana_plan);
  std::tie(rc, out) = RunVigil(as("sup1"), "protect approve " + sup_plan + " --reason mine" + db);
  EXPECT_NE(rc, 0) << out;
  EXPECT_NE(out.find("a second person must approve it"), std::string::npos) << out;

  // No schedule from a plan still awaiting approval.
  std::tie(rc, out) = RunVigil(as("sup2"), "protect schedule --plan " + sup_plan + db);
  EXPECT_NE(rc, 0) << out;
  EXPECT_NE(out.find("awaiting approval"), std::string::npos) << out;

  std::tie(rc, out) =
      RunVigil(as("sup2"), "protect approve " + sup_plan + " --reason 'checked the threat'" + db);
  ASSERT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("approved by sup2 (proposed by sup1"), std::string::npos) << out;
  std::tie(rc, out) = RunVigil(as("sup1"), "protect approve " + sup_plan + " --reason again" + db);
  EXPECT_NE(rc, 0) << "approved twice: " << out;

  std::tie(rc, out) =
      RunVigil(as("sup1"), "protect schedule --plan " + sup_plan + " --days 3" + db);
  ASSERT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("approved by sup2"), std::string::npos) << out;
  EXPECT_NE(out.find("day 3"), std::string::npos) << out;
  EXPECT_EQ(out.find("DRAFT"), std::string::npos) << out;

  std::tie(rc, out) = RunVigil(as("ana"), "--format csv protect list" + db);
  ASSERT_EQ(rc, 0) << out;
  EXPECT_NE(out.find(sup_plan + ",sup1,sup2,checked the threat"), std::string::npos) << out;
  EXPECT_NE(out.find(ana_plan + ",ana,(pending)"), std::string::npos) << out;

  // The auditor finds the proposals, the refusal and the approval.
  std::tie(rc, out) = RunVigil(as("aud"), "--format csv audit query --limit 1000" + db);
  ASSERT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("propose_protection_plan"), std::string::npos) << out;
  EXPECT_NE(out.find("approve_protection_plan"), std::string::npos) << out;
  EXPECT_NE(out.find("protect_plan:" + sup_plan), std::string::npos) << out;
  std::tie(rc, out) = RunVigil(as("aud"), "audit verify" + db);
  EXPECT_EQ(rc, 0) << out;

  // Bad input names the row and field, and nothing is stored.
  {
    std::ofstream bad(dir + "/bad-sites.csv");
    bad << "id,kind,area,lat,lon,shifts,value,foiled_cost,value_set_by\n"
        << "S1,school,A00000,48.8,2.3,*,10,1,pref\n"
        << "S2,school,A00000,48.8,2.3,*,-4,0,pref\n";
  }
  std::tie(rc, out) =
      RunVigil(as("ana"), "protect plan --sites " + dir + "/bad-sites.csv --resources " + dir +
                              "/resources.csv --threat " + dir + "/threat.csv" + db);
  EXPECT_NE(rc, 0);
  EXPECT_NE(out.find("bad-sites.csv:3:7: column 'value': is negative (-4)"), std::string::npos)
      << out;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace vigil::protect
