#include "resolve/links.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <thread>
#include <unordered_map>

#include <fmt/format.h>

#include "resolve/union_find.h"

namespace vigil::resolve {
namespace {

constexpr int64_t kSecondsPerDay = 86400;
// A SIM first seen within this many days of the first record may have been
// in use before the records start, so it is not a "new" SIM; likewise one
// last seen within this many days of the end is not "silent".
constexpr int64_t kEdgeDays = 7;
constexpr int kMinSharedContacts = 1;
constexpr int kMinSharedPlaceDays = 2;
constexpr size_t kMaxExamples = 3;

std::string DayText(UnixTime time) { return FormatDate(time); }

// ---- Handset and messenger links ------------------------------------------

// Device uses that are not ownership (a device passed or borrowed within a
// group, a handle typed once on a mate's phone); a phone change is a
// succession of handsets, not an interleaving. A selector x's use u of
// handset H is not ownership when:
//  - x used another handset over a span that contains u, with more comms;
//  - another selector of x's family (SIM/SIM, handle/handle: one person
//    does not keep two at once in one phone) used H over a span that
//    contains u, with more comms; or
//  - u is brief (at most kBriefUseComms comms), x used other handsets
//    before and after it, and another selector used H over a span that
//    contains u.
// By index into obs.device_uses. O(D log D + sum over handsets and
// selectors of their uses squared) for D device uses, handsets bounded by
// max_selectors_per_handset.
constexpr int32_t kBriefUseComms = 3;

std::vector<bool> InterleavedUses(const Observations& obs, const ResolveOptions& options) {
  const auto& uses = obs.device_uses;
  std::vector<bool> interleaved(uses.size(), false);
  auto contains = [](const DeviceUse& outer, const DeviceUse& inner) {
    return outer.first < inner.first && outer.last > inner.last;
  };
  // By handset (uses are sorted by device).
  std::vector<bool> occupied(uses.size(), false);  // another selector spans it
  for (size_t begin = 0; begin < uses.size();) {
    size_t end = begin;
    while (end < uses.size() && uses[end].device == uses[begin].device) ++end;
    if (end - begin <= static_cast<size_t>(options.max_selectors_per_handset)) {
      for (size_t i = begin; i < end; ++i) {
        for (size_t j = begin; j < end; ++j) {
          if (i == j || !contains(uses[j], uses[i])) continue;
          occupied[i] = true;
          if (obs.families[uses[i].selector] == obs.families[uses[j].selector] &&
              uses[j].comms > uses[i].comms) {
            interleaved[i] = true;
          }
        }
      }
    }
    begin = end;
  }
  // By selector.
  std::vector<size_t> order(uses.size());
  for (size_t index = 0; index < uses.size(); ++index) order[index] = index;
  std::stable_sort(order.begin(), order.end(), [&uses](size_t left, size_t right) {
    return uses[left].selector < uses[right].selector;
  });
  for (size_t begin = 0; begin < order.size();) {
    size_t end = begin;
    while (end < order.size() && uses[order[end]].selector == uses[order[begin]].selector) ++end;
    for (size_t a = begin; a < end && end - begin > 1; ++a) {
      const DeviceUse& use = uses[order[a]];
      bool before = false, after = false;
      for (size_t b = begin; b < end; ++b) {
        if (a == b) continue;
        const DeviceUse& other = uses[order[b]];
        if (contains(other, use) && other.comms > use.comms) interleaved[order[a]] = true;
        before |= other.last < use.first;
        after |= other.first > use.last;
      }
      if (use.comms <= kBriefUseComms && before && after && occupied[order[a]]) {
        interleaved[order[a]] = true;
      }
    }
    begin = end;
  }
  return interleaved;
}

void AddDeviceLinks(const Observations& obs, const ResolveOptions& options,
                    std::vector<Link>* links) {
  const auto& uses = obs.device_uses;
  const std::vector<bool> interleaved =
      options.veto_interleaved_handsets ? InterleavedUses(obs, options) : std::vector<bool>(uses.size());
  for (size_t begin = 0; begin < uses.size();) {
    size_t end = begin;
    while (end < uses.size() && uses[end].device == uses[begin].device) ++end;
    const auto sharing = static_cast<double>(end - begin);
    if (end - begin <= static_cast<size_t>(options.max_selectors_per_handset)) {
      for (size_t index = begin; index < end; ++index) {
        const DeviceUse& use = uses[index];
        const Family family = obs.families[use.selector];
        if (family != Family::kSim && family != Family::kMessenger) continue;
        if (interleaved[index]) continue;
        Link link;
        link.a = use.selector;
        link.b = use.device;
        link.signal = family == Family::kSim ? Signal::kHandset : Signal::kMessenger;
        link.comms = use.comms;
        link.first = use.first;
        link.last = use.last;
        const double sent = std::max(1, obs.activity[use.selector].comms);
        link.features = {std::log1p(use.comms), std::log(sharing), use.comms / sent};
        links->push_back(std::move(link));
      }
    }
    begin = end;
  }
}

// Preliminary owners: selectors joined through handsets, so that a contact
// who changed SIM in the same handset still counts as the same contact.
std::vector<uint32_t> HandsetOwners(const Observations& obs,
                                    const std::vector<Link>& device_links) {
  UnionFind clusters(obs.size());
  for (const Link& link : device_links) clusters.Union(link.a, link.b);
  std::vector<uint32_t> owners(obs.size());
  for (size_t s = 0; s < obs.size(); ++s) owners[s] = clusters.Find(static_cast<uint32_t>(s));
  return owners;
}

// ---- Places ------------------------------------------------------------------

// Cosine similarity of two selectors' cell histograms (days per cell). Both
// place lists are sorted by cell, so one merge pass suffices.
double PlaceCosine(const Observations& obs, SelectorIndex a, SelectorIndex b) {
  auto histogram = [&obs](SelectorIndex s) {
    std::vector<std::pair<uint32_t, double>> cells;
    for (const PlaceDay* key = obs.PlacesBegin(s); key != obs.PlacesEnd(s); ++key) {
      if (cells.empty() || cells.back().first != CellOf(*key)) {
        cells.push_back({CellOf(*key), 0.0});
      }
      cells.back().second += 1.0;
    }
    return cells;
  };
  const auto left = histogram(a);
  const auto right = histogram(b);
  double dot = 0, left_norm = 0, right_norm = 0;
  for (const auto& [cell, count] : left) left_norm += count * count;
  for (const auto& [cell, count] : right) right_norm += count * count;
  size_t i = 0, j = 0;
  while (i < left.size() && j < right.size()) {
    if (left[i].first < right[j].first) {
      ++i;
    } else if (left[i].first > right[j].first) {
      ++j;
    } else {
      dot += left[i++].second * right[j++].second;
    }
  }
  if (left_norm == 0 || right_norm == 0) return 0;
  return dot / std::sqrt(left_norm * right_norm);
}

// ---- Competition -------------------------------------------------------------

// For links sharing an endpoint, whether each is the best by `score` at both
// ends, how close the runner-up comes and (when count_feature >= 0) how many
// rivals there are: log1p of the other candidates at both ends.
void MarkCompetition(std::vector<Link>& links, size_t from, double (*score)(const Link&),
                     int best_feature, int runner_up_feature, int count_feature = -1) {
  // Dense arrays by endpoint index (O(max index) memory) instead of hash
  // maps: this runs over millions of links at full scale.
  SelectorIndex top = 0;
  for (size_t index = from; index < links.size(); ++index) {
    top = std::max({top, links[index].a, links[index].b});
  }
  if (from >= links.size()) return;
  const size_t n = static_cast<size_t>(top) + 1;
  std::vector<int32_t> count_a(n, 0), count_b(n, 0);
  std::vector<std::pair<double, double>> best_a(n, {0.0, 0.0}), best_b(n, {0.0, 0.0});
  auto offer = [](std::pair<double, double>& slot, double value) {
    if (value > slot.first) {
      slot.second = slot.first;
      slot.first = value;
    } else if (value > slot.second) {
      slot.second = value;
    }
  };
  for (size_t index = from; index < links.size(); ++index) {
    offer(best_a[links[index].a], score(links[index]));
    offer(best_b[links[index].b], score(links[index]));
    ++count_a[links[index].a];
    ++count_b[links[index].b];
  }
  for (size_t index = from; index < links.size(); ++index) {
    Link& link = links[index];
    const double value = score(link);
    const auto& at_a = best_a[link.a];
    const auto& at_b = best_b[link.b];
    const bool mutual = value >= at_a.first && value >= at_b.first;
    link.features[best_feature] = mutual ? 1.0 : 0.0;
    const double rival =
        std::max(mutual ? at_a.second : at_a.first, mutual ? at_b.second : at_b.first);
    link.features[runner_up_feature] = value > 0 ? std::min(1.0, rival / value) : 1.0;
    if (count_feature >= 0) {
      link.features[count_feature] = std::log1p(count_a[link.a] + count_b[link.b] - 2);
    }
  }
}

// ---- Hand-over ---------------------------------------------------------------

// Finds hand-over candidates: a SIM that starts ("fresh") and a SIM that
// went silent within the window around its start, sharing contact owners.
// Candidates come from an inverted index from contact owner to the silent
// SIMs in touch with it, each posting list sorted by the SIM's last use, so
// that a fresh SIM visits only the silent SIMs whose last use falls in its
// window (binary search), never all pairs. Work is split over two threads
// by fresh SIM; the links come out in fresh-SIM order either way.
class HandoverFinder {
 public:
  HandoverFinder(const Observations& obs, const ResolveOptions& options,
                 const std::vector<uint32_t>& owners)
      : obs_(obs), options_(options), owners_(owners) {}

