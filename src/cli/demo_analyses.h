// The analysis steps of `vigil demo`. Each prints a short summary of one
// module's results on the store to stdout; errors come back as Status.
#ifndef VIGIL_CLI_DEMO_ANALYSES_H_
#define VIGIL_CLI_DEMO_ANALYSES_H_

#include <string>

#include "cli/output.h"
#include "vigil/status.h"
#include "vigil/store.h"

namespace vigil::cli {

// Screens every stored travel record against the stored watch list and shows
// the best matches with their explanations. Cost: O(travel * query cost).
Status ShowTravelScreening(Store& store, const std::string& db_path);

// Builds the people graph, finds communities and the brokers between the
// subjects. Cost: O(rows) to build, O(subjects * ties) for the brokers.
Status ShowNetwork(Store& store, const std::string& db_path);

// Resolves identifiers, stores the proposals and shows the most confident.
// Cost: that of ResolveIdentifiers (O(comms log selectors)).
Status ShowResolution(Store& store, const std::string& db_path);

// Raises alerts (stored; a re-run raises only what is new) and shows the
// reactivations. Cost: that of RaiseAlerts.
Status ShowAlerts(Store& store, const std::string& db_path);

// Ranks people for close watch and shows the top with their factors.
Status ShowRanking(Store& store, const std::string& db_path);

}  // namespace vigil::cli

#endif  // VIGIL_CLI_DEMO_ANALYSES_H_
