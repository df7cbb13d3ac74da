// Oversight: users and their rights, cases and the category of each person's
// link to a case, legal basis and reviews, retention and erasure, four-eyes
// approval of shared watch-list entries, and the hash-chained audit log with
// its signed checkpoints.
//
// An Oversight is opened on a store (today the SQLite store; its tables are
// schema version 4) and is what AccessStore uses to write audit records. Every
// method that acts for a user takes the RequestContext, authorises through
// Authorize() (access.h) and writes its audit record in the same SQLite
// transaction as its change.
//
// Reads are logged through a read log that commits records in groups: with
// ReadLogMode::kGroup a reader returns only once its record is durable, and
// concurrent readers (server threads sharing one log) share one transaction
// and one sync; kBuffered commits every `buffered_reads` records or on
// FlushReads()/close, trading up to that many unlogged reads on a crash for
// throughput; kEachRead commits each read alone (the baseline).
//
// Thread-safety: an Oversight belongs to one thread, like its Store; the read
// log it shares (OpenAuditReadLog) may be used from many threads.
#ifndef VIGIL_OVERSIGHT_H_
#define VIGIL_OVERSIGHT_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/access.h"
#include "vigil/audit.h"
#include "vigil/model.h"
#include "vigil/status.h"
#include "vigil/store.h"

namespace vigil {

// The category of data subject of a person's link to a case (LED Art. 6).
enum class SubjectCategory : uint8_t { kSuspect, kContact, kWitness, kVictim, kOther };
inline constexpr int kSubjectCategoryCount = 5;
std::string_view SubjectCategoryName(SubjectCategory category);
Result<SubjectCategory> ParseSubjectCategory(std::string_view text);

// Where a subject's watch stands: the oversight name of the one watch level
// the alert engine also reads (WatchLevel in watch.h, stored in
// watch_subjects). The codes are equal: kEnded is WatchLevel::kClosed.
enum class WatchState : uint8_t { kActive, kDormant, kEnded };
std::string_view WatchStateName(WatchState state);

// A supervisor's review decision.
enum class ReviewDecision : uint8_t { kEnd, kExtend, kDormant };
std::string_view ReviewDecisionName(ReviewDecision decision);
Result<ReviewDecision> ParseReviewDecision(std::string_view text);

enum class ReadLogMode : uint8_t { kEachRead, kGroup, kBuffered };

class AuditReadLog;  // the group-committing read log (src/access/read_log.h)

struct OversightOptions {
  const Clock* clock = nullptr;  // nullptr: SystemClock()
  // The audit key file: a 32-byte secret from which come the Ed25519 key
  // that signs checkpoints and the MAC key of every record; created (mode
  // 0600) when missing. It must be the running user's, mode 0600, in a
  // directory group and others may not write (access::CheckPrivateFile):
  // whoever can write the store but not read this file cannot forge
  // records. "" = no key (records carry no MAC; verify says so).
  std::string signing_key_path;
  // The append-only witness file to which every commit's head and every
  // checkpoint are published, outside the store; "" = the key's path +
  // ".witness". Same rule as the key file.
  std::string witness_path;
  // A checkpoint is signed whenever the log passes a multiple of this.
  int64_t checkpoint_every = 1000;
  ReadLogMode read_log = ReadLogMode::kGroup;
  int64_t buffered_reads = 256;
  // PRAGMA synchronous of the read log's connection: FULL (true) makes every
  // committed group durable; tests of the logic turn it off.
  bool synchronous = true;
  // A read log shared by many Oversight objects (one per server thread);
  // nullptr: each Oversight opens its own.
  std::shared_ptr<AuditReadLog> shared_read_log;
};

// Opens a read log on the store file at `path` (its own connection), for
// sharing between threads. Thread-safe.
Result<std::shared_ptr<AuditReadLog>> OpenAuditReadLog(const std::string& path,
                                                       const OversightOptions& options);

struct UserInfo {
  std::string name;
  Role role = Role::kAnalyst;
  std::vector<std::string> compartments;
  bool disabled = false;
};

// A grant of a compartment waiting for a second admin.
struct PendingGrant {
  std::string user;
  std::string compartment;  // may be kAllCompartments
  std::string proposed_by;
  UnixTime proposed_at = 0;
};

struct ReviewItem {
  std::string person_id;
  std::string compartment;
  std::string legal_basis;
  std::string review_by;
  WatchState state = WatchState::kActive;
};

struct RetentionLimit {
  std::string category;  // a SubjectCategoryName, or "none" (no case link)
  int64_t days = 0;
};

// A person erased (or, in a dry run, due) by retention.
struct Erasure {
  std::string person_id;
  std::string category;  // the category whose limit applied
  UnixTime anchor = 0;   // when the retention clock started
  UnixTime due = 0;      // anchor + limit
  // Files outside the store (written_files): rows naming the person removed
  // from quarantine files, and the export files (and former quarantine
  // files no longer in the quarantine format) that Vigil wrote before this
  // erasure and that still hold an identifier of the person. Vigil does not
  // rewrite those: whoever ran the export must act on them (and on copies).
  int64_t quarantine_rows = 0;
  std::vector<std::string> files_holding_person;
};

// A case as a user sees it: its links to persons the user may see.
struct CaseLinkInfo {
  std::string person_id;
  SubjectCategory category = SubjectCategory::kOther;
  std::string linked_by;
  UnixTime linked_at = 0;
};
struct CaseInfo {
  std::string case_id;
  std::string compartment;
  std::string created_by;
  UnixTime created_at = 0;
  std::vector<CaseLinkInfo> links;
  int64_t links_withheld = 0;  // links to persons outside the user's compartments
};

struct WatchlistListConfig {
  std::string list;
  std::string compartment;
  bool shared = false;
};

struct WatchlistProposal {
  std::string entry_id;
  std::string list;
  std::string proposed_by;
  UnixTime proposed_at = 0;
  WatchlistEntry entry;      // the content to review
  std::string content_hash;  // ProposalContentHash(entry): what an approval names
};

// The hash that binds an approval to the reviewed content: hex BLAKE2b-256
// of the entry's canonical JSON (every field, keys sorted).
std::string ProposalContentHash(const WatchlistEntry& entry);

// Where a written watch-list entry goes (Oversight::RouteEntry).
enum class EntryRoute : uint8_t { kList, kPropose };

class Oversight {
 public:
  // Opens oversight on `store`, which must be the SQLite store (InvalidArgument
  // otherwise) and must outlive the result.
  static Result<std::unique_ptr<Oversight>> Open(Store& store, OversightOptions options);
  ~Oversight();
  Oversight(const Oversight&) = delete;
  Oversight& operator=(const Oversight&) = delete;

