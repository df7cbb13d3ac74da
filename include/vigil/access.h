// Access: who may do what to which object, decided in one place, and the Store
// decorator through which every interface (the CLI, the HTTP server, exports)
// reaches personal data.
//
// Rights have two parts. A user's role (analyst, supervisor, auditor, admin)
// says which operations they may perform at all (RoleMay); their compartments
// say which objects those operations may touch. Every person record, case and
// watch-list entry belongs to one compartment (an object that names none
// belongs to kDefaultCompartment). Communications, travel records and
// reports belong to the compartments of the persons they are attributed to
// (src/access/record_visibility.h; see src/access/README.md). Authorize()
// combines the two and is the only decision function in Vigil.
//
// A refusal leaks nothing: a role refusal is decided before any object is
// looked up, and an object outside the user's compartments is reported exactly
// like an object that does not exist (the same NotFound message).
//
// AccessStore wraps a Store, implements the same interface, authorises every
// call against its RequestContext and writes an audit record for every read
// and write (see oversight.h): writes in the same SQLite transaction as the
// action, reads through the group-committed read log.
#ifndef VIGIL_ACCESS_H_
#define VIGIL_ACCESS_H_

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "vigil/audit.h"
#include "vigil/model.h"
#include "vigil/status.h"
#include "vigil/store.h"

namespace vigil {

enum class Role : uint8_t { kAnalyst, kSupervisor, kAuditor, kAdmin };
inline constexpr int kRoleCount = 4;
std::string_view RoleName(Role role);
// "analyst", "supervisor", "auditor" or "admin"; InvalidArgument otherwise.
Result<Role> ParseRole(std::string_view text);

// Everything a user can ask of Vigil. A new operation goes before kCount; the
// generated authorisation test (tests/access) fails until its expectation
// table names it.
enum class Operation : uint8_t {
  kReadStatus,             // counts and ingested files (no personal data)
  kReadPerson,             // a person record (dossier, subject show)
  kReadSelector,           // selector records and attributions
  kReadComms,              // communication metadata
  kReadTravel,             // travel records
  kReadCustody,            // custody stays of a person
  kReadReports,            // reports about a person
  kReadWatchlist,          // watch-list entries
  kRevealPersons,          // persons shown by a network expansion, path or ranking
  kIngest,                 // loading source files
  kDecideAttribution,      // confirming/rejecting who owns a selector
  kProposeWatchlistEntry,  // adding to a watch list (shared lists: four eyes)
  kApproveWatchlistEntry,  // the second pair of eyes
  kConfigureWatchlist,     // a list's compartment and whether it is shared
  kManageCases,            // creating cases
  kLinkCase,               // linking a person to a case with a category
  kListReviews,            // which subjects are due for review
  kDecideReview,           // end, extend or move to dormant watch
  kConfigureRetention,     // retention limits per category
  kApplyRetention,         // erasing what is past its limit
  kQueryAudit,             // who looked at what, when and why
  kVerifyAudit,            // checking the audit chain
  kCheckpointAudit,        // signing and exporting a checkpoint
  kManageUsers,            // user add, passwd, grant, revoke
  kCheckIntegrity,         // store consistency checks
  kTriageAlert,            // acknowledge, assign, dismiss or escalate an alert
  kProposeProtectionPlan,  // storing and reading protective-deployment plans
  kApproveProtectionPlan,  // the second pair of eyes on a plan
  kDecideMatch,            // confirming/dismissing a watch-list match found by screening
  kManagePartners,         // partner installations, their keys and sharing agreements
  kExchangeShare,          // sending, receiving and reading partner messages and the ledger
  kCount
};
inline constexpr int kOperationCount = static_cast<int>(Operation::kCount);
std::string_view OperationName(Operation op);

// True when the operation acts on an object that belongs to a compartment, so
// that Authorize() checks the object's compartment.
bool IsCompartmented(Operation op);
// The role table: whether `role` may perform `op` at all.
bool RoleMay(Role role, Operation op);

// The compartment of an object that names none.
inline constexpr std::string_view kDefaultCompartment = "general";
// A grant of every compartment.
inline constexpr std::string_view kAllCompartments = "*";

// Who is asking.
struct Principal {
  std::string user;
  Role role = Role::kAnalyst;
  std::vector<std::string> compartments;  // may hold kAllCompartments
  // The store has no accounts yet: whoever can open its file acts with every
  // right (like a fresh database's owner). Creating the first account ends it.
  bool setup = false;
  // Set by Oversight::Authenticate and Oversight::CurrentPrincipal: a
  // BLAKE2b digest of the stored password hash that was verified, so that a
  // session can tell that the password was changed since (it is neither the
  // password nor its stored hash).
  std::string credential;

