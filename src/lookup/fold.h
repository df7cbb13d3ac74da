// The dossier's exact name comparison: ASCII case folding and whitespace
// collapsing (screening, src/names, finds spelling variants; this is the
// exact look-up). Internal to the lookup module.
#ifndef VIGIL_LOOKUP_FOLD_H_
#define VIGIL_LOOKUP_FOLD_H_

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::lookup {

// `name` lower-cased (ASCII) with runs of white space made one space and
// trimmed. O(|name|).
std::string FoldName(std::string_view name);

// The folded name and aliases, without the empty string.
std::set<std::string> FoldedNamesOf(const std::string& name,
                                    const std::vector<std::string>& aliases);

}  // namespace vigil::lookup

#endif  // VIGIL_LOOKUP_FOLD_H_