  const Clock& clock() const { return *clock_; }

  // ---- Users (users.cc) ----
  Result<bool> HasUsers();
  // The principal of a user whose password matches (Argon2id verify).
  // PermissionDenied("authentication failed") for any mismatch, unknown or
  // disabled user alike; every attempt is audited.
  Result<Principal> Authenticate(std::string_view name, std::string_view password);
  // The rights of an authenticated user as they are now (role and
  // compartments read from the store), for a session opened with
  // `credential` (Principal::credential from Authenticate).
  // NotFound("session ended") when the account is gone or disabled, and
  // PermissionDenied("session ended") when its password was changed since:
  // either way the session may not go on. Not audited (the session's
  // requests are). Cost: two indexed reads.
  Result<Principal> CurrentPrincipal(std::string_view name, std::string_view credential);
  // Admins only: a disabled account cannot log in, and its sessions end at
  // their next request. NotFound for an unknown user. Audited.
  Status SetDisabled(const RequestContext& context, std::string_view name, bool disabled);
  // The principal of setup mode (no accounts yet), named "setup:<os_user>".
  // PermissionDenied once any account exists.
  Result<Principal> SetupPrincipal(std::string_view os_user);
  // Admins only. The password is hashed with Argon2id (libsodium
  // crypto_pwhash_str, interactive limits); it must be 8+ characters. The
  // compartments are granted as Grant does: at once in setup mode, else
  // each waits for a second admin.
  Status AddUser(const RequestContext& context, std::string_view name, Role role,
                 std::string_view password, const std::vector<std::string>& compartments);
  // Admins, or a user for their own account.
  Status SetPassword(const RequestContext& context, std::string_view name,
                     std::string_view password);
  // Grants a compartment ('*': all) with four eyes: an admin's grant waits
  // (PendingGrants) until a second admin approves it (ApproveGrant), so
  // that no admin gives themselves, or an account they hold, what they may
  // read. In setup mode (no accounts yet: nobody to ask) it takes effect at
  // once. Returns true when granted now, false when it waits. NotFound for
  // an unknown user; AlreadyExists when the same grant already waits.
  // Audited (user_grant or user_grant_propose).
  Result<bool> Grant(const RequestContext& context, std::string_view name,
                     std::string_view compartment);
  // The second admin's approval of the waiting grant of `compartment` to
  // `name` (the grant's whole content, so an approval names exactly what it
  // approves). PermissionDenied for the admin who proposed it and for the
  // grantee; NotFound when no such grant waits. Audited with the proposer.
  Status ApproveGrant(const RequestContext& context, std::string_view name,
                      std::string_view compartment);
  // Drops a waiting grant (any admin, its proposer too). NotFound when no
  // such grant waits. Audited.
  Status RefuseGrant(const RequestContext& context, std::string_view name,
                     std::string_view compartment);
  // Grants waiting for approval (admins), oldest first.
  Result<std::vector<PendingGrant>> PendingGrants(const RequestContext& context);
  Status Revoke(const RequestContext& context, std::string_view name, std::string_view compartment);
  Status SetRole(const RequestContext& context, std::string_view name, Role role);
  Result<std::vector<UserInfo>> ListUsers(const RequestContext& context);

