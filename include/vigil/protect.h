// Protective deployment: where limited guard teams and patrols go, at random,
// with the reasons shown (src/protect/README.md has the input formats).
//
// The game. A target is a site in a shift it is open. The attacker observes
// the defender's mixed strategy and attacks one target; the defender commits
// first (Stackelberg). With threat multiplier w (the site's area's assessed
// level), value v and foiled cost f (both set by the responsible authority):
//   attacker:  uncovered w*v, covered 0;
//   defender:  uncovered -w*v, covered -w*f   (0 <= f <= v).
// Every payoff comes from those three figures; nothing about who attends a
// site is an input.
//
// The solver (Solve). The defender's strategy is a marginal: x[g][s][j], the
// expected number of units of resource group g on schedule j (a site, or a
// route of sites) in shift s, with sum_j x <= units(g), 0 <= x <= 1, and the
// coverage of a target c_t = sum of the x of schedules containing it, c_t <= 1.
// One GLPK LP finds the least attacker utility k* any feasible coverage can
// hold every target to (c_t >= (w v - k)/(w v)); the strong Stackelberg
// equilibrium then lets the attacker pick, among the targets where he gets k*
// (the binding ones), the one best for the defender. This is exact for the
// SSE of the marginal game: for a fixed attacked target the defender's
// utility rises with its coverage, which falls as k rises, and the set of
// feasible coverages is closed downwards, so every candidate is best served
// at the same k* (the argument of ORIGAMI, Kiekintveld et al. 2009). The
// multiple-LPs formulation (Conitzer & Sandholm 2006: one LP per candidate
// target, keep the best) is kept as Method::kMultipleLps to check it.
// With routes the feasible coverages are not closed downwards (a route
// covers all its sites at once): the single LP still finds the least
// attacker utility k* exactly, and the attacked target is the defender's
// best among the binding targets of that solution, so the defender's
// utility it reports is a lower bound on the route game's SSE; kMultipleLps
// gives the exact marginal SSE there at T LPs.
// Cost: one LP with T + X + 1 columns and 2T + G*S rows (T targets, X
// allowed (group, shift, schedule) triples, G groups, S shifts); GLPK's
// simplex is polynomial in practice (exponential in the worst case).
// kMultipleLps solves T such LPs.
//
// What is exact and what is approximate. With singleton schedules (each unit
// guards one site a shift) every marginal is implementable and the sampler
// (SampleDay) draws pure assignments whose marginals equal the LP's x exactly
// (bipartite dependent rounding, Gandhi et al. 2006), so each target's
// coverage equals c_t. With routes that overlap (two routes sharing a site)
// the marginal is a relaxation (as ERASER-C's compact form): each route's
// marginal is still honoured exactly, but two routes covering one site may be
// drawn together, so a site's realised coverage can fall below c_t; the
// sampler's empirical coverage is reported beside the LP's. Travel times
// between sites are not modelled.
//
// Randomness for schedules comes from libsodium's randombytes (a CSPRNG):
// schedules must not be predictable to an observer. Tests may pass a seeded
// source instead.
#ifndef VIGIL_PROTECT_H_
#define VIGIL_PROTECT_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/status.h"

