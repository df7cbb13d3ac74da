// The stages of identifier resolution as one analysis, shared by
// ResolveIdentifiers, EvaluateLinks and the calibration tool (internal to
// src/resolve).
#ifndef VIGIL_RESOLVE_PIPELINE_H_
#define VIGIL_RESOLVE_PIPELINE_H_

#include <vector>

#include "resolve/clusters.h"
#include "resolve/links.h"
#include "resolve/observations.h"
#include "vigil/resolve.h"

namespace vigil::resolve {

struct Analysis {
  Observations obs;
  Decisions decisions;
  ConcurrentUse concurrent;           // of obs, built once for the run
  std::vector<Link> links;            // scored
  std::vector<Placement> placements;  // by selector index (point into links)
  PlacementVetoes vetoes;             // what the final placement refused
  int min_concurrent_days = 0;        // ResolveOptions::min_concurrent_days of the run
  int64_t comms_read = 0;             // comms read this run (see ResolveReport)
  double read_seconds = 0;            // stage timings (see ResolveReport)
  double link_seconds = 0;
  double cluster_seconds = 0;
};

// Sets each link's probability from its signal's shipped model.
void ScoreLinks(std::vector<Link>& links);

// Finds and scores candidate links in three steps: selector-level links with
// contacts mapped to owners through handsets; the same again with contacts
// mapped through the first step's clusters (a contact who changed SIM by
// hand-over still counts); then owner-level hand-over between the resulting
// groups and known people.
// `concurrent` is the index of `obs` (see ConcurrentUse); the overload
// without it builds one.
std::vector<Link> ScoredLinks(const Observations& obs, const Decisions& decisions,
                              const ConcurrentUse& concurrent, const ResolveOptions& options);
std::vector<Link> ScoredLinks(const Observations& obs, const Decisions& decisions,
                              const ResolveOptions& options);

// Reads the store (from the saved state when options.use_saved_state, saving
// it again when options.save_state), finds and scores candidate links and
// places every selector. Costs: see ResolveIdentifiers.
Result<Analysis> Analyse(Store& store, const ResolveOptions& options);

// One proposal per selector without a decided owner that hangs in a cluster
// with confidence >= min_confidence, sorted by selector.
std::vector<LinkProposal> Proposals(const Analysis& analysis, double min_confidence);

}  // namespace vigil::resolve

#endif  // VIGIL_RESOLVE_PIPELINE_H_
