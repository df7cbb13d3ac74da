// The travel-document signal: a passport or identity card that the store
// holds without an owner, carried on travel records whose traveller name and
// birth date match a known person (internal to src/resolve).
#ifndef VIGIL_RESOLVE_DOCUMENTS_H_
#define VIGIL_RESOLVE_DOCUMENTS_H_

#include <vector>

#include "resolve/clusters.h"
#include "resolve/links.h"
#include "resolve/observations.h"
#include "vigil/store.h"

namespace vigil::resolve {

// One link per unattributed document whose travel records best match a
// known person who has a known selector (the link's `b`). Features: best
// mean screening score, its margin over the next person, log1p(records),
// mean birth-date agreement, number of other candidate persons.
// Time O(P + R * screening cost) for P persons and R travel records with
// unattributed documents; memory O(P + R).
Result<std::vector<Link>> DocumentLinks(Store& store, const Observations& obs,
                                        const Decisions& decisions);

}  // namespace vigil::resolve

#endif  // VIGIL_RESOLVE_DOCUMENTS_H_
