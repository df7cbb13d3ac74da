// RaiseAlerts: one run of the alert engine. Loads the roster, runs the comms
// phase (always; it reads only what is new) and each record phase whose
// inputs changed since its last run, then commits alerts and state at once.
#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "watch/phases.h"

namespace vigil::watch {

Result<SeenIds> LoadSeenIds(Store& store, const std::string& key) {
  SeenIds seen;
  VIGIL_ASSIGN_OR_RETURN(std::optional<std::string> stored, store.GetWatchState(key));
  size_t start = 0;
  while (stored && start < stored->size()) {
    size_t end = stored->find('\n', start);
    if (end == std::string::npos) end = stored->size();
    seen.emplace(stored->substr(start, end - start));
    start = end + 1;
  }
  return seen;
}

namespace {

// What a record phase's result depends on, as a string: the number of files
// of each kind it reads, the watch levels, and the options it uses. A phase
// whose fingerprint is unchanged would raise nothing new and is skipped.
struct Fingerprints {
  std::map<InputKind, int64_t> files;
  std::string watch_levels;

  std::string Of(std::initializer_list<InputKind> kinds, const std::string& extra) const {
    std::string out = watch_levels + "|" + extra;
    for (InputKind kind : kinds) {
      auto it = files.find(kind);
      out += fmt::format("|{}={}", InputKindName(kind), it == files.end() ? 0 : it->second);
    }
    return out;
  }
};

Result<Fingerprints> LoadFingerprints(Store& store, const Roster& roster) {
  Fingerprints fp;
  VIGIL_ASSIGN_OR_RETURN(std::vector<IngestedFile> files, store.IngestedFiles());
  for (const IngestedFile& file : files) ++fp.files[file.file.kind];
  int64_t records = 0;
  UnixTime latest = 0;
  VIGIL_RETURN_IF_ERROR(store.ScanWatchRecords([&](const WatchRecord& record) {
    ++records;
    latest = std::max(latest, record.set_at);
    return true;
  }));
  fp.watch_levels = fmt::format("w{}@{}", records, latest);
  // Attributions (analysts' decisions) change who is who.
  fp.watch_levels += "a" + roster.attribution_fingerprint();
  return fp;
}

// Runs `phase` unless its stored fingerprint equals `fingerprint`.
Status RunIfChanged(PhaseContext& ctx, const std::string& name, const std::string& fingerprint,
                    Status (*phase)(PhaseContext&)) {
  const std::string key = "phase:" + name;
  VIGIL_ASSIGN_OR_RETURN(std::optional<std::string> stored, ctx.store.GetWatchState(key));
  if (stored && *stored == fingerprint) return Status::Ok();
  VIGIL_RETURN_IF_ERROR(phase(ctx));
  ctx.batch->state.emplace_back(key, fingerprint);
  ctx.stats->phases_run.push_back(name);
  return Status::Ok();
}

// A phase over records with ids: when its basis (what every judgement
// depends on) is unchanged, only records not judged before are judged;
// when the basis changed, all are judged again (alerts already raised are
// still not raised twice). Skipped when neither basis nor input changed.
Status RunRecordPhase(PhaseContext& ctx, const std::string& name, const std::string& basis,
                      const std::string& input, Status (*phase)(PhaseContext&, SeenIds*)) {
  const std::string basis_key = "phase:" + name + ":basis";
  const std::string input_key = "phase:" + name + ":input";
  const std::string seen_key = "seen:" + name;
  VIGIL_ASSIGN_OR_RETURN(std::optional<std::string> old_basis, ctx.store.GetWatchState(basis_key));
  VIGIL_ASSIGN_OR_RETURN(std::optional<std::string> old_input, ctx.store.GetWatchState(input_key));
  const bool same_basis = old_basis && *old_basis == basis;
  if (same_basis && old_input && *old_input == input) return Status::Ok();
  SeenIds seen;
  if (same_basis) {
    VIGIL_ASSIGN_OR_RETURN(seen, LoadSeenIds(ctx.store, seen_key));
  }
  VIGIL_RETURN_IF_ERROR(phase(ctx, &seen));
  std::string joined;
  for (const std::string& id : seen) joined += id + "\n";
  ctx.batch->state.emplace_back(seen_key, std::move(joined));
  ctx.batch->state.emplace_back(basis_key, basis);
  ctx.batch->state.emplace_back(input_key, input);
  ctx.stats->phases_run.push_back(same_basis ? name + "(new records)" : name);
  return Status::Ok();
}

// The watch-list phase reads the stored matches every run (they also change
// when an analyst lists an entry, which is no ingested file) and screens
// the store first when travel, reports or the list changed.
Status RunWatchlistIfNeeded(PhaseContext& ctx, const std::string& screening_fingerprint) {
  const std::string key = "phase:screening";
  VIGIL_ASSIGN_OR_RETURN(std::optional<std::string> stored, ctx.store.GetWatchState(key));
  const bool changed = !stored || *stored != screening_fingerprint;
  VIGIL_RETURN_IF_ERROR(RunWatchlistPhase(ctx, changed));
  if (changed) ctx.batch->state.emplace_back(key, screening_fingerprint);
  return Status::Ok();
}

std::string OptionsPrint(const WatchOptions& o) {
  std::string places;
  for (const std::string& place : o.concern_places) places += place + ",";
  return fmt::format("{}/{}/{}", o.screening_threshold, o.min_proposed_confidence, places);
}

// What the watch-list phase depends on: travel, reports, the list and the
// screening threshold.
std::string ScreeningFingerprint(const Fingerprints& fp, const WatchOptions& options) {
  return fp.Of({InputKind::kTravel, InputKind::kReports, InputKind::kWatchlist},
               fmt::format("{}", options.screening_threshold));
}

// Stamps and stores `alerts` with the run's state in one transaction and puts
// the fresh ones (not stored before) into run.raised in (time, key) order.
Status CommitRun(Store& store, const WatchOptions& options, std::vector<StoredAlert> alerts,
                 WatchBatch& batch, AlertRun& run) {
  for (StoredAlert& alert : alerts) alert.raised_at = options.now;
  batch.alerts = std::move(alerts);
  std::vector<size_t> fresh;
  VIGIL_RETURN_IF_ERROR(store.CommitWatchBatch(batch, &fresh));
  for (size_t index : fresh) run.raised.push_back(batch.alerts[index]);
  std::sort(run.raised.begin(), run.raised.end(), [](const StoredAlert& a, const StoredAlert& b) {
    return a.time != b.time ? a.time < b.time : a.key < b.key;
  });
  return Status::Ok();
}

}  // namespace
}  // namespace vigil::watch