  // Whether the user may touch objects of `compartment` ("" = default).
  bool InCompartment(std::string_view compartment) const;
};

enum class Decision : uint8_t { kAllow, kDenyRole, kDenyCompartment };

// The authorisation decision of Vigil. `object_compartment` is ignored for an
// operation that is not compartmented; "" means kDefaultCompartment.
// Cost: O(number of the user's compartments).
Decision Authorize(const Principal& principal, Operation op, std::string_view object_compartment);

// Time, so that reviews and retention can be tested with a fake clock.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual UnixTime Now() const = 0;
};
// The system's clock.
const Clock& SystemClock();
// A clock that says what it is told.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(UnixTime now) : now_(now) {}
  UnixTime Now() const override { return now_; }
  void Set(UnixTime now) { now_ = now; }
  void Advance(int64_t seconds) { now_ += seconds; }

 private:
  UnixTime now_;
};

// One request: who asks, why, and with which parameters. The CLI builds one
// per command; the HTTP server builds one per request.
struct RequestContext {
  Principal principal;
  std::string purpose;  // why, in the user's words (recorded in the audit log)
  std::string client;   // "cli", "http 127.0.0.1:5400", ...
  // The query's parameters (name, value). In the audit log a value that is an
  // identifier is kept as is, anything else only as its BLAKE2b hash.
  std::vector<std::pair<std::string, std::string>> params;
};

class Oversight;
class RecordVisibility;  // src/access/record_visibility.h

// The Store decorator. Every method authorises, then forwards, then audits.
// REQUIRES: `oversight` was opened on `inner`.
// Thread-safety: like Store, one thread at a time.
class AccessStore final : public Store {
 public:
  AccessStore(std::unique_ptr<Store> inner, std::unique_ptr<Oversight> oversight,
              RequestContext context);
  ~AccessStore() override;

  const RequestContext& context() const { return context_; }
  RequestContext& mutable_context() { return context_; }
  Oversight& oversight() { return *oversight_; }
  // The undecorated store. For oversight code only; never hand it to a face.
  Store& inner() { return *inner_; }

  // The hook for analyses that reveal persons indirectly (network expansion,
  // paths, rankings): returns the subset of `person_ids` the user may see, in
  // order, and logs the ones seen as the subjects of one read record naming
  // `via` ("network expand", "rank", ...) with the count withheld. Persons
  // not in the store are withheld. Cost: O(ids) lookups in the cached person
  // -> compartment map (built once, O(persons)) plus one audit record.
  Result<std::vector<std::string>> Reveal(std::span<const std::string> person_ids,
                                          std::string_view via);

