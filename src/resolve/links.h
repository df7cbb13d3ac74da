// Candidate links between two selectors, each with the features of its signal
// and the facts that make up its evidence (internal to src/resolve).
#ifndef VIGIL_RESOLVE_LINKS_H_
#define VIGIL_RESOLVE_LINKS_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "resolve/observations.h"
#include "vigil/resolve.h"

namespace vigil::resolve {

enum class Signal : uint8_t {
  kHandset,
  kMessenger,
  kHandover,
  kCopresence,
  kDocument,
  kOwnerHandover,
  kAddressName,  // address_names.h (e-mail address / handle spells a known person's name)
};
inline constexpr int kSignals = 7;
std::string_view SignalName(Signal signal);

inline constexpr int kMaxFeatures = 8;
using Features = std::array<double, kMaxFeatures>;

struct Link {
  SelectorIndex a = 0;  // handset/messenger: the selector; hand-over: the old SIM
  SelectorIndex b = 0;  // handset/messenger: the IMEI; hand-over: the new SIM
  Signal signal = Signal::kHandset;
  Features features{};
  double probability = 0;
  // Facts for the evidence.
  int32_t comms = 0;         // handset/messenger: comms of a on b
  int32_t shared = 0;        // hand-over: shared contacts; co-presence: shared place-days
  int32_t shared_cells = 0;  // co-presence: distinct shared cells
  int32_t a_sims = 0;        // owner hand-over: SIMs in each group
  int32_t b_sims = 0;
  UnixTime first = 0;  // handset: first/last use; hand-over: a's last, b's first
  UnixTime last = 0;
  std::vector<SelectorIndex> examples;  // a few shared contacts
  std::string note;                     // document: the matched travel facts
};

// The number of features each signal's model reads.
int FeatureCount(Signal signal);

// Every candidate link of every signal, with features but no probability.
// `contact_owner` maps each selector index to the id of its (believed) owner,
// so that a contact who changed SIM still counts as the same contact; when
// empty, owners are the selectors joined through handsets.
// Time: O(D) for D device uses; hand-over O(sum over new SIMs of the
// silent SIMs in their window posted under their contacts), bounded by
// max_contact_degree per contact, on two threads;
// co-presence O(M * p * log P) for M unlinked messenger selectors with p
// place-days each. Memory O(S + L).
std::vector<Link> CandidateLinks(const Observations& obs, const ResolveOptions& options,
                                 const std::vector<uint32_t>& contact_owner = {});

// `candidates` (a CandidateLinks result) with its hand-over links found
// again with contacts mapped through `contact_owner`: the handset,
// messenger and co-presence links do not depend on owners and are copied,
// in CandidateLinks' order. Hand-over: O(sum over fresh SIMs of the silent
// SIMs in their window posted under their usable contact owners), since
// postings are sorted by last use and searched by the fresh SIM's window.
std::vector<Link> WithHandoverLinks(const Observations& obs, const ResolveOptions& options,
                                    const std::vector<Link>& candidates,
                                    const std::vector<uint32_t>& contact_owner);

// Owner-level hand-over: after the selector-level passes, an owner's SIMs may
// still fall into several groups (each SIM alone had too few contacts to
// tell). Compares each group without a known owner with each known person's
// group sharing contacts with it, on all their SIMs together: shared contact owners,
// weighted overlap, how much their SIMs were in use at the same time (one
// person uses one SIM at a time), cell histograms. `group` maps each
// selector index to its group id (< group_count), `known` says which groups
// have a known owner. Links go from a SIM of the unknown group to the other
// group's SIM nearest in time. Time O(sum over unknown groups of contacts x
// the known groups posted under them), postings bounded by
// max_contact_degree; memory O(S + P).
std::vector<Link> OwnerHandoverLinks(const Observations& obs, const ResolveOptions& options,
                                     const std::vector<uint32_t>& group, size_t group_count,
                                     const std::vector<bool>& known);

// Human-readable evidence naming the link's concrete facts.
std::string DescribeLink(const Observations& obs, const Link& link);

}  // namespace vigil::resolve

#endif  // VIGIL_RESOLVE_LINKS_H_
