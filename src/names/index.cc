// The screening index: an inverted index from name keys to name ids, a
// candidate ranking by rarity-weighted key overlap, and the scorer on the
// best candidates.
#include <algorithm>
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
  std::string forms;        // tokens joined by kSeparator
  std::string skeletons;    // skeletons joined by kSeparator (parts may be empty)
  // Per token, its slot in token_counts_ (the frequency of its primary key),
  // so that weighing a candidate needs no hashing.
  std::vector<uint32_t> token_slots;
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

// Distinct keys of a name's tokens.
std::vector<uint64_t> NameKeys(const std::vector<std::string_view>& forms,
                               const std::vector<std::string_view>& skeletons) {
  std::vector<names::IndexKey> keys;
  for (size_t index = 0; index < forms.size(); ++index) {
    names::AppendTokenKeys(forms[index], skeletons[index], &keys);
  }
  std::vector<uint64_t> hashes;
  hashes.reserve(keys.size());
  for (const names::IndexKey& key : keys) hashes.push_back(key.hash);
  std::sort(hashes.begin(), hashes.end());
  hashes.erase(std::unique(hashes.begin(), hashes.end()), hashes.end());
  return hashes;
}

Result<NameNormalizer*> ThreadNormalizer() {
  thread_local std::unique_ptr<NameNormalizer> normalizer;
  if (normalizer == nullptr) {
    VIGIL_ASSIGN_OR_RETURN(normalizer, NewNameNormalizer());
  }
  return normalizer.get();
}

// Per-thread query scratch: a dense accumulator over name ids.
struct Scratch {
  std::vector<uint8_t> matched;  // per name: bit i set when prefix token i shares a key
  std::vector<uint32_t> touched;
  std::vector<names::IndexKey> keys;
  std::vector<uint64_t> hashes;
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
  void WeighEntry(const NameRecord& name, std::vector<names::ScoredToken>* tokens) const;
  void CountTokens(NameRecord* name, const std::vector<std::string_view>& forms,
                   const std::vector<std::string_view>& skeletons);
  void UncountTokens(const NameRecord& name);
  void RemoveLocked(uint32_t entry_slot);
  uint32_t AllocateName();
  uint32_t AllocateEntry();
  std::vector<uint32_t> RankCandidates(const std::vector<names::ScoredToken>& query,
                                       const ScreeningQuery& raw, double threshold) const;
  void MarkPostings(const names::ScoredToken& token, uint8_t bit, Scratch* scratch) const;
  void EntryTokens(const NameRecord& name, std::vector<std::string_view>* forms,
                   std::vector<std::string_view>* skeletons,
                   std::vector<names::ScoredToken>* tokens) const;
  std::vector<Candidate> ScoreCandidates(const std::vector<names::ScoredToken>& query,
                                         const ScreeningQuery& raw,
                                         const std::vector<uint32_t>& names, double cut) const;
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
                        static_cast<uint32_t>(index)});
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
    stored.forms = Join(name.forms);
    stored.skeletons = Join(name.skeletons);
    SplitInto(stored.forms, &forms);
    SplitInto(stored.skeletons, &skeletons);
    for (uint64_t key : NameKeys(forms, skeletons)) postings_.Add(key, name_slot);
    CountTokens(&stored, forms, skeletons);
    record.names.push_back(name_slot);
    ++live_names_;
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
    SplitInto(name.forms, &forms);
    SplitInto(name.skeletons, &skeletons);
    for (uint64_t key : NameKeys(forms, skeletons)) postings_.Remove(key, name_slot);
    UncountTokens(name);
    name = NameRecord{};
    free_names_.push_back(name_slot);
    --live_names_;
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

// Counts each distinct primary key of the name once.
void ScreeningIndexImpl::CountTokens(NameRecord* name, const std::vector<std::string_view>& forms,
                                     const std::vector<std::string_view>& skeletons) {
  name->token_slots.clear();
  for (size_t index = 0; index < forms.size(); ++index) {
    const uint64_t key = names::PrimaryKey(forms[index], skeletons[index]).hash;
    auto [found, inserted] =
        token_slot_by_key_.try_emplace(key, static_cast<uint32_t>(token_counts_.size()));
    if (inserted) token_counts_.push_back(0);
    const uint32_t slot = found->second;
    if (std::find(name->token_slots.begin(), name->token_slots.end(), slot) ==
        name->token_slots.end()) {
      ++token_counts_[slot];
    }
    name->token_slots.push_back(slot);
  }
}