  Result<std::unique_ptr<StoreWriter>> BeginIngest(const SourceFile& file) override;
  // A decision or proposal on who owns a selector. The person must be one
  // the user may see (else NotFound as for a missing person). Any state but
  // rejected joins the person to the selector: the selector must exist and
  // the user must see it in full (its current owners, every communication
  // it carries and every travel record it is the document of; README.md,
  // "Writes"), else NotFound exactly as for a selector that does not exist,
  // audited; a user who sees every compartment skips the test (and may name
  // a selector not yet seen). Cost: the selector's comms (postings), travel records and
  // attributions; for a device selector one pass over every comm, once per
  // principal and attribution state.
  Status PutAttribution(const Attribution& attribution) override;
  // Resolution's proposals: needs the decide_attribution right and a user
  // granted every compartment ("*", or setup mode), because the replace
  // removes every earlier proposal of every compartment; anyone else gets
  // PermissionDenied (audited) and nothing changes.
  Result<int64_t> ReplaceProposedAttributions(const std::vector<Attribution>& proposals) override;
  // Screening results: writing needs the ingest right (screening runs as
  // part of ingest) and names the persons the matched records concern as
  // the write record's subjects; a match is shown only with its watch-list
  // entry and its travel record or report. Marks (what was screened against
  // the whole list) are written only for a user granted every compartment
  // (or setup mode): anyone else screened part of the list and part of the
  // records, so their marks are dropped (counted in the audit record as
  // marks_withheld) and a later full run screens those records again.
  Status PutScreeningResults(const std::vector<StoredWatchlistMatch>& matches,
                             const std::vector<ScreeningMark>& marks) override;
  Status ScanWatchlistMatches(const std::function<bool(const StoredWatchlistMatch&)>& fn) override;
  Status ScanScreeningMarks(const std::function<bool(const ScreeningMark&)>& fn) override;
  // Long-term watch: setting a level is a review decision; raising alerts
  // needs the ingest right and a user granted every compartment (the
  // engine's state covers them all); alerts and watch records of persons the
  // user may not see are skipped (alerts about no known person belong to the
  // default compartment); engine state and new comms need read_comms, and
  // comms are filtered as in ScanCommEdges.
  Status PutWatchRecord(const WatchRecord& record) override;
  Status ScanWatchRecords(const std::function<bool(const WatchRecord&)>& fn) override;
  Status CommitWatchBatch(const WatchBatch& batch, std::vector<size_t>* fresh) override;
  Status ScanAlerts(std::string_view person_id,
                    const std::function<bool(const StoredAlert&)>& fn) override;
  Result<std::optional<std::string>> GetWatchState(std::string_view key) override;
  Status ScanCommEdgesAfter(int64_t after_row,
                            const std::function<bool(int64_t row, const CommEdge&)>& fn) override;
  Status ScanAttributionIds(
      const std::function<bool(int64_t selector_id, const Attribution&)>& fn) override;
  // Identifier resolution state: writing it needs the decide-attribution
  // right and a user granted every compartment, and is audited; reading it
  // needs read_comms (it summarises comms), and a user who does not see
  // every compartment reads no saved state (it would summarise comms they
  // may not see).
  Status PutResolveState(
      const std::vector<std::pair<std::string, std::string_view>>& sections) override;
  Result<std::optional<std::string>> GetResolveState(std::string_view name) override;
  // Forwarded without a right or an audit record: a count of ingests tells
  // nothing about any person.
  Result<int64_t> IngestGeneration() override;
  Result<int64_t> ChangeGeneration() override;
  Result<StoreCounts> Counts() override;
  Result<std::vector<IngestedFile>> IngestedFiles() override;
  Result<Person> GetPerson(std::string_view person_id) override;
  Result<std::vector<Attribution>> AttributionsOfPerson(std::string_view person_id) override;
  Result<std::vector<Attribution>> AttributionsOfSelector(std::string_view selector) override;
  Result<SelectorRecord> GetSelectorRecord(std::string_view selector) override;
  Result<std::vector<CustodyRecord>> CustodyOf(std::string_view person_id) override;
  Result<std::vector<Report>> ReportsAbout(std::string_view person_id) override;
  Result<std::vector<TravelRecord>> TravelByDocuments(
      const std::vector<std::string>& documents) override;
  Result<WatchlistEntry> GetWatchlistEntry(std::string_view entry_id) override;
  // A travel record or report the user may see; one that exists elsewhere is
  // NotFound like a missing one (NotVisibleMessage).
  Result<TravelRecord> GetTravel(std::string_view record_id) override;
  Result<Report> GetReport(std::string_view report_id) override;
  Status ScanPersons(const std::function<bool(const Person&)>& fn) override;
  Status ScanWatchlist(const std::function<bool(const WatchlistEntry&)>& fn) override;
  Status ScanTravel(const std::function<bool(const TravelRecord&)>& fn) override;
  Status ScanReports(const std::function<bool(const Report&)>& fn) override;
  Status ScanCustody(const std::function<bool(const CustodyRecord&)>& fn) override;
  Status ScanAttributions(const std::function<bool(const Attribution&)>& fn) override;
  Status ScanSelectors(const std::function<bool(int64_t id, std::string_view)>& fn) override;
  Status ScanComms(const CommQuery& query,
                   const std::function<bool(const Communication&)>& fn) override;
  Status ScanCommEdges(const std::function<bool(const CommEdge&)>& fn) override;
  Status CheckIntegrity() override;

