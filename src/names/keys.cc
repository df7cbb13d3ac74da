#include "names/keys.h"

#include <algorithm>
#include <iterator>

namespace vigil::names {
namespace {

constexpr uint64_t kFnvOffset = 14695981039346656037ULL;
constexpr uint64_t kFnvPrime = 1099511628211ULL;

// Skeletons of very common given names across the lists Vigil screens.
constexpr std::string_view kCommonSkeletons[] = {
    "mhmd", "mhmt", "hmd",  "l",      "hsn",  "bdl",    "brhm", "sf", "mr",
    "sm",   "kml",  "Xld",  "bkr",    "mstf", "bdrhmn", "sn",   "jn", "n",
    "rhmn", "mgmd", "dmtr", "lksndr", "fr",   "jsf",    "mXl",  "mks"};

bool IsVowelLetter(char letter) {
  return letter == 'a' || letter == 'e' || letter == 'i' || letter == 'o' || letter == 'u' ||
         letter == 'y' || letter == 'w';
}

// The class symbol of the letter at token[*pos] (consuming a digraph), or 0
// for a letter that drops.
char ClassAt(std::string_view token, size_t* pos) {
  const char letter = token[*pos];
  const char next = *pos + 1 < token.size() ? token[*pos + 1] : '\0';
  const char after = *pos + 2 < token.size() ? token[*pos + 2] : '\0';
  ++*pos;
  if (letter == 't' && next == 'c' && after == 'h') {
    *pos += 2;
    return 'S';
  }
  if (next == 'h') {
    switch (letter) {
      case 'k':
        ++*pos;
        return 'X';
      case 'g':
        ++*pos;
        return 'G';
      case 's':
      case 'c':
        ++*pos;
        return 'S';
      case 't':
        ++*pos;
        return 't';
      case 'd':
        ++*pos;
        return 'd';
      case 'p':
        ++*pos;
        return 'f';
      case 'z':
        ++*pos;
        return 'j';
      default:
        break;
    }
  }
  if (letter == 'd' && next == 'j') {
    ++*pos;
    return 'j';
  }
  if (letter == 'c' && next == 'k') {
    ++*pos;
    return 'k';
  }
  if (IsVowelLetter(letter)) return 0;
  switch (letter) {
    case 'q':
    case 'c':
      return 'k';
    case 'g':
      return 'G';
    case 'p':
      return 'b';
    case 'v':
      return 'f';
    case 'h':
      return *pos >= token.size() ? 0 : 'h';
    case '\'':
      return 0;
    default:
      break;
  }
  if (letter >= '0' && letter <= '9') return 0;
  return letter;
}

}  // namespace

std::string Skeleton(std::string_view token) {
  std::string skeleton;
  size_t pos = 0;
  while (pos < token.size()) {
    if (token[pos] == 'x') {  // "x" sounds "ks"
      ++pos;
      if (skeleton.empty() || skeleton.back() != 'k') skeleton.push_back('k');
      skeleton.push_back('s');
      continue;
    }
    const char symbol = ClassAt(token, &pos);
    if (symbol != 0 && (skeleton.empty() || skeleton.back() != symbol)) skeleton.push_back(symbol);
  }
  return skeleton;
}

uint64_t KeyHash(KeyKind kind, std::string_view text) {
  uint64_t hash = kFnvOffset;
  hash = (hash ^ static_cast<uint8_t>(kind)) * kFnvPrime;
  for (char byte : text) hash = (hash ^ static_cast<uint8_t>(byte)) * kFnvPrime;
  return hash;
}

IndexKey PrimaryKey(std::string_view form, std::string_view skeleton) {
  if (skeleton.empty()) return {KeyHash(KeyKind::kForm, form), KeyKind::kForm};
  return {KeyHash(KeyKind::kSkeleton, skeleton), KeyKind::kSkeleton};
}

void AppendTokenKeys(std::string_view form, std::string_view skeleton,
                     std::vector<IndexKey>* keys) {
  keys->push_back(PrimaryKey(form, skeleton));
  if (skeleton.size() < kMinDeletionSkeleton) return;
  std::string deleted;
  for (size_t index = 0; index < skeleton.size(); ++index) {
    if (index > 0 && skeleton[index] == skeleton[index - 1]) continue;  // same deletion
    deleted.assign(skeleton.substr(0, index));
    deleted.append(skeleton.substr(index + 1));
    keys->push_back({KeyHash(KeyKind::kDeletion, deleted), KeyKind::kDeletion});
  }
}

bool IsCommonSkeleton(std::string_view skeleton) {
  return std::find(std::begin(kCommonSkeletons), std::end(kCommonSkeletons), skeleton) !=
         std::end(kCommonSkeletons);
}

}  // namespace vigil::names
