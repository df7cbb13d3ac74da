// Every person that `vigil rank`, `vigil alerts` and `vigil changes` show,
// directly or in an alert's evidence, leaves a read record in the audit log
// with the command's purpose; screening results name the persons they
// concern. Runs the real binary on a generated world (setup mode).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "access/oversight_world.h"

namespace vigil::testing {
namespace {

// Runs `env vigil args` and returns (exit status, standard output).
std::pair<int, std::string> Vigil(const std::string& env, const std::string& args) {
  const std::string command = env + " " + std::getenv("VIGIL_BIN") + " " + args + " 2>/dev/null";
  std::FILE* pipe = popen(command.c_str(), "r");
  std::string output;
  char buffer[4096];
  while (pipe != nullptr && std::fgets(buffer, sizeof buffer, pipe) != nullptr) output += buffer;
  const int status = pipe != nullptr ? pclose(pipe) : -1;
  return {status, output};
}

// The audit records (CSV lines) of `subject` made with `purpose`.
std::vector<std::string> RecordsOf(const std::string& db, const std::string& subject,
                                   const std::string& purpose) {
  auto [rc, out] = Vigil("", "--format csv audit query --subject " + subject + db);
  EXPECT_EQ(rc, 0) << out;
  std::vector<std::string> lines;
  std::stringstream in(out);
  for (std::string line; std::getline(in, line);) {
    if (line.find("," + purpose + ",") != std::string::npos) lines.push_back(line);
  }
  return lines;
}

// The first field of each data line of a CSV output.
std::vector<std::string> Column(const std::string& csv, size_t column) {
  std::vector<std::string> values;
  std::stringstream in(csv);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::stringstream fields(line);
    std::string field;
    for (size_t i = 0; i <= column && std::getline(fields, field, ','); ++i) {
    }
    values.push_back(field);
  }
  return values;
}

class RevealCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ASSERT_NE(std::getenv("VIGIL_BIN"), nullptr);
    dir_ = new std::string(TempDir("cli-reveal"));
    db_ = new std::string(" --db " + *dir_ + "/v.db");
    auto [rc, out] = Vigil("", "simulate --out " + *dir_ + "/w --seed 3 --people 500 --days 60");
    ASSERT_EQ(rc, 0) << out;
    std::tie(rc, out) = Vigil("", "ingest " + *dir_ + "/w" + *db_);
    ASSERT_EQ(rc, 0) << out;
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete dir_;
    delete db_;
  }
  static std::string* dir_;
  static std::string* db_;
};
std::string* RevealCli::dir_ = nullptr;
std::string* RevealCli::db_ = nullptr;

TEST_F(RevealCli, AlertsRankAndChangesLogThePersonsTheyShow) {
  auto [rc, alerts] = Vigil("VIGIL_PURPOSE=alerts-check", "--format csv alerts" + *db_);
  ASSERT_EQ(rc, 0) << alerts;
  const std::vector<std::string> alerted = Column(alerts, 1);
  ASSERT_FALSE(alerted.empty()) << "the generated world raises alerts";
  for (const std::string& person : {alerted.front(), alerted.back()}) {
    if (person.empty()) continue;
    const auto records = RecordsOf(*db_, person, "alerts-check");
    EXPECT_TRUE(std::any_of(records.begin(), records.end(), [](const std::string& r) {
      return r.find("reveal:alerts") != std::string::npos;
    })) << person;
  }
  // A person named only in an alert's evidence ("... with P12 (watched)")
  // is logged too.
  std::smatch named;
  const std::regex with_person("with (P[0-9]+)");
  ASSERT_TRUE(std::regex_search(alerts, named, with_person)) << alerts.substr(0, 2000);
  EXPECT_FALSE(RecordsOf(*db_, named[1].str(), "alerts-check").empty()) << named[1].str();

  std::tie(rc, alerts) = Vigil("VIGIL_PURPOSE=rank-check", "--format csv rank --capacity 5" + *db_);
  ASSERT_EQ(rc, 0) << alerts;
  const std::vector<std::string> ranked = Column(alerts, 0);
  ASSERT_EQ(ranked.size(), 5u) << alerts;
  for (const std::string& person : ranked) {
    const auto records = RecordsOf(*db_, person, "rank-check");
    EXPECT_TRUE(std::any_of(records.begin(), records.end(), [](const std::string& r) {
      return r.find("reveal_persons,reveal:rank") != std::string::npos;
    })) << person;
  }

  // vigil changes: persons named in the alerts of the person asked about.
  const std::string person = alerted.front();
  std::string out;
  std::tie(rc, out) = Vigil("VIGIL_PURPOSE=changes-check",
                            "--format csv changes " + person + " --since 2000-01-01" + *db_);
  ASSERT_EQ(rc, 0) << out;
  if (std::regex_search(out, named, with_person)) {
    EXPECT_FALSE(RecordsOf(*db_, named[1].str(), "changes-check").empty()) << named[1].str();
  }
  EXPECT_FALSE(RecordsOf(*db_, person, "changes-check").empty());
}