  // Workbench. Alert triage needs the triage_alert right on the alert's
  // compartment (its person's; an alert about no known person is in the
  // default compartment); a missing and a hidden alert are the same
  // NotFound("no alert 'KEY' in your compartments"). An assignee must be an
  // enabled account whose role may triage and whose compartments cover the
  // alert (else InvalidArgument, the same message for an unknown account); an
  // escalation's case must be one the user may link to (else NotFound for
  // the case). The decision is recorded under the signed-in user at the
  // oversight clock's time, with one audit record in its transaction.
  // Reads of triage show only alerts the user may see.
  Result<StoredAlert> GetAlert(std::string_view key) override;
  Status PutAlertTriage(const AlertTriage& triage) override;
  Status ScanAlertTriage(const std::function<bool(const AlertTriage&)>& fn) override;
  Status ScanAlertTriageHistory(std::string_view key,
                                const std::function<bool(const AlertTriage&)>& fn) override;
  // Decisions on screening matches (the decide_match right). Deciding needs
  // the right on the compartment of the match's watch-list entry and a view
  // of the travel record or report it matched; a missing, hidden or forged
  // match is the same NotFound("no match 'KEY' in your compartments", KEY as
  // MatchKey makes it), logged as refused. The decision is recorded under
  // the signed-in user at the oversight clock's time with one audit record
  // (action decide_match, object match:KEY, the record's persons as
  // subjects) in its transaction; a repeated decision is the store's
  // AlreadyExists. Reads show only decisions on matches the user may see
  // (read_watchlist). Cost: O(travel) per decision on a travel record (its
  // persons for the audit), one look-up per decided match when scanning.
  Status PutMatchDecision(const MatchDecision& decision) override;
  Status ScanMatchDecisions(const std::function<bool(const MatchDecision&)>& fn) override;
  // Protective-deployment plans (no personal data: sites and units). Storing
  // needs propose_protection_plan and is recorded under the signed-in user
  // at the oversight clock's time (proposed_by/proposed_at are set here);
  // approving needs approve_protection_plan and a user who is not the
  // proposer (PermissionDenied, audited as refused). Reads need
  // propose_protection_plan. Every call writes one audit record (object
  // protect_plan:ID, the content hash in its parameters); writes commit it
  // in their transaction. Cost: the inner store's.
  Status PutProtectPlan(const ProtectPlanRecord& plan) override;
  Result<ProtectPlanRecord> GetProtectPlan(std::string_view id) override;
  Status ApproveProtectPlan(std::string_view id, std::string_view approved_by, UnixTime approved_at,
                            std::string_view reason) override;
  Status ScanProtectPlans(const std::function<bool(const ProtectPlanRecord&)>& fn) override;
  // Partner exchange. Partners and agreements are written with
  // manage_partners (recorded under the signed-in user at the oversight
  // clock's time) and read with exchange_share; messages and ledger events
  // are written and read with exchange_share. Every write commits one audit
  // record in its transaction (object share:DIRECTION:PARTNER:MESSAGE, the
  // ledger event, kind and marking in its parameters; a "refused" event is
  // recorded as a refusal); every read one read record. Cost: the inner
  // store's.
  Status PutSharePartner(const SharePartner& partner) override;
  Status ScanSharePartners(const std::function<bool(const SharePartner&)>& fn) override;
  Result<int64_t> PutShareAgreement(const ShareAgreement& agreement) override;
  Status ScanShareAgreements(const std::function<bool(const ShareAgreement&)>& fn) override;
  Status PutShareMessage(const ShareMessage& message, const ShareEvent& first) override;
  Result<ShareMessage> GetShareMessage(int direction, std::string_view partner,
                                       std::string_view message_id) override;
  Status ScanShareMessages(const std::function<bool(const ShareMessage&)>& fn) override;
  Status UpdateShareDelivery(const ShareMessage& message, const ShareEvent& event) override;
  Status AppendShareEvent(const ShareEvent& event) override;
  Status ScanShareEvents(const std::function<bool(const ShareEvent&)>& fn) override;
  // Canvases belong to their case: reading, saving and deleting one needs
  // the link_case right on the case's compartment (a hidden and a missing
  // case are the same NotFound). A case named without its compartment is
  // the one of that id in the user's compartments (InvalidArgument when
  // several of them hold one: name the compartment). A canvas is read without the nodes the
  // user may not see (persons outside their compartments, selectors owned
  // by such persons) and whatever refers to them (ties, group membership,
  // notes pinned to them), with withheld = true and nothing saying what or
  // how much. A save may add only persons the user may see (another is
  // NotFound as for a missing person); the withheld part of the stored
  // canvas is kept as it was, so that a limited user's save never removes
  // what they were not shown. The document must be a JSON object whose
  // optional "nodes", "edges", "groups" and "notes" are arrays of objects
  // (nodes with a string "id"), else InvalidArgument. Each is audited: reads
  // name the persons shown, writes carry one record in their transaction.
  Result<int64_t> PutCanvas(const Canvas& canvas, int64_t expected_version) override;
  Result<Canvas> GetCanvas(const CaseRef& of_case, std::string_view name) override;
  Status ScanCanvases(const CaseRef& of_case,
                      const std::function<bool(const Canvas&)>& fn) override;
  Status DeleteCanvas(const CaseRef& of_case, std::string_view name,
                      int64_t expected_version) override;

