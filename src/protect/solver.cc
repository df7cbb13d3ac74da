// The defender's strong Stackelberg equilibrium with GLPK (protect.h has the
// model, the argument for exactness and the cost).
#include <glpk.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "protect/model.h"
#include "vigil/protect.h"

namespace vigil::protect {
namespace {

// Relative tolerance for "the attacker gets k* here".
constexpr double kBindingTolerance = 1e-7;

struct ProblemDeleter {
  void operator()(glp_prob* problem) const { glp_delete_prob(problem); }
};
using Problem = std::unique_ptr<glp_prob, ProblemDeleter>;

// GLPK keeps an environment per thread, created on first use and never
// freed by the library; on a server worker thread that exits it is lost.
// Frees it when the scope ends. Contract: no GLPK object of this thread may
// outlive the scope (only this file uses GLPK, and every Problem is scoped
// inside the public call that declares this guard first).
struct ThreadEnvironmentGuard {
  ThreadEnvironmentGuard() = default;
  ThreadEnvironmentGuard(const ThreadEnvironmentGuard&) = delete;
  ThreadEnvironmentGuard& operator=(const ThreadEnvironmentGuard&) = delete;
  ~ThreadEnvironmentGuard() { glp_free_env(); }
};

std::string Figure(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%.4g", value);
  return buffer;
}

// The LP's columns: c_t (1..T), x_e (T+1..T+E), k (T+E+1).
struct Lp {
  Problem problem;
  int targets = 0;
  int edges = 0;
  int k_column = 0;
  int attacker_row_first = 0;  // rows of A_t c_t + k >= A_t (ORIGAMI form)
};

// Builds the resource part of the LP: coverage definitions, group
// capacities, route-node capacities. With `origami`, adds k and the rows
// A_t c_t + k >= A_t; the objective is set by the caller.
Lp BuildLp(const Game& game, bool origami) {
  Lp lp;
  lp.problem.reset(glp_create_prob());
  glp_prob* problem = lp.problem.get();
  lp.targets = static_cast<int>(game.targets.size());
  lp.edges = static_cast<int>(game.edges.size());
  const int columns = lp.targets + lp.edges + (origami ? 1 : 0);
  glp_add_cols(problem, columns);
  for (int t = 1; t <= lp.targets; ++t) glp_set_col_bnds(problem, t, GLP_DB, 0.0, 1.0);
  for (int e = 1; e <= lp.edges; ++e) glp_set_col_bnds(problem, lp.targets + e, GLP_DB, 0.0, 1.0);
  if (origami) {
    lp.k_column = columns;
    glp_set_col_bnds(problem, lp.k_column, GLP_LO, 0.0, 0.0);
  }
  std::vector<int> ia(1);
  std::vector<int> ja(1);
  std::vector<double> ar(1);
  auto add = [&](int row, int column, double value) {
    ia.push_back(row);
    ja.push_back(column);
    ar.push_back(value);
  };
  int row = 0;
  // c_t - sum_{e covers t} x_e = 0.
  glp_add_rows(problem, lp.targets);
  for (int t = 0; t < lp.targets; ++t) {
    ++row;
    glp_set_row_bnds(problem, row, GLP_FX, 0.0, 0.0);
    add(row, t + 1, 1.0);
    for (int e : game.edges_of_target[t]) add(row, lp.targets + e + 1, -1.0);
  }
  // sum_{e of group} x_e <= units.
  std::vector<std::vector<int>> edges_of_group(game.groups.size());
  std::vector<std::vector<int>> edges_of_node(game.nodes.size());
  for (int e = 0; e < lp.edges; ++e) {
    edges_of_group[game.edges[e].group].push_back(e);
    edges_of_node[game.edges[e].node].push_back(e);
  }
  if (!game.groups.empty()) glp_add_rows(problem, static_cast<int>(game.groups.size()));
  for (size_t g = 0; g < game.groups.size(); ++g) {
    ++row;
    glp_set_row_bnds(problem, row, GLP_UP, 0.0, game.groups[g].units);
    for (int e : edges_of_group[g]) add(row, lp.targets + e + 1, 1.0);
  }
  // A route taken by at most one unit in expectation (the sampler then
  // never sends two units on one route).
  for (size_t n = 0; n < game.nodes.size(); ++n) {
    if (game.nodes[n].targets.size() < 2 || edges_of_node[n].size() < 2) continue;
    ++row;
    glp_add_rows(problem, 1);
    glp_set_row_bnds(problem, row, GLP_UP, 0.0, 1.0);
    for (int e : edges_of_node[n]) add(row, lp.targets + e + 1, 1.0);
  }
  if (origami) {
    lp.attacker_row_first = row + 1;
    glp_add_rows(problem, lp.targets);
    for (int t = 0; t < lp.targets; ++t) {
      ++row;
      const double gain = game.targets[t].attacker_gain;
      glp_set_row_bnds(problem, row, GLP_LO, gain, 0.0);
      if (gain != 0) add(row, t + 1, gain);
      add(row, lp.k_column, 1.0);
    }
  }
  glp_load_matrix(problem, static_cast<int>(ia.size() - 1), ia.data(), ja.data(), ar.data());
  return lp;
}

Status RunSimplex(glp_prob* problem) {
  glp_smcp parameters;
  glp_init_smcp(&parameters);
  parameters.msg_lev = GLP_MSG_OFF;
  parameters.presolve = GLP_OFF;
  const int code = glp_simplex(problem, &parameters);
  if (code != 0) return Status::Internal("GLPK simplex failed (code " + std::to_string(code) + ")");
  const int status = glp_get_status(problem);
  if (status != GLP_OPT) {
    return Status::Internal("GLPK found no optimum (status " + std::to_string(status) + ")");
  }
  return Status::Ok();
}

double CoverageAt(const GameTarget& target, double k) {
  if (target.attacker_gain <= 0) return 0;
  return std::clamp((target.attacker_gain - k) / target.attacker_gain, 0.0, 1.0);
}

double DefenderUtility(const GameTarget& target, double coverage) {
  return -target.defender_loss + coverage * (target.defender_loss - target.defender_foiled);
}

double AttackerUtility(const GameTarget& target, double coverage) {
  return target.attacker_gain * (1 - coverage);
}

void FillPlan(const Game& game, const Inputs& inputs, const std::vector<double>& coverage,
              const std::vector<double>& x, double k, int attacked, Plan* plan) {
  plan->attacker_utility = k;
  const GameTarget& hit = game.targets[attacked];
  plan->attacked_site = inputs.sites[hit.site].id;
  plan->attacked_shift = hit.shift;
  plan->defender_utility = DefenderUtility(hit, coverage[attacked]);
  plan->routes = game.routes;
  plan->overlapping_routes = game.overlapping;
  const double tolerance = kBindingTolerance * std::max(1.0, std::fabs(k));
  int binding = 0;
  for (size_t t = 0; t < game.targets.size(); ++t) {
    const GameTarget& target = game.targets[t];
    TargetCoverage out;
    out.site = inputs.sites[target.site].id;
    out.shift = target.shift;
    out.coverage = coverage[t];
    out.attacker_utility = AttackerUtility(target, coverage[t]);
    out.defender_utility = DefenderUtility(target, coverage[t]);
    out.binding = out.attacker_utility >= k - tolerance && target.attacker_gain > 0;
    const std::string gain = "threat " + Figure(target.threat) + " x value " +
                             Figure(inputs.sites[target.site].value) + " = " +
                             Figure(target.attacker_gain);
    if (out.binding) {
      ++binding;
      out.why = "binding: coverage " + Figure(out.coverage) +
                " holds the attacker's expected gain here to " + Figure(out.attacker_utility) +
                " (= (1 - coverage) x " + gain +
                "), the most he can get anywhere; more coverage here needs units taken from "
                "another binding target, which would then become his best choice";
    } else if (out.coverage <= 1e-9) {
      out.why = "not binding: unguarded, its gain (" + gain + ") is below " + Figure(k) +
                ", the attacker's best";
    } else {
      out.why = "not binding: coverage " + Figure(out.coverage) +
                " from units with no binding "
                "target in reach keeps the gain at " +
                Figure(out.attacker_utility) + ", below " + Figure(k);
    }
    if (static_cast<int>(t) == attacked) {
      out.why +=
          "; the equilibrium's attacked target: among the binding targets the attacker "
          "is indifferent, and the one least bad for the defender is assumed (strong "
          "Stackelberg)";
    }
    plan->targets.push_back(std::move(out));
  }
  for (size_t e = 0; e < game.edges.size(); ++e) {
    if (x[e] <= 1e-12) continue;
    const GameEdge& edge = game.edges[e];
    ScheduleMarginal marginal;
    marginal.resource = inputs.resources[game.groups[edge.group].resource].id;
    marginal.shift = game.groups[edge.group].shift;
    marginal.sites = game.nodes[edge.node].sites;
    marginal.units = std::min(1.0, x[e]);
    plan->marginals.push_back(std::move(marginal));
  }
  int64_t units = 0;
  double used = 0;
  for (const GroupShift& group : game.groups) units += group.units;
  for (const ScheduleMarginal& marginal : plan->marginals) used += marginal.units;
  plan->explanation =
      "The attacker's best expected gain is held to " + Figure(k) + " at " +
      std::to_string(binding) + " binding target(s) of " + std::to_string(game.targets.size()) +
      " (site x shift); if he attacks, the defender's expected payoff is " +
      Figure(plan->defender_utility) + " (at " + plan->attacked_site + ", shift " +
      std::to_string(plan->attacked_shift) + "). Units deployed in expectation: " + Figure(used) +
      " of " + std::to_string(units) + " unit-shifts.";
  if (plan->overlapping_routes) {
    plan->explanation +=
        " Routes overlap: the coverage figures are an upper bound (the sampler's empirical "
        "coverage can be lower).";
  }
}

Result<Plan> SolveOrigami(const Game& game, const Inputs& inputs) {
  Lp lp = BuildLp(game, /*origami=*/true);
  glp_prob* problem = lp.problem.get();
  glp_set_obj_dir(problem, GLP_MIN);
  glp_set_obj_coef(problem, lp.k_column, 1.0);
  VIGIL_RETURN_IF_ERROR(RunSimplex(problem));
  const double k = std::max(0.0, glp_get_col_prim(problem, lp.k_column));
  const double tolerance = kBindingTolerance * std::max(1.0, k);
  int attacked = -1;
  double best = 0;
  if (!game.routes) {
    // Every target whose gain reaches k* can be the attacked one at
    // coverage c(k*); the strong SSE takes the defender's best of them.
    for (int t = 0; t < lp.targets; ++t) {
      const GameTarget& target = game.targets[t];
      if (target.attacker_gain < k - tolerance) continue;
      const double utility = DefenderUtility(target, CoverageAt(target, k));
      if (attacked < 0 || utility > best + 1e-12) {
        attacked = t;
        best = utility;
      }
    }
    if (attacked < 0) return Status::Internal("no target reaches the attacker's utility");
    // Phase 2: the attacked target at exactly c(k*), no target above k*,
    // the rest of the units deployed (the most coverage in total).
    const double fixed = CoverageAt(game.targets[attacked], k);
    glp_set_col_bnds(problem, attacked + 1, GLP_FX, fixed, fixed);
    glp_set_col_bnds(problem, lp.k_column, GLP_DB, 0.0, k + tolerance);
    glp_set_obj_coef(problem, lp.k_column, 0.0);
    glp_set_obj_dir(problem, GLP_MAX);
    for (int t = 1; t <= lp.targets; ++t) glp_set_obj_coef(problem, t, 1.0);
    VIGIL_RETURN_IF_ERROR(RunSimplex(problem));
  } else {
    // With routes the feasible coverages are not closed downwards (a route
    // covers all its sites at once): the attacked target is the defender's
    // best among those where the attacker gets k* under this solution.
    for (int t = 0; t < lp.targets; ++t) {
      const GameTarget& target = game.targets[t];
      const double c = std::clamp(glp_get_col_prim(problem, t + 1), 0.0, 1.0);
      if (AttackerUtility(target, c) < k - tolerance) continue;
      const double utility = DefenderUtility(target, c);
      if (attacked < 0 || utility > best + 1e-12) {
        attacked = t;
        best = utility;
      }
    }
    if (attacked < 0) return Status::Internal("no target reaches the attacker's utility");
  }
  std::vector<double> coverage(lp.targets);
  std::vector<double> x(lp.edges);
  for (int t = 0; t < lp.targets; ++t) {
    coverage[t] = std::clamp(glp_get_col_prim(problem, t + 1), 0.0, 1.0);
  }
  for (int e = 0; e < lp.edges; ++e) x[e] = glp_get_col_prim(problem, lp.targets + e + 1);
  Plan plan;
  plan.lp_columns = glp_get_num_cols(problem);
  plan.lp_rows = glp_get_num_rows(problem);
  FillPlan(game, inputs, coverage, x, k, attacked, &plan);
  return plan;
}

Result<Plan> SolveMultipleLps(const Game& game, const Inputs& inputs) {
  const int targets = static_cast<int>(game.targets.size());
  int best_target = -1;
  double best_value = 0;
  std::vector<double> best_coverage;
  std::vector<double> best_x;
  int64_t columns = 0;
  int64_t rows = 0;
  for (int candidate = 0; candidate < targets; ++candidate) {
    Lp lp = BuildLp(game, /*origami=*/false);
    glp_prob* problem = lp.problem.get();
    const GameTarget& star = game.targets[candidate];
    // A_t (1 - c_t) <= A_* (1 - c_*) for every t:  A_* c_* - A_t c_t <= A_* - A_t.
    const int first = glp_get_num_rows(problem) + 1;
    if (targets > 1) glp_add_rows(problem, targets - 1);
    int row = first;
    for (int t = 0; t < targets; ++t) {
      if (t == candidate) continue;
      std::vector<int> index = {0, candidate + 1, t + 1};
      std::vector<double> value = {0, star.attacker_gain, -game.targets[t].attacker_gain};
      glp_set_mat_row(problem, row, 2, index.data(), value.data());
      glp_set_row_bnds(problem, row, GLP_UP, 0.0,
                       star.attacker_gain - game.targets[t].attacker_gain);
      ++row;
    }
    glp_set_obj_dir(problem, GLP_MAX);
    glp_set_obj_coef(problem, candidate + 1, star.defender_loss - star.defender_foiled);
    glp_set_obj_coef(problem, 0, -star.defender_loss);
    glp_smcp parameters;
    glp_init_smcp(&parameters);
    parameters.msg_lev = GLP_MSG_OFF;
    if (glp_simplex(problem, &parameters) != 0 || glp_get_status(problem) != GLP_OPT) continue;
    const double value = glp_get_obj_val(problem);
    if (best_target < 0 || value > best_value + 1e-12) {
      best_target = candidate;
      best_value = value;
      best_coverage.assign(targets, 0);
      best_x.assign(lp.edges, 0);
      for (int t = 0; t < targets; ++t) {
        best_coverage[t] = std::clamp(glp_get_col_prim(problem, t + 1), 0.0, 1.0);
      }
      for (int e = 0; e < lp.edges; ++e) best_x[e] = glp_get_col_prim(problem, targets + e + 1);
      columns = glp_get_num_cols(problem);
      rows = glp_get_num_rows(problem);
    }
  }
  if (best_target < 0) return Status::Internal("no candidate target's LP was feasible");
  const double k = AttackerUtility(game.targets[best_target], best_coverage[best_target]);
  Plan plan;
  plan.lp_columns = columns;
  plan.lp_rows = rows;
  FillPlan(game, inputs, best_coverage, best_x, k, best_target, &plan);
  return plan;
}

// The sites a covers list reaches.
std::vector<int> CoveredSites(const Inputs& inputs, const Resource& resource) {
  std::set<int> out;
  for (const std::string& item : resource.covers) {
    for (size_t i = 0; i < inputs.sites.size(); ++i) {
      const Site& site = inputs.sites[i];
      if (item == "*" || (item.rfind("kind:", 0) == 0 && site.kind == item.substr(5)) ||
          (item.rfind("area:", 0) == 0 && site.area == item.substr(5)) || item == site.id) {
        out.insert(static_cast<int>(i));
      }
    }
  }
  return {out.begin(), out.end()};
}

double Baseline(const Inputs& inputs, bool proportional, std::vector<double>* coverage) {
  const Game game = BuildGame(inputs);
  std::vector<double> cover(game.targets.size(), 0.0);
  std::vector<std::vector<int>> edges_of_group(game.groups.size());
  for (size_t e = 0; e < game.edges.size(); ++e) {
    edges_of_group[game.edges[e].group].push_back(static_cast<int>(e));
  }
  for (size_t g = 0; g < game.groups.size(); ++g) {
    const std::vector<int>& edges = edges_of_group[g];
    if (edges.empty()) continue;
    std::vector<double> weight(edges.size(), 1.0);
    if (proportional) {
      for (size_t i = 0; i < edges.size(); ++i) {
        double sum = 0;
        for (int t : game.nodes[game.edges[edges[i]].node].targets) {
          sum += game.targets[t].attacker_gain;
        }
        weight[i] = sum;
      }
    }
    // Water-filling: units in proportion to the weights, each schedule at
    // most one unit, the excess passed on to the rest.
    std::vector<double> share(edges.size(), 0.0);
    std::vector<bool> full(edges.size(), false);
    double left = game.groups[g].units;
    for (size_t round = 0; round < edges.size() && left > 1e-12; ++round) {
      double total = 0;
      for (size_t i = 0; i < edges.size(); ++i) {
        if (!full[i]) total += weight[i];
      }
      if (total <= 0) break;
      double placed = 0;
      bool capped = false;
      for (size_t i = 0; i < edges.size(); ++i) {
        if (full[i]) continue;
        double add = left * weight[i] / total;
        if (share[i] + add >= 1.0) {
          add = 1.0 - share[i];
          full[i] = true;
          capped = true;
        }
        share[i] += add;
        placed += add;
      }
      left -= placed;
      if (!capped) break;
    }
    for (size_t i = 0; i < edges.size(); ++i) {
      for (int t : game.nodes[game.edges[edges[i]].node].targets) cover[t] += share[i];
    }
  }
  double best = 0;
  for (size_t t = 0; t < cover.size(); ++t) {
    cover[t] = std::min(1.0, cover[t]);
    best = std::max(best, AttackerUtility(game.targets[t], cover[t]));
  }
  if (coverage != nullptr) *coverage = std::move(cover);
  return best;
}

}  // namespace

Game BuildGame(const Inputs& inputs) {
  Game game;
  std::map<std::string, double> level;
  for (const Threat& threat : inputs.threats) level[threat.area] = threat.level;
  // Targets: site-major, then shift. target_of[site][shift] = index or -1.
  std::vector<std::vector<int>> target_of(inputs.sites.size(), std::vector<int>(inputs.shifts, -1));
  std::map<std::string, int> site_index;
  for (size_t i = 0; i < inputs.sites.size(); ++i) {
    const Site& site = inputs.sites[i];
    site_index[site.id] = static_cast<int>(i);
    const double w = level[site.area];
    for (int shift : site.shifts) {
      GameTarget target;
      target.site = static_cast<int>(i);
      target.shift = shift;
      target.threat = w;
      target.attacker_gain = w * site.value;
      target.defender_loss = w * site.value;
      target.defender_foiled = w * site.foiled_cost;
      target_of[i][shift] = static_cast<int>(game.targets.size());
      game.targets.push_back(target);
    }
  }
  game.edges_of_target.assign(game.targets.size(), {});
  // Schedule nodes are shared by every group that may take them: one node
  // per (shift, set of sites).
  std::map<std::pair<int, std::vector<int>>, int> node_of;
  auto node_for = [&](int shift, std::vector<int> sites) -> int {
    std::sort(sites.begin(), sites.end());
    sites.erase(std::unique(sites.begin(), sites.end()), sites.end());
    auto key = std::make_pair(shift, sites);
    const auto it = node_of.find(key);
    if (it != node_of.end()) return it->second;
    ScheduleNode node;
    node.shift = shift;
    for (int site : sites) {
      node.targets.push_back(target_of[site][shift]);
      node.sites.push_back(inputs.sites[site].id);
    }
    const int index = static_cast<int>(game.nodes.size());
    game.nodes.push_back(std::move(node));
    node_of.emplace(std::move(key), index);
    return index;
  };
  for (size_t r = 0; r < inputs.resources.size(); ++r) {
    const Resource& resource = inputs.resources[r];
    std::vector<int> singles;
    if (resource.routes.empty()) singles = CoveredSites(inputs, resource);
    for (int shift : resource.shifts) {
      GroupShift group;
      group.resource = static_cast<int>(r);
      group.shift = shift;
      group.units = resource.units;
      const int group_index = static_cast<int>(game.groups.size());
      std::set<int> nodes;
      if (resource.routes.empty()) {
        for (int site : singles) {
          if (target_of[site][shift] >= 0) nodes.insert(node_for(shift, {site}));
        }
      } else {
        for (const auto& route : resource.routes) {
          std::vector<int> open;
          for (const std::string& stop : route) {
            const auto it = site_index.find(stop);
            if (it != site_index.end() && target_of[it->second][shift] >= 0) {
              open.push_back(it->second);
            }
          }
          if (!open.empty()) nodes.insert(node_for(shift, open));
        }
      }
      if (nodes.empty()) continue;
      game.groups.push_back(group);
      for (int node : nodes) game.edges.push_back({group_index, node});
    }
  }
  for (size_t e = 0; e < game.edges.size(); ++e) {
    for (int t : game.nodes[game.edges[e].node].targets) {
      game.edges_of_target[t].push_back(static_cast<int>(e));
    }
  }
  // Overlap: a target in two schedule nodes, one of them a route.
  std::vector<std::set<int>> nodes_of_target(game.targets.size());
  for (size_t n = 0; n < game.nodes.size(); ++n) {
    if (game.nodes[n].targets.size() > 1) game.routes = true;
    for (int t : game.nodes[n].targets) nodes_of_target[t].insert(static_cast<int>(n));
  }
  for (const auto& nodes : nodes_of_target) {
    if (nodes.size() < 2) continue;
    for (int n : nodes) {
      if (game.nodes[n].targets.size() > 1) game.overlapping = true;
    }
  }
  return game;
}

Result<Plan> Solve(const Inputs& inputs, Method method) {
  const ThreadEnvironmentGuard environment;
  if (inputs.sites.empty()) return Status::InvalidArgument("no sites");
  const Game game = BuildGame(inputs);
  if (game.targets.empty()) return Status::InvalidArgument("no site is open in any shift");
  Result<Plan> plan =
      method == Method::kMultipleLps ? SolveMultipleLps(game, inputs) : SolveOrigami(game, inputs);
  if (!plan.ok()) return plan;
  plan->uniform_attacker_utility = UniformBaseline(inputs, nullptr);
  plan->proportional_attacker_utility = ProportionalBaseline(inputs, nullptr);
  return plan;
}

Status WriteOrigamiLp(const Inputs& inputs, const std::string& path) {
  const ThreadEnvironmentGuard environment;
  const Game game = BuildGame(inputs);
  Lp lp = BuildLp(game, /*origami=*/true);
  glp_set_obj_dir(lp.problem.get(), GLP_MIN);
  glp_set_obj_coef(lp.problem.get(), lp.k_column, 1.0);
  if (glp_write_mps(lp.problem.get(), GLP_MPS_FILE, nullptr, path.c_str()) != 0) {
    return Status::IOError("cannot write the LP to '" + path + "'");
  }
  return Status::Ok();
}

double UniformBaseline(const Inputs& inputs, std::vector<double>* coverage) {
  return Baseline(inputs, /*proportional=*/false, coverage);
}

double ProportionalBaseline(const Inputs& inputs, std::vector<double>* coverage) {
  return Baseline(inputs, /*proportional=*/true, coverage);
}

}  // namespace vigil::protect