void ScreeningIndexImpl::UncountTokens(const NameRecord& name) {
  for (size_t index = 0; index < name.token_slots.size(); ++index) {
    const uint32_t slot = name.token_slots[index];
    if (std::find(name.token_slots.begin(), name.token_slots.begin() + index, slot) ==
        name.token_slots.begin() + index) {
      --token_counts_[slot];
    }
  }
}

size_t ScreeningIndexImpl::Frequency(std::string_view form, std::string_view skeleton) const {
  auto found = token_slot_by_key_.find(names::PrimaryKey(form, skeleton).hash);
  return found == token_slot_by_key_.end() ? 0 : token_counts_[found->second];
}

void ScreeningIndexImpl::WeighEntry(const NameRecord& name,
                                    std::vector<names::ScoredToken>* tokens) const {
  for (size_t index = 0; index < tokens->size(); ++index) {
    names::ScoredToken& token = (*tokens)[index];
    token.weight = names::TokenWeight(token.form, token_counts_[name.token_slots[index]],
                                      live_names_, names::IsCommonSkeleton(token.skeleton));
  }
}

void ScreeningIndexImpl::Weigh(std::vector<names::ScoredToken>* tokens) const {
  for (names::ScoredToken& token : *tokens) {
    token.weight = names::TokenWeight(token.form, Frequency(token.form, token.skeleton),
                                      live_names_, names::IsCommonSkeleton(token.skeleton));
  }
}

// Sets `bit` in scratch->matched for every name holding a token near
// `token` (or an initial of its first letter).
void ScreeningIndexImpl::MarkPostings(const names::ScoredToken& token, uint8_t bit,
                                      Scratch* scratch) const {
  scratch->keys.clear();
  names::AppendQueryKeys(token.form, token.skeleton, &scratch->keys);
  scratch->hashes.clear();
  for (const names::IndexKey& key : scratch->keys) scratch->hashes.push_back(key.hash);
  std::sort(scratch->hashes.begin(), scratch->hashes.end());
  scratch->hashes.erase(std::unique(scratch->hashes.begin(), scratch->hashes.end()),
                        scratch->hashes.end());
  for (uint64_t hash : scratch->hashes) {
    for (uint32_t name : postings_.Find(hash)) {
      if (scratch->matched[name] == 0) scratch->touched.push_back(name);
      scratch->matched[name] |= bit;
    }
  }
}

// Prefix filtering. The query's tokens are taken rarest first into a prefix
// until the remaining tokens, even if all matched perfectly, could not lift
// a name to the target score (NameScoreUpperBound + MaxAttributeBoost). A
// name that shares no key with a prefix token has no non-zero pair with it
// (the scorer compares near tokens only), so it cannot reach the target:
// the union of the prefix tokens' postings holds every name that can. Each
// such name's bound is then tightened by which prefix tokens it shares a
// key with, and only names whose bound reaches the threshold are scored.
std::vector<uint32_t> ScreeningIndexImpl::RankCandidates(
    const std::vector<names::ScoredToken>& query, const ScreeningQuery& raw,
    double threshold) const {
  const size_t count = std::min(query.size(), names::kMaxTokens);
  double total = 0.0;
  std::vector<size_t> order;
  for (size_t index = 0; index < count; ++index) {
    total += query[index].weight;
    // An initial matches any token with its first letter: it has no keys
    // that find those, so it always stays outside the prefix.
    if (query[index].form.size() > 1) order.push_back(index);
  }
  std::stable_sort(order.begin(), order.end(), [&query](size_t left, size_t right) {
    return query[left].weight > query[right].weight;
  });
  const double boost = names::MaxAttributeBoost(raw.birth_date, raw.nationality);
  const double target = std::max(threshold, kCompleteFrom);
  double rest = total;
  std::vector<size_t> prefix;
  for (size_t index : order) {
    if (names::NameScoreUpperBound(rest, total) + boost < target) break;
    prefix.push_back(index);
    rest -= query[index].weight;
  }
  Scratch& scratch = ThreadScratch();
  if (scratch.matched.size() < names_.size()) scratch.matched.resize(names_.size(), 0);
  for (size_t bit = 0; bit < prefix.size(); ++bit) {
    MarkPostings(query[prefix[bit]], static_cast<uint8_t>(1U << bit), &scratch);
  }
  // The bound of a name by the set of prefix tokens it shares a key with.
  std::vector<double> bound(size_t{1} << prefix.size());
  for (size_t mask = 0; mask < bound.size(); ++mask) {
    double covered = std::max(rest, 0.0);
    for (size_t bit = 0; bit < prefix.size(); ++bit) {
      if ((mask >> bit) & 1U) covered += query[prefix[bit]].weight;
    }
    bound[mask] = names::NameScoreUpperBound(covered, total) + boost;
  }
  std::vector<uint32_t> candidates;
  std::vector<std::pair<double, uint32_t>> weaker;  // ranking mode only
  for (uint32_t name : scratch.touched) {
    const double name_bound = bound[scratch.matched[name]];
    scratch.matched[name] = 0;
    if (name_bound >= target) {
      candidates.push_back(name);
    } else if (name_bound >= threshold) {
      weaker.emplace_back(name_bound, name);
    }
  }
  scratch.touched.clear();
  if (weaker.size() > kMaxRankingCandidates) {
    std::nth_element(weaker.begin(), weaker.begin() + kMaxRankingCandidates, weaker.end(),
                     [](const auto& left, const auto& right) { return left > right; });
    weaker.resize(kMaxRankingCandidates);
  }
  for (const auto& [name_bound, name] : weaker) candidates.push_back(name);
  return candidates;
}

