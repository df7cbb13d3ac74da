// Row readers shared by the SQLite store's files: one place that knows the
// column order of each SELECT that returns a whole record.
#ifndef VIGIL_STORE_SQLITE_ROWS_H_
#define VIGIL_STORE_SQLITE_ROWS_H_

#include "store/sqlite/sqlite_handle.h"
#include "vigil/status.h"
#include "vigil/store.h"

namespace vigil::sqlite {

// A travel record from (record_id, time, name, birth_date, document selector,
// nationality, origin, destination, carrier, attrs). Fails on bad attrs JSON.
Result<TravelRecord> ReadTravel(const Stmt& stmt);

// A stored alert from (key, time, person_id, kind, score, evidence, raised_at).
StoredAlert ReadAlert(const Stmt& stmt);

}  // namespace vigil::sqlite

#endif  // VIGIL_STORE_SQLITE_ROWS_H_
