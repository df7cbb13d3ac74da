// The store: Vigil's source of truth. Analysis code sees only this interface;
// SQLite is the embedded default (OpenSqliteStore), and other backends
// (PostgreSQL for teams) implement the same interface.
//
// Writes happen in units of one source file: BeginIngest() opens a StoreWriter,
// the caller Put()s every record of the file, and Commit() makes all of them
// durable at once. A writer destroyed without a successful Commit() leaves the
// store exactly as it was. A file whose content hash was committed before is
// refused with AlreadyExists, so ingesting the same file twice adds nothing.
//
// Thread-safety: a Store may be used by one thread at a time. Open one Store
// per thread for concurrent readers (SQLite WAL allows readers during a write).
#ifndef VIGIL_STORE_H_
#define VIGIL_STORE_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/model.h"
#include "vigil/status.h"

namespace vigil {

// A source file as the store records it.
struct SourceFile {
  std::string path;          // as given by the user
  std::string content_hash;  // hex BLAKE2b-256 of the file's bytes
  InputKind kind = InputKind::kPersons;
  int64_t size_bytes = 0;
};

struct IngestedFile {
  SourceFile file;
  int64_t rows = 0;  // records committed from it
  UnixTime committed_at = 0;
};

struct StoreCounts {
  int64_t persons = 0;
  int64_t selectors = 0;  // distinct selectors seen anywhere
  int64_t attributions = 0;
  int64_t comms = 0;
  int64_t travel = 0;
  int64_t custody = 0;
  int64_t reports = 0;
  int64_t watchlist = 0;
  int64_t files = 0;
};

// One communication with its selectors as the store's dense integer ids
// (see Store::ScanSelectors). For graph building over hundreds of millions
// of rows without string work.
struct CommEdge {
  UnixTime time = 0;
  int64_t src = 0;
  int64_t dst = 0;
  int64_t device = 0;       // 0 when unknown
  int32_t duration_s = -1;  // -1 when unknown
  CommKind kind = CommKind::kUnknown;
  int64_t cell = 0;  // the store's dense cell (location) id; 0 when unknown
};

// Which communications a scan returns. Empty `selectors` means all.
struct CommQuery {
  std::vector<std::string> selectors;  // src or dst is one of these
  std::optional<UnixTime> from;        // inclusive
  std::optional<UnixTime> to;          // exclusive
};

// ---- Long-term watch (schema version 3; see include/vigil/watch.h) ----

// A subject's watch level as set by an analyst (`vigil watch set`) or by a
// supervisor's review decision: the one record of it. Subjects without a
// record get a default from persons.csv status (see watch.h).
struct WatchRecord {
  std::string person_id;
  int state = 0;  // WatchLevel in watch.h: 0 active, 1 dormant, 2 closed
  std::string reason;
  std::string set_by;
  UnixTime set_at = 0;
  std::optional<UnixTime> last_review;  // when an analyst last reviewed the subject
};

// An alert as stored. `key` identifies what was alerted on (kind plus the
// facts it is about), so raising the same alert again adds nothing.
struct StoredAlert {
  std::string key;
  UnixTime time = 0;      // when what is alerted on happened
  std::string person_id;  // "" when no known person is concerned
  std::string kind;
  double score = 0;
  std::string evidence;
  UnixTime raised_at = 0;  // when Vigil raised it
};

// One atomic write of the alert engine's results: alerts to raise and
// engine state to keep (named blobs, e.g. per-subject profiles, watermarks).
struct WatchBatch {
  std::vector<StoredAlert> alerts;
  std::vector<std::pair<std::string, std::string>> state;  // key -> value (replaces)
};

// An atomic write of one source file's records.
class StoreWriter {
 public:
  virtual ~StoreWriter() = default;  // rolls back unless Commit() succeeded

