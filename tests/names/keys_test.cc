// The candidate keys and the "near" relation the scorer uses must agree
// exactly: that is what makes the index's candidate step complete. Checked
// against the definition (intersecting sets of one-deletions) on random
// strings, and end to end against the exhaustive pass on a dense generated
// list where many names share tokens.
#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "names/keys.h"
#include "names/posting_table.h"
#include "vigil/names.h"

namespace vigil {
namespace {

// The definition: text plus (when long enough) each one-deletion.
std::set<std::string> Neighbourhood(const std::string& text, size_t min_length) {
  std::set<std::string> out = {text};
  if (text.size() < min_length) return out;
  for (size_t index = 0; index < text.size(); ++index) {
    out.insert(text.substr(0, index) + text.substr(index + 1));
  }
  return out;
}

bool Intersect(const std::set<std::string>& a, const std::set<std::string>& b) {
  return std::any_of(a.begin(), a.end(), [&b](const std::string& x) { return b.count(x) > 0; });
}

TEST(KeysTest, NeighbourhoodRelationMatchesDefinition) {
  std::mt19937 random(7);
  const std::string alphabet = "abcd";  // small alphabet: many near pairs
  size_t near = 0;
  for (int round = 0; round < 20000; ++round) {
    auto make = [&] {
      std::string text(1 + random() % 7, 'a');
      for (char& letter : text) letter = alphabet[random() % alphabet.size()];
      return text;
    };
    const std::string a = make();
    std::string b = round % 2 == 0 ? make() : a;
    if (round % 2 == 1 && !b.empty()) {  // an edited copy: one or two edits
      for (int edit = 0; edit < 1 + round % 3 && !b.empty(); ++edit) {
        const size_t at = random() % b.size();
        switch (random() % 3) {
          case 0:
            b.erase(at, 1);
            break;
          case 1:
            b.insert(at, 1, alphabet[random() % alphabet.size()]);
            break;
          default:
            b[at] = alphabet[random() % alphabet.size()];
            break;
        }
      }
    }
    if (b.empty()) continue;
    for (size_t min_length : {names::kMinDeletionSkeleton, names::kMinDeletionForm}) {
      const bool expected = Intersect(Neighbourhood(a, min_length), Neighbourhood(b, min_length));
      near += expected;
      ASSERT_EQ(names::NeighbourhoodsIntersect(a, b, min_length), expected)
          << a << " / " << b << " min " << min_length;
    }
  }
  EXPECT_GT(near, 1000U);  // the test exercised the positive case
}

TEST(KeysTest, QueryKeysFindEveryNearToken) {
  // For near tokens, some query key of one equals some index key of the other.
  const std::vector<std::pair<std::string, std::string>> tokens = {
      {"kouachi", "kS"}, {"kouahci", "khk"},  {"mohammed", "mhmd"},
      {"mhd", "mhd"},    {"muhamad", "mhmd"}, {"aya", ""},
      {"m", "m"},        {"karima", "krm"},   {"kariba", "krb"}};
  for (const auto& [form_a, skeleton_a] : tokens) {
    for (const auto& [form_b, skeleton_b] : tokens) {
      std::vector<names::IndexKey> query_keys;
      std::vector<names::IndexKey> index_keys;
      names::AppendQueryKeys(form_a, skeleton_a, &query_keys);
      names::AppendTokenKeys(form_b, skeleton_b, &index_keys);
      bool shared = false;
      for (const auto& query : query_keys) {
        for (const auto& indexed : index_keys) shared |= query.hash == indexed.hash;
      }
      const bool initial = form_b.size() == 1 && form_a[0] == form_b[0];
      EXPECT_EQ(shared, names::TokensNear(form_a, skeleton_a, form_b, skeleton_b) || initial)
          << form_a << " / " << form_b;
    }
  }
}

TEST(KeysTest, IndexIsCompleteAgainstExhaustiveOnDenseList) {
  auto created = NewScreeningIndex();
  ASSERT_TRUE(created.ok());
  ScreeningIndex& index = **created;
  // Few syllables and given names: every query has many close names.
  const std::vector<std::string> given = {"mohamed", "ali", "omar", "fatima", "ivan", "anna"};
  const std::vector<std::string> syllables = {"ka", "ri", "mo", "sha", "di", "lo", "be", "ou"};
  std::mt19937 random(11);
  auto family = [&] {
    std::string name;
    for (size_t count = 2 + random() % 2; count > 0; --count) {
      name += syllables[random() % syllables.size()];
    }
    return name;
  };
  for (int entry = 0; entry < 3000; ++entry) {
    std::string name = given[random() % given.size()] + " " + family();
    if (random() % 3 == 0) name += " " + family();
    ASSERT_TRUE(index.Add({"W" + std::to_string(entry), {name}, "", ""}).ok());
  }
  size_t relevant = 0;
  size_t found = 0;
  for (int query = 0; query < 150; ++query) {
    std::string name = family() + " " + given[random() % given.size()];
    if (query % 3 == 0) name[1] = 'x';  // a typing error
    for (double threshold : {0.6, kDefaultScreeningThreshold}) {
      ScreeningOptions options;
      options.threshold = threshold;
      options.top_k = 1000;
      auto indexed = index.Screen({name, "", ""}, options);
      options.exhaustive = true;
      auto exhaustive = index.Screen({name, "", ""}, options);
      ASSERT_TRUE(indexed.ok() && exhaustive.ok());
      relevant += exhaustive->size();
      for (const ScreeningMatch& truth : *exhaustive) {
        found += std::any_of(indexed->begin(), indexed->end(), [&](const ScreeningMatch& m) {
          return m.entry_id == truth.entry_id && m.score == truth.score;
        });
      }
    }
  }
  EXPECT_GT(relevant, 500U);
  EXPECT_EQ(found, relevant);
}

// Early termination (candidates scored best bound first, stopping once k
// entries beat every remaining bound) and the cheapest sufficient token set
// must give exactly the exhaustive top k, names and scores, on a list where
// many names tie or nearly tie and one entry has several names.
TEST(KeysTest, EarlyTerminationReturnsTheExhaustiveTopK) {
  auto created = NewScreeningIndex();
  ASSERT_TRUE(created.ok());
  ScreeningIndex& index = **created;
  const std::vector<std::string> given = {"mohamed", "muhammad", "ali", "ahmed", "omar"};
  const std::vector<std::string> family = {"haddad", "hadad", "hamdan", "hamdar", "hamid",
                                           "khan",   "kahn",  "rahman", "rahmani"};
  std::mt19937 random(5);
  auto pick = [&random](const std::vector<std::string>& from) {
    return from[random() % from.size()];
  };
  for (int entry = 0; entry < 2000; ++entry) {
    std::vector<std::string> names = {pick(given) + " " + pick(given) + " " + pick(family)};
    if (entry % 4 == 0) names.push_back(pick(family) + " " + pick(given));
    ASSERT_TRUE(index.Add({"W" + std::to_string(entry), names, "", ""}).ok());
  }
  size_t compared = 0;
  for (int query = 0; query < 30; ++query) {
    const std::string name = pick(given) + " " + pick(family);
    for (size_t top_k : {1, 3, 10}) {
      for (double threshold : {0.0, 0.6, kDefaultScreeningThreshold}) {
        ScreeningOptions options;
        options.top_k = top_k;
        options.threshold = threshold;
        auto indexed = index.Screen({name, "", ""}, options);
        options.exhaustive = true;
        auto exhaustive = index.Screen({name, "", ""}, options);
        ASSERT_TRUE(indexed.ok() && exhaustive.ok());
        // Below kCompleteFrom the index only promises a ranking.
        if (threshold < kCompleteFrom && !exhaustive->empty() &&
            exhaustive->back().score < kCompleteFrom) {
          continue;
        }
        ASSERT_EQ(indexed->size(), exhaustive->size()) << name;
        for (size_t rank = 0; rank < indexed->size(); ++rank) {
          EXPECT_EQ((*indexed)[rank].entry_id, (*exhaustive)[rank].entry_id) << name;
          EXPECT_EQ((*indexed)[rank].score, (*exhaustive)[rank].score) << name;
          EXPECT_EQ((*indexed)[rank].matched_name, (*exhaustive)[rank].matched_name) << name;
        }
        compared += indexed->size();
      }
    }
  }
  EXPECT_GT(compared, 150U);
}

TEST(PostingTableTest, AgreesWithAReferenceMapUnderAddAndRemove) {
  names::PostingTable table;
  std::map<uint64_t, std::multiset<uint32_t>> reference;
  std::mt19937_64 random(3);
  for (int step = 0; step < 200000; ++step) {
    // Few distinct keys at 70% load exercise probing and the backward shift;
    // ids repeat so lists grow and shrink back inline.
    const uint64_t key = (random() % 3000 + 1) * 0x9E3779B97F4A7C15ULL;
    const uint32_t id = static_cast<uint32_t>(random() % 4);
    if (random() % 3 == 0) {
      table.Remove(key, id);
      auto found = reference.find(key);
      if (found != reference.end()) {
        auto position = found->second.find(id);
        if (position != found->second.end()) found->second.erase(position);
        if (found->second.empty()) reference.erase(found);
      }
    } else {
      table.Add(key, id);
      reference[key].insert(id);
    }
    if (step % 1000 == 0) {
      ASSERT_EQ(table.KeyCount(), reference.size()) << step;
      for (const auto& [probe, ids] : reference) {
        auto span = table.Find(probe);
        ASSERT_EQ(std::multiset<uint32_t>(span.begin(), span.end()), ids) << step;
      }
    }
  }
  EXPECT_TRUE(table.Find(12345678901ULL).empty());
}

}  // namespace
}  // namespace vigil