  void Run(std::vector<Link>* links) {
    BuildProfiles();
    const size_t from = links->size();
    constexpr size_t kThreads = 2;
    std::vector<std::vector<Link>> found(kThreads);
    const size_t chunk = (starting_.size() + kThreads - 1) / kThreads;
    auto work = [&](size_t part) {
      const size_t begin = std::min(starting_.size(), part * chunk);
      const size_t end = std::min(starting_.size(), begin + chunk);
      FindRange(begin, end, &found[part]);
    };
    std::thread helper(work, 1);
    work(0);
    helper.join();
    for (auto& part : found) {
      links->insert(links->end(), std::make_move_iterator(part.begin()),
                    std::make_move_iterator(part.end()));
    }
    // Rivals compete on contacts kept, places kept and promptness together.
    MarkCompetition(
        *links, from,
        [](const Link& link) {
          return link.features[1] * (0.25 + link.features[3]) / (1.0 + link.features[2]);
        },
        5, 6, 7);
  }

 private:
  bool IsSim(SelectorIndex s) const {
    return obs_.families[s] == Family::kSim && obs_.activity[s].seen();
  }

  const SelectorIndex* RootsBegin(SelectorIndex s) const {
    return profile_roots_.data() + profile_offsets_[s];
  }
  const SelectorIndex* RootsEnd(SelectorIndex s) const {
    return profile_roots_.data() + profile_offsets_[s + 1];
  }