  // Each Put adds or, for records with an id (person, travel, report,
  // watch-list entry, custody stay), replaces the record with that id.
  // Returns InvalidArgument when a reference cannot be satisfied (e.g. a
  // person_id that is not in the store), IOError when the store fails.
  virtual Status Put(const Person& person) = 0;
  virtual Status Put(const SelectorRecord& selector) = 0;
  virtual Status Put(const Communication& comm) = 0;
  virtual Status Put(const TravelRecord& travel) = 0;
  virtual Status Put(const CustodyRecord& custody) = 0;
  virtual Status Put(const Report& report) = 0;
  virtual Status Put(const WatchlistEntry& entry) = 0;

  // Puts *comms[0], *comms[1], ... in order, as Put(const Communication&)
  // would, and sets *put to how many were put. Stops at the first failure and
  // returns it: *comms[*put] is the row that failed. A backend may work on
  // several rows at once (the SQLite store resolves selector ids on a second
  // thread while it inserts). Cost: that of the Puts.
  virtual Status PutComms(std::span<const Communication* const> comms, size_t* put) {
    *put = 0;
    for (const Communication* comm : comms) {
      Status status = Put(*comm);
      if (!status.ok()) return status;
      ++*put;
    }
    return Status::Ok();
  }

  // Makes every record Put so far durable (synced to disk) and records the
  // source file as ingested with `rows` records. After OK the writer is spent.
  virtual Status Commit(int64_t rows) = 0;
};

// A screening match of a stored travel record or report against a watch-list
// entry (issue 6), kept with its score and explanation as evidence.
struct StoredWatchlistMatch {
  InputKind source_kind = InputKind::kTravel;  // kTravel or kReports
  std::string source_id;                       // record_id or report_id
  std::string entry_id;
  double score = 0.0;  // 0..1
  std::string explanation;
  UnixTime seen_at = 0;      // the record's time
  UnixTime screened_at = 0;  // when the match was found
  // True when the match was found because the entry was listed after the
  // record had been screened: the person had already been seen.
  bool retroactive = false;
};

// What has been screened: a travel record or report screened against the
// whole list (kind kTravel/kReports, id = record/report id), or a watch-list
// entry whose past records were screened when it was listed (kind kWatchlist,
// id = entry_id).
struct ScreeningMark {
  InputKind kind = InputKind::kTravel;
  std::string id;
};

// ---- Workbench: alert triage and saved investigations (schema version 9) ----

// Where an analyst's handling of an alert stands. An alert with no triage
// record is open.
enum class AlertState : uint8_t { kOpen, kAcknowledged, kAssigned, kDismissed, kEscalated };
inline constexpr int kAlertStateCount = 5;
// "open", "acknowledged", "assigned", "dismissed", "escalated".
std::string_view AlertStateName(AlertState state);
// The state named `text`; InvalidArgument naming the accepted names otherwise.
Result<AlertState> ParseAlertState(std::string_view text);

// One triage decision about a stored alert (by its key). The store keeps the
// latest decision of each alert as its state and every decision in order, so
// that a dismissal's reason survives a later reopening.
struct AlertTriage {
  std::string key;  // StoredAlert::key
  AlertState state = AlertState::kOpen;
  std::string assignee;  // kAssigned: the analyst it is assigned to
  std::string reason;    // required for kDismissed; optional otherwise
  std::string case_id;   // kEscalated: the case it was escalated to
  std::string decided_by;
  UnixTime decided_at = 0;
};

// A saved investigation: a named canvas of a case. `document` is the
// canvas as the workbench keeps it (JSON: nodes with positions, groups,
// notes); `persons` are the person ids its nodes show, kept beside it so
// that access checks need not parse the document. `version` counts saves
// (1 after the first), for optimistic concurrency.
// A case as a store names it: case ids are unique within a compartment.
struct CaseRef {
  std::string compartment;
  std::string case_id;
};

struct Canvas {
  std::string compartment;  // of its case
  std::string case_id;
  std::string name;
  int64_t version = 0;
  std::string document;
  std::vector<std::string> persons;  // sorted, unique
  std::string created_by;
  UnixTime created_at = 0;
  std::string updated_by;
  UnixTime updated_at = 0;
  // Set by the access layer only: some of the canvas was withheld from the
  // reader (what, or how much, is not said).
  bool withheld = false;
};

// ---- Decisions on screening matches (schema version 12) ----

// What a person decided about a screening match: the record's person is the
// listed one (confirmed) or is not (dismissed).
enum class MatchDecisionKind : uint8_t { kConfirmed, kDismissed };
// "confirmed", "dismissed".
std::string_view MatchDecisionName(MatchDecisionKind kind);
// The decision named `text` ("confirm"/"confirmed", "dismiss"/"dismissed");
// InvalidArgument naming the accepted names otherwise.
Result<MatchDecisionKind> ParseMatchDecision(std::string_view text);

// One decision about a stored match, named by the match's (source_kind,
// source_id, entry_id). The store keeps every decision in order; the last
// one is the match's state.
struct MatchDecision {
  InputKind source_kind = InputKind::kTravel;  // kTravel or kReports
  std::string source_id;
  std::string entry_id;
  MatchDecisionKind decision = MatchDecisionKind::kConfirmed;
  std::string reason;  // required
  std::string decided_by;
  UnixTime decided_at = 0;
};

// The key that names a match in the API: "travel/<source_id>/<entry_id>" or
// "report/<source_id>/<entry_id>", with '%' and '/' in the ids written %25
// and %2F so that every match has exactly one key. O(key length).
std::string MatchKey(InputKind source_kind, std::string_view source_id, std::string_view entry_id);
// The parts of a key made by MatchKey; InvalidArgument for anything else
// (another kind, a missing or empty part, a bad escape).
Result<MatchDecision> ParseMatchKey(std::string_view key);

// ---- Protective-deployment plans (schema kProtectPlansVersion) ----

// A plan of `vigil protect plan` stored as a proposal: its JSON content
// (src/protect) and who proposed it; approved when a second person signs it.
struct ProtectPlanRecord {
  std::string id;            // "PP" + 12 hex digits of the content hash
  std::string content;       // the plan's JSON
  std::string content_hash;  // hex BLAKE2b-256 of content
  std::string proposed_by;
  UnixTime proposed_at = 0;
  std::string approved_by;  // empty while pending
  UnixTime approved_at = 0;
  std::string approval_reason;
};

// ---- Partner exchange (schema kShareVersion; src/share) ----

// A partner installation: its name here, where its `vigil serve` listens and
// its Ed25519 public key (base64) with the key id derived from it.
struct SharePartner {
  std::string name;
  std::string url;         // "http://127.0.0.1:8443" (no path)
  std::string public_key;  // base64 of the 32-byte Ed25519 public key
  std::string key_id;      // hex of the first 8 bytes of BLAKE2b-256(public key)
  std::string added_by;
  UnixTime added_at = 0;
};

// A sharing agreement: which kinds of message and which payload fields may
// go to a partner, under which legal basis.
struct ShareAgreement {
  int64_t id = 0;  // set by the store
  std::string partner;
  std::string kinds;   // comma-separated message kinds ("request,watchlist_entry")
  std::string fields;  // comma-separated payload fields allowed
  std::string legal_basis;
  std::string created_by;
  UnixTime created_at = 0;
};

// One signed envelope sent to (direction 0) or received from (direction 1)
// a partner, with the outbox's delivery state for those sent.
struct ShareMessage {
  int direction = 0;  // 0 outgoing, 1 incoming
  std::string partner;
  std::string message_id;
  std::string kind;
  std::string marking;  // TLP 2.0 name
  bool originator_control = false;
  UnixTime deadline = 0;  // 0: none
  std::string envelope;   // the serialized signed envelope
  UnixTime created_at = 0;
  // Outgoing only: delivered (a verified receipt came back, or the envelope
  // went out in an export), attempts so far, when the next one is due and
  // why the last one failed.
  bool delivered = false;
  int64_t attempts = 0;
  UnixTime next_attempt_at = 0;
  std::string last_error;
};

// One entry of the acknowledgement ledger: something that happened to a
// message (queued, sent, delivered, receipt, received, read, answered,
// refused, escalated), when and by whom, with its detail (a signed
// receipt's envelope, an answer's text, a refusal's reason).
struct ShareEvent {
  int64_t id = 0;  // set by the store, in order
  int direction = 0;
  std::string partner;  // "" for an envelope from no known partner
  std::string message_id;
  std::string event;
  UnixTime at = 0;
  std::string by;
  std::string detail;
};

class Store {
 public:
  virtual ~Store() = default;

