#include "resolve/truth.h"

#include <filesystem>
#include <vector>

#include "ingest/csv_file.h"

namespace vigil::resolve {

Result<Truth> ReadTruth(const std::string& world_dir) {
  Truth truth;
  const std::string selectors = world_dir + "/truth/selectors.csv";
  VIGIL_RETURN_IF_ERROR(ReadCsvColumns(
      selectors, {"selector", "person_id"}, [&truth](const std::vector<std::string_view>& values) {
        truth.owner.emplace(std::string(values[0]), std::string(values[1]));
      }));
  const std::string cells = world_dir + "/truth/cells.csv";
  if (std::filesystem::exists(cells)) {
    VIGIL_RETURN_IF_ERROR(
        ReadCsvColumns(cells, {"person_id"}, [&truth](const std::vector<std::string_view>& values) {
          truth.cell_members.emplace(values[0]);
        }));
  }
  return truth;
}

}  // namespace vigil::resolve
