// Identifier resolution: who owns each selector that the store holds without
// an owner. Proposals come from behavioural signals any world in the formats
// of shared/spec/formats.md carries:
//
//   handset    a SIM (msisdn/imsi) used in a handset (comms `device`) that
//              another selector of the owner also used;
//   messenger  a messenger handle or e-mail address sent from such a handset;
//   hand-over  one SIM falls silent and another starts within days, keeping
//              many of the same contacts and the same places (comms `cell`);
//   co-presence the two selectors are used in the same cells on the same days;
//   owner hand-over  the same as hand-over between an owner group without a
//              known owner and a known person's group, on all their SIMs;
//   travel document  a passport/id card on travel records whose traveller
//              name and birth date match a known person.
//
// Each candidate link gets a calibrated probability (a logistic model over
// the signal's features with an isotonic correction, fitted on generated
// worlds of other seeds than those it is evaluated on); links are merged strongest first into owner
// clusters, never joining two different known people and never joining a selector to a person an
// analyst rejected for it. Vetoes: evidence that tells two people apart stops a join whatever the
// link's probability: two SIMs used on the same days (min_concurrent_days; one person uses one
// SIM at a time, a hand-over overlaps by days at most) are never put under one owner, so no
// proposed cluster holds that contradiction; a selector's use of a handset that falls within the
// span of its main handset (a device passed back and forth within a group) is not ownership.
// Each proposal says what was checked that would have contradicted it. A selector's confidence is the product of the link probabilities on its
// strongest path to a selector whose owner is known (or to its cluster's anchor when no owner is
// known).
//
// Analysts' decisions (`confirmed`, `rejected`) and selectors.csv owners
// (`source`) are never overridden; proposals are stored in the `proposed`
// state and a re-run replaces them.
#ifndef VIGIL_RESOLVE_H_
#define VIGIL_RESOLVE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "vigil/model.h"
#include "vigil/progress.h"
#include "vigil/status.h"
#include "vigil/store.h"

