// The screening index: an inverted index from name keys to name ids, prefix
// filtering for the candidates, and the scorer on the candidates in order of
// a cheap upper bound, stopping once no remaining bound can enter the top K.
#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>

#include "names/keys.h"
#include "names/posting_table.h"
#include "names/score.h"
#include "vigil/names.h"

namespace vigil {
namespace {

// In ranking mode (threshold below kCompleteFrom), at most this many
// candidates below kCompleteFrom are scored, those with the best bound first.
constexpr size_t kMaxRankingCandidates = 512;
constexpr uint32_t kFree = std::numeric_limits<uint32_t>::max();
constexpr char kSeparator = ' ';

struct NameRecord {
  uint32_t entry = kFree;   // kFree when the slot is unused
  uint32_t name_index = 0;  // which of the entry's names
  // A second reading of one of the entry's names (an Arabic-script name
  // read the Persian/Urdu way, a Korean name's plain reading): screened like
  // any name, but kept out of the word-rarity statistics (live_names_,
  // token_counts_), which count each name once, by its first reading.
  bool second_reading = false;
  // The tokens joined by kSeparator, kSeparator, then the skeletons joined by
  // kSeparator (parts may be empty): one string, so a candidate's text is
  // one memory access away.
  std::string text;
  uint32_t skeletons_start = 0;  // where the skeletons begin in `text`
  // Per token, its slot in token_counts_ (the frequency of its primary key),
  // so that weighing a candidate needs no hashing: the first kMaxTokens
  // inline (no pointer to chase while scoring, no allocation), the rest in
  // extra_slots (names of more than kMaxTokens tokens are rare).
  std::array<uint32_t, names::kMaxTokens> scored_slots{};
  uint8_t slot_count = 0;  // inline slots used
  std::vector<uint32_t> extra_slots;

  // Every token's slot, in token order. O(tokens).
  std::vector<uint32_t> AllSlots() const {
    std::vector<uint32_t> slots(scored_slots.begin(), scored_slots.begin() + slot_count);
    slots.insert(slots.end(), extra_slots.begin(), extra_slots.end());
    return slots;
  }