  // ---- Cases (cases.cc) ----
  // Opens a case in a compartment of the user's. Case ids are unique within
  // a compartment, not across compartments, so that creating one tells
  // nothing about other compartments: AlreadyExists only for an id taken in
  // the same compartment.
  Status AddCase(const RequestContext& context, std::string_view case_id,
                 std::string_view compartment);
  // Links a person to a case with the category of data subject; the person and
  // the case must both be in the user's compartments. Of the cases with that
  // id the user may see, the one in the person's compartment is taken, else
  // the only one; InvalidArgument when several are visible and none is the
  // person's.
  Status LinkCase(const RequestContext& context, std::string_view case_id,
                  std::string_view person_id, SubjectCategory category);
  // The cases in the user's compartments (kLinkCase: analysts and
  // supervisors), each with its links to persons the user may see; the
  // persons shown are the subjects of one read record. Cost: O(cases + links).
  Result<std::vector<CaseInfo>> ListCases(const RequestContext& context);

  // The compartments holding a case of that id (ids are unique within a
  // compartment), in order; empty when there is none. For the access layer
  // (canvases, escalations), which authorises on them. O(log cases + found).
  Result<std::vector<std::string>> CaseCompartments(std::string_view case_id);
  // An account by name (nullopt when there is none), for checks that name
  // another user (an alert's assignee). O(log users + compartments).
  Result<std::optional<UserInfo>> FindUser(std::string_view name);

  // ---- Reviews (reviews.cc) ----
  // Subjects (active or dormant, whoever set the level: a review or `vigil
  // watch set`) in the user's compartments whose review date is on or before
  // `due_by`, earliest first. Logged as a read of each.
  Result<std::vector<ReviewItem>> DueReviews(const RequestContext& context, UnixTime due_by);
  // A supervisor's decision with its reason. kExtend and kDormant need a new
  // review date after today; kEnd starts the retention clock. The decision
  // sets the subject's watch level (end: closed, dormant: dormant, extend:
  // active) through the same store write as `vigil watch set`
  // (SqliteStore::WriteWatchRecordInTransaction), with the decision row,
  // the new review date and the audit record in one transaction, so that the
  // alert engine sees it on its next run.
  Status DecideReview(const RequestContext& context, std::string_view person_id,
                      ReviewDecision decision, std::string_view reason,
                      std::string_view new_review_by);
  // The person's watch level (stored, else the default: subjects active,
  // others ended). NotFound for an unknown person.
  Result<WatchState> WatchStateOf(std::string_view person_id);