TEST_F(RevealCli, ScreeningResultsNameThePersonsTheyConcern) {
  auto [rc, out] = Vigil("", "--format csv audit query" + *db_);
  ASSERT_EQ(rc, 0);
  std::stringstream in(out);
  bool found = false;
  for (std::string line; std::getline(in, line);) {
    if (line.find(",screening:results,") == std::string::npos) continue;
    if (line.find("matches=0;") != std::string::npos) continue;
    found = true;
    EXPECT_NE(line.back(), ',') << "matches with no person concerned: " << line;
  }
  EXPECT_TRUE(found) << "ingest screened the world's travel records";
}

}  // namespace
}  // namespace vigil::testing

namespace vigil::testing {
namespace {

// The compartment of every person of a generated world's persons.csv.
std::map<std::string, std::string> Compartments(const std::string& persons_csv) {
  std::map<std::string, std::string> out;
  std::ifstream in(persons_csv);
  std::string line;
  std::getline(in, line);
  std::vector<std::string> header;
  std::stringstream names(line);
  for (std::string name; std::getline(names, name, ',');) header.push_back(name);
  const size_t column = std::find(header.begin(), header.end(), "compartment") - header.begin();
  while (std::getline(in, line)) {
    std::vector<std::string> fields;
    std::stringstream cells(line);
    for (std::string cell; std::getline(cells, cell, ',');) fields.push_back(cell);
    if (column < fields.size()) out[fields[0]] = fields[column];
  }
  return out;
}

TEST(RevealCliAccounts, AnalystOfOneCompartmentSeesOnlyItsAlertsAndRanks) {
  ASSERT_NE(std::getenv("VIGIL_BIN"), nullptr);
  const std::string dir = TempDir("cli-partial");
  const std::string db = " --db " + dir + "/v.db";
  auto [rc, out] = Vigil("", "simulate --out " + dir + "/w --seed 3 --people 500 --days 60");
  ASSERT_EQ(rc, 0) << out;
  std::tie(rc, out) = Vigil("", "ingest " + dir + "/w" + db);
  ASSERT_EQ(rc, 0) << out;
  std::tie(rc, out) = Vigil("", "alerts" + db);  // the engine runs in setup mode
  ASSERT_EQ(rc, 0) << out;
  std::tie(rc, out) = Vigil("VIGIL_NEW_PASSWORD='admin secret'", "user add boss --role admin" + db);
  ASSERT_EQ(rc, 0) << out;
  const std::string boss = "VIGIL_USER=boss VIGIL_PASSWORD='admin secret' VIGIL_PURPOSE=admin";
  std::tie(rc, out) = Vigil(boss + " VIGIL_NEW_PASSWORD='analyst secret'",
                            "user add bea --role analyst --compartment CT-B" + db);
  ASSERT_EQ(rc, 0) << out;
  // The grant waits for a second admin (four eyes).
  std::tie(rc, out) =
      Vigil(boss + " VIGIL_NEW_PASSWORD='admin2 secret'", "user add boss2 --role admin" + db);
  ASSERT_EQ(rc, 0) << out;
  std::tie(rc, out) = Vigil("VIGIL_USER=boss2 VIGIL_PASSWORD='admin2 secret' VIGIL_PURPOSE=admin",
                            "user approve-grant bea CT-B" + db);
  ASSERT_EQ(rc, 0) << out;
  const std::string bea = "VIGIL_USER=bea VIGIL_PASSWORD='analyst secret' VIGIL_PURPOSE=op-b";
  const auto compartment = Compartments(dir + "/w/persons.csv");

  std::tie(rc, out) = Vigil(bea, "--format csv alerts --all" + db);
  ASSERT_EQ(rc, 0) << out;
  const std::vector<std::string> alerted = Column(out, 1);
  EXPECT_FALSE(alerted.empty());
  for (const std::string& person : alerted) {
    EXPECT_EQ(compartment.at(person), "CT-B") << person;
  }
  std::tie(rc, out) = Vigil(bea, "--format csv rank --all" + db);
  ASSERT_EQ(rc, 0) << out;
  const std::vector<std::string> ranked = Column(out, 0);
  EXPECT_FALSE(ranked.empty());
  for (const std::string& person : ranked) {
    EXPECT_EQ(compartment.at(person), "CT-B") << person;
  }
  // Runs that rewrite every compartment's data are refused.
  std::tie(rc, out) = Vigil(bea, "alerts" + db);
  EXPECT_NE(rc, 0);
  std::tie(rc, out) = Vigil(bea, "resolve" + db);
  EXPECT_NE(rc, 0);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace vigil::testing