  std::string_view forms() const { return std::string_view(text).substr(0, skeletons_start - 1); }
  std::string_view skeletons() const { return std::string_view(text).substr(skeletons_start); }
  // The end offsets of the first `scored_tokens` tokens in `forms` and
  // `skeletons` (the scorer reads at most kMaxTokens), so that scoring a
  // candidate splits no string.
  uint8_t scored_tokens = 0;
  std::array<uint16_t, names::kMaxTokens> form_ends{};
  std::array<uint16_t, names::kMaxTokens> skeleton_ends{};
};

struct EntryRecord {
  ScreeningEntry entry;
  std::vector<uint32_t> names;
  bool live = false;
};

struct PreparedName {
  std::vector<std::string> forms;
  std::vector<std::string> skeletons;
  uint32_t name_index = 0;
  bool second_reading = false;  // of the name prepared just before it (NameRecord)
};

// Splits on kSeparator, keeping empty parts. O(length).
void SplitInto(std::string_view text, std::vector<std::string_view>* parts) {
  parts->clear();
  size_t start = 0;
  while (true) {
    const size_t end = text.find(kSeparator, start);
    if (end == std::string_view::npos) {
      parts->push_back(text.substr(start));
      return;
    }
    parts->push_back(text.substr(start, end - start));
    start = end + 1;
  }
}

std::string Join(const std::vector<std::string>& parts) {
  std::string joined;
  for (size_t index = 0; index < parts.size(); ++index) {
    if (index > 0) joined.push_back(kSeparator);
    joined += parts[index];
  }
  return joined;
}

// The distinct hashes of `keys`, sorted. O(k log k).
std::vector<uint64_t> DistinctHashes(const std::vector<names::IndexKey>& keys) {
  std::vector<uint64_t> hashes;
  hashes.reserve(keys.size());
  for (const names::IndexKey& key : keys) hashes.push_back(key.hash);
  std::sort(hashes.begin(), hashes.end());
  hashes.erase(std::unique(hashes.begin(), hashes.end()), hashes.end());
  return hashes;
}

// Distinct keys of a name's tokens.
std::vector<uint64_t> NameKeys(const std::vector<std::string_view>& forms,
                               const std::vector<std::string_view>& skeletons) {
  std::vector<names::IndexKey> keys;
  for (size_t index = 0; index < forms.size(); ++index) {
    names::AppendTokenKeys(forms[index], skeletons[index], &keys);
  }
  return DistinctHashes(keys);
}

Result<NameNormalizer*> ThreadNormalizer() {
  thread_local std::unique_ptr<NameNormalizer> normalizer;
  if (normalizer == nullptr) {
    VIGIL_ASSIGN_OR_RETURN(normalizer, NewNameNormalizer());
  }
  return normalizer.get();
}

// Records where each of the first kMaxTokens tokens ends, for EntryTokens.
// A name too long for 16-bit offsets keeps the tokens that fit (the
// exhaustive pass reads the same tokens, so both agree). O(tokens).
void SetTokenEnds(const std::vector<std::string_view>& forms,
                  const std::vector<std::string_view>& skeletons, NameRecord* name) {
  constexpr size_t kMaxOffset = std::numeric_limits<uint16_t>::max();
  size_t form_end = 0;
  size_t skeleton_end = 0;
  name->scored_tokens = 0;
  for (size_t index = 0; index < std::min(forms.size(), names::kMaxTokens); ++index) {
    form_end += (index > 0 ? 1 : 0) + forms[index].size();
    skeleton_end += (index > 0 ? 1 : 0) + skeletons[index].size();
    if (form_end > kMaxOffset || skeleton_end > kMaxOffset) break;
    name->form_ends[index] = static_cast<uint16_t>(form_end);
    name->skeleton_ends[index] = static_cast<uint16_t>(skeleton_end);
    name->scored_tokens = static_cast<uint8_t>(index + 1);
  }
}

// Per-thread query scratch: a dense accumulator over name ids, and the
// rarity weights of token slots computed during the current query.
struct Scratch {
  std::vector<uint8_t> matched;  // per name: bit i set when prefix token i shares a key
  std::vector<uint32_t> touched;
  // weight_stamp[slot] == stamp when slot_weight[slot] is this query's.
  std::vector<double> slot_weight;
  std::vector<uint32_t> weight_stamp;
  uint32_t stamp = 0;
  std::vector<names::ScoredToken> tokens;  // one candidate's tokens
};

Scratch& ThreadScratch() {
  thread_local Scratch scratch;
  return scratch;
}

struct Candidate {
  uint32_t entry = 0;
  uint32_t name = 0;
  double score = 0.0;
};

// A candidate name and the query tokens that may be near one of its tokens
// (bit i for query token i): the others share no key with it.
struct NameCandidate {
  uint32_t name = 0;
  uint8_t rows = 0;
};

// Every query token may be near (the exhaustive pass knows nothing).
constexpr uint8_t kAllRows = 0xFF;

// A candidate name and an upper bound of its score.
struct Bounded {
  double bound = 0.0;
  uint32_t name = 0;
};

// The best score of each of the top `k` distinct entries seen so far, best
// first: the bar a remaining candidate's bound must reach to matter.
class TopEntries {
 public:
  explicit TopEntries(size_t k) : k_(k) {}

  // Records that `entry` scored `score`. O(k).
  void Offer(uint32_t entry, double score) {
    auto same = std::find_if(best_.begin(), best_.end(),
                             [entry](const Candidate& held) { return held.entry == entry; });
    if (same != best_.end()) {
      if (score <= same->score) return;
      same->score = score;
    } else if (best_.size() < k_) {
      best_.push_back({entry, 0, score});
    } else if (k_ > 0 && score > best_.back().score) {
      best_.back() = {entry, 0, score};
    } else {
      return;
    }
    std::sort(best_.begin(), best_.end(), [](const Candidate& left, const Candidate& right) {
      return left.score > right.score;
    });
  }

  // True when a name scoring at most `bound` cannot enter the top k: k
  // distinct entries already score above it. O(1).
  bool Excludes(double bound) const {
    return k_ == 0 || (best_.size() == k_ && bound < best_.back().score);
  }

 private:
  size_t k_;
  std::vector<Candidate> best_;
};

class ScreeningIndexImpl final : public ScreeningIndex {
 public:
  Status Add(const ScreeningEntry& entry) override;
  Status Remove(std::string_view entry_id) override;
  Result<std::vector<ScreeningMatch>> Screen(const ScreeningQuery& query,
                                             const ScreeningOptions& options) const override;
  size_t EntryCount() const override;
  size_t ApproximateMemoryUsage() const override;