namespace vigil::protect {

// The most shifts a day may have.
inline constexpr int kMaxShifts = 24;

// A site, as set by the responsible authority.
struct Site {
  std::string id;
  std::string kind;  // school, station, ... (free text, shown only)
  std::string area;  // the threat assessment that applies
  double lat = 0;    // location (WGS84 degrees), shown only
  double lon = 0;
  std::vector<int> shifts;   // the shifts (0-based) it is open, ascending
  double value = 0;          // loss if attacked unguarded (>= 0)
  double foiled_cost = 0;    // loss if an attack is foiled (0 <= foiled_cost <= value)
  std::string value_set_by;  // the authority that set value and foiled_cost
  int64_t line = 0;          // where it was read (file line), for messages
};

// A group of identical units (guard teams, patrols).
struct Resource {
  std::string id;
  std::string kind;                 // guard or patrol
  int units = 0;                    // > 0
  std::vector<int> shifts;          // the shifts its units work, ascending
  std::string home_base;            // shown only
  std::vector<std::string> covers;  // site ids, "kind:K", "area:A" or "*"
  // Routes: each a list of site ids one unit covers together in a shift.
  // When non-empty, a unit takes one route a shift (covers is not used).
  std::vector<std::vector<std::string>> routes;
  int64_t line = 0;
};

// An analyst's assessment of the threat in an area.
struct Threat {
  std::string area;
  double level = 0;  // a multiplier of every payoff of the area's sites (>= 0)
  std::string legal_basis;
  std::string author;
  std::string assessed_on;  // YYYY-MM-DD
  int64_t line = 0;
};

struct Inputs {
  std::vector<Site> sites;
  std::vector<Resource> resources;
  std::vector<Threat> threats;
  int shifts = 3;
  // The files the inputs came from (for messages and the plan's record).
  std::string sites_file;
  std::string resources_file;
  std::string threat_file;
};

// Each parser reads a whole CSV (.csv) or JSONL (.jsonl) text; `file_name`
// chooses the format and names the file in errors. All or nothing: the first
// bad row gives InvalidArgument "file:line:column: rule" (column: 1-based
// field of a CSV row; the key's position for JSONL is its field number in
// the format's column order). Rules: required columns present, numbers
// finite and non-negative, foiled_cost <= value, shifts within [0, shifts),
// ids unique and non-empty, units a positive integer. Cost O(bytes).
Status ParseSites(std::string_view text, std::string_view file_name, int shifts,
                  std::vector<Site>* out);
Status ParseResources(std::string_view text, std::string_view file_name, int shifts,
                      std::vector<Resource>* out);
Status ParseThreats(std::string_view text, std::string_view file_name, std::vector<Threat>* out);

// Reads the three files at the paths. NotFound for a missing file; then
// the parsers' errors; then Validate's. Cost O(bytes + Validate).
Result<Inputs> LoadInputs(const std::string& sites_path, const std::string& resources_path,
                          const std::string& threat_path, int shifts);

// Checks the files against each other: every site's area has an assessment
// (else "sites:line:col: area 'A' has no threat assessment"), every
// resource's covers and routes name known sites, kinds or areas and reach at
// least one site open in one of its shifts (else "covers nothing"), every
// route's sites are open in a shift the resource works. Errors name the file,
// row and field. Cost O(sites * resources).
Status Validate(const Inputs& inputs);

enum class Method : uint8_t { kOrigami, kMultipleLps };

// One target of the game: a site in a shift.
struct TargetCoverage {
  std::string site;
  int shift = 0;
  double coverage = 0;          // probability a unit is there
  double attacker_utility = 0;  // the attacker's expected gain there
  double defender_utility = 0;  // the defender's expected payoff if attacked there
  bool binding = false;         // the attacker is indifferent among these
  std::string why;              // the explanation of this figure
};

// How a resource group spends a shift: the expected units per schedule.
struct ScheduleMarginal {
  std::string resource;
  int shift = 0;
  std::vector<std::string> sites;  // the schedule: one site, or a route
  double units = 0;                // in [0, 1]
};

struct Plan {
  std::vector<TargetCoverage> targets;  // in site order, then shift
  std::vector<ScheduleMarginal> marginals;
  double defender_utility = 0;  // expected protection: the defender's payoff at the SSE
  double attacker_utility = 0;  // the attacker's best-response utility (k*)
  std::string attacked_site;    // the SSE's attacked target (defender-best binding one)
  int attacked_shift = 0;
  bool routes = false;              // schedules with several sites exist
  bool overlapping_routes = false;  // then coverage is an upper bound (see header)
  int64_t lp_columns = 0;
  int64_t lp_rows = 0;
  std::string explanation;  // the plan's figures in words
  // The attacker's best-response utility on the same inputs under the
  // uniform and the value-proportional baselines (UniformBaseline,
  // ProportionalBaseline), for comparison; NaN in a plan read from JSON
  // written without them.
  double uniform_attacker_utility = 0;
  double proportional_attacker_utility = 0;
};

// Computes the defender's strong Stackelberg equilibrium and the two
// baselines' attacker utilities beside it. REQUIRES: Validate passed.
// Errors: Internal when GLPK fails. Cost: see the header comment.
Result<Plan> Solve(const Inputs& inputs, Method method = Method::kOrigami);

// Baselines on the same inputs, for comparison: every unit spread evenly over
// the targets it can reach (uniform) or in proportion to w*v (value-
// proportional), then capped at coverage 1. Returns the attacker's best-
// response utility under that coverage and fills `coverage` (target order
// as Plan::targets). Cost O(X).
double UniformBaseline(const Inputs& inputs, std::vector<double>* coverage);
double ProportionalBaseline(const Inputs& inputs, std::vector<double>* coverage);

// A source of uniform 32-bit random numbers. The default is libsodium's
// randombytes_random (CSPRNG).
using RandomSource = std::function<uint32_t()>;
// libsodium's randombytes_random. Internal when libsodium cannot start (then
// no schedule is drawn: one drawn without it could be predictable).
Result<RandomSource> SecureRandom();

// One day's concrete schedule: for each (resource, shift), the schedules its
// units take (one entry per unit deployed).
struct Assignment {
  std::string resource;
  int shift = 0;
  std::vector<std::string> sites;  // one site, or a route
};
struct Day {
  std::vector<Assignment> assignments;
};

// Draws one day from the plan's marginals by bipartite dependent rounding:
// P(schedule j taken by group g in shift s) = x exactly; a group never
// deploys more units than it has; with singleton schedules a site is never
// guarded twice in a shift. Cost O(F * L) with F fractional marginals and L
// the longest path among them (F, L <= X).
Day SampleDay(const Plan& plan, const RandomSource& random);

// What-ifs: a changed copy of the inputs. add-team=ID:UNITS:COVERS adds a
// resource working every shift; close-site=ID removes a site (and it from
// every route); threat AREA=LEVEL sets a level. InvalidArgument for a bad
// spec. Cost O(size of inputs).
Result<Inputs> ApplyWhatIf(const Inputs& inputs, std::string_view spec);

// A generated instance (synthetic: no real site), for tests and benchmarks.
struct GenerateOptions {
  int sites = 700;
  int units = 1000;  // split over one guard team per area
  int shifts = 3;
  int sites_per_area = 50;
  int patrols = 0;  // patrol groups of 1 unit with 3 routes of 3 sites each
  // Each unit works one shift of the day (a team per area and shift), as
  // guards on 8-hour shifts do; false: every unit works every shift.
  bool one_shift_per_unit = true;
  uint64_t seed = 1;
};
// Deterministic in the options. Cost O(sites + units).
Inputs Generate(const GenerateOptions& options);
// Writes the instance as sites.csv, resources.csv and threat.csv into the
// existing folder `dir`. IOError when a file cannot be written.
Status WriteInputs(const Inputs& inputs, const std::string& dir);

// The plan as JSON (the stored proposal's content, also what `vigil protect
// plan --out` writes) and back. The inputs' threat assessments (area, level,
// legal basis, author) travel with it. Cost O(size).
std::string PlanToJson(const Plan& plan, const Inputs& inputs);
Result<Plan> PlanFromJson(std::string_view json);

}  // namespace vigil::protect

#endif  // VIGIL_PROTECT_H_