namespace vigil {

// One proposed owner of an unattributed selector.
struct LinkProposal {
  std::string selector;
  // A person_id when the cluster holds a selector of a known person (source or
  // confirmed), else "cluster-<n>", an identifier per formats.md made from
  // the store id of the cluster's anchor (its most active selector), so it
  // stays the same across runs while the anchor does.
  std::string owner;
  bool owner_is_person = false;
  std::string anchor;     // the selector the owner is reached through
  double confidence = 0;  // calibrated probability that the owner is right
  std::string evidence;   // the concrete facts: IMEI, shared contacts, dates
  // The kind of evidence of the link that attaches the selector to its path
  // ("handset", "messenger", "hand-over", "co-presence", "travel document",
  // "owner hand-over", "address name"), or "anchor" for a cluster's anchor.
  std::string kind;
};

struct ResolveOptions {
  // Links below this probability are not used to build clusters.
  double min_link_probability = 0.5;
  // Proposals below this confidence are neither reported nor stored.
  double min_confidence = 0.3;
  // A handset seen with more selectors than this is treated as shared (a
  // phone shop, a family phone) and gives no handset/messenger link.
  int max_selectors_per_handset = 12;
  // Hand-over: how long the old SIM may have been silent before the new one
  // starts, and how long the two may overlap.
  int handover_max_gap_days = 45;
  int handover_max_overlap_days = 3;
  // A contact with more distinct counterparts than this (call centres,
  // hotlines) does not count as a shared contact.
  int max_contact_degree = 300;
  // Two SIMs both used (from a known cell) on at least this many of the same
  // days are two people: no link joins them into one owner (a hand-over
  // overlaps by handover_max_overlap_days at most). 0: no such veto.
  int min_concurrent_days = 5;
  // A selector used in several handsets, whose use of a lesser one falls
  // within the span of its main one (most comms), moved back and forth
  // between devices (a phone borrowed within a group): that lesser use
  // gives no handset/messenger link. False: every use does.
  bool veto_interleaved_handsets = true;
  // Store the proposals (kProposed attributions of known persons).
  bool store_proposals = true;
  // Start from the per-selector summaries of the comms that the last run
  // saved in the store (schema version 7) and read only the comms stored
  // since; the results are the same as reading every communication. False:
  // read every communication.
  bool use_saved_state = true;
  // Save the summaries for the next run (replacing the saved ones).
  bool save_state = true;
  Progress* progress = nullptr;  // not owned; may be null
};

struct ResolveReport {
  std::vector<LinkProposal> proposals;  // sorted by selector
  int64_t selectors = 0;                // selectors in the store
  int64_t unattributed = 0;             // of them, without a decided owner
  int64_t comms = 0;                    // communications summarised
  int64_t comms_read = 0;               // of them, read this run (the rest were saved)
  int64_t candidate_links = 0;          // links scored
  int64_t stored = 0;                   // proposals stored in the store
  // Wall-clock seconds per stage, for benchmarks: reading the store, finding
  // and scoring links, clustering and proposals, storing the proposals.
  double read_seconds = 0;
  double link_seconds = 0;
  double cluster_seconds = 0;
  double store_seconds = 0;
};

// Reads the store, proposes owners and (with options.store_proposals)
// replaces the store's proposed attributions. With options.use_saved_state
// only the comms stored since the last run are read (O(new comms + S + P)
// instead of O(C log C) for the reading stage); finding links and clusters
// is done again in full (O(S + P + L log L)). Time O(C log C + L log L) for C
// communications and L candidate links, dominated by one scan of the comms
// and a sort of the distinct (selector, contact) pairs; memory O(S + P) for
// S selectors and P distinct (selector, contact) and (selector, cell) pairs,
// independent of C beyond a fixed compaction buffer.
Result<ResolveReport> ResolveIdentifiers(Store& store, const ResolveOptions& options = {});

// An analyst's decision about one (selector, person) pair.
struct LinkDecision {
  std::string selector;
  std::string person_id;
  bool confirm = true;     // false: reject
  std::string decided_by;  // required
  std::string reason;      // kept in the attribution's evidence
  UnixTime decided_at = 0;
};

// Records the decision as a confirmed or rejected attribution. A confirmed
// selector is treated as known by later runs; a rejected pair is never
// proposed again. InvalidArgument for an unknown person or a malformed
// selector. Cost: one store write.
Status RecordLinkDecision(Store& store, const LinkDecision& decision);

// Pairwise link quality against a generated world's truth.
struct PairMetrics {
  int64_t selectors = 0;        // selectors scored
  int64_t true_pairs = 0;       // pairs with the same true owner
  int64_t predicted_pairs = 0;  // pairs Vigil puts under the same owner
  int64_t correct_pairs = 0;    // both
  double precision = 0;
  double recall = 0;
  double f1 = 0;
};

// One row of a reliability table: proposals whose confidence is in
// [low, high), how many, their mean confidence and the share that was right.
struct ReliabilityBin {
  double low = 0;
  double high = 0;
  int64_t proposals = 0;
  double mean_confidence = 0;
  double accuracy = 0;
};

struct LinkMetrics {
  PairMetrics all;                          // every selector of truth/selectors.csv the store holds
  PairMetrics cell_members;                 // those owned by a member of truth/cells.csv
  std::vector<ReliabilityBin> reliability;  // of the store's proposed attributions
};

// Scores identifier links against `world_dir`/truth/selectors.csv and
// truth/cells.csv: each selector the store holds and truth names is placed
// under its decided owner (source or confirmed attribution), else under the
// owner proposed by a fresh resolution run (not stored), else alone; pairwise
// precision, recall and F1 compare those groups with the true owners. The
// reliability table covers the run's proposals: a proposal is right when its
// person is the selector's true owner, or, for a cluster, when the selector
// and the cluster's anchor have the same true owner. Time: a resolution run
// plus O(T + S) for T truth rows and S selectors.
Result<LinkMetrics> EvaluateLinks(Store& store, const std::string& world_dir);

// As EvaluateLinks, but scores the given proposals (from a ResolveIdentifiers
// run on the same store) instead of running resolution again.
Result<LinkMetrics> EvaluateProposals(Store& store, const std::string& world_dir,
                                      const std::vector<LinkProposal>& proposals);

}  // namespace vigil

#endif  // VIGIL_RESOLVE_H_
