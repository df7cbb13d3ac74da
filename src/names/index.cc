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
#include "names/score.h"
#include "vigil/names.h"

namespace vigil {
namespace {

// At most this many postings are visited per query (rarest keys first).
constexpr size_t kPostingBudget = 8000;
// At most this many names are scored with the full scorer per query.
constexpr size_t kMaxCandidates = 40;
// A shared one-deletion key counts less than a shared skeleton.
constexpr float kDeletionKeyFactor = 0.5F;
// Candidates whose key overlap is below this share of the best are not scored.
constexpr float kMinOverlapShare = 0.35F;
constexpr uint32_t kFree = std::numeric_limits<uint32_t>::max();
constexpr char kSeparator = ' ';

struct NameRecord {
  uint32_t entry = kFree;   // kFree when the slot is unused
  uint32_t name_index = 0;  // which of the entry's names
  std::string forms;        // tokens joined by kSeparator
  std::string skeletons;    // skeletons joined by kSeparator (parts may be empty)
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
  std::vector<float> score;
  std::vector<uint32_t> touched;
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

struct QueryKey {
  const std::vector<uint32_t>* postings = nullptr;
  float weight = 0.0F;
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
  using Postings = std::unordered_map<uint64_t, std::vector<uint32_t>>;

  size_t Frequency(std::string_view form, std::string_view skeleton) const;
  void Weigh(std::vector<names::ScoredToken>* tokens) const;
  void RemoveLocked(uint32_t entry_slot);
  uint32_t AllocateName();
  uint32_t AllocateEntry();
  std::vector<uint32_t> RankCandidates(const std::vector<names::ScoredToken>& query) const;
  void EntryTokens(const NameRecord& name, std::vector<std::string_view>* forms,
                   std::vector<std::string_view>* skeletons,
                   std::vector<names::ScoredToken>* tokens) const;
  std::vector<Candidate> ScoreCandidates(const std::vector<names::ScoredToken>& query,
                                         const ScreeningQuery& raw,
                                         const std::vector<uint32_t>& names) const;
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
  Postings postings_;
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
    for (uint64_t key : NameKeys(forms, skeletons)) postings_[key].push_back(name_slot);
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
    for (uint64_t key : NameKeys(forms, skeletons)) {
      auto postings = postings_.find(key);
      if (postings == postings_.end()) continue;
      std::vector<uint32_t>& ids = postings->second;
      auto position = std::find(ids.begin(), ids.end(), name_slot);
      if (position != ids.end()) {
        *position = ids.back();
        ids.pop_back();
      }
      if (ids.empty()) postings_.erase(postings);
    }
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

size_t ScreeningIndexImpl::Frequency(std::string_view form, std::string_view skeleton) const {
  auto found = postings_.find(names::PrimaryKey(form, skeleton).hash);
  return found == postings_.end() ? 0 : found->second.size();
}

void ScreeningIndexImpl::Weigh(std::vector<names::ScoredToken>* tokens) const {
  for (names::ScoredToken& token : *tokens) {
    token.weight = names::RarityWeight(Frequency(token.form, token.skeleton), live_names_,
                                       names::IsCommonSkeleton(token.skeleton));
  }
}

std::vector<uint32_t> ScreeningIndexImpl::RankCandidates(
    const std::vector<names::ScoredToken>& query) const {
  std::vector<names::IndexKey> token_keys;
  std::vector<QueryKey> keys;
  for (const names::ScoredToken& token : query) {
    token_keys.clear();
    names::AppendTokenKeys(token.form, token.skeleton, &token_keys);
    for (const names::IndexKey& key : token_keys) {
      auto found = postings_.find(key.hash);
      if (found == postings_.end()) continue;
      const float factor = key.kind == names::KeyKind::kDeletion ? kDeletionKeyFactor : 1.0F;
      keys.push_back({&found->second, static_cast<float>(token.weight) * factor});
    }
  }
  std::sort(keys.begin(), keys.end(), [](const QueryKey& left, const QueryKey& right) {
    return left.postings->size() < right.postings->size();
  });
  Scratch& scratch = ThreadScratch();
  if (scratch.score.size() < names_.size()) scratch.score.resize(names_.size(), 0.0F);
  size_t visited = 0;
  for (const QueryKey& key : keys) {
    if (visited + key.postings->size() > kPostingBudget && !scratch.touched.empty()) break;
    visited += key.postings->size();
    for (uint32_t name : *key.postings) {
      if (scratch.score[name] == 0.0F) scratch.touched.push_back(name);
      scratch.score[name] += key.weight;
    }
  }
  std::vector<uint32_t> candidates = scratch.touched;
  auto by_score = [&scratch](uint32_t left, uint32_t right) {
    return scratch.score[left] > scratch.score[right];
  };
  if (candidates.size() > kMaxCandidates) {
    std::nth_element(candidates.begin(), candidates.begin() + kMaxCandidates, candidates.end(),
                     by_score);
  }
  if (candidates.size() > kMaxCandidates) candidates.resize(kMaxCandidates);
  float best = 0.0F;
  for (uint32_t name : candidates) best = std::max(best, scratch.score[name]);
  std::erase_if(candidates, [&scratch, best](uint32_t name) {
    return scratch.score[name] < kMinOverlapShare * best;
  });
  for (uint32_t name : scratch.touched) scratch.score[name] = 0.0F;
  scratch.touched.clear();
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
  Weigh(tokens);
}

std::vector<Candidate> ScreeningIndexImpl::ScoreCandidates(
    const std::vector<names::ScoredToken>& query, const ScreeningQuery& raw,
    const std::vector<uint32_t>& names) const {
  std::vector<Candidate> scored;
  std::vector<std::string_view> forms;
  std::vector<std::string_view> skeletons;
  std::vector<names::ScoredToken> tokens;
  for (uint32_t name_slot : names) {
    const NameRecord& name = names_[name_slot];
    if (name.entry == kFree) continue;
    EntryTokens(name, &forms, &skeletons, &tokens);
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
    names = RankCandidates(tokens);
  }
  return Finish(ScoreCandidates(tokens, query, names), tokens, query, options);
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
  for (const NameRecord& name : names_) bytes += heap(name.forms) + heap(name.skeletons);
  for (const EntryRecord& record : entries_) {
    bytes += record.names.capacity() * sizeof(uint32_t) + heap(record.entry.entry_id) +
             heap(record.entry.birth_date) + heap(record.entry.nationality) +
             record.entry.names.capacity() * sizeof(std::string);
    for (const std::string& text : record.entry.names) bytes += heap(text);
  }
  bytes += postings_.bucket_count() * sizeof(void*);
  for (const auto& [key, ids] : postings_) {
    bytes += sizeof(key) + sizeof(ids) + kHashNodeOverhead + ids.capacity() * sizeof(uint32_t);
  }
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