void ScreeningIndexImpl::EntryTokens(const NameRecord& name, std::vector<std::string_view>* forms,
                                     std::vector<std::string_view>* skeletons,
                                     std::vector<names::ScoredToken>* tokens) const {
  SplitInto(name.forms, forms);
  SplitInto(name.skeletons, skeletons);
  tokens->clear();
  for (size_t index = 0; index < forms->size(); ++index) {
    tokens->push_back({(*forms)[index], (*skeletons)[index], 1.0});
  }
  WeighEntry(name, tokens);
}

std::vector<Candidate> ScreeningIndexImpl::ScoreCandidates(
    const std::vector<names::ScoredToken>& query, const ScreeningQuery& raw,
    const std::vector<uint32_t>& names, double cut) const {
  std::vector<Candidate> scored;
  const double boost = names::MaxAttributeBoost(raw.birth_date, raw.nationality);
  std::vector<std::string_view> forms;
  std::vector<std::string_view> skeletons;
  std::vector<names::ScoredToken> tokens;
  for (uint32_t name_slot : names) {
    const NameRecord& name = names_[name_slot];
    if (name.entry == kFree) continue;
    EntryTokens(name, &forms, &skeletons, &tokens);
    // A cheap bound first: most candidates share one token and nothing else.
    if (names::CoverageUpperBound(query, tokens) + boost < cut) continue;
    const names::NameScore name_score = names::ScoreNames(query, tokens, /*explain=*/false);
    if (name_score.score <= 0.0) continue;
    const ScreeningEntry& entry = entries_[name.entry].entry;
    const double score =
        names::AdjustForAttributes(name_score.score, raw.birth_date, entry.birth_date,
                                   raw.nationality, entry.nationality, nullptr);
    scored.push_back({name.entry, name_slot, score});
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
  std::vector<std::string_view> forms;
  std::vector<std::string_view> skeletons;
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
    EntryTokens(name, &forms, &skeletons, &tokens);
    ScreeningMatch match;
    match.entry_id = entry.entry_id;
    match.score = candidate.score;
    match.matched_name = entry.names[name.name_index];
    match.explanation = names::ScoreNames(query, tokens, /*explain=*/true).explanation;
    names::AdjustForAttributes(0.0, raw.birth_date, entry.birth_date, raw.nationality,
                               entry.nationality, &match.explanation);
    matches.push_back(std::move(match));
  }
  return matches;
}

Result<std::vector<ScreeningMatch>> ScreeningIndexImpl::Screen(
    const ScreeningQuery& query, const ScreeningOptions& options) const {
  VIGIL_ASSIGN_OR_RETURN(NameNormalizer * normalizer, ThreadNormalizer());
  VIGIL_ASSIGN_OR_RETURN(NormalizedName normalized, normalizer->Normalize(query.name));
  std::vector<names::ScoredToken> tokens;
  for (size_t index = 0; index < normalized.tokens.size(); ++index) {
    tokens.push_back({normalized.tokens[index], normalized.skeletons[index], 1.0});
  }
  std::shared_lock lock(mutex_);
  Weigh(&tokens);
  std::vector<uint32_t> names;
  if (options.exhaustive) {
    names.reserve(names_.size());
    for (uint32_t slot = 0; slot < names_.size(); ++slot) names.push_back(slot);
  } else {
    names = RankCandidates(tokens, query, options.threshold);
  }
  // Names whose bound is below the cut cannot be returned: in ranking mode
  // (threshold below kCompleteFrom) only the threshold itself applies.
  const double cut = options.threshold;
  return Finish(ScoreCandidates(tokens, query, names, cut), tokens, query, options);
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
    bytes +=
        heap(name.forms) + heap(name.skeletons) + name.token_slots.capacity() * sizeof(uint32_t);
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
           token_counts_.capacity() * sizeof(uint32_t);
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
