// Identifier resolution's saved observations (internal to src/resolve): the
// per-selector summaries of every communication up to a storage position
// (activity spans, distinct contacts, distinct cell-days, handset uses),
// kept in the store (schema version 7) so that the next run reads only the
// communications stored since and merges them in (see LoadObservations).
// A run that starts from the saved state gets exactly the observations a
// run reading every communication gets.
//
// The saved form is the in-memory arrays as bytes, with a format version and
// the record sizes in a small "meta" section: it is a cache of this build's
// own data, not an exchange format, so any mismatch means "no usable state"
// and the next run reads everything again.
#ifndef VIGIL_RESOLVE_STATE_H_
#define VIGIL_RESOLVE_STATE_H_

#include <optional>

#include "resolve/observations.h"
#include "vigil/status.h"
#include "vigil/store.h"

namespace vigil::resolve {

// Replaces the store's saved state with `obs`'s summaries (not its selector
// texts, which the store holds anyway). Time and memory O(bytes written) =
// O(S + P) for S selectors and P distinct pairs; the arrays are written in
// place, not copied.
Status SaveObservations(Store& store, const Observations& obs);

// The summaries saved by the last run, without texts or families; nullopt
// when none is saved, the backend keeps none, or the saved form is not this
// build's. Time and memory O(bytes read).
Result<std::optional<Observations>> RestoreObservations(Store& store);

}  // namespace vigil::resolve

#endif  // VIGIL_RESOLVE_STATE_H_
