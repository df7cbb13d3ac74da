// The synthetic world generator: a population with communication, travel,
// custody, report and watch-list records, written in the formats of
// shared/spec/formats.md, with ground truth under truth/.
//
// Deterministic: the same options (seed included) write the same bytes.
// Output is streamed: memory grows with the number of people, not of
// communications.
#ifndef VIGIL_SIM_H_
#define VIGIL_SIM_H_

#include <cstdint>
#include <string>
#include <vector>

#include "vigil/progress.h"
#include "vigil/status.h"

namespace vigil {

struct SimulateOptions {
  std::string out_dir;  // created if missing
  uint64_t seed = 1;
  int64_t people = 2000;                  // background population plus cells
  int days = 730;                         // length of the observed period
  std::string start_date = "2022-01-01";  // first day, UTC
  Progress* progress = nullptr;           // not owned; may be null
  // Behaviour families beyond the classic generator, each with parameters
  // drawn from the seed: "" (none: the classic world), "all", "random"
  // (each family with probability 1/2, drawn from the seed) or a
  // comma-separated list of shared_phones, passed_handsets, burners,
  // messenger_only, bursty, prison_releases, partial_feeds, noisy_times,
  // shared_contacts.
  std::string families;
};

struct SimulateReport {
  int64_t persons = 0;
  int64_t selectors = 0;  // rows of selectors.csv (attributed or not)
  int64_t comms = 0;
  int64_t travel = 0;
  int64_t custody = 0;
  int64_t reports = 0;
  int64_t watchlist = 0;
  int64_t cells = 0;
  int64_t cell_members = 0;
  int64_t activations = 0;
  std::string families;  // the families on, "none" for the classic world
};

// One world of an evaluation suite: what `vigil simulate` is given.
struct SuiteWorld {
  uint64_t seed = 1;
  std::string families;  // as SimulateOptions::families
  int64_t people = 2000;
  int days = 365;
};

// The evaluation suites, fixed here and nowhere else. "training": the
// worlds any calibration, threshold or default may be fitted on.
// "held-out": disjoint seeds never read by any fitting; only measured.
// NotFound for another name. O(1).
Result<std::vector<SuiteWorld>> EvaluationSuite(const std::string& name);

// Writes a world into options.out_dir. InvalidArgument for nonsensical
// options (people < 50, days < 30, bad start date), IOError if a file cannot
// be written.
Result<SimulateReport> Simulate(const SimulateOptions& options);

}  // namespace vigil

#endif  // VIGIL_SIM_H_
