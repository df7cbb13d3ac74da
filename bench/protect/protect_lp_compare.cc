// GLPK beside COIN-OR CLP (the LP engine of CBC) on exactly the same LP:
// the first LP protect::Solve runs (least attacker utility k*), written once
// to free MPS by protect's WriteOrigamiLp and read by both solvers. Only the
// solve is timed (median of --repeats, each from a freshly read problem):
// GLPK as Solve runs it (primal simplex, no presolve) and with its
// presolver; CLP's dual simplex and its initialSolve (presolve, then the
// method it picks). Checks that every solver reaches the same objective
// (within 1e-6 relative) and exits non-zero otherwise. Prints wall and CPU
// medians and CLP/GLPK ratios.
// Usage: protect_lp_compare [--repeats N] [--no-large]
#include <glpk.h>
#include <unistd.h>
#include <coin/ClpSimplex.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "protect/model.h"
#include "vigil/protect.h"

namespace {

double CpuSeconds() { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

struct Timing {
  double wall = 0;
  double cpu = 0;
  double objective = 0;
  bool ok = true;
};

// Runs `solve` (which returns the objective, NaN on failure) `repeats`
// times, each after `load`, timing only the solve.
Timing Measure(int repeats, const std::function<void()>& load,
               const std::function<double()>& solve) {
  using Clock = std::chrono::steady_clock;
  std::vector<double> wall, cpu;
  Timing out;
  for (int r = 0; r < repeats; ++r) {
    load();
    const auto start = Clock::now();
    const double cpu_start = CpuSeconds();
    const double objective = solve();
    cpu.push_back(CpuSeconds() - cpu_start);
    wall.push_back(std::chrono::duration<double>(Clock::now() - start).count());
    if (!std::isfinite(objective)) out.ok = false;
    out.objective = objective;
  }
  out.wall = Median(wall);
  out.cpu = Median(cpu);
  return out;
}

struct GlpkDeleter {
  void operator()(glp_prob* p) const { glp_delete_prob(p); }
};

int RunCase(const char* label, const vigil::protect::GenerateOptions& options, int repeats) {
  const vigil::protect::Inputs inputs = vigil::protect::Generate(options);
  const std::string path = "/tmp/protect_lp_compare_" + std::to_string(::getpid()) + ".mps";
  const vigil::Status written = vigil::protect::WriteOrigamiLp(inputs, path);
  if (!written.ok()) {
    std::fprintf(stderr, "%s: %s\n", label, written.ToString().c_str());
    return 1;
  }
  std::unique_ptr<glp_prob, GlpkDeleter> glpk;
  auto load_glpk = [&] {
    glpk.reset(glp_create_prob());
    if (glp_read_mps(glpk.get(), GLP_MPS_FILE, nullptr, path.c_str()) != 0) std::abort();
  };
  auto glpk_solve = [&](bool presolve) {
    return [&glpk, presolve]() -> double {
      glp_smcp parameters;
      glp_init_smcp(&parameters);
      parameters.msg_lev = GLP_MSG_OFF;
      parameters.presolve = presolve ? GLP_ON : GLP_OFF;
      if (glp_simplex(glpk.get(), &parameters) != 0 || glp_get_status(glpk.get()) != GLP_OPT) {
        return NAN;
      }
      return glp_get_obj_val(glpk.get());
    };
  };
  std::unique_ptr<ClpSimplex> clp;
  auto load_clp = [&] {
    clp = std::make_unique<ClpSimplex>();
    clp->setLogLevel(0);
    if (clp->readMps(path.c_str(), true, false) != 0) std::abort();
  };
  auto clp_dual = [&]() -> double {
    clp->dual();
    return clp->isProvenOptimal() ? clp->objectiveValue() : NAN;
  };
  auto clp_initial = [&]() -> double {
    clp->initialSolve();
    return clp->isProvenOptimal() ? clp->objectiveValue() : NAN;
  };
  glp_term_out(GLP_OFF);
  const Timing glpk_primal = Measure(repeats, load_glpk, glpk_solve(false));
  const Timing glpk_presolved = Measure(repeats, load_glpk, glpk_solve(true));
  const Timing dual = Measure(repeats, load_clp, clp_dual);
  const Timing initial = Measure(repeats, load_clp, clp_initial);
  glp_term_out(GLP_ON);
  const int rows = glpk ? glp_get_num_rows(glpk.get()) : 0;
  const int cols = glpk ? glp_get_num_cols(glpk.get()) : 0;
  std::remove(path.c_str());
  int failures = 0;
  const double reference = glpk_primal.objective;
  for (const Timing* t : {&glpk_primal, &glpk_presolved, &dual, &initial}) {
    if (!t->ok ||
        std::fabs(t->objective - reference) > 1e-6 * std::max(1.0, std::fabs(reference))) {
      ++failures;
    }
  }
  std::printf("%s: LP %d cols x %d rows, k* = %.6f (%d runs)\n", label, cols, rows, reference,
              repeats);
  auto line = [&](const char* name, const Timing& t) {
    std::printf("  %-34s k* %.6f  median %.3f s wall, %.3f s cpu  (wall ratio to GLPK %.3f)\n",
                name, t.objective, t.wall, t.cpu, t.wall / glpk_primal.wall);
  };
  line("GLPK primal, no presolve (Solve's)", glpk_primal);
  line("GLPK primal, presolve", glpk_presolved);
  line("CLP dual simplex", dual);
  line("CLP initialSolve (presolve, auto)", initial);
  if (failures) std::printf("  MISMATCH: the solvers disagree on k*\n");
  std::fflush(stdout);
  return failures;
}

}  // namespace

int main(int argc, char** argv) {
  int repeats = 5;
  bool large = true;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--repeats" && i + 1 < argc) repeats = std::max(1, std::atoi(argv[++i]));
    if (arg == "--no-large") large = false;
  }
  int failures = 0;
  vigil::protect::GenerateOptions base;  // protect_bench's instances, seed 7
  base.sites = 700;
  base.units = 300;
  base.shifts = 3;
  base.seed = 7;
  base.one_shift_per_unit = false;
  failures += RunCase("700 sites x 3 shifts, 300 units, all shifts", base, repeats);
  vigil::protect::GenerateOptions one_shift = base;
  one_shift.units = 1000;
  one_shift.one_shift_per_unit = true;
  failures += RunCase("700 sites x 3 shifts, 1,000 units, one shift each", one_shift, repeats);
  if (large) {
    vigil::protect::GenerateOptions ten = base;
    ten.sites = 7000;
    ten.units = 3000;
    failures += RunCase("7,000 sites x 3 shifts, 3,000 units, all shifts", ten,
                        std::max(1, repeats / 2 + 1));
    vigil::protect::GenerateOptions ten_one = one_shift;
    ten_one.sites = 7000;
    ten_one.units = 10000;
    failures += RunCase("7,000 sites x 3 shifts, 10,000 units, one shift each", ten_one,
                        std::max(1, repeats / 2 + 1));
  }
  return failures == 0 ? 0 : 1;
}