  // ---- Writing ----

  // REQUIRES: no other writer of this Store is open.
  // Returns AlreadyExists when file.content_hash was committed before.
  virtual Result<std::unique_ptr<StoreWriter>> BeginIngest(const SourceFile& file) = 0;

  // Records an analyst's decision (or a proposal) about who owns a selector.
  // Replaces an earlier attribution of the same (selector, person) pair.
  virtual Status PutAttribution(const Attribution& attribution) = 0;

  // Atomically replaces every attribution in the kProposed state with
  // `proposals` (each must be kProposed and name a known person). A proposal
  // for a (selector, person) pair that already holds a decision (source,
  // confirmed, rejected) is dropped, so a re-run never overrides an analyst.
  // Returns the number of proposals stored. Cost: O(attributions + proposals).
  virtual Result<int64_t> ReplaceProposedAttributions(
      const std::vector<Attribution>& proposals) = 0;

  // ---- Reading ----

  virtual Result<StoreCounts> Counts() = 0;
  virtual Result<std::vector<IngestedFile>> IngestedFiles() = 0;

  // NotFound when no person has this id.
  virtual Result<Person> GetPerson(std::string_view person_id) = 0;
  // Attributions naming this person / this selector (any state).
  virtual Result<std::vector<Attribution>> AttributionsOfPerson(std::string_view person_id) = 0;
  virtual Result<std::vector<Attribution>> AttributionsOfSelector(std::string_view selector) = 0;
  // The selectors.csv record of a selector; NotFound if it was only seen in comms.
  virtual Result<SelectorRecord> GetSelectorRecord(std::string_view selector) = 0;
  virtual Result<std::vector<CustodyRecord>> CustodyOf(std::string_view person_id) = 0;
  virtual Result<std::vector<Report>> ReportsAbout(std::string_view person_id) = 0;
  // Travel records whose document is one of `documents`, in time order.
  virtual Result<std::vector<TravelRecord>> TravelByDocuments(
      const std::vector<std::string>& documents) = 0;
  virtual Result<WatchlistEntry> GetWatchlistEntry(std::string_view entry_id) = 0;
  // The travel record / report with this id; NotFound when there is none.
  // One indexed look-up each.
  virtual Result<TravelRecord> GetTravel(std::string_view record_id) = 0;
  virtual Result<Report> GetReport(std::string_view report_id) = 0;

