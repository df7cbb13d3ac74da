#include "sim/typo.h"

#include <string_view>
#include <vector>

namespace vigil::sim {
namespace {

// Keys next to each letter a..z on a QWERTY keyboard.
constexpr std::string_view kNeighbours[26] = {
    "qwsz",   "vghn",  "xdfv", "serfcx", "wsdr", "drtgvc", "ftyhbv", "gyujnb", "ujko",
    "huikmn", "jiolm", "kop",  "njk",    "bhjm", "iklp",   "ol",     "wa",     "edft",
    "awedxz", "rfgy",  "yhji", "cfgb",   "qase", "zsdc",   "tghu",   "asx"};

enum class Error { kNeighbour, kDrop, kDouble, kSwap };

bool IsAsciiLetter(char ch) { return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z'); }

char Lower(char ch) { return ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch + 32) : ch; }

char NeighbourOf(char ch, Rng& rng) {
  const std::string_view keys = kNeighbours[Lower(ch) - 'a'];
  const char key = keys[rng.Below(keys.size())];
  return ch >= 'A' && ch <= 'Z' ? static_cast<char>(key - 32) : key;
}

}  // namespace

void AddTypo(Rng& rng, std::string* text) {
  std::vector<size_t> positions;
  for (size_t index = 2; index < text->size(); ++index) {
    if (IsAsciiLetter((*text)[index]) && IsAsciiLetter((*text)[index - 1])) {
      positions.push_back(index);
    }
  }
  if (positions.empty()) return;
  const size_t at = positions[rng.Below(positions.size())];
  switch (static_cast<Error>(rng.Below(4))) {
    case Error::kNeighbour:
      (*text)[at] = NeighbourOf((*text)[at], rng);
      break;
    case Error::kDrop:
      text->erase(at, 1);
      break;
    case Error::kDouble:
      text->insert(at, 1, (*text)[at]);
      break;
    case Error::kSwap:
      std::swap((*text)[at - 1], (*text)[at]);
      break;
  }
}

}  // namespace vigil::sim
