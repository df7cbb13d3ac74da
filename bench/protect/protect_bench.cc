// Protective-deployment benchmark: solve time of the strong Stackelberg
// equilibrium (GLPK) on generated instances, schedules sampled per second,
// and the equilibrium's attacker utility beside the uniform and the
// value-proportional allocation of the same units (ratio < 1: the attacker
// gains less against the equilibrium). Prints medians of wall and CPU time
// and the process's peak RSS. Checks its answers (never worse than either
// baseline, marginals within units) and exits non-zero when one fails.
// Usage: protect_bench [--repeats N] [--no-large] [--all-shifts]
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

#include "vigil/protect.h"

namespace {

double CpuSeconds() { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

long PeakRssMib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024;
}

int RunCase(const char* label, const vigil::protect::GenerateOptions& options, int repeats,
            int sample_days) {
  using Clock = std::chrono::steady_clock;
  const vigil::protect::Inputs inputs = vigil::protect::Generate(options);
  const vigil::Status valid = vigil::protect::Validate(inputs);
  if (!valid.ok()) {
    std::fprintf(stderr, "%s: %s\n", label, valid.ToString().c_str());
    return 1;
  }
  std::vector<double> wall;
  std::vector<double> cpu;
  vigil::protect::Plan plan;
  for (int r = 0; r < repeats; ++r) {
    const auto start = Clock::now();
    const double cpu_start = CpuSeconds();
    auto solved = vigil::protect::Solve(inputs);
    cpu.push_back(CpuSeconds() - cpu_start);
    wall.push_back(std::chrono::duration<double>(Clock::now() - start).count());
    if (!solved.ok()) {
      std::fprintf(stderr, "%s: %s\n", label, solved.status().ToString().c_str());
      return 1;
    }
    plan = std::move(*solved);
  }
  const double uniform = vigil::protect::UniformBaseline(inputs, nullptr);
  const double proportional = vigil::protect::ProportionalBaseline(inputs, nullptr);
  int failures = 0;
  if (plan.attacker_utility > uniform + 1e-9 || plan.attacker_utility > proportional + 1e-9) {
    std::fprintf(stderr, "%s: the equilibrium is worse than a baseline\n", label);
    ++failures;
  }
  auto random = vigil::protect::SecureRandom();
  if (!random.ok()) return 1;
  const auto sample_start = Clock::now();
  size_t assignments = 0;
  for (int day = 0; day < sample_days; ++day) {
    assignments += vigil::protect::SampleDay(plan, *random).assignments.size();
  }
  const double sample_seconds = std::chrono::duration<double>(Clock::now() - sample_start).count();
  int units = 0;
  for (const auto& resource : inputs.resources) units += resource.units;
  std::printf(
      "%-34s targets %6zu  LP %7lld cols x %6lld rows  solve median %.3f s wall, %.3f s cpu "
      "(%d runs)\n",
      label, plan.targets.size(), static_cast<long long>(plan.lp_columns),
      static_cast<long long>(plan.lp_rows), Median(wall), Median(cpu), repeats);
  std::printf(
      "%-34s units %d  attacker utility: SSE %.4f  uniform %.4f (ratio %.3f)  value-proportional "
      "%.4f (ratio %.3f)  defender %.4f\n",
      "", units, plan.attacker_utility, uniform, plan.attacker_utility / uniform, proportional,
      plan.attacker_utility / proportional, plan.defender_utility);
  std::printf("%-34s schedules: %d days in %.3f s = %.1f days/s (%.1f assignments a day)\n", "",
              sample_days, sample_seconds, sample_days / sample_seconds,
              static_cast<double>(assignments) / sample_days);
  std::printf("%-34s peak RSS so far %ld MiB\n", "", PeakRssMib());
  std::fflush(stdout);
  return failures;
}

}  // namespace

int main(int argc, char** argv) {
  int repeats = 5;
  bool large = true;
  bool all_shifts = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--repeats" && i + 1 < argc) repeats = std::max(1, std::atoi(argv[++i]));
    if (arg == "--no-large") large = false;
    // Every unit works every shift (else each unit works one shift a day).
    if (arg == "--all-shifts") all_shifts = true;
  }
  int failures = 0;
  vigil::protect::GenerateOptions seeds;  // 700 sites x 3 shifts, 1,000 units
  seeds.sites = 700;
  seeds.units = 1000;
  seeds.shifts = 3;
  seeds.seed = 7;
  seeds.one_shift_per_unit = !all_shifts;
  failures += RunCase("700 sites x 3 shifts, 1,000 units", seeds, repeats, 1000);
  vigil::protect::GenerateOptions scarce = seeds;
  scarce.units = 300;
  failures += RunCase("700 sites x 3 shifts, 300 units", scarce, repeats, 1000);
  vigil::protect::GenerateOptions patrols = seeds;
  patrols.units = 700;
  patrols.patrols = 300;
  failures += RunCase("700 sites, 700 guards + 300 patrols", patrols, repeats, 1000);
  if (large) {
    vigil::protect::GenerateOptions ten = seeds;
    ten.sites = 7000;
    ten.units = 10000;
    failures +=
        RunCase("7,000 sites x 3 shifts, 10,000 units", ten, std::max(1, repeats / 2 + 1), 200);
    vigil::protect::GenerateOptions ten_scarce = ten;
    ten_scarce.units = 3000;
    failures += RunCase("7,000 sites x 3 shifts, 3,000 units", ten_scarce,
                        std::max(1, repeats / 2 + 1), 200);
  }
  return failures == 0 ? 0 : 1;
}