  // Streaming scans. The callback returns false to stop early. Records passed
  // to the callback are valid only during the call. Cost: O(rows visited).
  virtual Status ScanPersons(const std::function<bool(const Person&)>& fn) = 0;
  virtual Status ScanWatchlist(const std::function<bool(const WatchlistEntry&)>& fn) = 0;
  virtual Status ScanTravel(const std::function<bool(const TravelRecord&)>& fn) = 0;
  virtual Status ScanReports(const std::function<bool(const Report&)>& fn) = 0;
  virtual Status ScanCustody(const std::function<bool(const CustodyRecord&)>& fn) = 0;
  virtual Status ScanAttributions(const std::function<bool(const Attribution&)>& fn) = 0;
  // Every selector with its dense id (1..N), in id order.
  virtual Status ScanSelectors(const std::function<bool(int64_t id, std::string_view)>& fn) = 0;
  // Communications matching `query`; in time order when query.selectors is set.
  virtual Status ScanComms(const CommQuery& query,
                           const std::function<bool(const Communication&)>& fn) = 0;
  // Every communication as integer ids, in storage order (fast path).
  virtual Status ScanCommEdges(const std::function<bool(const CommEdge&)>& fn) = 0;

  // ---- Screening (issue 6) ----

  // Atomically stores `matches` (replacing a match of the same source and
  // entry) and `marks`. InvalidArgument for a match whose source kind is not
  // travel or reports. Cost: O(rows written).
  virtual Status PutScreeningResults(const std::vector<StoredWatchlistMatch>& matches,
                                     const std::vector<ScreeningMark>& marks) = 0;
  // Every stored match, ordered by entry_id then seen_at.
  virtual Status ScanWatchlistMatches(
      const std::function<bool(const StoredWatchlistMatch&)>& fn) = 0;
  virtual Status ScanScreeningMarks(const std::function<bool(const ScreeningMark&)>& fn) = 0;

