// Concrete days drawn from a plan: the marginals are honoured (empirical
// frequencies converge to the LP's), no group deploys more units than it has,
// and no site is guarded twice in a shift.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <random>
#include <set>
#include <string>

#include "vigil/protect.h"

namespace vigil::protect {
namespace {

RandomSource Seeded(uint64_t seed) {
  auto engine = std::make_shared<std::mt19937>(static_cast<uint32_t>(seed));
  return [engine]() -> uint32_t { return (*engine)(); };
}

void ExpectMarginalsHonoured(const Inputs& inputs, int days, double tolerance) {
  Result<Plan> plan = Solve(inputs);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  std::map<std::pair<std::string, int>, int> units;
  for (const Resource& resource : inputs.resources) {
    for (int shift : resource.shifts) units[{resource.id, shift}] = resource.units;
  }
  std::map<std::pair<std::string, int>, double> covered;  // (site, shift) -> days covered
  std::map<std::tuple<std::string, int, std::vector<std::string>>, double> taken;
  RandomSource random = Seeded(42);
  for (int day = 0; day < days; ++day) {
    Day drawn = SampleDay(*plan, random);
    std::map<std::pair<std::string, int>, int> deployed;
    std::set<std::pair<std::string, int>> guarded;
    for (const Assignment& assignment : drawn.assignments) {
      ++deployed[{assignment.resource, assignment.shift}];
      taken[{assignment.resource, assignment.shift, assignment.sites}] += 1;
      for (const std::string& site : assignment.sites) {
        if (!plan->routes) {
          EXPECT_TRUE(guarded.insert({site, assignment.shift}).second)
              << site << " guarded twice in shift " << assignment.shift;
        }
        guarded.insert({site, assignment.shift});
      }
    }
    for (const auto& [key, count] : deployed) {
      ASSERT_LE(count, units[key]) << key.first << " deploys more units than it has";
    }
    for (const auto& key : guarded) covered[key] += 1;
  }
  // Every schedule's marginal within a few standard errors.
  for (const ScheduleMarginal& marginal : plan->marginals) {
    const double frequency = taken[{marginal.resource, marginal.shift, marginal.sites}] / days;
    const double sigma = std::sqrt(marginal.units * (1 - marginal.units) / days);
    EXPECT_NEAR(frequency, marginal.units, 5 * sigma + 1e-9)
        << marginal.resource << " shift " << marginal.shift;
  }
  // Without overlapping routes, every site's coverage as the LP says.
  if (!plan->overlapping_routes) {
    double worst = 0;
    for (const TargetCoverage& target : plan->targets) {
      const double frequency = covered[{target.site, target.shift}] / days;
      worst = std::max(worst, std::fabs(frequency - target.coverage));
    }
    EXPECT_LT(worst, tolerance);
  }
}

TEST(ProtectSampleTest, SingletonMarginalsConverge) {
  GenerateOptions options;
  options.sites = 40;
  options.units = 14;
  options.shifts = 2;
  options.sites_per_area = 10;
  ExpectMarginalsHonoured(Generate(options), 20000, 0.02);
}

TEST(ProtectSampleTest, RouteMarginalsConverge) {
  GenerateOptions options;
  options.sites = 30;
  options.units = 8;
  options.shifts = 2;
  options.sites_per_area = 10;
  options.patrols = 4;
  Inputs inputs = Generate(options);
  ASSERT_TRUE(Validate(inputs).ok());
  ExpectMarginalsHonoured(inputs, 20000, 0.02);
}

// Two days from the secure source differ (the schedule is not fixed), and
// every draw deploys the expected number of units on average.
TEST(ProtectSampleTest, SecureSourceDrawsDifferentDays) {
  GenerateOptions options;
  options.sites = 50;
  options.units = 10;
  options.sites_per_area = 50;
  Result<Plan> plan = Solve(Generate(options));
  ASSERT_TRUE(plan.ok());
  Result<RandomSource> random = SecureRandom();
  ASSERT_TRUE(random.ok());
  std::set<std::string> seen;
  for (int day = 0; day < 20; ++day) {
    Day drawn = SampleDay(*plan, *random);
    std::string key;
    for (const Assignment& assignment : drawn.assignments) {
      key += assignment.sites[0] + "/" + std::to_string(assignment.shift) + ";";
    }
    seen.insert(key);
  }
  EXPECT_GT(seen.size(), 1u);
}

}  // namespace
}  // namespace vigil::protect
