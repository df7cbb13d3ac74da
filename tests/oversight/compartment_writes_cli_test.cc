// The CLI faces of the write rules (src/access/README.md, "Writes"), driven
// through the real binary as an analyst limited to CT-A against CT-B's
// records: `link confirm` and a selectors.csv row on a B number, a
// watchlist.csv row reusing a B entry's id, and `watchlist approve` bound to
// the reviewed content's hash.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <tuple>

#include "access/oversight_world.h"

namespace vigil::testing {
namespace {

constexpr char kPhoneA[] = "msisdn:+447700900101";
constexpr char kPhoneB1[] = "msisdn:+447700900201";
constexpr char kPhoneB2[] = "msisdn:+447700900202";
constexpr char kNeverSeen[] = "msisdn:+447700900999";

std::pair<int, std::string> Vigil(const std::string& env, const std::string& args) {
  const std::string command = env + " " + std::getenv("VIGIL_BIN") + " " + args + " 2>&1";
  std::FILE* pipe = popen(command.c_str(), "r");
  std::string output;
  char buffer[512];
  while (pipe != nullptr && std::fgets(buffer, sizeof buffer, pipe) != nullptr) output += buffer;
  const int status = pipe != nullptr ? pclose(pipe) : -1;
  return {status, output};
}

void Write(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

// P1 in CT-A, P2 and P3 in CT-B with their phones and five calls between
// the B phones; accounts: boss (admin), ana (analyst, CT-A), sue and tom
// (supervisors, CT-A).
class CliWrites : public ::testing::Test {
 protected:
  CliWrites() : dir_(TempDir("cli-writes")), db_(" --db " + dir_ + "/v.db") {
    Write(dir_ + "/persons.csv",
          "person_id,name,status,compartment,legal_basis,review_by\n"
          "P1,Ali Test,subject,CT-A,warrant-1,2099-01-31\n"
          "P2,Omar Test,subject,CT-B,warrant-2,2099-01-31\n"
          "P3,Sami Test,subject,CT-B,warrant-3,2099-01-31\n");
    Write(dir_ + "/selectors.csv", std::string("selector,person_id,source\n") + kPhoneA +
                                       ",P1,seizure\n" + kPhoneB1 + ",P2,seizure\n" + kPhoneB2 +
                                       ",P3,seizure\n");
    std::string comms = "time,src,dst,kind\n";
    for (int i = 0; i < 5; ++i) {
      comms += "2024-01-0" + std::to_string(i + 1) + "T10:00:00Z," + kPhoneB1 + "," + kPhoneB2 +
               ",call\n";
    }
    Write(dir_ + "/comms.csv", comms);
    Write(dir_ + "/watchlist.csv",
          "entry_id,list,name,x_compartment\nWB1,national,Omar Test,CT-B\n");
    auto [rc, out] = Vigil("", "ingest " + dir_ + "/persons.csv " + dir_ + "/selectors.csv " +
                                   dir_ + "/comms.csv " + dir_ + "/watchlist.csv" + db_);
    EXPECT_EQ(rc, 0) << out;
    std::tie(rc, out) =
        Vigil("VIGIL_NEW_PASSWORD='admin secret'", "user add boss --role admin" + db_);
    EXPECT_EQ(rc, 0) << out;
    std::tie(rc, out) = Vigil(kBoss + std::string(" VIGIL_NEW_PASSWORD='admin secret'"),
                              "user add boss2 --role admin" + db_);
    EXPECT_EQ(rc, 0) << out;
    for (const std::string user : {"ana", "sue", "tom"}) {
      const std::string role = user == "ana" ? " --role analyst" : " --role supervisor";
      std::tie(rc, out) = Vigil(kBoss + std::string(" VIGIL_NEW_PASSWORD='user secret'"),
                                "user add " + user + role + " --compartment CT-A" + db_);
      EXPECT_EQ(rc, 0) << out;
      // A grant of a compartment waits for a second admin.
      std::tie(rc, out) = Vigil("VIGIL_USER=boss2 VIGIL_PASSWORD='admin secret' VIGIL_PURPOSE=x",
                                "user approve-grant " + user + " CT-A" + db_);
      EXPECT_EQ(rc, 0) << out;
    }
  }
  ~CliWrites() override { std::filesystem::remove_all(dir_); }

  static std::string As(const std::string& user) {
    return "VIGIL_USER=" + user + " VIGIL_PASSWORD='user secret' VIGIL_PURPOSE=test";
  }
  static constexpr char kBoss[] = "VIGIL_USER=boss VIGIL_PASSWORD='admin secret' VIGIL_PURPOSE=x";

  std::string dir_;
  std::string db_;
};

TEST_F(CliWrites, LinkConfirmOfAnotherCompartmentsNumberFailsLikeAMissingOne) {
  auto [rc, hidden] = Vigil(As("ana"), std::string("link confirm ") + kPhoneB1 + " P1" + db_);
  EXPECT_NE(rc, 0) << hidden;
  auto [rc2, missing] = Vigil(As("ana"), std::string("link confirm ") + kNeverSeen + " P1" + db_);
  EXPECT_NE(rc2, 0) << missing;
  EXPECT_NE(hidden.find(std::string("no selector '") + kPhoneB1 + "' in your compartments"),
            std::string::npos)
      << hidden;
  std::string hidden_text = hidden;
  hidden_text.replace(hidden_text.find(kPhoneB1), std::string(kPhoneB1).size(), "X");
  std::string missing_text = missing;
  missing_text.replace(missing_text.find(kNeverSeen), std::string(kNeverSeen).size(), "X");
  EXPECT_EQ(hidden_text, missing_text);
  // A selectors.csv row naming the B number with an A owner is refused too.
  Write(dir_ + "/steal.csv", std::string("selector,person_id,source\n") + kPhoneB1 + ",P1,x\n");
  std::filesystem::create_directories(dir_ + "/steal");
  std::filesystem::rename(dir_ + "/steal.csv", dir_ + "/steal/selectors.csv");
  auto [rc3, out] = Vigil(As("ana"), "ingest " + dir_ + "/steal/selectors.csv" + db_);
  EXPECT_NE(rc3, 0) << out;
  EXPECT_NE(out.find(std::string("selector '") + kPhoneB1 + "' exists"), std::string::npos) << out;
  {
    auto raw = OpenSqliteStore(dir_ + "/v.db");
    ASSERT_TRUE(raw.ok());
    auto owners = (*raw)->AttributionsOfSelector(kPhoneB1);
    ASSERT_TRUE(owners.ok());
    ASSERT_EQ(owners->size(), 1u);
    EXPECT_EQ((*owners)[0].person_id, "P2");
  }
  // P1's timeline shows none of the calls between the B numbers.
  std::tie(rc, out) = Vigil(As("ana"), "--format csv timeline P1" + db_);
  EXPECT_EQ(rc, 0) << out;
  EXPECT_EQ(out.find(kPhoneB2), std::string::npos) << out;
  EXPECT_EQ(out.find(kPhoneB1), std::string::npos) << out;
  // Its own number is confirmed as before.
  std::tie(rc, out) = Vigil(As("ana"), std::string("link confirm ") + kPhoneA + " P1" + db_);
  EXPECT_EQ(rc, 0) << out;
}

TEST_F(CliWrites, WatchlistRowReusingAnotherCompartmentsIdReplacesNothing) {
  Write(dir_ + "/watchlist.csv", "entry_id,list,name,x_compartment\nWB1,national,Mine,CT-A\n");
  auto [rc, out] = Vigil(As("ana"), "ingest " + dir_ + "/watchlist.csv" + db_);
  EXPECT_NE(rc, 0) << out;
  EXPECT_NE(out.find("entry 'WB1' exists"), std::string::npos) << out;
  std::tie(rc, out) =
      Vigil(As("ana"), "watchlist propose WB1 --list own --name Mine --compartment CT-A" + db_);
  EXPECT_NE(rc, 0) << out;
  EXPECT_NE(out.find("entry 'WB1' exists"), std::string::npos) << out;
  // The entry is B's as before, and no proposal took its id.
  auto raw = OpenSqliteStore(dir_ + "/v.db");
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ((*raw)->GetWatchlistEntry("WB1")->name, "Omar Test");
  std::tie(rc, out) = Vigil(As("ana"), "--format csv watchlist pending" + db_);
  EXPECT_EQ(out.find("WB1"), std::string::npos) << out;
}

TEST_F(CliWrites, WatchlistApproveNeedsTheReviewedContentsHash) {
  auto [rc, out] = Vigil(kBoss, "watchlist configure partners --compartment CT-A --shared" + db_);
  ASSERT_EQ(rc, 0) << out;
  std::tie(rc, out) =
      Vigil(As("ana"), "watchlist propose E1 --list partners --name 'Reviewed Name'" + db_);
  ASSERT_EQ(rc, 0) << out;
  auto hash_of = [&](const std::string& who) {
    auto [code, csv] = Vigil(As(who), "--format csv watchlist pending" + db_);
    EXPECT_EQ(code, 0) << csv;
    const size_t row = csv.find("\nE1,");
    if (row == std::string::npos) return std::string();
    const size_t end = csv.find('\n', row + 1);
    const std::string line = csv.substr(row + 1, end - row - 1);
    return line.substr(line.rfind(',') + 1);
  };
  const std::string reviewed = hash_of("sue");
  ASSERT_EQ(reviewed.size(), 64u) << reviewed;
  // The approval names the hash; without it the command refuses to run.
  std::tie(rc, out) = Vigil(As("sue"), "watchlist approve E1" + db_);
  EXPECT_NE(rc, 0) << out;
  // The proposer swaps the content after the review.
  std::tie(rc, out) =
      Vigil(As("ana"), "watchlist propose E1 --list partners --name 'Swapped Name'" + db_);
  ASSERT_EQ(rc, 0) << out;
  std::tie(rc, out) = Vigil(As("sue"), "watchlist approve E1 --hash " + reviewed + db_);
  EXPECT_NE(rc, 0) << out;
  EXPECT_NE(out.find("changed"), std::string::npos) << out;
  // Another analyst's proposal under the same id is refused.
  std::tie(rc, out) =
      Vigil(As("tom"), "watchlist propose E1 --list partners --name 'Third Name'" + db_);
  EXPECT_NE(rc, 0) << out;
  EXPECT_NE(out.find("entry 'E1' exists"), std::string::npos) << out;
  const std::string current = hash_of("sue");
  ASSERT_NE(current, reviewed);
  std::tie(rc, out) = Vigil(As("sue"), "watchlist approve E1 --hash " + current + db_);
  EXPECT_EQ(rc, 0) << out;
  std::tie(rc, out) = Vigil(As("ana"), "--format csv watchlist pending" + db_);
  EXPECT_EQ(out.find("E1"), std::string::npos) << out;
}

}  // namespace
}  // namespace vigil::testing