  // ---- Long-term watch (schema version 3) ----
  // Backends that do not keep watch data return Internal from these.

  // Adds or replaces the watch record of a person. InvalidArgument if the
  // person is unknown.
  virtual Status PutWatchRecord(const WatchRecord& record);
  virtual Status ScanWatchRecords(const std::function<bool(const WatchRecord&)>& fn);
  // Writes the batch atomically. Alerts whose key is already stored are
  // skipped; `fresh`, if not null, receives the indexes (into batch.alerts)
  // of the alerts that were new.
  virtual Status CommitWatchBatch(const WatchBatch& batch, std::vector<size_t>* fresh);
  // Stored alerts in (time, key) order; person_id "" means all.
  virtual Status ScanAlerts(std::string_view person_id,
                            const std::function<bool(const StoredAlert&)>& fn);
  // An engine state blob; nullopt when none is stored under `key`.
  virtual Result<std::optional<std::string>> GetWatchState(std::string_view key);
  // Communications stored after storage position `after_row` (0: all), with
  // their positions, in storage order. Positions only grow, so an engine
  // that remembers the last one it saw reads only what is new.
  // Cost: O(rows returned) (a rowid range scan).
  virtual Status ScanCommEdgesAfter(int64_t after_row,
                                    const std::function<bool(int64_t row, const CommEdge&)>& fn);
  // Attributions with the dense id of their selector (see ScanSelectors).
  virtual Status ScanAttributionIds(
      const std::function<bool(int64_t selector_id, const Attribution&)>& fn);

  // ---- Identifier resolution state (schema version 7) ----
  // Backends that do not keep it return Internal from these; resolution then
  // reads every communication on each run. The state is derived data (per-
  // selector summaries of the comms up to a storage position, see
  // src/resolve/state.h): comms are append-only, so it stays valid while no
  // comms row is deleted; whatever deletes comms must clear it too.

  // Atomically replaces the whole saved state with `sections` (name ->
  // bytes; a section may be larger than one SQLite blob). Cost: O(bytes).
  virtual Status PutResolveState(
      const std::vector<std::pair<std::string, std::string_view>>& sections);
  // One saved section; nullopt when none is stored under `name`. O(bytes).
  virtual Result<std::optional<std::string>> GetResolveState(std::string_view name);

  // ---- Windowed reads for ranking ----
  // Ranking reads only what lies in its time windows, so that its cost
  // follows the window's data, not the whole history. The defaults filter
  // the full scans (same rows, same order); SQLite uses its time index.

  // Stored alerts of one of `kinds` with from <= time <= to, in (time, key)
  // order. SQLite: O(alerts in the window) via watch_alerts_time.
  virtual Status ScanAlertsBetween(UnixTime from, UnixTime to,
                                   const std::vector<std::string>& kinds,
                                   const std::function<bool(const StoredAlert&)>& fn);
  // Travel records with from <= time <= to, in ScanTravel's order. SQLite:
  // one pass over the table that builds only the rows in the window.
  virtual Status ScanTravelBetween(UnixTime from, UnixTime to,
                                   const std::function<bool(const TravelRecord&)>& fn);