  // Forgets the cached person -> compartment map and selector owners (after
  // writes outside it, or a change of principal).
  void InvalidatePersonCache();

  // Request-scoped read audit (the server): after DeferReads(), the read
  // records of this store's calls are kept in memory instead of each waiting
  // for its own group commit, and FlushDeferredReads() logs them together
  // (Oversight::LogReads: one durable group commit) and ends the deferral.
  // The caller must flush, and see it succeed, before it shows anything it
  // read, so that nothing read reaches a user without its durable record.
  // Writes and refusals logged in their own transactions flush the deferred
  // reads first (ending the deferral), so the audit chain keeps the order of
  // events.
  void DeferReads();
  Status FlushDeferredReads();

 private:
  class Writer;

  Status RequireRole(Operation op, std::string_view object);
  // The compartment of a person, or NotFound (same message whether the
  // person is missing or outside the user's compartments).
  Result<Person> VisiblePerson(Operation op, std::string_view person_id);
  Result<bool> PersonVisible(std::string_view person_id);
  // Whether the user sees `selector` in full (record_visibility.h): its
  // current owners, every communication it carries (as src, dst or device)
  // and every travel record it is the document of. Sets *known when the
  // store holds the selector at all (a record, an attribution, a comm or a
  // travel record). A principal who sees every compartment sees it in full.
  Result<bool> SelectorSeenInFull(std::string_view selector, bool* known);
  // Who a decision (link confirm/reject, watch level) is recorded under: the
  // authenticated user. `claimed` (a CLI --by) may be empty or that user; in
  // setup mode, with no accounts to authenticate against, it is kept as given.
  // Any other name is InvalidArgument, so a stored decision never names
  // someone other than the one who made it.
  Result<std::string> DecidingUser(std::string_view claimed) const;
  // The compartment an alert belongs to: its person's, the default one
  // for an alert about no known person; nullopt when the alert is missing
  // or its person unknown. REQUIRES: the person cache is loaded.
  Result<std::optional<std::string>> AlertCompartment(std::string_view key);
  // Whether the user may `op` on the match (the entry's compartment) and see
  // the record it matched; false when the entry or the record is missing.
  Result<bool> MatchVisible(InputKind source_kind, std::string_view source_id,
                            std::string_view entry_id, Operation op);
  // The node ids of a canvas document the user may not see (persons and
  // selectors with a hidden owner). Cost: O(nodes) lookups.
  Result<std::vector<std::string>> HiddenCanvasNodes(std::string_view document);
  // A canvas's case checked for `op`: NotFound for a hidden or missing case.
  // The case `of_case` names among those the user may `op` on: its own
  // compartment when given, else `preferred` when it holds a case of that
  // id, else the only one; a hidden or missing case is the same audited
  // NotFound, several candidates InvalidArgument.
  Result<CaseRef> VisibleCase(Operation op, const CaseRef& of_case, std::string_view preferred,
                              const std::string& object);
  Status LoadPersonCache();
  // The compartments of comms, travel and other records without their own
  // (record_visibility.h), built once per principal: O(attributions).
  Result<const RecordVisibility*> Visibility();
  // Refused unless the principal sees every compartment (setup or "*"):
  // for writes that replace data of every compartment.
  Status RequireEveryCompartment(Operation op, const std::string& object);
  // `text` with every person id it names that the user may not see replaced
  // by kWithheldPerson; the ids it names that they may see are appended to
  // `mentioned`. Tokens are runs of identifier characters (a trailing '.' or
  // ':' is not part of the id). REQUIRES: the person cache is loaded.
  // Cost: O(text length) hash lookups.
  std::string RedactPersons(std::string_view text, std::vector<std::string>* mentioned);
  // A report is visible with its person, or (naming none) by its
  // x_compartment column, else in the default compartment.
  Result<bool> ReportVisible(const Report& report);
  // The persons that screening matches concern: the owners of the matched
  // travel records' documents and the persons of matched reports, sorted.
  // Cost: O(travel + reports) scans of the inner store when there are matches.
  Result<std::vector<std::string>> PersonsOfMatches(
      const std::vector<StoredWatchlistMatch>& matches);
  // Runs `write` (a call on the inner store that opens and commits one write
  // transaction) with one audit record of `op` committed inside it.
  template <typename Write>
  auto WriteAudited(Operation op, const std::string& object, std::vector<std::string> subjects,
                    const std::vector<std::pair<std::string, std::string>>& params, Write write)
      -> decltype(write());
  Status LogRead(Operation op, std::string object, std::vector<std::string> subjects, bool refused,
                 std::vector<std::pair<std::string, std::string>> params = {});
  // A refused write answered exactly like a missing object: flushes the
  // deferred reads, appends the refusal (`op` on `object`, with `params`)
  // in a transaction of its own, and returns
  // NotFound(NotVisibleMessage(kind, id)) (or the logging error).
  Status RefuseAsMissing(Operation op, const std::string& object, std::string_view kind,
                         std::string_view id,
                         const std::vector<std::pair<std::string, std::string>>& params = {});

