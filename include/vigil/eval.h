// Evaluation against a generated world's ground truth (formats.md, truth/).
//
// An evaluation is a list of metric providers, each reading truth/ files
// and what Vigil stored (alerts, rankings) and printing one or more metric
// lines. Providers of other modules (identifier links, cell recovery) are
// added to the list at the call site (see DefaultMetricProviders); nothing
// here depends on how the world was generated: only the formats.
//
// Thread-safety: a provider is used by one thread at a time.
#ifndef VIGIL_EVAL_H_
#define VIGIL_EVAL_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "vigil/rank.h"
#include "vigil/status.h"
#include "vigil/store.h"

namespace vigil {

// One row of a truth CSV file, by column name.
using TruthRow = std::map<std::string, std::string>;

// Reads a CSV (RFC 4180, header row) into rows. NotFound if the file does
// not exist; InvalidArgument naming file, line, column and rule for a bad
// row. Cost: O(file size).
Result<std::vector<TruthRow>> ReadTruthCsv(const std::string& path);

struct EvalContext {
  std::string world_dir;   // holds truth/
  Store* store = nullptr;  // not owned; alerts already raised
  size_t capacity = 300;   // people that can be watched closely
  // The ranking, computed once by RunEval before the providers run.
  std::vector<RankedPerson> ranking;
  int64_t persons = 0;
};

struct MetricLine {
  std::string name;  // e.g. "reactivation_recall"
  double value = 0;
  std::string detail;  // counts, goal, how it was measured
};

class MetricProvider {
 public:
  virtual ~MetricProvider() = default;
  virtual std::string name() const = 0;
  // Appends this provider's metric lines. A truth file the provider needs
  // that is missing makes it append nothing and return OK.
  virtual Status Compute(const EvalContext& context, std::vector<MetricLine>* lines) = 0;
};

// The watch and ranking providers: reactivation recall and delay, false
// reactivation alerts per 1,000 subjects per 30 days, screening precision
// and recall, ranking shares. Append others (link F1, cell recovery) to it.
std::vector<std::unique_ptr<MetricProvider>> DefaultMetricProviders();

// Ranks (RankPeople with `rank_options`), then runs every provider in
// order. Cost: the providers' and the ranking's.
Result<std::vector<MetricLine>> RunEval(
    EvalContext& context, const RankOptions& rank_options,
    const std::vector<std::unique_ptr<MetricProvider>>& providers);

// "name value  (detail)".
std::string FormatMetricLine(const MetricLine& line);

}  // namespace vigil

#endif  // VIGIL_EVAL_H_