 private:
  size_t Frequency(std::string_view form, std::string_view skeleton) const;
  void Weigh(std::vector<names::ScoredToken>* tokens) const;
  void StartQuery() const;
  // Gives each token of `name` its slot, and counts each distinct primary
  // key once in token_counts_ (not for a second reading).
  void CountTokens(NameRecord* name, const std::vector<std::string_view>& forms,
                   const std::vector<std::string_view>& skeletons);
  // Undoes CountTokens's counting.
  void UncountTokens(const NameRecord& name);
  void RemoveLocked(uint32_t entry_slot);
  uint32_t AllocateName();
  uint32_t AllocateEntry();
  std::vector<NameCandidate> RankCandidates(const std::vector<names::ScoredToken>& query,
                                            const ScreeningQuery& raw, double threshold) const;
  void MarkPostings(const std::vector<uint64_t>& hashes, uint8_t bit, bool add_new,
                    Scratch* scratch) const;
  void EntryTokens(const NameRecord& name, std::vector<names::ScoredToken>* tokens) const;
  double SlotWeight(uint32_t slot, std::string_view form) const;
  std::vector<Bounded> BoundCandidates(const std::vector<names::ScoredToken>& query,
                                       const ScreeningQuery& raw,
                                       const std::vector<NameCandidate>& names, double cut) const;
  std::vector<Candidate> ScoreCandidates(const std::vector<names::ScoredToken>& query,
                                         const ScreeningQuery& raw, std::vector<Bounded> bounded,
                                         const ScreeningOptions& options) const;
  // Screens one reading of the query name (its tokens and skeletons); the
  // caller holds the shared lock.
  std::vector<ScreeningMatch> ScreenReading(const std::vector<std::string>& forms,
                                            const std::vector<std::string>& skeletons,
                                            const ScreeningQuery& query,
                                            const ScreeningOptions& options) const;
  std::vector<ScreeningMatch> Finish(std::vector<Candidate> candidates,
                                     const std::vector<names::ScoredToken>& query,
                                     const ScreeningQuery& raw,
                                     const ScreeningOptions& options) const;