  // ---- Change detection, for caches of derived data ----
  // A number that grows whenever a source file is committed (every ingest,
  // every watch-list entry taken through a proposal): a cache derived from
  // ingested data (the server's graphs, the dossier's watch-list name index)
  // is current while it is unchanged. It tells nothing about any person.
  // Backends that do not keep it return Internal (a cache then does not
  // know and must rebuild or keep its snapshot). Cost: O(log files).
  virtual Result<int64_t> IngestGeneration();
  // A number that grows whenever a change commits that alters who may see
  // what or which links exist: a user account added, removed, disabled or
  // given a new role, password or compartment grant or revocation; an
  // attribution decided, proposed or removed; a person erased. The store
  // keeps it itself (SQLite: triggers on those tables), so changes made by
  // any process (the CLI writing the store beside a running server) move
  // it. Sessions and caches of rights or of derived links compare it at each
  // use. Backends that do not keep it return Internal (a caller must then
  // re-read rights every time). Cost: O(1).
  virtual Result<int64_t> ChangeGeneration();

  // ---- Workbench (schema version 9) ----
  // Backends that do not keep it return Internal from these.

  // The stored alert with this key; NotFound when there is none.
  // Cost: O(log alerts).
  virtual Result<StoredAlert> GetAlert(std::string_view key);
  // Records a triage decision: the alert's state becomes triage.state and
  // the decision is appended to its history, in one transaction.
  // InvalidArgument for an unknown alert key, a dismissal without a reason,
  // an assignment without an assignee or an escalation without a case.
  // Cost: O(log alerts).
  virtual Status PutAlertTriage(const AlertTriage& triage);
  // The current state of every alert that has one (alerts without a record
  // are open), in key order. Cost: O(triaged alerts).
  virtual Status ScanAlertTriage(const std::function<bool(const AlertTriage&)>& fn);
  // Every decision about the alert `key` ("" = every alert), oldest first.
  // Cost: O(decisions returned) (an index on key).
  virtual Status ScanAlertTriageHistory(std::string_view key,
                                        const std::function<bool(const AlertTriage&)>& fn);

  // Creates (expected_version 0) or replaces (expected_version = the stored
  // version) the canvas (canvas.case_id, canvas.name); returns its new
  // version. AlreadyExists when the stored version is not expected_version
  // (a stale write, or a create of an existing canvas); NotFound when
  // expected_version > 0 and there is no such canvas; InvalidArgument for an
  // unknown case or an empty name. created_* are kept from the first save.
  // Cost: O(log canvases + persons).
  virtual Result<int64_t> PutCanvas(const Canvas& canvas, int64_t expected_version);
  // NotFound when the case has no canvas of that name. Cost: O(log canvases).
  virtual Result<Canvas> GetCanvas(const CaseRef& of_case, std::string_view name);
  // The canvases of a case (an empty case_id: of every case), by case then
  // name.
  virtual Status ScanCanvases(const CaseRef& of_case, const std::function<bool(const Canvas&)>& fn);
  // Deletes a canvas at the expected version (AlreadyExists when stale,
  // NotFound when missing).
  virtual Status DeleteCanvas(const CaseRef& of_case, std::string_view name,
                              int64_t expected_version);

  // ---- Decisions on screening matches (schema version 12) ----
  // Backends that do not keep them return Internal from these.

  // Appends a decision about the stored match it names. NotFound when no
  // such match is stored; InvalidArgument without a reason; AlreadyExists
  // when the match's last decision is already `decision.decision` (a
  // replayed or repeated decision changes nothing). Cost: O(log matches +
  // decisions of the match).
  virtual Status PutMatchDecision(const MatchDecision& decision);
  // Every decision, oldest first. Cost: O(decisions).
  virtual Status ScanMatchDecisions(const std::function<bool(const MatchDecision&)>& fn);

