// Default implementations of the Store's identifier resolution state for
// backends that do not keep it: each returns Internal, and resolution falls
// back to reading every communication.
#include "vigil/store.h"

namespace vigil {

Status Store::PutResolveState(
    const std::vector<std::pair<std::string, std::string_view>>& /*sections*/) {
  return Status::Internal("PutResolveState is not supported by this store backend");
}

Result<std::optional<std::string>> Store::GetResolveState(std::string_view /*name*/) {
  return Status::Internal("GetResolveState is not supported by this store backend");
}

}  // namespace vigil
