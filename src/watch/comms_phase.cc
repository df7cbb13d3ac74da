// The comms phase: reads only communications stored since the last run,
// keeps those that touch a watched person, and replays them per person, in
// time order, through that person's stored profile.
#include <algorithm>
#include <string>

#include "watch/phases.h"
#include "watch/profile.h"

namespace vigil::watch {
namespace {

// One end of a communication that is a watched person.
struct RawEvent {
  PersonIndex subject = kNoPerson;
  PersonIndex counterpart = kNoPerson;
  UnixTime time = 0;
  float weight = 1;
  float proposed = 0;  // the subject reached through a proposed link of this confidence
  CommKind kind = CommKind::kUnknown;
  bool outgoing = false;  // the subject is the source
};

Result<int64_t> LoadInt(Store& store, const char* key) {
  VIGIL_ASSIGN_OR_RETURN(std::optional<std::string> value, store.GetWatchState(key));
  if (!value) return int64_t{0};
  try {
    return static_cast<int64_t>(std::stoll(*value));
  } catch (...) {
    return Status::Corruption(std::string("watch state '") + key + "' is not a number");
  }
}

// The person's travel to places of concern after `after` up to `until`,
// as relevant events.
Status ConcernTravel(PhaseContext& ctx, PersonIndex subject, UnixTime after, UnixTime until,
                     std::vector<SubjectEvent>* events) {
  const std::vector<std::string>& selectors = ctx.roster.SelectorsOf(subject);
  if (selectors.empty()) return Status::Ok();
  VIGIL_ASSIGN_OR_RETURN(std::vector<TravelRecord> travel, ctx.store.TravelByDocuments(selectors));
  for (const TravelRecord& record : travel) {
    if (record.time <= after || record.time > until) continue;
    if (!ctx.roster.IsConcernPlace(record.destination)) continue;
    SubjectEvent event;
    event.time = record.time;
    event.relevant = true;
    event.outgoing = true;
    event.what = "travel:" + record.destination;
    events->push_back(std::move(event));
  }
  return Status::Ok();
}

SubjectEvent ToSubjectEvent(const Roster& roster, const RawEvent& raw) {
  SubjectEvent event;
  event.time = raw.time;
  event.weight = raw.weight;
  event.outgoing = raw.outgoing;
  event.via_proposed = raw.proposed;
  event.what = std::string(CommKindName(raw.kind));
  if (raw.counterpart != kNoPerson && raw.counterpart != raw.subject) {
    event.counterpart = roster.id(raw.counterpart);
    event.counterpart_watched = roster.watched(raw.counterpart);
    event.relevant = event.counterpart_watched || roster.IsCoDetainee(raw.subject, raw.counterpart);
  }
  return event;
}

// Replays one person's new events through their profile.
Status UpdateSubject(PhaseContext& ctx, PersonIndex subject, const RawEvent* begin,
                     const RawEvent* end) {
  const std::string& person_id = ctx.roster.id(subject);
  VIGIL_ASSIGN_OR_RETURN(std::optional<std::string> blob,
                         ctx.store.GetWatchState(ProfileKey(person_id)));
  Profile profile;
  if (blob) {
    VIGIL_ASSIGN_OR_RETURN(profile, ParseProfile(person_id, *blob));
  }
  std::vector<SubjectEvent> events;
  events.reserve(static_cast<size_t>(end - begin));
  for (const RawEvent* raw = begin; raw != end; ++raw) {
    events.push_back(ToSubjectEvent(ctx.roster, *raw));
  }
  VIGIL_RETURN_IF_ERROR(ConcernTravel(ctx, subject, profile.last_time, (end - 1)->time, &events));
  std::stable_sort(events.begin(), events.end(),
                   [](const SubjectEvent& a, const SubjectEvent& b) { return a.time < b.time; });
  for (const SubjectEvent& event : events) {
    ObserveEvent(person_id, event, ctx.options, &profile, ctx.alerts);
  }
  ctx.batch->state.emplace_back(ProfileKey(person_id), SerializeProfile(profile));
  ++ctx.stats->profiles_touched;
  return Status::Ok();
}

}  // namespace

std::string ProfileKey(std::string_view person_id) { return "profile:" + std::string(person_id); }

Status RunCommsPhase(PhaseContext& ctx) {
  VIGIL_ASSIGN_OR_RETURN(int64_t watermark, LoadInt(ctx.store, kCommsWatermarkKey));
  VIGIL_ASSIGN_OR_RETURN(int64_t latest, LoadInt(ctx.store, kLatestTimeKey));
  VIGIL_ASSIGN_OR_RETURN(int64_t earliest, LoadInt(ctx.store, kEarliestTimeKey));
  int64_t last_row = watermark;
  std::vector<RawEvent> raw;
  const Roster& roster = ctx.roster;
  VIGIL_RETURN_IF_ERROR(
      ctx.store.ScanCommEdgesAfter(watermark, [&](int64_t row, const CommEdge& e) {
        last_row = row;
        latest = std::max<int64_t>(latest, e.time);
        earliest = earliest == 0 ? e.time : std::min<int64_t>(earliest, e.time);
        ++ctx.stats->comms_read;
        const Owner src = roster.OwnerOf(e.src);
        const Owner dst = roster.OwnerOf(e.dst);
        const bool src_watched = roster.watched(src.person);
        const bool dst_watched = roster.watched(dst.person) && dst.person != src.person;
        if (!src_watched && !dst_watched) return true;
        ++ctx.stats->comms_of_watched;
        const float weight = static_cast<float>((src.person != kNoPerson ? src.weight : 1.0) *
                                                (dst.person != kNoPerson ? dst.weight : 1.0));
        if (src_watched) {
          raw.push_back({src.person, dst.person, e.time, weight, static_cast<float>(src.proposed),
                         e.kind, true});
        }
        if (dst_watched) {
          raw.push_back({dst.person, src.person, e.time, weight, static_cast<float>(dst.proposed),
                         e.kind, false});
        }
        return true;
      }));
  std::sort(raw.begin(), raw.end(), [](const RawEvent& a, const RawEvent& b) {
    return a.subject != b.subject ? a.subject < b.subject : a.time < b.time;
  });
  for (size_t begin = 0; begin < raw.size();) {
    size_t end = begin;
    while (end < raw.size() && raw[end].subject == raw[begin].subject) ++end;
    VIGIL_RETURN_IF_ERROR(
        UpdateSubject(ctx, raw[begin].subject, raw.data() + begin, raw.data() + end));
    begin = end;
  }
  ctx.batch->state.emplace_back(kCommsWatermarkKey, std::to_string(last_row));
  ctx.batch->state.emplace_back(kLatestTimeKey, std::to_string(latest));
  ctx.batch->state.emplace_back(kEarliestTimeKey, std::to_string(earliest));
  return Status::Ok();
}

}  // namespace vigil::watch
