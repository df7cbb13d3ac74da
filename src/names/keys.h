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

// Skeletons shorter than this ("kari" -> "kr") are too coarse to make two
// tokens near: such tokens are near only by their forms.
inline constexpr size_t kMinSkeletonKey = 1;
// Skeletons at least this long also get their one-deletion keys.
inline constexpr size_t kMinDeletionSkeleton = 4;
// Forms at least this long also get their one-deletion keys (typing errors
// that change the skeleton: "kouahci" ~ "kouachi").
inline constexpr size_t kMinDeletionForm = 5;

// Key namespaces. A token's neighbourhood is its text plus, when long enough,
// every one-deletion of it (a symmetric-deletion scheme); two tokens are
// "near" when their skeleton neighbourhoods or their form neighbourhoods
// intersect. The scorer gives a token pair a non-zero similarity only when
// the tokens are near (or one is the initial of the other), and the index
// holds exactly the keys needed to find every near token, so the candidate
// step can be complete (see ScreeningIndex in vigil/names.h).
enum class KeyKind : uint8_t {
  kSkeleton = 0,          // the skeleton itself
  kSkeletonDeletion = 1,  // a one-deletion of a skeleton of kMinDeletionSkeleton+
  kForm = 2,              // the form itself
  kFormDeletion = 3,      // a one-deletion of a form of kMinDeletionForm+
  kInitial = 4,           // a one-letter token (an initial)
};

struct IndexKey {
  uint64_t hash = 0;
  KeyKind kind = KeyKind::kSkeleton;
};

// The hash of one key (64-bit FNV-1a over the kind and the text). O(length).
uint64_t KeyHash(KeyKind kind, std::string_view text);

// The key a token's frequency is counted under: its skeleton, or its form
// when the skeleton is empty. O(length).
IndexKey PrimaryKey(std::string_view form, std::string_view skeleton);

// Appends the keys an index stores for one token: skeleton, form, their
// one-deletions when long enough, and the initial key of a one-letter token.
// O(length^2).
void AppendTokenKeys(std::string_view form, std::string_view skeleton, std::vector<IndexKey>* keys);

// Appends the keys a query token looks up to find every indexed token near
// it (each element of its neighbourhoods in both the plain and the deletion
// namespace) and every indexed initial of its first letter. O(length^2).
void AppendQueryKeys(std::string_view form, std::string_view skeleton, std::vector<IndexKey>* keys);

// True when the one-deletion neighbourhoods of `a` and `b` intersect, where
// a text shorter than `min_deletion_length` is its own only neighbour:
// equal, or (long enough) one insertion/deletion, one substitution, or one
// letter moved. Exactly the relation the keys above encode. O(length).
bool NeighbourhoodsIntersect(std::string_view a, std::string_view b, size_t min_deletion_length);

// True when two tokens are near: their skeletons or their forms have
// intersecting neighbourhoods. O(length).
bool TokensNear(std::string_view form_a, std::string_view skeleton_a, std::string_view form_b,
                std::string_view skeleton_b);

// True for the skeleton of a very common given name (mhmd, hmd, l, hsn, ...):
// such a token is weighed as if it were in a large share of any list, so it
// alone never makes a match even in a small list. O(1).
bool IsCommonSkeleton(std::string_view skeleton);

}  // namespace vigil::names

#endif  // VIGIL_NAMES_KEYS_H_