  // Links of the fresh SIMs starting_[begin, end). Time O(sum over their
  // usable contact owners of the silent SIMs in the window); memory O(S).
  void FindRange(size_t begin, size_t end, std::vector<Link>* links) const {
    std::vector<double> weight(obs_.size(), 0.0);
    std::vector<int32_t> count(obs_.size(), 0);
    std::vector<SelectorIndex> touched;
    const int64_t max_gap = options_.handover_max_gap_days * kSecondsPerDay;
    const int64_t max_overlap = options_.handover_max_overlap_days * kSecondsPerDay;
    for (size_t position = begin; position < end; ++position) {
      const SelectorIndex fresh = starting_[position];
      const Activity& after = obs_.activity[fresh];
      touched.clear();
      for (const SelectorIndex* root = RootsBegin(fresh); root != RootsEnd(fresh); ++root) {
        if (!Usable(*root)) continue;
        const auto posting_begin =
            postings_.begin() + static_cast<ptrdiff_t>(posting_offsets_[*root]);
        const auto posting_end =
            postings_.begin() + static_cast<ptrdiff_t>(posting_offsets_[*root + 1]);
        // InWindow: after.first - max_gap <= old.last <= after.first + max_overlap.
        auto it = std::lower_bound(
            posting_begin, posting_end, after.first - max_gap,
            [this](SelectorIndex old, UnixTime time) { return obs_.activity[old].last < time; });
        const double idf = Idf(*root);
        for (; it != posting_end && obs_.activity[*it].last <= after.first + max_overlap; ++it) {
          const SelectorIndex old = *it;
          if (old == fresh || !InWindow(old, fresh)) continue;
          if (count[old] == 0) touched.push_back(old);
          ++count[old];
          weight[old] += idf;
        }
      }
      std::sort(touched.begin(), touched.end());
      for (SelectorIndex old : touched) {
        if (count[old] >= kMinSharedContacts) links->push_back(MakeLink(old, fresh, weight[old]));
        count[old] = 0;
        weight[old] = 0;
      }
    }
  }

