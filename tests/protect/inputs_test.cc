// The protective-deployment inputs: bad rows are refused naming the file,
// row and field; files are all or nothing; no column about who attends.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "vigil/protect.h"

namespace vigil::protect {
namespace {

constexpr char kSitesHeader[] = "id,kind,area,lat,lon,shifts,value,foiled_cost,value_set_by\n";
constexpr char kResourcesHeader[] = "id,kind,units,shifts,home_base,covers,routes\n";
constexpr char kThreatHeader[] = "area,level,legal_basis,author,assessed_on\n";

std::string SiteError(const std::string& text, int shifts = 3) {
  std::vector<Site> sites;
  Status status = ParseSites(text, "sites.csv", shifts, &sites);
  EXPECT_TRUE(sites.empty()) << "a bad file must leave nothing";
  return status.message();
}

TEST(ProtectInputsTest, ReadsGoodSites) {
  std::vector<Site> sites;
  const std::string text = std::string(kSitesHeader) +
                           "S1,school,north,48.85,2.35,0|1,40,5,prefecture\n"
                           "S2,station,north,48.80,2.30,*,90.5,0,prefecture\n";
  ASSERT_TRUE(ParseSites(text, "sites.csv", 3, &sites).ok());
  ASSERT_EQ(sites.size(), 2u);
  EXPECT_EQ(sites[0].shifts, (std::vector<int>{0, 1}));
  EXPECT_EQ(sites[1].shifts, (std::vector<int>{0, 1, 2}));
  EXPECT_DOUBLE_EQ(sites[1].value, 90.5);
  EXPECT_EQ(sites[1].line, 3);
}

TEST(ProtectInputsTest, NegativeValueNamesRowAndField) {
  const std::string text = std::string(kSitesHeader) + "S1,school,north,48.8,2.3,0,40,5,pref\n" +
                           "S2,school,north,48.8,2.3,0,-5,0,pref\n";
  EXPECT_EQ(SiteError(text), "sites.csv:3:7: column 'value': is negative (-5)");
}

TEST(ProtectInputsTest, FoiledCostAboveValueIsRefused) {
  const std::string text = std::string(kSitesHeader) + "S1,school,north,48.8,2.3,0,10,15,pref\n";
  EXPECT_EQ(SiteError(text).rfind("sites.csv:2:8: column 'foiled_cost': is larger than value", 0),
            0u);
}

TEST(ProtectInputsTest, ShiftOutsideTheDayIsRefused) {
  const std::string text = std::string(kSitesHeader) + "S1,school,north,48.8,2.3,0|3,10,1,pref\n";
  EXPECT_EQ(SiteError(text, 3).rfind("sites.csv:2:6: column 'shifts': shift 3 is outside", 0), 0u);
}

TEST(ProtectInputsTest, DuplicateSiteNamesTheFirstLine) {
  const std::string text = std::string(kSitesHeader) + "S1,school,north,48.8,2.3,0,10,1,pref\n" +
                           "S1,school,north,48.8,2.3,0,10,1,pref\n";
  EXPECT_EQ(SiteError(text), "sites.csv:3:1: column 'id': site 'S1' was already given on line 2");
}

// Who attends a site is not an input: a column for it is refused, whatever
// its name, because the columns are fixed.
TEST(ProtectInputsTest, ColumnsAboutAttendanceAreRefused) {
  for (const std::string column : {"religion", "ethnicity", "attendance", "congregation"}) {
    const std::string text = "id,kind,area,lat,lon,shifts,value,foiled_cost,value_set_by," +
                             column + "\nS1,place_of_worship,north,48.8,2.3,0,10,1,pref,x\n";
    EXPECT_EQ(SiteError(text), "sites.csv:1:10: unknown column '" + column +
                                   "' (the columns are fixed: see src/protect/README.md)");
  }
}

TEST(ProtectInputsTest, JsonlSitesNameTheKey) {
  std::vector<Site> sites;
  const std::string text =
      "{\"id\":\"S1\",\"kind\":\"school\",\"area\":\"north\",\"lat\":48.8,\"lon\":2.3,"
      "\"shifts\":[0,1],\"value\":10,\"foiled_cost\":1,\"value_set_by\":\"pref\"}\n"
      "{\"id\":\"S2\",\"kind\":\"school\",\"area\":\"north\",\"lat\":48.8,\"lon\":2.3,"
      "\"shifts\":\"*\",\"value\":-1,\"foiled_cost\":0,\"value_set_by\":\"pref\"}\n";
  Status status = ParseSites(text, "sites.jsonl", 3, &sites);
  EXPECT_EQ(status.message(), "sites.jsonl:2:77: column 'value': is negative (-1)");
  ASSERT_TRUE(ParseSites(text.substr(0, text.find('\n') + 1), "sites.jsonl", 3, &sites).ok());
  ASSERT_EQ(sites.size(), 1u);
  EXPECT_EQ(sites[0].shifts, (std::vector<int>{0, 1}));
}

TEST(ProtectInputsTest, ResourceRules) {
  std::vector<Resource> resources;
  auto error = [&](const std::string& row) {
    return ParseResources(std::string(kResourcesHeader) + row, "resources.csv", 3, &resources)
        .message();
  };
  EXPECT_EQ(error("T1,guard,0,*,S1,*,\n"),
            "resources.csv:2:3: column 'units': must be a whole number of units from 1 to "
            "1000000");
  EXPECT_EQ(error("T1,guard,-2,*,S1,*,\n"), "resources.csv:2:3: column 'units': is negative (-2)");
  EXPECT_EQ(error("T1,tank,2,*,S1,*,\n"),
            "resources.csv:2:2: column 'kind': 'tank' is not guard or patrol");
  EXPECT_EQ(error("T1,guard,2,*,S1,,\n"),
            "resources.csv:2:6: column 'covers': covers nothing: give site ids, kind:K, area:A or "
            "* (or routes)");
  EXPECT_EQ(error("T1,patrol,1,*,S1,S1,S1+S2\n"),
            "resources.csv:2:7: column 'routes': a resource takes routes or covers single sites, "
            "not both");
  ASSERT_TRUE(ParseResources(std::string(kResourcesHeader) + "P1,patrol,1,0|2,S1,,S1+S2|S3\n",
                             "resources.csv", 3, &resources)
                  .ok());
  ASSERT_EQ(resources.size(), 1u);
  EXPECT_EQ(resources[0].routes.size(), 2u);
  EXPECT_EQ(resources[0].routes[0], (std::vector<std::string>{"S1", "S2"}));
}

TEST(ProtectInputsTest, ThreatRules) {
  std::vector<Threat> threats;
  EXPECT_EQ(
      ParseThreats(std::string(kThreatHeader) + "north,2,,ana,2026-12-01\n", "threat.csv", &threats)
          .message(),
      "threat.csv:2:3: column 'legal_basis': is required");
  EXPECT_EQ(ParseThreats(std::string(kThreatHeader) + "north,-1,art 1,ana,2026-12-01\n",
                         "threat.csv", &threats)
                .message(),
            "threat.csv:2:2: column 'level': is negative (-1)");
  EXPECT_EQ(ParseThreats(std::string(kThreatHeader) + "north,1,art 1,ana,yesterday\n", "threat.csv",
                         &threats)
                .message(),
            "threat.csv:2:5: column 'assessed_on': 'yesterday' is not a date YYYY-MM-DD");
}

Inputs SmallInputs(const std::string& resources_rows) {
  Inputs inputs;
  inputs.shifts = 3;
  inputs.sites_file = "sites.csv";
  inputs.resources_file = "resources.csv";
  EXPECT_TRUE(ParseSites(std::string(kSitesHeader) + "S1,school,north,48.8,2.3,0|1,10,1,pref\n" +
                             "S2,station,north,48.8,2.3,*,20,1,pref\n",
                         "sites.csv", 3, &inputs.sites)
                  .ok());
  EXPECT_TRUE(ParseResources(std::string(kResourcesHeader) + resources_rows, "resources.csv", 3,
                             &inputs.resources)
                  .ok());
  EXPECT_TRUE(ParseThreats(std::string(kThreatHeader) + "north,1,art 1,ana,2026-12-01\n",
                           "threat.csv", &inputs.threats)
                  .ok());
  return inputs;
}

TEST(ProtectInputsTest, ValidateAcrossFiles) {
  EXPECT_TRUE(Validate(SmallInputs("T1,guard,2,*,S1,*,\n")).ok());
  EXPECT_EQ(Validate(SmallInputs("T1,guard,2,*,S1,S9,\n")).message(),
            "resources.csv:2:6: column 'covers': unknown site 'S9'");
  EXPECT_EQ(Validate(SmallInputs("T1,guard,2,*,S1,kind:museum,\n")).message(),
            "resources.csv:2:6: column 'covers': no site of kind 'museum'");
  // S1 is closed in shift 2: a team working only shift 2 and covering only
  // S1 covers nothing.
  EXPECT_EQ(Validate(SmallInputs("T1,guard,2,2,S1,S1,\n")).message(),
            "resources.csv:2:6: column 'covers': covers nothing (no site it names is open in its "
            "shifts)");
  EXPECT_EQ(Validate(SmallInputs("P1,patrol,1,2,S1,,S1+S2\n")).message(),
            "resources.csv:2:7: column 'routes': site 'S1' is open in none of the resource's "
            "shifts");
  Inputs no_threat = SmallInputs("T1,guard,2,*,S1,*,\n");
  no_threat.threats.clear();
  EXPECT_EQ(Validate(no_threat).message(),
            "sites.csv:2:3: column 'area': area 'north' has no threat assessment in the threat "
            "file");
}

}  // namespace
}  // namespace vigil::protect