  // Member order: the oversight handle refers to inner_'s connection and is
  // destroyed first.
  std::unique_ptr<Store> inner_;
  std::unique_ptr<Oversight> oversight_;
  RequestContext context_;
  std::unordered_map<std::string, std::string> person_compartments_;
  bool person_cache_loaded_ = false;
  std::unique_ptr<RecordVisibility> visibility_;
  // Device selectors (as text) that carry a communication the user does not
  // see in full; built on demand with one pass over the comms, and dropped
  // with visibility_.
  std::unique_ptr<std::unordered_set<std::string>> devices_not_in_full_;
  bool defer_reads_ = false;
  std::vector<AuditRecord> deferred_reads_;  // while defer_reads_
};

// A file outside the store to which Vigil writes personal data.
enum class WrittenFileKind : uint8_t {
  kQuarantine,  // ingest's bad rows (file,line,column,rule,raw)
  kExport,      // --out of network export, rank, screen, resolve, alerts
};

// Records `path` for erasure (Oversight::RecordWrittenFile) when `store` is
// an AccessStore, as its user; nothing for an undecorated store. Call before
// or right after the file is first written.
Status RecordWrittenFile(Store& store, WrittenFileKind kind, const std::string& path);

// The reveal hook for code that holds only a Store&: forwards to
// AccessStore::Reveal when `store` is one, and returns `person_ids` unchanged
// for an undecorated store (tests and tools working on their own files).
Result<std::vector<std::string>> RevealPersons(Store& store,
                                               std::span<const std::string> person_ids,
                                               std::string_view via);

// What stands in free text (alert evidence) for a person the user may not see.
inline constexpr std::string_view kWithheldPerson = "[withheld]";

// The message of every compartment refusal and of every missing object, so
// that the two cannot be told apart.
std::string NotVisibleMessage(std::string_view kind, std::string_view id);

// The message of every refused id collision ("entry 'E1' exists"): a write
// whose id is taken by an object the user may see and one whose id is taken
// in a compartment they may not see get the same AlreadyExists.
std::string IdTakenMessage(std::string_view kind, std::string_view id);

}  // namespace vigil

#endif  // VIGIL_ACCESS_H_