  // ---- Protective-deployment plans ----
  // Backends that do not keep them return Internal from these.

  // Stores a new pending plan. AlreadyExists when the id is taken;
  // InvalidArgument for an empty id, content or proposer. Cost O(log plans).
  virtual Status PutProtectPlan(const ProtectPlanRecord& plan);
  // The plan `id`, or NotFound. Cost O(log plans + content).
  virtual Result<ProtectPlanRecord> GetProtectPlan(std::string_view id);
  // Records the approval of a pending plan. NotFound when missing;
  // AlreadyExists when already approved; PermissionDenied when `approved_by`
  // is its proposer; InvalidArgument without a reason. Cost O(log plans).
  virtual Status ApproveProtectPlan(std::string_view id, std::string_view approved_by,
                                    UnixTime approved_at, std::string_view reason);
  // Every plan, oldest first, content included. Cost O(plans + content).
  virtual Status ScanProtectPlans(const std::function<bool(const ProtectPlanRecord&)>& fn);

  // ---- Partner exchange ----
  // Backends that do not keep it return Internal from these.

  // Adds a partner. AlreadyExists when the name or the key id is taken;
  // InvalidArgument for an empty name, url or key. Cost O(log partners).
  virtual Status PutSharePartner(const SharePartner& partner);
  // Every partner, in name order. Cost O(partners).
  virtual Status ScanSharePartners(const std::function<bool(const SharePartner&)>& fn);
  // Adds an agreement and returns its id. InvalidArgument for an unknown
  // partner or an empty kinds, fields or legal basis. Cost O(log agreements).
  virtual Result<int64_t> PutShareAgreement(const ShareAgreement& agreement);
  // Every agreement, oldest first. Cost O(agreements).
  virtual Status ScanShareAgreements(const std::function<bool(const ShareAgreement&)>& fn);
  // Stores a message together with its first ledger event, atomically.
  // AlreadyExists when (direction, partner, message_id) is stored: a
  // message is kept once. Cost O(log messages).
  virtual Status PutShareMessage(const ShareMessage& message, const ShareEvent& first);
  // The message, or NotFound. Cost O(log messages + envelope).
  virtual Result<ShareMessage> GetShareMessage(int direction, std::string_view partner,
                                               std::string_view message_id);
  // Every message, oldest first. Cost O(messages).
  virtual Status ScanShareMessages(const std::function<bool(const ShareMessage&)>& fn);
  // Sets an outgoing message's delivery state (delivered, attempts,
  // next_attempt_at, last_error) and appends `event` when its `event` is
  // not empty, atomically. NotFound when the message is missing.
  virtual Status UpdateShareDelivery(const ShareMessage& message, const ShareEvent& event);
  // Appends a ledger event. Cost O(1).
  virtual Status AppendShareEvent(const ShareEvent& event);
  // Every ledger event, in order. Cost O(events).
  virtual Status ScanShareEvents(const std::function<bool(const ShareEvent&)>& fn);

  // Checks the store's internal consistency (for SQLite, PRAGMA
  // integrity_check and foreign_key_check). Corruption names what failed.
  virtual Status CheckIntegrity() = 0;
};

struct StoreOptions {
  bool create_if_missing = true;
  // Page cache for bulk ingest, in MiB.
  int cache_mib = 256;
};

// Opens (creating and migrating to the current schema if needed) the SQLite
// store in the file at `path`. The file uses WAL with synchronous=FULL, so a
// Commit() that returned OK survives a crash or power loss; foreign keys are
// enforced. Returns IOError if the file cannot be opened, Corruption if its
// schema is newer than this build understands or it is not a Vigil store.
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                               const StoreOptions& options = {});

// The schema version this build writes.
int CurrentSchemaVersion();

}  // namespace vigil

#endif  // VIGIL_STORE_H_
