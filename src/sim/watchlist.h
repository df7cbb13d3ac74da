// The watch list: entries for cell members, recruiters and their partners in
// their own spellings and scripts, entries for people outside the world,
// and confounders (unrelated people sharing name tokens with listed ones)
// (internal to vigil_sim).
#ifndef VIGIL_SIM_WATCHLIST_H_
#define VIGIL_SIM_WATCHLIST_H_

#include <string>

#include "sim/csv_writer.h"
#include "sim/rng.h"
#include "sim/world.h"

namespace vigil::sim {

inline constexpr std::string_view kWatchlistColumns[] = {"entry_id", "list",        "name",
                                                         "aliases",  "birth_date",  "nationality",
                                                         "reason",   "valid_until", "handling"};

// "W000042".
std::string EntryId(int32_t entry);

// Chooses who is listed (sets Person::watch_entry), renames confounders
// (sets Person::confounder) and writes every entry into `out`.
void BuildWatchlist(Rng rng, World* world, CsvWriter* out);

}  // namespace vigil::sim

#endif  // VIGIL_SIM_WATCHLIST_H_
