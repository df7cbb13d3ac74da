#include "resolve/address_names.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <unordered_map>

#include <fmt/format.h>

#include "vigil/names.h"

namespace vigil::resolve {
namespace {

// Matches below this screening score are not evidence of anything.
constexpr double kMinScore = 0.6;
constexpr size_t kTopMatches = 3;
// A name shorter than this many letters says nothing about whose it is.
constexpr size_t kMinLetters = 3;
// A lone given or family name is shared by many people, most of them
// unknown to the service (on the fitting worlds 36% of such candidates were
// right): only an address that spells at least two names is evidence.
constexpr int kMinTokens = 2;
// Two known people whose names the address matches within this score: the
// name cannot tell them apart, so it links neither.
constexpr double kMinMargin = 0.02;

// Fitted with bench/resolve/resolve_calibrate on generated worlds of other
// seeds than those it is evaluated on (see bench/resolve/README.md):
// logistic over (best score, margin over the next person), then an isotonic
// correction.
#include "resolve/address_name_model.inc"

// The part of the selector that a person chose: the local part of an
// e-mail address, the name of a handle ("handle:<service>:<name>").
std::string_view ChosenPart(std::string_view selector) {
  if (selector.rfind("email:", 0) == 0) {
    std::string_view rest = selector.substr(6);
    return rest.substr(0, rest.find('@'));
  }
  if (selector.rfind("handle:", 0) == 0) {
    std::string_view rest = selector.substr(7);
    const size_t colon = rest.find(':');
    return colon == std::string_view::npos ? std::string_view() : rest.substr(colon + 1);
  }
  return {};
}

int TokenCount(const std::string& name) {
  int tokens = 0;
  bool in_token = false;
  for (char c : name) {
    if (c != ' ' && !in_token) ++tokens;
    in_token = c != ' ';
  }
  return tokens;
}

}  // namespace

std::string AddressName(std::string_view selector) {
  std::string name;
  size_t letters = 0;
  for (char c : ChosenPart(selector)) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isdigit(byte)) continue;
    if (c == '.' || c == '_' || c == '-' || c == '+') {
      if (!name.empty() && name.back() != ' ') name.push_back(' ');
      continue;
    }
    name.push_back(c);
    if (std::isalpha(byte) || byte >= 0x80) ++letters;
  }
  while (!name.empty() && name.back() == ' ') name.pop_back();
  return letters >= kMinLetters ? name : std::string();
}

const SignalModel& AddressNameModel() { return kAddressNameModel; }

Result<std::vector<Link>> AddressNameLinks(Store& store, const Observations& obs,
                                           const Decisions& decisions) {
  std::vector<Link> links;
  std::vector<std::pair<SelectorIndex, std::string>> addresses;
  for (SelectorIndex s = 1; s < obs.size(); ++s) {
    if (obs.families[s] != Family::kMessenger || decisions.known_owner[s] >= 0 ||
        !obs.activity[s].seen()) {
      continue;
    }
    std::string name = AddressName(obs.texts[s]);
    if (TokenCount(name) >= kMinTokens) addresses.emplace_back(s, std::move(name));
  }
  if (addresses.empty()) return links;
  // A known selector of each person, to hang the address from.
  std::unordered_map<std::string, SelectorIndex> person_selector;
  for (SelectorIndex s = 1; s < obs.size(); ++s) {
    const int32_t owner = decisions.known_owner[s];
    if (owner >= 0) person_selector.emplace(decisions.persons[static_cast<size_t>(owner)], s);
  }
  VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<ScreeningIndex> names, NewScreeningIndex());
  VIGIL_RETURN_IF_ERROR(store.ScanPersons([&](const Person& person) {
    if (person_selector.count(person.person_id) == 0) return true;
    ScreeningEntry entry{person.person_id, {person.name}, "", ""};
    for (const std::string& alias : person.aliases) entry.names.push_back(alias);
    (void)names->Add(entry);  // a person with no usable name is simply not matched
    return true;
  }));
  ScreeningOptions options;
  options.top_k = kTopMatches;
  options.threshold = kMinScore;
  for (const auto& [address, name] : addresses) {
    auto matches = names->Screen({name, "", ""}, options);
    if (!matches.ok() || matches->empty()) continue;
    const ScreeningMatch& best = matches->front();
    const double second = matches->size() > 1 ? (*matches)[1].score : 0.0;
    const int tokens = TokenCount(name);
    if (tokens < kMinTokens || best.score - second < kMinMargin) continue;
    Link link;
    link.a = address;
    link.b = person_selector[best.entry_id];
    link.signal = Signal::kAddressName;
    link.features = {best.score, best.score - second};
    link.note = fmt::format(
        "address name: {} spells '{}' ({} names), which matches {}'s name '{}' (score {:.2f}, {} "
        "other candidate(s){})",
        obs.texts[address], name, tokens, best.entry_id, best.matched_name, best.score,
        matches->size() - 1,
        matches->size() > 1 ? fmt::format(", next {:.2f}", second) : std::string());
    links.push_back(std::move(link));
  }
  return links;
}

}  // namespace vigil::resolve