  void BuildProfiles() {
    uint32_t max_owner = 0;
    for (uint32_t owner : owners_) max_owner = std::max(max_owner, owner);
    const size_t roots = static_cast<size_t>(max_owner) + 1;
    sims_per_root_.assign(roots, 0);
    // Each SIM's distinct contact owners, sorted (CSR by selector).
    profile_offsets_.assign(obs_.size() + 1, 0);
    std::vector<SelectorIndex> scratch;
    for (SelectorIndex s = 1; s < obs_.size(); ++s) {
      if (IsSim(s)) {
        scratch.clear();
        for (const SelectorIndex* c = obs_.ContactsBegin(s); c != obs_.ContactsEnd(s); ++c) {
          scratch.push_back(owners_[*c]);
        }
        std::sort(scratch.begin(), scratch.end());
        scratch.erase(std::unique(scratch.begin(), scratch.end()), scratch.end());
        for (SelectorIndex root : scratch) ++sims_per_root_[root];
        profile_roots_.insert(profile_roots_.end(), scratch.begin(), scratch.end());
      }
      profile_offsets_[s + 1] = profile_roots_.size();
    }
    const UnixTime new_after = obs_.first_time + kEdgeDays * kSecondsPerDay;
    const UnixTime silent_before = obs_.last_time - kEdgeDays * kSecondsPerDay;
    // Postings: silent SIMs by usable contact owner (CSR), by last use.
    posting_offsets_.assign(roots + 1, 0);
    auto silent = [&](SelectorIndex s) {
      return IsSim(s) && obs_.activity[s].last < silent_before;
    };
    for (SelectorIndex s = 1; s < obs_.size(); ++s) {
      if (!silent(s)) continue;
      for (const SelectorIndex* root = RootsBegin(s); root != RootsEnd(s); ++root) {
        if (Usable(*root)) ++posting_offsets_[*root + 1];
      }
    }
    for (size_t root = 0; root < roots; ++root) {
      posting_offsets_[root + 1] += posting_offsets_[root];
    }
    postings_.resize(posting_offsets_[roots]);
    std::vector<uint64_t> fill(posting_offsets_.begin(), posting_offsets_.end() - 1);
    for (SelectorIndex s = 1; s < obs_.size(); ++s) {
      if (IsSim(s) && obs_.activity[s].first > new_after) starting_.push_back(s);
      if (!silent(s)) continue;
      for (const SelectorIndex* root = RootsBegin(s); root != RootsEnd(s); ++root) {
        if (Usable(*root)) postings_[fill[*root]++] = s;
      }
    }
    for (size_t root = 0; root < roots; ++root) {
      std::sort(postings_.begin() + static_cast<ptrdiff_t>(posting_offsets_[root]),
                postings_.begin() + static_cast<ptrdiff_t>(posting_offsets_[root + 1]),
                [this](SelectorIndex left, SelectorIndex right) {
                  const UnixTime l = obs_.activity[left].last;
                  const UnixTime r = obs_.activity[right].last;
                  return l != r ? l < r : left < right;
                });
    }
    profile_weight_.assign(obs_.size(), 0.0);
    for (SelectorIndex s = 1; s < obs_.size(); ++s) {
      double total = 0;
      for (const SelectorIndex* root = RootsBegin(s); root != RootsEnd(s); ++root) {
        if (Usable(*root)) total += Idf(*root);
      }
      profile_weight_[s] = total;
    }
  }

  bool Usable(SelectorIndex root) const {
    const int32_t sims = sims_per_root_[root];
    return sims > 0 && sims <= options_.max_contact_degree;
  }