  // ---- Retention (retention.cc) ----
  Result<std::vector<RetentionLimit>> RetentionLimits();
  Status SetRetentionLimit(const RequestContext& context, std::string_view category, int64_t days);
  // Erases every person past its retention limit: people on active or
  // dormant watch (the watch level of watch.h; subjects by default) are kept
  // (a review decides on them); otherwise the clock starts when watch ended
  // (a review's end or `vigil watch set ... closed`), or when Vigil stored the
  // person, and the longest limit among the person's case-link categories
  // applies ("none" without links). Erasure removes the person, their
  // attributions, custody stays, reports, case links, decisions, watch level
  // and oversight state, raised alerts and alert-engine profile, and writes
  // one audit record per person (ids and counts only) in the same
  // transaction. `dry_run` lists without erasing.
  // Cost: O(persons) plus the erased persons' rows.
  Result<std::vector<Erasure>> ApplyRetention(const RequestContext& context, bool dry_run);

  // ---- Files written outside the store (retention.cc) ----
  // Notes that `context`'s user has Vigil write personal data to the file at
  // `path` (made absolute) outside the store, so that erasure can scrub it
  // (quarantine) or name it (exports). Idempotent per path (the kind and the
  // time of the last write are updated). Any user may; audited
  // (write_file, with the kind). IOError when the path cannot be made
  // absolute. O(log files).
  Status RecordWrittenFile(const RequestContext& context, WrittenFileKind kind,
                           std::string_view path);

  // ---- Watch lists and four eyes (watchlist_approval.cc) ----
  Status ConfigureList(const RequestContext& context, std::string_view list,
                       std::string_view compartment, bool shared);
  // The list's configuration; an unconfigured list is unshared, in the
  // default compartment.
  Result<WatchlistListConfig> ListConfig(std::string_view list);
  // The compartment of an entry: its x_compartment attribute, else its list's.
  Result<std::string> EntryCompartment(const WatchlistEntry& entry);
  // Adds an entry. On a shared list it becomes a proposal that a second
  // person (a supervisor other than the proposer) must approve.
  // Returns true when the entry is now on the list, false when pending.
  // Creation only: an id already used by an entry or by another user's
  // pending proposal is refused with AlreadyExists(IdTakenMessage), the
  // same whether that entry is in the user's compartments or not (audited);
  // the proposer may re-submit their own pending proposal (its content hash
  // changes, so an approval of the earlier content no longer applies).
  // Changing a listed entry is ingest's job (watchlist.csv).
  Result<bool> ProposeEntry(const RequestContext& context, const WatchlistEntry& entry);
  // Approves the pending proposal of `entry_id` whose content hash (shown by
  // PendingProposals) is `content_hash`: a proposal whose content changed
  // since it was reviewed is refused (InvalidArgument naming both hashes)
  // and stays pending.
  Status ApproveEntry(const RequestContext& context, std::string_view entry_id,
                      std::string_view content_hash);
  // Where an entry written by `context`'s user goes, read in the caller's
  // transaction: kPropose when its list is shared or it replaces an entry
  // of a shared list (moving it off needs four eyes too), else kList.
  // Refused (not audited here; the caller audits): PermissionDenied when the
  // user may not propose in the entry's compartment; AlreadyExists
  // (IdTakenMessage) when the id is taken by an entry outside the user's
  // compartments, by another user's pending proposal, or, with `create`, by
  // any entry. Cost: three indexed look-ups.
  Result<EntryRoute> RouteEntry(const RequestContext& context, const WatchlistEntry& entry,
                                bool create);
  // The second person's refusal of a proposal: the proposal is deleted and
  // the refusal logged (with the reason's hash) in one transaction; the entry
  // never joins the list. Same rights, compartment check and four-eyes rule
  // as ApproveEntry (the proposer cannot refuse their own proposal either:
  // they withdraw nothing on their own).
  Status RefuseEntry(const RequestContext& context, std::string_view entry_id,
                     std::string_view reason);
  Result<std::vector<WatchlistProposal>> PendingProposals(const RequestContext& context);

