#include "resolve/address_names.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>

#include "vigil/names.h"

namespace vigil::resolve {
namespace {

// Matches below this screening score are not evidence of anything (they
// still count as rivals of a better one).
constexpr double kMinScore = 0.6;
// A link needs at least this score: the names module's score forgives
// spelling variants, and below it a given name with a merely similar family
// name was almost never right on the fitting worlds (the written-out
// feature separates the rest: "pierre culier" scores 0.91 against Pierre
// Clorel but does not write his name out).
constexpr double kMinLinkScore = 0.8;
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
// logistic over (best score, margin over the next person, log1p of other
// addresses naming the same person, name written out), then an isotonic
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

// Levenshtein distance, O(|a| * |b|) time, O(|b|) memory.
size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::vector<std::string> SplitWords(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  for (char c : text) {
    if (c == ' ' || c == '-' || c == '\'' || c == '.' || c == '_') {
      if (!word.empty()) words.push_back(std::move(word));
      word.clear();
    } else {
      word.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

// The ways a person's name may be written in an ASCII-only address: each
// name and alias transliterated (the names module's tokens), and with its
// non-ASCII letters simply left out, as ASCII-only systems do.
std::vector<std::vector<std::string>> AsciiForms(NameNormalizer& normalizer, const Person& person) {
  std::vector<std::vector<std::string>> forms;
  std::vector<std::string> names = {person.name};
  names.insert(names.end(), person.aliases.begin(), person.aliases.end());
  for (const std::string& name : names) {
    auto normalized = normalizer.Normalize(name);
    if (normalized.ok()) forms.push_back(normalized->tokens);
    std::string dropped;
    for (char c : name) {
      if (static_cast<unsigned char>(c) < 0x80) dropped.push_back(c);
    }
    forms.push_back(SplitWords(dropped));
  }
  return forms;
}

// Whether every word of the address is within one edit of a word of one
// form of the person's name: the name written out, not merely similar
// ("pierre culier" is not Pierre Clorel, though screening scores it 0.91).
bool SpelledOut(const std::string& address_name,
                const std::vector<std::vector<std::string>>& forms) {
  const std::vector<std::string> words = SplitWords(address_name);
  for (const std::vector<std::string>& form : forms) {
    bool all = !words.empty();
    for (const std::string& word : words) {
      bool near = false;
      for (const std::string& token : form) near = near || EditDistance(word, token) <= 1;
      all = all && near;
    }
    if (all) return true;
  }
  return false;
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

// Several addresses spelling the same known person's name are more likely
// homonyms (people unknown to the service) than one person's many
// addresses, and the more people a world holds the more of them there are:
// feature 2 is log1p of the other addresses linked to the same person, and
// the evidence names them.
void MarkRivalAddresses(const Observations& obs, std::vector<Link>* links) {
  std::unordered_map<SelectorIndex, std::vector<SelectorIndex>> by_person;
  for (const Link& link : *links) by_person[link.b].push_back(link.a);
  for (Link& link : *links) {
    const std::vector<SelectorIndex>& same = by_person[link.b];
    link.features[2] = std::log1p(static_cast<double>(same.size() - 1));
    if (same.size() < 2) continue;
    link.note += fmt::format("; {} other address(es) spell the same name", same.size() - 1);
    for (SelectorIndex other : same) {
      if (other != link.a) {
        link.note += fmt::format(", e.g. {}", obs.texts[other]);
        break;
      }
    }
  }
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
  VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<NameNormalizer> normalizer, NewNameNormalizer());
  std::unordered_map<std::string, std::vector<std::vector<std::string>>> ascii_forms;
  VIGIL_RETURN_IF_ERROR(store.ScanPersons([&](const Person& person) {
    if (person_selector.count(person.person_id) == 0) return true;
    ascii_forms[person.person_id] = AsciiForms(*normalizer, person);
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
    if (tokens < kMinTokens || best.score < kMinLinkScore || best.score - second < kMinMargin) {
      continue;
    }
    Link link;
    link.a = address;
    link.b = person_selector[best.entry_id];
    link.signal = Signal::kAddressName;
    const bool spelled_out = SpelledOut(name, ascii_forms[best.entry_id]);
    link.features = {best.score, best.score - second, 0.0, spelled_out ? 1.0 : 0.0};
    link.note = fmt::format(
        "address name: {} spells '{}' ({} names), which {} {}'s name '{}' (score {:.2f}, {} "
        "other candidate(s){})",
        obs.texts[address], name, tokens, spelled_out ? "writes out" : "resembles", best.entry_id,
        best.matched_name, best.score, matches->size() - 1,
        matches->size() > 1 ? fmt::format(", next {:.2f}", second) : std::string());
    links.push_back(std::move(link));
  }
  MarkRivalAddresses(obs, &links);
  return links;
}

}  // namespace vigil::resolve