  double Idf(SelectorIndex root) const {
    const double sims = std::max(1, sims_per_root_[root]);
    return 1.0 / std::log(2.0 + sims);
  }

  bool InWindow(SelectorIndex old, SelectorIndex fresh) const {
    const Activity& before = obs_.activity[old];
    const Activity& after = obs_.activity[fresh];
    const UnixTime gap = after.first - before.last;
    return before.first < after.first && gap <= options_.handover_max_gap_days * kSecondsPerDay &&
           gap >= -options_.handover_max_overlap_days * kSecondsPerDay;
  }

  Link MakeLink(SelectorIndex old, SelectorIndex fresh, double shared_weight) const {
    Link link;
    link.a = old;
    link.b = fresh;
    link.signal = Signal::kHandover;
    link.first = obs_.activity[old].last;
    link.last = obs_.activity[fresh].first;
    const SelectorIndex* left_begin = RootsBegin(old);
    const SelectorIndex* left_end = RootsEnd(old);
    const SelectorIndex* right_begin = RootsBegin(fresh);
    const SelectorIndex* right_end = RootsEnd(fresh);
    std::vector<SelectorIndex> shared;
    std::set_intersection(left_begin, left_end, right_begin, right_end, std::back_inserter(shared));
    link.shared = static_cast<int32_t>(shared.size());
    // Name shared contacts by the selectors the new SIM reached them on.
    std::vector<SelectorIndex> named;
    for (const SelectorIndex* c = obs_.ContactsBegin(fresh); c != obs_.ContactsEnd(fresh); ++c) {
      if (link.examples.size() >= kMaxExamples) break;
      const SelectorIndex root = owners_[*c];
      if (!Usable(root) || !std::binary_search(shared.begin(), shared.end(), root) ||
          std::find(named.begin(), named.end(), root) != named.end()) {
        continue;
      }
      named.push_back(root);
      link.examples.push_back(*c);
    }
    const double smaller = std::max(1e-9, std::min(profile_weight_[old], profile_weight_[fresh]));
    const double overlap = std::min(1.0, shared_weight / smaller);
    const double gap_days =
        static_cast<double>(link.last - link.first) / static_cast<double>(kSecondsPerDay);
    link.features = {
        std::log1p(link.shared),
        overlap,
        std::max(0.0, gap_days) / 30.0,
        PlaceCosine(obs_, old, fresh),
        std::log1p(static_cast<double>(std::min(left_end - left_begin, right_end - right_begin))),
        0.0,
        0.0};
    return link;
  }