  // ---- Audit (audit.cc) ----
  // Logs a read (see ReadLogMode). The record's seq and hash are assigned.
  Status LogRead(AuditRecord record);
  // Logs several reads as one unit: with kGroup, one wait for one group
  // commit instead of one per record (the server's request-scoped reads).
  Status LogReads(std::vector<AuditRecord> records);
  // Commits buffered read records now.
  Status FlushReads();
  // Records an action that changes nothing in the store (e.g. a refusal) in a
  // transaction of its own.
  Status LogAction(AuditRecord record);
  Result<std::vector<AuditRecord>> QueryAudit(const RequestContext& context,
                                              const AuditQuery& query);
  // Verifies the whole chain and every stored checkpoint; with `external`
  // (a checkpoint file kept outside Vigil) also that the log still holds that
  // record with that hash and that the store's checkpoints are signed with
  // the same key. With a signing key configured, its public key is trusted too.
  Result<AuditVerifyReport> VerifyAudit(const RequestContext& context,
                                        const std::optional<AuditCheckpoint>& external);
  // Signs a checkpoint of the log's current head now (also audited).
  Result<AuditCheckpoint> Checkpoint(const RequestContext& context);

  // ---- For AccessStore ----
  // A record for `context` (time from the clock, params encoded).
  AuditRecord MakeRecord(const RequestContext& context, std::string_view action, std::string object,
                         std::vector<std::string> subjects, bool refused,
                         const std::vector<std::pair<std::string, std::string>>& extra = {});
  // Appends `records` inside the store's currently open write transaction.
  Status AppendInOpenTransaction(std::vector<AuditRecord>& records);
  // Runs `fn` with `records` appended in the store's transaction just before
  // it commits (the store's commit hook).
  void SetCommitAudit(std::vector<AuditRecord>* records);
  // Starts the retention clock of a person just stored (in the open write
  // transaction). Idempotent.
  Status NoteStored(std::string_view person_id);
  // Queues a shared-list entry as a proposal (in the open write transaction);
  // REQUIRES: RouteEntry allowed it (it replaces only the same user's).
  Status AddProposal(const RequestContext& context, const WatchlistEntry& entry);

  struct Impl;
  explicit Oversight(std::unique_ptr<Impl> impl, const Clock* clock);

 private:
  Status Require(const RequestContext& context, Operation op, std::string_view compartment,
                 std::string_view object);
  // The role part of Require alone, decided before any object is looked up.
  Status RequireRole(const RequestContext& context, Operation op, std::string_view object);
  // Runs `fn` in a write transaction of the store's connection and appends
  // `records` (filled by fn) before COMMIT.
  Status InTransaction(const std::function<Status(std::vector<AuditRecord>&)>& fn);
  // In an open write transaction: grants `compartment` to `name` at once in
  // setup mode, else records it as waiting for a second admin (unless it is
  // held already).
  Status GrantInTransaction(const RequestContext& context, std::string_view name,
                            std::string_view compartment);
  Result<std::string> PersonCompartment(std::string_view person_id);
  // The person's compartment if `op` may touch them; otherwise (and for a
  // missing person, alike) an audited NotFound.
  Result<std::string> RequirePerson(const RequestContext& context, Operation op,
                                    std::string_view person_id);
  // A pending watch-list proposal that `context`'s user may decide on: the
  // right, the proposal's existence and compartment (missing and hidden are
  // the same audited NotFound) and four eyes (the proposer may not decide),
  // each refusal audited. Sets *proposer.
  Result<WatchlistEntry> ProposalToDecide(const RequestContext& context, std::string_view entry_id,
                                          std::string* proposer);

  std::unique_ptr<Impl> impl_;
  const Clock* clock_;
};

}  // namespace vigil

#endif  // VIGIL_OVERSIGHT_H_
