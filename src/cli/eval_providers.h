// The `vigil eval` metric providers of modules that the eval module does not
// depend on: identifier links (resolve) and cell recovery (graph).
#ifndef VIGIL_CLI_EVAL_PROVIDERS_H_
#define VIGIL_CLI_EVAL_PROVIDERS_H_

#include <memory>

#include "vigil/eval.h"
#include "vigil/watch.h"

namespace vigil::cli {

// Pairwise precision, recall and F1 of identifier links against
// truth/selectors.csv, over cell members' selectors and over all (a fresh
// resolution run, not stored). Cost: that of ResolveIdentifiers.
std::unique_ptr<MetricProvider> NewLinkMetricsProvider();

// Weighted communities of the store's graph against truth/cells.csv (NMI,
// cells recovered), and 2-hop expansion recall from one known member per
// cell. Cost: a graph build, a community search and one expansion per cell.
std::unique_ptr<MetricProvider> NewCellRecoveryProvider();

// Feedback: of the store's dismissed alerts, how many the detector would
// still raise today. Replays the pipeline (ingest the world, the store's
// analyst decisions: watch levels, confirmed and rejected links; resolve;
// RaiseAlerts with `options`) in a scratch store and counts the dismissed
// keys raised again, with their dismissal reasons. Cost: nothing without
// dismissed alerts; else one ingest, resolution and alert run of the world.
std::unique_ptr<MetricProvider> NewDismissedAlertsProvider(const WatchOptions& options);

}  // namespace vigil::cli

#endif  // VIGIL_CLI_EVAL_PROVIDERS_H_