  const Observations& obs_;
  const ResolveOptions& options_;
  const std::vector<uint32_t>& owners_;
  std::vector<uint64_t> profile_offsets_;     // by selector index (CSR)
  std::vector<SelectorIndex> profile_roots_;  // distinct contact owners, sorted per SIM
  std::vector<int32_t> sims_per_root_;        // by owner id
  std::vector<double> profile_weight_;        // by selector index
  std::vector<uint64_t> posting_offsets_;     // by owner id (CSR)
  std::vector<SelectorIndex> postings_;       // silent SIMs, by last use per owner
  std::vector<SelectorIndex> starting_;       // fresh SIMs, ascending
};

// ---- Co-presence -------------------------------------------------------------

// Messenger selectors never seen in a handset: candidates are the SIMs used
// in the same cells on the same days.
void AddCopresenceLinks(const Observations& obs, const std::vector<Link>& device_links,
                        std::vector<Link>* links) {
  std::vector<bool> in_handset(obs.size(), false);
  for (const Link& link : device_links) in_handset[link.a] = true;
  // Every SIM's place-days, sorted by place-day: (key << 28 | selector).
  constexpr int kSelectorBits = 28;
  std::vector<uint64_t> index;
  for (SelectorIndex s = 1; s < obs.size(); ++s) {
    if (obs.families[s] != Family::kSim) continue;
    for (const PlaceDay* key = obs.PlacesBegin(s); key != obs.PlacesEnd(s); ++key) {
      index.push_back(*key << kSelectorBits | s);
    }
  }
  std::sort(index.begin(), index.end());
  const size_t from = links->size();
  for (SelectorIndex s = 1; s < obs.size(); ++s) {
    if (obs.families[s] != Family::kMessenger || in_handset[s]) continue;
    std::unordered_map<SelectorIndex, std::pair<int32_t, std::vector<uint32_t>>> shared;
    for (const PlaceDay* key = obs.PlacesBegin(s); key != obs.PlacesEnd(s); ++key) {
      auto low = std::lower_bound(index.begin(), index.end(), *key << kSelectorBits);
      for (auto it = low; it != index.end() && (*it >> kSelectorBits) == *key; ++it) {
        auto& slot = shared[static_cast<SelectorIndex>(*it & ((uint64_t{1} << kSelectorBits) - 1))];
        ++slot.first;
        if (slot.second.empty() || slot.second.back() != CellOf(*key)) {
          slot.second.push_back(CellOf(*key));
        }
      }
    }
    const double own = static_cast<double>(obs.PlacesEnd(s) - obs.PlacesBegin(s));
    for (const auto& [sim, facts] : shared) {
      if (facts.first < kMinSharedPlaceDays) continue;
      std::vector<uint32_t> cells = facts.second;
      std::sort(cells.begin(), cells.end());
      cells.erase(std::unique(cells.begin(), cells.end()), cells.end());
      Link link;
      link.a = s;
      link.b = sim;
      link.signal = Signal::kCopresence;
      link.shared = facts.first;
      link.shared_cells = static_cast<int32_t>(cells.size());
      const double theirs = static_cast<double>(obs.PlacesEnd(sim) - obs.PlacesBegin(sim));
      link.first = std::max(obs.activity[s].first, obs.activity[sim].first);
      link.last = std::min(obs.activity[s].last, obs.activity[sim].last);
      link.features = {std::log1p(link.shared),
                       std::log1p(link.shared_cells),
                       link.shared / std::max(1.0, std::min(own, theirs)),
                       PlaceCosine(obs, s, sim),
                       0.0,
                       0.0};
      links->push_back(std::move(link));
    }
  }
  MarkCompetition(
      *links, from, [](const Link& link) { return link.features[0]; }, 4, 5);
}

}  // namespace

std::string_view SignalName(Signal signal) {
  switch (signal) {
    case Signal::kHandset:
      return "handset";
    case Signal::kMessenger:
      return "messenger";
    case Signal::kHandover:
      return "hand-over";
    case Signal::kCopresence:
      return "co-presence";
    case Signal::kDocument:
      return "travel document";
    case Signal::kOwnerHandover:
      return "owner hand-over";
    case Signal::kAddressName:  // address_names.h
      return "address name";
  }
  return "?";
}

int FeatureCount(Signal signal) {
  switch (signal) {
    case Signal::kHandset:
    case Signal::kMessenger:
      return 3;
    case Signal::kHandover:
      return 8;
    case Signal::kCopresence:
      return 6;
    case Signal::kDocument:
      return 5;
    case Signal::kOwnerHandover:
      return 7;
    case Signal::kAddressName:  // address_names.h
      return 4;
  }
  return 0;
}

std::vector<Link> CandidateLinks(const Observations& obs, const ResolveOptions& options,
                                 const std::vector<uint32_t>& contact_owner) {
  std::vector<Link> links;
  AddDeviceLinks(obs, options, &links);
  const std::vector<Link> device_links = links;
  const std::vector<uint32_t> owners =
      contact_owner.empty() ? HandsetOwners(obs, device_links) : contact_owner;
  HandoverFinder(obs, options, owners).Run(&links);
  AddCopresenceLinks(obs, device_links, &links);
  return links;
}

std::vector<Link> WithHandoverLinks(const Observations& obs, const ResolveOptions& options,
                                    const std::vector<Link>& candidates,
                                    const std::vector<uint32_t>& contact_owner) {
  std::vector<Link> links;
  links.reserve(candidates.size());
  auto copy = [&](bool devices) {
    for (const Link& link : candidates) {
      const bool device = link.signal == Signal::kHandset || link.signal == Signal::kMessenger;
      if (link.signal != Signal::kHandover && device == devices) links.push_back(link);
    }
  };
  copy(true);
  HandoverFinder(obs, options, contact_owner).Run(&links);
  copy(false);
  return links;
}

std::string DescribeLink(const Observations& obs, const Link& link) {
  const std::string& a = obs.texts[link.a];
  const std::string& b = obs.texts[link.b];
  switch (link.signal) {
    case Signal::kHandset:
    case Signal::kMessenger:
      return fmt::format("{} used in handset {} ({} comms, {}..{})", a, b, link.comms,
                         DayText(link.first), DayText(link.last));
    case Signal::kHandover: {
      std::string examples;
      for (SelectorIndex contact : link.examples) {
        if (!examples.empty()) examples += ", ";
        examples += obs.texts[contact];
      }
      return fmt::format(
          "hand-over: {} silent after {}, {} active from {}; {} shared contacts (e.g. {})", a,
          DayText(link.first), b, DayText(link.last), link.shared, examples);
    }
    case Signal::kCopresence:
      return fmt::format("co-presence: {} and {} in the same cell on {} days ({} cells), {}..{}", a,
                         b, link.shared, link.shared_cells, DayText(link.first),
                         DayText(link.last));
    case Signal::kDocument:
    case Signal::kAddressName:  // address_names.h
      return link.note;
    case Signal::kOwnerHandover:
      return fmt::format(
          "owner hand-over: the {} SIM(s) with {} and the {} SIM(s) with {} keep {} contacts in "
          "common and were used at different times, in the same places",
          link.a_sims, a, link.b_sims, b, link.shared);
  }
  return "";
}

}  // namespace vigil::resolve

