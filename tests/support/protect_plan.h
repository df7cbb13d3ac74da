// A small solved protective-deployment plan as the store keeps it, for tests
// that need stored plans (the route matrices, the API tests): two sites, one
// guard team, one shift; `tag` names the first site, so that each tag gives
// a plan of its own id.
#ifndef VIGIL_TESTS_SUPPORT_PROTECT_PLAN_H_
#define VIGIL_TESTS_SUPPORT_PROTECT_PLAN_H_

#include <string>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "util/hash.h"
#include "vigil/protect.h"
#include "vigil/store.h"

namespace vigil::testing {

// The inputs of SmallProtectPlan: sites S-<tag> (value 10) and S-other
// (value 4) in area A (level 1), one guard team of one unit covering both.
inline protect::Inputs SmallProtectInputs(const std::string& tag) {
  protect::Inputs inputs;
  inputs.shifts = 1;
  for (const auto& [id, value] :
       {std::pair<std::string, double>{"S-" + tag, 10.0}, {"S-other", 4.0}}) {
    protect::Site site;
    site.id = id;
    site.kind = "school";
    site.area = "A";
    site.shifts = {0};
    site.value = value;
    site.foiled_cost = 1;
    site.value_set_by = "test authority";
    inputs.sites.push_back(site);
  }
  protect::Resource team;
  team.id = "T1";
  team.kind = "guard";
  team.units = 1;
  team.shifts = {0};
  team.covers = {"*"};
  inputs.resources.push_back(team);
  protect::Threat threat;
  threat.area = "A";
  threat.level = 1;
  threat.legal_basis = "test order";
  threat.author = "test analyst";
  threat.assessed_on = "2026-01-01";
  inputs.threats.push_back(threat);
  return inputs;
}

// SmallProtectInputs(tag) as the rows the API's proposal takes (the input
// files' columns as JSON objects).
inline nlohmann::ordered_json SmallProtectInputRows(const std::string& tag) {
  using J = nlohmann::ordered_json;
  J sites = J::array();
  for (const auto& [id, value] :
       {std::pair<std::string, double>{"S-" + tag, 10.0}, {"S-other", 4.0}}) {
    sites.push_back({{"id", id},
                     {"kind", "school"},
                     {"area", "A"},
                     {"lat", 48.85},
                     {"lon", 2.35},
                     {"shifts", "0"},
                     {"value", value},
                     {"foiled_cost", 1},
                     {"value_set_by", "test authority"}});
  }
  J resources = J::array(
      {J{{"id", "T1"}, {"kind", "guard"}, {"units", 1}, {"shifts", "0"}, {"covers", "*"}}});
  J threats = J::array({J{{"area", "A"},
                          {"level", 1},
                          {"legal_basis", "test order"},
                          {"author", "test analyst"},
                          {"assessed_on", "2026-01-01"}}});
  return J{{"sites", sites}, {"resources", resources}, {"threats", threats}};
}

// The plan of SmallProtectInputs(tag) as a record proposed by `proposed_by`
// (its id "PP" + 12 hex digits of the content's hash, as `vigil protect plan`
// makes it).
inline ProtectPlanRecord SmallProtectPlan(const std::string& tag, const std::string& proposed_by) {
  const protect::Inputs inputs = SmallProtectInputs(tag);
  auto plan = protect::Solve(inputs);
  EXPECT_TRUE(plan.ok()) << plan.status().ToString();
  ProtectPlanRecord record;
  record.content = plan.ok() ? protect::PlanToJson(*plan, inputs) : "";
  record.content_hash = HashBytes(record.content);
  record.id = "PP" + record.content_hash.substr(0, 12);
  record.proposed_by = proposed_by;
  record.proposed_at = 1'700'000'000;
  return record;
}

}  // namespace vigil::testing

#endif  // VIGIL_TESTS_SUPPORT_PROTECT_PLAN_H_
