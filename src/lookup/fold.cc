#include "lookup/fold.h"

#include <cctype>

namespace vigil::lookup {

std::string FoldName(std::string_view name) {
  std::string folded;
  bool pending_space = false;
  for (char c : name) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      pending_space = !folded.empty();
      continue;
    }
    if (pending_space) folded += ' ';
    pending_space = false;
    folded += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return folded;
}

std::set<std::string> FoldedNamesOf(const std::string& name,
                                    const std::vector<std::string>& aliases) {
  std::set<std::string> names = {FoldName(name)};
  for (const auto& alias : aliases) names.insert(FoldName(alias));
  names.erase("");
  return names;
}

}  // namespace vigil::lookup