namespace vigil::resolve {
namespace {

// Owner hand-over compares a group without a known owner with known
// people's groups only, sharing at least this many contact owners, whose
// SIMs were in use at the same time for at most this share of the time.
constexpr int kMinOwnerSharedContacts = 2;
constexpr double kMaxSharedUse = 0.25;

// What an owner group did with its SIMs.
struct GroupProfile {
  std::vector<SelectorIndex> sims;
  std::vector<uint32_t> contacts;  // distinct contact groups, sorted
  std::vector<std::pair<UnixTime, UnixTime>> spans;
};

// Seconds during which SIMs of both groups were in use (sum over pairs of
// the overlap of their activity spans).
double SharedUseSeconds(const GroupProfile& left, const GroupProfile& right) {
  double total = 0;
  for (const auto& [a_first, a_last] : left.spans) {
    for (const auto& [b_first, b_last] : right.spans) {
      const UnixTime from = std::max(a_first, b_first);
      const UnixTime to = std::min(a_last, b_last);
      if (to > from) total += static_cast<double>(to - from);
    }
  }
  return total;
}

double SpanSeconds(const GroupProfile& group) {
  double total = 0;
  for (const auto& [first, last] : group.spans) total += static_cast<double>(last - first);
  return std::max(total, 1.0);
}

// Cosine of the groups' cell histograms (days per cell over all their SIMs).
double GroupPlaceCosine(const Observations& obs, const GroupProfile& left,
                        const GroupProfile& right) {
  auto histogram = [&obs](const GroupProfile& group) {
    std::unordered_map<uint32_t, double> cells;
    for (SelectorIndex s : group.sims) {
      for (const PlaceDay* key = obs.PlacesBegin(s); key != obs.PlacesEnd(s); ++key) {
        cells[CellOf(*key)] += 1.0;
      }
    }
    return cells;
  };
  const auto a = histogram(left);
  const auto b = histogram(right);
  double dot = 0, left_norm = 0, right_norm = 0;
  for (const auto& [cell, count] : a) {
    left_norm += count * count;
    auto found = b.find(cell);
    if (found != b.end()) dot += count * found->second;
  }
  for (const auto& [cell, count] : b) right_norm += count * count;
  if (left_norm == 0 || right_norm == 0) return 0;
  return dot / std::sqrt(left_norm * right_norm);
}

// The SIM of `group` whose use is nearest in time to `sim`.
SelectorIndex NearestSim(const Observations& obs, const GroupProfile& group, SelectorIndex sim) {
  SelectorIndex best = group.sims.front();
  UnixTime best_gap = std::numeric_limits<UnixTime>::max();
  const Activity& own = obs.activity[sim];
  for (SelectorIndex other : group.sims) {
    const Activity& theirs = obs.activity[other];
    const UnixTime gap =
        std::max<UnixTime>(0, std::max(theirs.first - own.last, own.first - theirs.last));
    if (gap < best_gap) {
      best_gap = gap;
      best = other;
    }
  }
  return best;
}

}  // namespace

std::vector<Link> OwnerHandoverLinks(const Observations& obs, const ResolveOptions& options,
                                     const std::vector<uint32_t>& group, size_t group_count,
                                     const std::vector<bool>& known) {
  std::vector<GroupProfile> groups(group_count);
  for (SelectorIndex s = 1; s < obs.size(); ++s) {
    if (obs.families[s] != Family::kSim || !obs.activity[s].seen()) continue;
    GroupProfile& profile = groups[group[s]];
    profile.sims.push_back(s);
    profile.spans.push_back({obs.activity[s].first, obs.activity[s].last});
    for (const SelectorIndex* c = obs.ContactsBegin(s); c != obs.ContactsEnd(s); ++c) {
      profile.contacts.push_back(group[*c]);
    }
  }
  std::vector<int32_t> groups_per_contact(group_count, 0);
  for (GroupProfile& profile : groups) {
    auto& contacts = profile.contacts;
    std::sort(contacts.begin(), contacts.end());
    contacts.erase(std::unique(contacts.begin(), contacts.end()), contacts.end());
    for (uint32_t contact : contacts) ++groups_per_contact[contact];
  }
  auto usable = [&](uint32_t contact) {
    return groups_per_contact[contact] > 0 &&
           groups_per_contact[contact] <= options.max_contact_degree;
  };
  auto idf = [&](uint32_t contact) {
    return 1.0 / std::log(2.0 + std::max(1, groups_per_contact[contact]));
  };
  // Only a known group can be linked to (see `together` below), so only
  // known groups are posted: unknown x unknown pairs are never visited.
  std::vector<std::vector<uint32_t>> postings(group_count);
  std::vector<double> weight(group_count, 0.0);
  for (uint32_t g = 0; g < group_count; ++g) {
    for (uint32_t contact : groups[g].contacts) {
      if (!usable(contact)) continue;
      if (known[g]) postings[contact].push_back(g);
      weight[g] += idf(contact);
    }
  }
  std::vector<Link> links;
  std::vector<double> shared_weight(group_count, 0.0);
  std::vector<int32_t> shared(group_count, 0);
  std::vector<uint32_t> touched;
  for (uint32_t g = 0; g < group_count; ++g) {
    if (known[g] || groups[g].sims.empty()) continue;
    touched.clear();
    for (uint32_t contact : groups[g].contacts) {
      if (!usable(contact)) continue;
      for (uint32_t other : postings[contact]) {
        if (other == g || other == contact) continue;
        if (shared[other] == 0) touched.push_back(other);
        ++shared[other];
        shared_weight[other] += idf(contact);
      }
    }
    for (uint32_t other : touched) {
      const GroupProfile& mine = groups[g];
      const GroupProfile& theirs = groups[other];
      const double together =
          known[other] && shared[other] >= kMinOwnerSharedContacts
              ? SharedUseSeconds(mine, theirs) / std::min(SpanSeconds(mine), SpanSeconds(theirs))
              : 1.0;
      if (together <= kMaxSharedUse) {
        Link link;
        link.a = mine.sims.front();
        link.b = NearestSim(obs, theirs, link.a);
        link.signal = Signal::kOwnerHandover;
        link.shared = shared[other];
        link.a_sims = static_cast<int32_t>(mine.sims.size());
        link.b_sims = static_cast<int32_t>(theirs.sims.size());
        const double smaller = std::max(1e-9, std::min(weight[g], weight[other]));
        link.features = {std::log1p(link.shared),
                         std::min(1.0, shared_weight[other] / smaller),
                         std::min(1.0, together),
                         GroupPlaceCosine(obs, mine, theirs),
                         0.0,
                         0.0,
                         0.0};
        links.push_back(std::move(link));
      }
      shared[other] = 0;
      shared_weight[other] = 0;
    }
  }
  MarkCompetition(
      links, 0,
      [](const Link& link) {
        return link.features[1] * (0.25 + link.features[3]) * (1.0 - 0.9 * link.features[2]);
      },
      4, 5, 6);
  return links;
}

}  // namespace vigil::resolve
