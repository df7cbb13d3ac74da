#include "names/keys.h"

#include <algorithm>
#include <iterator>
#include <utility>

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
  // German spellings of Russian names: "tsch" and "sch" are "ch" and "sh".
  if (letter == 't' && next == 's' && after == 'c' && *pos + 2 < token.size() &&
      token[*pos + 2] == 'h') {
    *pos += 3;
    return 'S';
  }
  if (letter == 's' && next == 'c' && after == 'h') {
    *pos += 2;
    return 'S';
  }
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
  if (skeleton.size() < kMinSkeletonKey) return {KeyHash(KeyKind::kForm, form), KeyKind::kForm};
  return {KeyHash(KeyKind::kSkeleton, skeleton), KeyKind::kSkeleton};
}

namespace {

// Appends (kind, text) and, when text is long enough, (deletion_kind, each
// distinct one-deletion of text).
void AppendNeighbourhood(std::string_view text, size_t min_deletion_length, KeyKind kind,
                         KeyKind deletion_kind, std::vector<IndexKey>* keys) {
  keys->push_back({KeyHash(kind, text), kind});
  if (text.size() < min_deletion_length) return;
  std::string deleted;
  for (size_t index = 0; index < text.size(); ++index) {
    if (index > 0 && text[index] == text[index - 1]) continue;  // same deletion
    deleted.assign(text.substr(0, index));
    deleted.append(text.substr(index + 1));
    keys->push_back({KeyHash(deletion_kind, deleted), deletion_kind});
  }
}

// Appends, for each element of text's neighbourhood, its key in both the
// plain and the deletion namespace.
void AppendNeighbourhoodLookups(std::string_view text, size_t min_deletion_length, KeyKind kind,
                                KeyKind deletion_kind, std::vector<IndexKey>* keys) {
  keys->push_back({KeyHash(kind, text), kind});
  keys->push_back({KeyHash(deletion_kind, text), deletion_kind});
  if (text.size() < min_deletion_length) return;
  std::string deleted;
  for (size_t index = 0; index < text.size(); ++index) {
    if (index > 0 && text[index] == text[index - 1]) continue;
    deleted.assign(text.substr(0, index));
    deleted.append(text.substr(index + 1));
    keys->push_back({KeyHash(kind, deleted), kind});
    keys->push_back({KeyHash(deletion_kind, deleted), deletion_kind});
  }
}

// Equality of short texts without a call to memcmp (tokens are a few
// letters; this runs for every token pair of every candidate). O(length).
inline bool SameText(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t index = 0; index < a.size(); ++index) {
    if (a[index] != b[index]) return false;
  }
  return true;
}

size_t CommonPrefix(std::string_view a, std::string_view b) {
  size_t length = 0;
  while (length < a.size() && length < b.size() && a[length] == b[length]) ++length;
  return length;
}

// True when `shorter` is `longer` with one letter deleted.
bool IsOneDeletion(std::string_view longer, std::string_view shorter) {
  const size_t prefix = CommonPrefix(longer, shorter);
  return SameText(longer.substr(prefix + 1), shorter.substr(prefix));
}

}  // namespace

void AppendTokenKeys(std::string_view form, std::string_view skeleton,
                     std::vector<IndexKey>* keys) {
  if (skeleton.size() >= kMinSkeletonKey) {
    AppendNeighbourhood(skeleton, kMinDeletionSkeleton, KeyKind::kSkeleton,
                        KeyKind::kSkeletonDeletion, keys);
  }
  AppendNeighbourhood(form, kMinDeletionForm, KeyKind::kForm, KeyKind::kFormDeletion, keys);
  if (form.size() == 1) keys->push_back({KeyHash(KeyKind::kInitial, form), KeyKind::kInitial});
}

void AppendQueryKeys(std::string_view form, std::string_view skeleton,
                     std::vector<IndexKey>* keys) {
  if (skeleton.size() >= kMinSkeletonKey) {
    AppendNeighbourhoodLookups(skeleton, kMinDeletionSkeleton, KeyKind::kSkeleton,
                               KeyKind::kSkeletonDeletion, keys);
  }
  AppendNeighbourhoodLookups(form, kMinDeletionForm, KeyKind::kForm, KeyKind::kFormDeletion, keys);
  if (!form.empty()) {
    keys->push_back({KeyHash(KeyKind::kInitial, form.substr(0, 1)), KeyKind::kInitial});
  }
}

bool NeighbourhoodsIntersect(std::string_view a, std::string_view b, size_t min_deletion_length) {
  if (a.empty() || b.empty()) return false;
  if (a.size() > b.size()) std::swap(a, b);
  if (b.size() - a.size() > 1) return false;
  if (SameText(a, b)) return true;
  if (b.size() < min_deletion_length) return false;
  if (b.size() > a.size()) return IsOneDeletion(b, a);
  if (a.size() < min_deletion_length) return false;
  // Same length, unequal: the differing window is [prefix, size - suffix).
  // Deleting inside a run of equal letters gives the same text, so it is
  // enough to try a substitution and the two extreme moves.
  const size_t size = a.size();
  const size_t prefix = CommonPrefix(a, b);
  size_t suffix = 0;
  while (suffix < size - prefix - 1 && a[size - 1 - suffix] == b[size - 1 - suffix]) ++suffix;
  const size_t window = size - prefix - suffix;
  if (window == 1) return true;
  return SameText(a.substr(prefix + 1, window - 1), b.substr(prefix, window - 1)) ||
         SameText(a.substr(prefix, window - 1), b.substr(prefix + 1, window - 1));
}

bool TokensNear(std::string_view form_a, std::string_view skeleton_a, std::string_view form_b,
                std::string_view skeleton_b) {
  const bool skeletons_usable =
      skeleton_a.size() >= kMinSkeletonKey && skeleton_b.size() >= kMinSkeletonKey;
  return (skeletons_usable &&
          NeighbourhoodsIntersect(skeleton_a, skeleton_b, kMinDeletionSkeleton)) ||
         NeighbourhoodsIntersect(form_a, form_b, kMinDeletionForm);
}

bool IsCommonSkeleton(std::string_view skeleton) {
  return std::find(std::begin(kCommonSkeletons), std::end(kCommonSkeletons), skeleton) !=
         std::end(kCommonSkeletons);
}

}  // namespace vigil::names
