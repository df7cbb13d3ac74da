// Name keys: consonant skeletons with sound-alike classes, and the index keys
// derived from them.
#ifndef VIGIL_NAMES_KEYS_H_
#define VIGIL_NAMES_KEYS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::names {

// The consonant skeleton of a token (lower-case ASCII): vowels and w/y drop,
// kh->X, gh/g->G, sh/ch/tch->S, th->t, dh->d, ph/v->f, dj/zh->j, q/c/ck->k,
// p->b, x->ks, a final h drops, repeated symbols collapse.
// "mohammed" -> "mhmd", "kouachi" -> "kS". Empty for a token of vowels only.
// Cost: O(length).
std::string Skeleton(std::string_view token);

// Skeletons at least this long also get their one-deletion keys.
inline constexpr size_t kMinDeletionSkeleton = 4;

enum class KeyKind : uint8_t { kSkeleton = 0, kDeletion = 1, kForm = 2 };

struct IndexKey {
  uint64_t hash = 0;
  KeyKind kind = KeyKind::kSkeleton;
};

// The hash of one key (64-bit FNV-1a over the kind and the text). O(length).
uint64_t KeyHash(KeyKind kind, std::string_view text);

// The key a token's frequency is counted under: its skeleton, or its form
// when the skeleton is empty. O(length).
IndexKey PrimaryKey(std::string_view form, std::string_view skeleton);

// Appends the keys of one token: the primary key and, for long skeletons,
// each distinct one-deletion of the skeleton. O(length^2).
void AppendTokenKeys(std::string_view form, std::string_view skeleton, std::vector<IndexKey>* keys);

// True for the skeleton of a very common given name (mhmd, hmd, l, hsn, ...):
// such a token is weighed as if it were in a large share of any list, so it
// alone never makes a match even in a small list. O(1).
bool IsCommonSkeleton(std::string_view skeleton);

}  // namespace vigil::names

#endif  // VIGIL_NAMES_KEYS_H_
