// The default Store::IngestGeneration for backends that do not keep one:
// Internal, so that a cache knows it cannot tell when it is stale.
#include "vigil/store.h"

namespace vigil {

Result<int64_t> Store::IngestGeneration() {
  return Status::Internal("IngestGeneration is not supported by this store backend");
}

Result<int64_t> Store::ChangeGeneration() {
  return Status::Internal("ChangeGeneration is not supported by this store backend");
}

}  // namespace vigil
