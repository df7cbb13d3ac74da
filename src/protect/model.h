// The game built from the inputs (internal to src/protect): targets, the
// schedules each resource group may take in each shift, and the payoffs.
#ifndef VIGIL_PROTECT_MODEL_H_
#define VIGIL_PROTECT_MODEL_H_

#include <string>
#include <vector>

#include "vigil/protect.h"

namespace vigil::protect {

struct GameTarget {
  int site = 0;  // index into Inputs::sites
  int shift = 0;
  double attacker_gain = 0;    // w*v: the attacker's payoff uncovered (covered: 0)
  double defender_loss = 0;    // w*v: the defender's loss uncovered
  double defender_foiled = 0;  // w*f: the defender's loss covered
  double threat = 0;           // w
};

// A schedule in a shift: the targets it covers.
struct ScheduleNode {
  int shift = 0;
  std::vector<int> targets;
  std::vector<std::string> sites;
};

// A resource group in a shift.
struct GroupShift {
  int resource = 0;  // index into Inputs::resources
  int shift = 0;
  int units = 0;
};

// The group in a shift may take the schedule: one LP column.
struct GameEdge {
  int group = 0;  // index into Game::groups
  int node = 0;   // index into Game::nodes
};

struct Game {
  std::vector<GameTarget> targets;  // by site (input order), then shift
  std::vector<ScheduleNode> nodes;
  std::vector<GroupShift> groups;
  std::vector<GameEdge> edges;
  std::vector<std::vector<int>> edges_of_target;
  bool routes = false;
  bool overlapping = false;
};

// Builds the game. REQUIRES: Validate(inputs) passed. Cost O(X log X).
Game BuildGame(const Inputs& inputs);

// Writes the first LP Solve runs (Method::kOrigami: least attacker utility
// k*, objective "minimise k") to `path` in free MPS, so that other LP
// solvers can be measured on exactly the same problem (bench/protect).
// REQUIRES: Validate(inputs) passed. IOError when the file cannot be
// written. Cost O(LP size).
Status WriteOrigamiLp(const Inputs& inputs, const std::string& path);

}  // namespace vigil::protect

#endif  // VIGIL_PROTECT_MODEL_H_