namespace vigil {

Result<AlertRun> RaiseAlerts(Store& store, const WatchOptions& options) {
  using namespace watch;  // NOLINT: the engine's internals
  VIGIL_ASSIGN_OR_RETURN(Roster roster, Roster::Load(store, options));
  VIGIL_RETURN_IF_ERROR(roster.LoadCustody(store));
  VIGIL_ASSIGN_OR_RETURN(Fingerprints fp, LoadFingerprints(store, roster));
  AlertRun run;
  run.stats.subjects_watched = static_cast<int64_t>(roster.watched_people().size());
  std::vector<StoredAlert> alerts;
  WatchBatch batch;
  PhaseContext ctx{store, options, roster, &alerts, &batch, &run.stats};
  const std::string opts = OptionsPrint(options);
  VIGIL_RETURN_IF_ERROR(RunCommsPhase(ctx));
  run.stats.phases_run.push_back("comms");
  VIGIL_RETURN_IF_ERROR(RunIfChanged(
      ctx, "custody", fp.Of({InputKind::kPersons, InputKind::kCustody}, opts), RunCustodyPhase));
  VIGIL_RETURN_IF_ERROR(RunRecordPhase(ctx, "reports", fp.Of({InputKind::kPersons}, opts),
                                       fp.Of({InputKind::kReports}, ""), RunReportsPhase));
  VIGIL_RETURN_IF_ERROR(RunWatchlistIfNeeded(ctx, ScreeningFingerprint(fp, options)));
  VIGIL_RETURN_IF_ERROR(RunReviewPhase(ctx));
  run.stats.phases_run.push_back("review");
  VIGIL_RETURN_IF_ERROR(CommitRun(store, options, std::move(alerts), batch, run));
  return run;
}

Result<AlertRun> RaiseWatchlistAlerts(Store& store, const WatchOptions& options) {
  using namespace watch;  // NOLINT: the engine's internals
  VIGIL_ASSIGN_OR_RETURN(Roster roster, Roster::Load(store, options));
  VIGIL_ASSIGN_OR_RETURN(Fingerprints fp, LoadFingerprints(store, roster));
  AlertRun run;
  run.stats.subjects_watched = static_cast<int64_t>(roster.watched_people().size());
  std::vector<StoredAlert> alerts;
  WatchBatch batch;
  PhaseContext ctx{store, options, roster, &alerts, &batch, &run.stats};
  VIGIL_RETURN_IF_ERROR(RunWatchlistIfNeeded(ctx, ScreeningFingerprint(fp, options)));
  VIGIL_RETURN_IF_ERROR(CommitRun(store, options, std::move(alerts), batch, run));
  return run;
}

}  // namespace vigil