  mutable std::shared_mutex mutex_;
  std::vector<NameRecord> names_;
  std::vector<uint32_t> free_names_;
  std::vector<EntryRecord> entries_;
  std::vector<uint32_t> free_entries_;
  std::unordered_map<std::string, uint32_t> entry_by_id_;
  names::PostingTable postings_;
  // Primary key -> slot in token_counts_: how many live names hold a token
  // with that primary key (the token's document frequency).
  std::unordered_map<uint64_t, uint32_t> token_slot_by_key_;
  std::vector<uint32_t> token_counts_;
  // Per slot: 1 when its skeleton is a very common given name's
  // (IsCommonSkeleton), decided once when the slot is created.
  std::vector<uint8_t> token_common_;
  size_t live_names_ = 0;
};

Status ScreeningIndexImpl::Add(const ScreeningEntry& entry) {
  if (entry.entry_id.empty()) return Status::InvalidArgument("screening entry: empty entry_id");
  VIGIL_ASSIGN_OR_RETURN(NameNormalizer * normalizer, ThreadNormalizer());
  std::vector<PreparedName> prepared;
  Status first_error;
  for (size_t index = 0; index < entry.names.size(); ++index) {
    Result<NormalizedName> normalized = normalizer->Normalize(entry.names[index]);
    if (!normalized.ok()) {
      if (first_error.ok()) first_error = normalized.status();
      continue;
    }
    prepared.push_back({std::move(normalized->tokens), std::move(normalized->skeletons),
                        static_cast<uint32_t>(index), /*second_reading=*/false});
    if (!normalized->alternate_tokens.empty()) {
      prepared.push_back({std::move(normalized->alternate_tokens),
                          std::move(normalized->alternate_skeletons), static_cast<uint32_t>(index),
                          /*second_reading=*/true});
    }
  }
  if (prepared.empty()) {
    return Status::InvalidArgument("screening entry " + entry.entry_id + ": no usable name (" +
                                   first_error.ToString() + ")");
  }
  std::unique_lock lock(mutex_);
  if (auto found = entry_by_id_.find(entry.entry_id); found != entry_by_id_.end()) {
    RemoveLocked(found->second);
  }
  const uint32_t entry_slot = AllocateEntry();
  EntryRecord& record = entries_[entry_slot];
  record.entry = entry;
  record.live = true;
  std::vector<std::string_view> forms;
  std::vector<std::string_view> skeletons;
  for (PreparedName& name : prepared) {
    const uint32_t name_slot = AllocateName();
    NameRecord& stored = names_[name_slot];
    stored.entry = entry_slot;
    stored.name_index = name.name_index;
    stored.second_reading = name.second_reading;
    stored.text = Join(name.forms);
    stored.text.push_back(kSeparator);
    stored.skeletons_start = static_cast<uint32_t>(stored.text.size());
    stored.text += Join(name.skeletons);
    SplitInto(stored.forms(), &forms);
    SplitInto(stored.skeletons(), &skeletons);
    for (uint64_t key : NameKeys(forms, skeletons)) postings_.Add(key, name_slot);
    CountTokens(&stored, forms, skeletons);
    SetTokenEnds(forms, skeletons, &stored);
    record.names.push_back(name_slot);
    if (!stored.second_reading) ++live_names_;
  }
  entry_by_id_.emplace(entry.entry_id, entry_slot);
  return Status::Ok();
}

Status ScreeningIndexImpl::Remove(std::string_view entry_id) {
  std::unique_lock lock(mutex_);
  auto found = entry_by_id_.find(std::string(entry_id));
  if (found == entry_by_id_.end()) {
    return Status::NotFound("screening entry " + std::string(entry_id));
  }
  RemoveLocked(found->second);
  return Status::Ok();
}

void ScreeningIndexImpl::RemoveLocked(uint32_t entry_slot) {
  EntryRecord& record = entries_[entry_slot];
  std::vector<std::string_view> forms;
  std::vector<std::string_view> skeletons;
  for (uint32_t name_slot : record.names) {
    NameRecord& name = names_[name_slot];
    SplitInto(name.forms(), &forms);
    SplitInto(name.skeletons(), &skeletons);
    for (uint64_t key : NameKeys(forms, skeletons)) postings_.Remove(key, name_slot);
    UncountTokens(name);
    if (!name.second_reading) --live_names_;
    name = NameRecord{};
    free_names_.push_back(name_slot);
  }
  entry_by_id_.erase(record.entry.entry_id);
  record = EntryRecord{};
  free_entries_.push_back(entry_slot);
}

uint32_t ScreeningIndexImpl::AllocateName() {
  if (!free_names_.empty()) {
    const uint32_t slot = free_names_.back();
    free_names_.pop_back();
    return slot;
  }
  names_.emplace_back();
  return static_cast<uint32_t>(names_.size() - 1);
}

uint32_t ScreeningIndexImpl::AllocateEntry() {
  if (!free_entries_.empty()) {
    const uint32_t slot = free_entries_.back();
    free_entries_.pop_back();
    return slot;
  }
  entries_.emplace_back();
  return static_cast<uint32_t>(entries_.size() - 1);
}

void ScreeningIndexImpl::CountTokens(NameRecord* name, const std::vector<std::string_view>& forms,
                                     const std::vector<std::string_view>& skeletons) {
  std::vector<uint32_t> slots;
  for (size_t index = 0; index < forms.size(); ++index) {
    const uint64_t key = names::PrimaryKey(forms[index], skeletons[index]).hash;
    auto [found, inserted] =
        token_slot_by_key_.try_emplace(key, static_cast<uint32_t>(token_counts_.size()));
    if (inserted) {
      token_counts_.push_back(0);
      token_common_.push_back(names::IsCommonSkeleton(skeletons[index]) ? 1 : 0);
    }
    const uint32_t slot = found->second;
    if (!name->second_reading && std::find(slots.begin(), slots.end(), slot) == slots.end()) {
      ++token_counts_[slot];
    }
    slots.push_back(slot);
  }
  name->slot_count = static_cast<uint8_t>(std::min(slots.size(), names::kMaxTokens));
  std::copy(slots.begin(), slots.begin() + name->slot_count, name->scored_slots.begin());
  name->extra_slots.assign(slots.begin() + name->slot_count, slots.end());
}

void ScreeningIndexImpl::UncountTokens(const NameRecord& name) {
  if (name.second_reading) return;
  const std::vector<uint32_t> slots = name.AllSlots();
  for (size_t index = 0; index < slots.size(); ++index) {
    const uint32_t slot = slots[index];
    if (std::find(slots.begin(), slots.begin() + index, slot) == slots.begin() + index) {
      --token_counts_[slot];
    }
  }
}

size_t ScreeningIndexImpl::Frequency(std::string_view form, std::string_view skeleton) const {
  auto found = token_slot_by_key_.find(names::PrimaryKey(form, skeleton).hash);
  return found == token_slot_by_key_.end() ? 0 : token_counts_[found->second];
}

// Starts a query on this thread: a new stamp invalidates the weights cached
// by an earlier query (or another index). O(token slots) when they grew.
void ScreeningIndexImpl::StartQuery() const {
  Scratch& scratch = ThreadScratch();
  if (scratch.weight_stamp.size() < token_counts_.size()) {
    scratch.weight_stamp.resize(token_counts_.size(), 0);
    scratch.slot_weight.resize(token_counts_.size(), 0.0);
  }
  if (++scratch.stamp == 0) {  // wrapped: forget every cached weight
    std::fill(scratch.weight_stamp.begin(), scratch.weight_stamp.end(), 0);
    scratch.stamp = 1;
  }
}

void ScreeningIndexImpl::Weigh(std::vector<names::ScoredToken>* tokens) const {
  for (names::ScoredToken& token : *tokens) {
    token.weight = names::TokenWeight(token.form, Frequency(token.form, token.skeleton),
                                      live_names_, names::IsCommonSkeleton(token.skeleton));
  }
}

// The distinct lookup keys of `token`: every indexed token near it shares
// one of them. O(length^2).
std::vector<uint64_t> QueryHashes(const names::ScoredToken& token) {
  std::vector<names::IndexKey> keys;
  names::AppendQueryKeys(token.form, token.skeleton, &keys);
  return DistinctHashes(keys);
}

// Sets `bit` in scratch->matched for every name listed under `hashes`; a
// name not yet touched is added to scratch->touched when `add_new`, and
// left alone otherwise. O(sum of their posting lists).
void ScreeningIndexImpl::MarkPostings(const std::vector<uint64_t>& hashes, uint8_t bit,
                                      bool add_new, Scratch* scratch) const {
  for (uint64_t hash : hashes) {
    for (uint32_t name : postings_.Find(hash)) {
      if (scratch->matched[name] == 0) {
        if (!add_new) continue;
        scratch->touched.push_back(name);
      }
      scratch->matched[name] |= bit;
    }
  }
}

// Among the query's tokens that have keys (not initials), the set whose
// postings are shortest in total such that the tokens left out, even if all
// matched perfectly, could not lift a name to `target`
// (NameScoreUpperBound + `boost`). Every name that can reach the target
// then shares a key with a chosen token. The classic prefix takes the
// rarest tokens; but a rare token can have long postings (a rare spelling
// one deletion away from a common name: "hemdin" -> "hmdn" -> "hmd"), so
// the cost, not the rarity, decides. At most kMaxTokens tokens: all 2^t
// subsets are tried. O(2^t * t).
std::vector<size_t> CheapestSufficientTokens(const std::vector<names::ScoredToken>& query,
                                             const std::vector<size_t>& keyed,
                                             const std::vector<size_t>& costs, double total,
                                             double boost, double target) {
  size_t best_mask = (size_t{1} << keyed.size()) - 1;
  size_t best_cost = std::numeric_limits<size_t>::max();
  for (size_t mask = 0; mask < (size_t{1} << keyed.size()); ++mask) {
    double rest = total;
    size_t cost = 0;
    for (size_t bit = 0; bit < keyed.size(); ++bit) {
      if (((mask >> bit) & 1U) == 0) continue;
      rest -= query[keyed[bit]].weight;
      cost += costs[bit];
    }
    if (names::NameScoreUpperBound(std::max(rest, 0.0), total) + boost >= target) continue;
    if (cost < best_cost) {
      best_cost = cost;
      best_mask = mask;
    }
  }
  std::vector<size_t> chosen;
  for (size_t bit = 0; bit < keyed.size(); ++bit) {
    if ((best_mask >> bit) & 1U) chosen.push_back(bit);
  }
  return chosen;
}

// Prefix filtering. A set of the query's tokens is chosen such that the
// others, even if all matched perfectly, could not lift a name to the target
// score (NameScoreUpperBound + MaxAttributeBoost), with the shortest
// postings in total (CheapestSufficientTokens). A name that shares no key
// with a chosen token has no non-zero pair with it (the scorer compares near
// tokens only), so it cannot reach the target: the union of the chosen
// tokens' postings holds every name that can. Each such name's bound is then
// tightened by which chosen tokens it shares a key with, and only names
// whose bound reaches the threshold are kept.
std::vector<NameCandidate> ScreeningIndexImpl::RankCandidates(
    const std::vector<names::ScoredToken>& query, const ScreeningQuery& raw,
    double threshold) const {
  const size_t count = std::min(query.size(), names::kMaxTokens);
  double total = 0.0;
  std::vector<size_t> keyed;
  for (size_t index = 0; index < count; ++index) {
    total += query[index].weight;
    // An initial matches any token with its first letter: it has no keys
    // that find those, so it is never chosen.
    if (query[index].form.size() > 1) keyed.push_back(index);
  }
  std::vector<std::vector<uint64_t>> hashes;
  std::vector<size_t> costs;
  for (size_t index : keyed) {
    hashes.push_back(QueryHashes(query[index]));
    size_t cost = 0;
    for (uint64_t hash : hashes.back()) cost += postings_.Find(hash).size();
    costs.push_back(cost);
  }
  const double boost = names::MaxAttributeBoost(raw.birth_date);
  const double target = std::max(threshold, kCompleteFrom);
  const std::vector<size_t> chosen =
      CheapestSufficientTokens(query, keyed, costs, total, boost, target);
  // The chosen tokens' postings make the candidates; the postings of the
  // other keyed tokens only tighten their bounds (a name near no marked
  // token gets no credit for it). Walking even a long posting list touches
  // one byte per name, far cheaper than reading the candidate's record to
  // find out (measured: 1.9x the queries per CPU-second at 100k entries).
  std::vector<size_t> marked(chosen.begin(), chosen.end());
  for (size_t bit = 0; bit < keyed.size(); ++bit) {
    if (std::find(chosen.begin(), chosen.end(), bit) == chosen.end()) marked.push_back(bit);
  }
  double rest = total;  // the weight of tokens not marked
  for (size_t bit : marked) rest -= query[keyed[bit]].weight;
  Scratch& scratch = ThreadScratch();
  if (scratch.matched.size() < names_.size()) scratch.matched.resize(names_.size(), 0);
  for (size_t bit = 0; bit < marked.size(); ++bit) {
    MarkPostings(hashes[marked[bit]], static_cast<uint8_t>(1U << bit),
                 /*add_new=*/bit < chosen.size(), &scratch);
  }
  // The bound of a name by the set of marked tokens it shares a key with.
  std::vector<double> bound(size_t{1} << marked.size());
  for (size_t mask = 0; mask < bound.size(); ++mask) {
    double covered = std::max(rest, 0.0);
    for (size_t bit = 0; bit < marked.size(); ++bit) {
      if ((mask >> bit) & 1U) covered += query[keyed[marked[bit]]].weight;
    }
    bound[mask] = names::NameScoreUpperBound(covered, total) + boost;
  }
  // The query tokens that may be near a name, by its mask: the marked ones
  // whose bit it has, and every token that was not marked (initials).
  uint8_t unmarked = 0;
  for (size_t index = 0; index < count; ++index) unmarked |= static_cast<uint8_t>(1U << index);
  for (size_t bit : marked) unmarked &= static_cast<uint8_t>(~(1U << keyed[bit]));
  std::vector<uint8_t> rows(bound.size(), unmarked);
  for (size_t mask = 0; mask < rows.size(); ++mask) {
    for (size_t bit = 0; bit < marked.size(); ++bit) {
      if ((mask >> bit) & 1U) rows[mask] |= static_cast<uint8_t>(1U << keyed[marked[bit]]);
    }
  }
  std::vector<NameCandidate> candidates;
  std::vector<std::pair<double, NameCandidate>> weaker;  // ranking mode only
  for (uint32_t name : scratch.touched) {
    const uint8_t mask = scratch.matched[name];
    scratch.matched[name] = 0;
    if (bound[mask] >= target) {
      candidates.push_back({name, rows[mask]});
    } else if (bound[mask] >= threshold) {
      weaker.emplace_back(bound[mask], NameCandidate{name, rows[mask]});
    }
  }
  scratch.touched.clear();
  auto stronger = [](const auto& left, const auto& right) {
    if (left.first != right.first) return left.first > right.first;
    return left.second.name > right.second.name;
  };
  if (weaker.size() > kMaxRankingCandidates) {
    std::nth_element(weaker.begin(), weaker.begin() + kMaxRankingCandidates, weaker.end(),
                     stronger);
    weaker.resize(kMaxRankingCandidates);
  }
  for (const auto& [name_bound, candidate] : weaker) candidates.push_back(candidate);
  return candidates;
}

// The weight of a token in `slot`: the slot's rarity weight, computed once
// per query and thread (the population changes only under the exclusive
// lock; the slot's key is the skeleton, so "common" is the same for all its
// tokens), capped per token for an initial as TokenWeight does. O(1).
double ScreeningIndexImpl::SlotWeight(uint32_t slot, std::string_view form) const {
  Scratch& scratch = ThreadScratch();
  if (scratch.weight_stamp[slot] != scratch.stamp) {
    scratch.weight_stamp[slot] = scratch.stamp;
    scratch.slot_weight[slot] =
        names::RarityWeight(token_counts_[slot], live_names_, token_common_[slot] != 0);
  }
  const double weight = scratch.slot_weight[slot];
  return form.size() == 1 ? std::min(weight, names::kInitialWeight) : weight;
}

// The first kMaxTokens tokens of `name`, weighed, without splitting or
// allocating (after the first call on a thread). O(tokens).
void ScreeningIndexImpl::EntryTokens(const NameRecord& name,
                                     std::vector<names::ScoredToken>* tokens) const {
  tokens->clear();
  const std::string_view forms = name.forms();
  const std::string_view skeletons = name.skeletons();
  size_t form_start = 0;
  size_t skeleton_start = 0;
  for (size_t index = 0; index < name.scored_tokens; ++index) {
    const std::string_view form = forms.substr(form_start, name.form_ends[index] - form_start);
    const std::string_view skeleton =
        skeletons.substr(skeleton_start, name.skeleton_ends[index] - skeleton_start);
    tokens->push_back({form, skeleton, SlotWeight(name.scored_slots[index], form)});
    form_start = name.form_ends[index] + 1;
    skeleton_start = name.skeleton_ends[index] + 1;
  }
}

// Each candidate's CoverageUpperBound (plus the largest attribute boost),
// keeping those that reach `cut`, best bound first. O(C * t^2 * l + C log C).
std::vector<Bounded> ScreeningIndexImpl::BoundCandidates(
    const std::vector<names::ScoredToken>& query, const ScreeningQuery& raw,
    const std::vector<NameCandidate>& names, double cut) const {
  const double boost = names::MaxAttributeBoost(raw.birth_date);
  std::vector<names::ScoredToken>& tokens = ThreadScratch().tokens;
  std::vector<Bounded> bounded;
  for (const NameCandidate& candidate : names) {
    const NameRecord& name = names_[candidate.name];
    if (name.entry == kFree) continue;
    EntryTokens(name, &tokens);
    // Most candidates share one token and nothing else; query tokens that
    // share no key with the name are not tested at all.
    const double bound = names::CoverageUpperBound(query, tokens, candidate.rows) + boost;
    if (bound >= cut && bound > 0.0) bounded.push_back({bound, candidate.name});
  }
  std::sort(bounded.begin(), bounded.end(),
            [](const Bounded& left, const Bounded& right) { return left.bound > right.bound; });
  return bounded;
}

// Scores candidates best bound first and stops at the first whose bound
// cannot enter the top options.top_k entries (early termination, MaxScore
// style): every name left unscored scores at most its bound, below k
// distinct entries already found, so the result equals scoring them all.
// O(scored * t^2 * l^2).
std::vector<Candidate> ScreeningIndexImpl::ScoreCandidates(
    const std::vector<names::ScoredToken>& query, const ScreeningQuery& raw,
    std::vector<Bounded> bounded, const ScreeningOptions& options) const {
  std::vector<Candidate> scored;
  TopEntries top(options.top_k);
  std::vector<names::ScoredToken>& tokens = ThreadScratch().tokens;
  for (const Bounded& candidate : bounded) {
    if (top.Excludes(candidate.bound)) break;
    const NameRecord& name = names_[candidate.name];
    EntryTokens(name, &tokens);
    const names::NameScore name_score = names::ScoreNames(query, tokens, /*explain=*/false);
    if (name_score.score <= 0.0) continue;
    const ScreeningEntry& entry = entries_[name.entry].entry;
    const double score =
        names::AdjustForAttributes(name_score.score, raw.birth_date, entry.birth_date, nullptr);
    if (score < options.threshold) continue;
    scored.push_back({name.entry, candidate.name, score});
    top.Offer(name.entry, score);
  }
  return scored;
}

std::vector<ScreeningMatch> ScreeningIndexImpl::Finish(std::vector<Candidate> candidates,
                                                       const std::vector<names::ScoredToken>& query,
                                                       const ScreeningQuery& raw,
                                                       const ScreeningOptions& options) const {
  std::sort(candidates.begin(), candidates.end(),
            [](const Candidate& left, const Candidate& right) {
              if (left.score != right.score) return left.score > right.score;
              return left.name < right.name;
            });
  std::vector<ScreeningMatch> matches;
  std::vector<uint32_t> seen_entries;
  std::vector<names::ScoredToken> tokens;
  for (const Candidate& candidate : candidates) {
    if (matches.size() >= options.top_k || candidate.score < options.threshold) break;
    if (std::find(seen_entries.begin(), seen_entries.end(), candidate.entry) !=
        seen_entries.end()) {
      continue;
    }
    seen_entries.push_back(candidate.entry);
    const NameRecord& name = names_[candidate.name];
    const ScreeningEntry& entry = entries_[candidate.entry].entry;
    EntryTokens(name, &tokens);
    ScreeningMatch match;
    match.entry_id = entry.entry_id;
    match.score = candidate.score;
    match.matched_name = entry.names[name.name_index];
    match.explanation = names::ScoreNames(query, tokens, /*explain=*/true).explanation;
    names::AdjustForAttributes(0.0, raw.birth_date, entry.birth_date, &match.explanation);
    matches.push_back(std::move(match));
  }
  return matches;
}

std::vector<ScreeningMatch> ScreeningIndexImpl::ScreenReading(
    const std::vector<std::string>& forms, const std::vector<std::string>& skeletons,
    const ScreeningQuery& query, const ScreeningOptions& options) const {
  std::vector<names::ScoredToken> tokens;
  for (size_t index = 0; index < forms.size(); ++index) {
    tokens.push_back({forms[index], skeletons[index], 1.0});
  }
  StartQuery();
  Weigh(&tokens);
  std::vector<NameCandidate> names;
  if (options.exhaustive) {
    names.reserve(names_.size());
    for (uint32_t slot = 0; slot < names_.size(); ++slot) names.push_back({slot, kAllRows});
  } else {
    names = RankCandidates(tokens, query, options.threshold);
  }
  // Names whose bound is below the cut cannot be returned: in ranking mode
  // (threshold below kCompleteFrom) only the threshold itself applies.
  std::vector<Bounded> bounded = BoundCandidates(tokens, query, names, options.threshold);
  return Finish(ScoreCandidates(tokens, query, std::move(bounded), options), tokens, query,
                options);
}

Result<std::vector<ScreeningMatch>> ScreeningIndexImpl::Screen(
    const ScreeningQuery& query, const ScreeningOptions& options) const {
  VIGIL_ASSIGN_OR_RETURN(NameNormalizer * normalizer, ThreadNormalizer());
  VIGIL_ASSIGN_OR_RETURN(NormalizedName normalized, normalizer->Normalize(query.name));
  std::shared_lock lock(mutex_);
  std::vector<ScreeningMatch> matches =
      ScreenReading(normalized.tokens, normalized.skeletons, query, options);
  if (normalized.alternate_tokens.empty()) return matches;
  // A name with two readings: each entry keeps its best match of either.
  std::vector<ScreeningMatch> other =
      ScreenReading(normalized.alternate_tokens, normalized.alternate_skeletons, query, options);
  for (ScreeningMatch& match : other) {
    auto same = std::find_if(matches.begin(), matches.end(), [&match](const ScreeningMatch& kept) {
      return kept.entry_id == match.entry_id;
    });
    if (same == matches.end()) {
      matches.push_back(std::move(match));
    } else if (match.score > same->score) {
      *same = std::move(match);
    }
  }
  std::stable_sort(matches.begin(), matches.end(),
                   [](const ScreeningMatch& left, const ScreeningMatch& right) {
                     return left.score > right.score;
                   });
  if (matches.size() > options.top_k) matches.resize(options.top_k);
  return matches;
}

size_t ScreeningIndexImpl::EntryCount() const {
  std::shared_lock lock(mutex_);
  return entry_by_id_.size();
}

size_t ScreeningIndexImpl::ApproximateMemoryUsage() const {
  constexpr size_t kHashNodeOverhead = 2 * sizeof(void*);
  constexpr size_t kSmallString = 15;
  std::shared_lock lock(mutex_);
  auto heap = [](const std::string& text) {
    return text.capacity() > kSmallString ? text.capacity() + 1 : 0;
  };
  size_t bytes = names_.capacity() * sizeof(NameRecord) + entries_.capacity() * sizeof(EntryRecord);
  for (const NameRecord& name : names_) {
    bytes += heap(name.text) + name.extra_slots.capacity() * sizeof(uint32_t);
  }
  for (const EntryRecord& record : entries_) {
    bytes += record.names.capacity() * sizeof(uint32_t) + heap(record.entry.entry_id) +
             heap(record.entry.birth_date) + heap(record.entry.nationality) +
             record.entry.names.capacity() * sizeof(std::string);
    for (const std::string& text : record.entry.names) bytes += heap(text);
  }
  bytes += postings_.MemoryUsage();
  bytes += token_slot_by_key_.bucket_count() * sizeof(void*) +
           token_slot_by_key_.size() * (sizeof(uint64_t) + sizeof(uint32_t) + kHashNodeOverhead) +
           token_counts_.capacity() * sizeof(uint32_t) + token_common_.capacity();
  bytes += entry_by_id_.bucket_count() * sizeof(void*) +
           entry_by_id_.size() * (sizeof(std::string) + sizeof(uint32_t) + kHashNodeOverhead);
  return bytes;
}

}  // namespace

Result<std::unique_ptr<ScreeningIndex>> NewScreeningIndex() {
  VIGIL_RETURN_IF_ERROR(ThreadNormalizer().status());
  return std::unique_ptr<ScreeningIndex>(std::make_unique<ScreeningIndexImpl>());
}

}  // namespace vigil
