// The security-game solver: games solved by hand, the two formulations
// against each other, and the equilibrium against simple allocations.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "vigil/protect.h"

namespace vigil::protect {
namespace {

Site MakeSite(const std::string& id, double value, double foiled, std::vector<int> shifts = {0},
              const std::string& area = "north") {
  Site site;
  site.id = id;
  site.kind = "station";
  site.area = area;
  site.shifts = std::move(shifts);
  site.value = value;
  site.foiled_cost = foiled;
  site.value_set_by = "prefecture";
  return site;
}

Resource MakeTeam(const std::string& id, int units, std::vector<std::string> covers,
                  std::vector<int> shifts = {0}) {
  Resource team;
  team.id = id;
  team.kind = "guard";
  team.units = units;
  team.shifts = std::move(shifts);
  team.covers = std::move(covers);
  return team;
}

Threat MakeThreat(const std::string& area, double level) {
  Threat threat;
  threat.area = area;
  threat.level = level;
  threat.legal_basis = "art. 1";
  threat.author = "analyst";
  threat.assessed_on = "2026-12-01";
  return threat;
}

Inputs OneShift(std::vector<Site> sites, std::vector<Resource> resources) {
  Inputs inputs;
  inputs.shifts = 1;
  inputs.sites = std::move(sites);
  inputs.resources = std::move(resources);
  inputs.threats = {MakeThreat("north", 1)};
  return inputs;
}

double CoverageOf(const Plan& plan, const std::string& site, int shift = 0) {
  for (const TargetCoverage& target : plan.targets) {
    if (target.site == site && target.shift == shift) return target.coverage;
  }
  ADD_FAILURE() << "no target " << site << "/" << shift;
  return -1;
}

// Five identical sites, two units: every site 2/5, the attacker's gain
// 10 * 3/5 = 6 everywhere, every site binding.
TEST(ProtectSolverTest, IdenticalSitesGetEqualCoverage) {
  std::vector<Site> sites;
  for (int i = 0; i < 5; ++i) sites.push_back(MakeSite("S" + std::to_string(i), 10, 2));
  Inputs inputs = OneShift(sites, {MakeTeam("T", 2, {"*"})});
  ASSERT_TRUE(Validate(inputs).ok());
  for (Method method : {Method::kOrigami, Method::kMultipleLps}) {
    Result<Plan> plan = Solve(inputs, method);
    ASSERT_TRUE(plan.ok()) << plan.status().ToString();
    ASSERT_EQ(plan->targets.size(), 5u);
    for (const TargetCoverage& target : plan->targets) {
      EXPECT_NEAR(target.coverage, 0.4, 1e-6) << target.site;
      EXPECT_TRUE(target.binding) << target.site;
    }
    EXPECT_NEAR(plan->attacker_utility, 6.0, 1e-6);
    // Defender: -10 + 0.4 * (10 - 2) = -6.8.
    EXPECT_NEAR(plan->defender_utility, -6.8, 1e-6);
  }
}

// Two sites, one unit, attacker gains 30 and 10 (covered 0): indifference
// (1 - c1) 30 = (1 - c2) 10 with c1 + c2 = 1 gives c1 = 3/4, c2 = 1/4 and an
// attacker utility of 7.5. The defender's payoffs (foiled 6 and 0): at S1
// -30 + 0.75 * 24 = -12, at S2 -10 + 0.25 * 10 = -7.5; the strong SSE has
// him attack S2.
TEST(ProtectSolverTest, TwoSitesMatchTheClosedForm) {
  Inputs inputs =
      OneShift({MakeSite("S1", 30, 6), MakeSite("S2", 10, 0)}, {MakeTeam("T", 1, {"*"})});
  for (Method method : {Method::kOrigami, Method::kMultipleLps}) {
    Result<Plan> plan = Solve(inputs, method);
    ASSERT_TRUE(plan.ok()) << plan.status().ToString();
    EXPECT_NEAR(CoverageOf(*plan, "S1"), 0.75, 1e-6);
    EXPECT_NEAR(CoverageOf(*plan, "S2"), 0.25, 1e-6);
    EXPECT_NEAR(plan->attacker_utility, 7.5, 1e-6);
    EXPECT_NEAR(plan->defender_utility, -7.5, 1e-6);
    EXPECT_EQ(plan->attacked_site, "S2");
  }
}

// A threat level multiplies the area's payoffs: the same two sites, with S2
// in an area at level 3, are then identical (gain 30 each): 1/2 each.
TEST(ProtectSolverTest, ThreatLevelScalesTheArea) {
  Inputs inputs = OneShift({MakeSite("S1", 30, 0), MakeSite("S2", 10, 0, {0}, "south")},
                           {MakeTeam("T", 1, {"*"})});
  inputs.threats.push_back(MakeThreat("south", 3));
  Result<Plan> plan = Solve(inputs);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  EXPECT_NEAR(CoverageOf(*plan, "S1"), 0.5, 1e-6);
  EXPECT_NEAR(CoverageOf(*plan, "S2"), 0.5, 1e-6);
  EXPECT_NEAR(plan->attacker_utility, 15, 1e-6);
}

// A site worth little is left unguarded and not binding, and the
// explanation says why.
TEST(ProtectSolverTest, LowValueSiteIsNotBindingAndSaysWhy) {
  Inputs inputs = OneShift({MakeSite("S1", 10, 0), MakeSite("S2", 10, 0), MakeSite("S3", 1, 0)},
                           {MakeTeam("T", 1, {"*"})});
  Result<Plan> plan = Solve(inputs);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  EXPECT_NEAR(CoverageOf(*plan, "S3"), 0.0, 1e-9);
  EXPECT_NEAR(plan->attacker_utility, 5.0, 1e-6);
  for (const TargetCoverage& target : plan->targets) {
    if (target.site == "S3") {
      EXPECT_FALSE(target.binding);
      EXPECT_NE(target.why.find("below 5"), std::string::npos) << target.why;
    } else {
      EXPECT_TRUE(target.binding);
      EXPECT_NE(target.why.find("binding"), std::string::npos);
    }
  }
}

// A team may only cover what its covers column names: a site out of reach
// keeps coverage 0 however valuable, and the reachable ones share the unit.
TEST(ProtectSolverTest, CoverageRespectsWhatATeamMayCover) {
  Inputs inputs = OneShift({MakeSite("S1", 10, 0), MakeSite("S2", 10, 0), MakeSite("S3", 50, 0)},
                           {MakeTeam("T", 1, {"S1", "S2"})});
  Result<Plan> plan = Solve(inputs);
  ASSERT_TRUE(plan.ok());
  EXPECT_NEAR(CoverageOf(*plan, "S3"), 0.0, 1e-9);
  EXPECT_NEAR(plan->attacker_utility, 50, 1e-6);
  EXPECT_EQ(plan->attacked_site, "S3");
}

// Random general-sum games with shifts, partial covers and two groups: the
// single-LP method and the multiple-LPs formulation agree on the
// equilibrium's utilities.
TEST(ProtectSolverTest, OrigamiAgreesWithMultipleLps) {
  for (uint64_t seed = 1; seed <= 12; ++seed) {
    GenerateOptions options;
    options.sites = 6 + static_cast<int>(seed % 5);
    options.units = 3 + static_cast<int>(seed % 3);
    options.shifts = 2;
    options.sites_per_area = 4;
    options.seed = seed;
    Inputs inputs = Generate(options);
    ASSERT_TRUE(Validate(inputs).ok()) << Validate(inputs).ToString();
    Result<Plan> origami = Solve(inputs, Method::kOrigami);
    Result<Plan> multiple = Solve(inputs, Method::kMultipleLps);
    ASSERT_TRUE(origami.ok()) << origami.status().ToString();
    ASSERT_TRUE(multiple.ok()) << multiple.status().ToString();
    EXPECT_NEAR(origami->defender_utility, multiple->defender_utility, 1e-6) << "seed " << seed;
    EXPECT_NEAR(origami->attacker_utility, multiple->attacker_utility, 1e-6) << "seed " << seed;
  }
}

// The equilibrium against the uniform and value-proportional allocations of
// the same units: the attacker's best-response utility is never higher.
TEST(ProtectSolverTest, NeverWorseThanUniformOrProportional) {
  for (uint64_t seed = 1; seed <= 6; ++seed) {
    GenerateOptions options;
    options.sites = 120;
    options.units = 40 + static_cast<int>(seed * 15);
    options.sites_per_area = 20;
    options.patrols = static_cast<int>(seed % 2) * 4;
    options.seed = seed;
    Inputs inputs = Generate(options);
    ASSERT_TRUE(Validate(inputs).ok());
    Result<Plan> plan = Solve(inputs);
    ASSERT_TRUE(plan.ok()) << plan.status().ToString();
    const double uniform = UniformBaseline(inputs, nullptr);
    const double proportional = ProportionalBaseline(inputs, nullptr);
    EXPECT_LE(plan->attacker_utility, uniform + 1e-9) << "seed " << seed;
    EXPECT_LE(plan->attacker_utility, proportional + 1e-9) << "seed " << seed;
    // And the plan's own coverage gives the attacker no more than it says.
    double worst = 0;
    for (const TargetCoverage& target : plan->targets) {
      worst = std::max(worst, target.attacker_utility);
    }
    EXPECT_NEAR(worst, plan->attacker_utility, 1e-6);
  }
}

// Units are never over-used: per resource and shift the expected units on
// schedules stay within the group's size, and every coverage in [0, 1].
TEST(ProtectSolverTest, MarginalsStayWithinTheUnits) {
  GenerateOptions options;
  options.sites = 200;
  options.units = 150;
  options.sites_per_area = 25;
  options.patrols = 6;
  Inputs inputs = Generate(options);
  Result<Plan> plan = Solve(inputs);
  ASSERT_TRUE(plan.ok());
  std::map<std::pair<std::string, int>, double> used;
  for (const ScheduleMarginal& marginal : plan->marginals) {
    used[{marginal.resource, marginal.shift}] += marginal.units;
  }
  for (const auto& [key, units] : used) {
    const auto it = std::find_if(inputs.resources.begin(), inputs.resources.end(),
                                 [&](const Resource& r) { return r.id == key.first; });
    ASSERT_NE(it, inputs.resources.end());
    EXPECT_LE(units, it->units + 1e-6) << key.first;
  }
  for (const TargetCoverage& target : plan->targets) {
    EXPECT_GE(target.coverage, 0);
    EXPECT_LE(target.coverage, 1);
  }
}

// What-ifs: one more team never raises the attacker's utility, a raised
// threat level never lowers it, a closed site leaves the plan.
TEST(ProtectSolverTest, WhatIfsMoveTheFiguresTheRightWay) {
  GenerateOptions options;
  options.sites = 60;
  options.units = 20;
  options.sites_per_area = 20;
  Inputs inputs = Generate(options);
  Result<Plan> base = Solve(inputs);
  ASSERT_TRUE(base.ok());
  Result<Inputs> more = ApplyWhatIf(inputs, "add-team=EXTRA:5:*");
  ASSERT_TRUE(more.ok()) << more.status().ToString();
  Result<Plan> with_team = Solve(*more);
  ASSERT_TRUE(with_team.ok());
  EXPECT_LT(with_team->attacker_utility, base->attacker_utility);
  Result<Inputs> raised = ApplyWhatIf(inputs, "threat A00000=9");
  ASSERT_TRUE(raised.ok()) << raised.status().ToString();
  Result<Plan> with_threat = Solve(*raised);
  ASSERT_TRUE(with_threat.ok());
  EXPECT_GE(with_threat->attacker_utility, base->attacker_utility - 1e-9);
  Result<Inputs> closed = ApplyWhatIf(inputs, "close-site=" + base->attacked_site);
  ASSERT_TRUE(closed.ok()) << closed.status().ToString();
  Result<Plan> without = Solve(*closed);
  ASSERT_TRUE(without.ok());
  for (const TargetCoverage& target : without->targets) EXPECT_NE(target.site, base->attacked_site);
  EXPECT_FALSE(ApplyWhatIf(inputs, "close-site=NOPE").ok());
  EXPECT_FALSE(ApplyWhatIf(inputs, "threat A00000=-1").ok());
  EXPECT_FALSE(ApplyWhatIf(inputs, "add-team=T00000s0:1:*").ok());  // the id exists
  EXPECT_FALSE(ApplyWhatIf(inputs, "teleport=1").ok());
}

TEST(ProtectSolverTest, PlanJsonRoundTrips) {
  Inputs inputs =
      OneShift({MakeSite("S1", 30, 6), MakeSite("S2", 10, 0)}, {MakeTeam("T", 1, {"*"})});
  Result<Plan> plan = Solve(inputs);
  ASSERT_TRUE(plan.ok());
  const std::string json = PlanToJson(*plan, inputs);
  EXPECT_NE(json.find("\"legal_basis\": \"art. 1\""), std::string::npos) << json;
  Result<Plan> back = PlanFromJson(json);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  ASSERT_EQ(back->targets.size(), plan->targets.size());
  EXPECT_DOUBLE_EQ(back->targets[0].coverage, plan->targets[0].coverage);
  EXPECT_EQ(back->marginals.size(), plan->marginals.size());
  EXPECT_EQ(back->attacked_site, plan->attacked_site);
  EXPECT_FALSE(PlanFromJson("{\"format\":\"other\"}").ok());
  EXPECT_FALSE(PlanFromJson("[1,2]").ok());
}

}  // namespace
}  // namespace vigil::protect
