// AccessStore: the Store decorator that authorises and audits every call.
#include "vigil/access.h"

#include <algorithm>

#include <unordered_map>
#include <unordered_set>

#include "access/record_visibility.h"
#include "vigil/oversight.h"

namespace vigil {

// ---- The writer ----------------------------------------------------------------

// Authorises every record of an ingested file against the user's compartments,
// enforces the legal basis of subjects, diverts entries of shared watch lists
// to four-eyes proposals, starts each person's retention clock, and writes the
// file's audit record in the file's own transaction.
class AccessStore::Writer final : public StoreWriter {
 public:
  Writer(AccessStore& owner, std::unique_ptr<StoreWriter> inner, SourceFile file)
      : owner_(owner), inner_(std::move(inner)), file_(std::move(file)) {}
  ~Writer() override {
    inner_.reset();  // rolls back unless committed
    if (refusal_) owner_.oversight().LogAction(std::move(*refusal_));
  }

  Status Put(const Person& person) override {
    const Principal& principal = owner_.context().principal;
    if (person.status == PersonStatus::kSubject &&
        (person.legal_basis.empty() || person.review_by.empty())) {
      return Status::InvalidArgument("person '" + person.person_id +
                                     "': a subject needs a legal_basis and a review_by date");
    }
    VIGIL_ASSIGN_OR_RETURN(bool visible, owner_.PersonVisible(person.person_id));
    const bool exists = owner_.person_compartments_.count(person.person_id) != 0;
    if (exists && !visible) return RefuseTaken("person", person.person_id);
    if (!principal.InCompartment(person.compartment)) {
      return Refuse("person:" + person.person_id,
                    "person '" + person.person_id + "': not in your compartments");
    }
    VIGIL_RETURN_IF_ERROR(inner_->Put(person));
    VIGIL_RETURN_IF_ERROR(owner_.oversight().NoteStored(person.person_id));
    owner_.person_compartments_[person.person_id] = person.compartment;
    subjects_.push_back(person.person_id);
    return Status::Ok();
  }
  // A row naming an owner joins the selector, and a row for a selector
  // that has a record replaces it: either needs the selector seen in full
  // when the store holds it already.
  Status Put(const SelectorRecord& selector) override {
    VIGIL_RETURN_IF_ERROR(RequireVisible(selector.person_id, "selector " + selector.selector));
    if (!SeesAll()) {
      bool check = !selector.person_id.empty();
      if (!check) {
        Result<SelectorRecord> existing = owner_.inner_->GetSelectorRecord(selector.selector);
        if (!existing.ok() && !existing.status().IsNotFound()) return existing.status();
        check = existing.ok();
      }
      if (check) {
        bool known = false;
        VIGIL_ASSIGN_OR_RETURN(bool full, owner_.SelectorSeenInFull(selector.selector, &known));
        if (known && !full) return RefuseTaken("selector", selector.selector);
      }
    }
    return inner_->Put(selector);
  }
  Status Put(const Communication& comm) override { return inner_->Put(comm); }
  // Communications carry no compartment: the inner writer's bulk path as is.
  Status PutComms(std::span<const Communication* const> comms, size_t* put) override {
    return inner_->PutComms(comms, put);
  }
  // A row reusing a travel record's id replaces it: the replaced record
  // must be one the user sees in full.
  Status Put(const TravelRecord& travel) override {
    if (!SeesAll()) {
      Result<TravelRecord> existing = owner_.inner_->GetTravel(travel.record_id);
      if (!existing.ok() && !existing.status().IsNotFound()) return existing.status();
      if (existing.ok()) {
        VIGIL_ASSIGN_OR_RETURN(const RecordVisibility* visibility, owner_.Visibility());
        if (!visibility->TravelSeenInFull(*existing)) {
          return RefuseTaken("travel record", travel.record_id);
        }
      }
    }
    return inner_->Put(travel);
  }
  Status Put(const CustodyRecord& custody) override {
    VIGIL_RETURN_IF_ERROR(RequireVisible(custody.person_id, "custody record"));
    return inner_->Put(custody);
  }
  Status Put(const Report& report) override {
    VIGIL_RETURN_IF_ERROR(RequireVisible(report.person_id, "report " + report.report_id));
    // A row reusing a report's id replaces it (and may name another person).
    if (!SeesAll()) {
      Result<Report> existing = owner_.inner_->GetReport(report.report_id);
      if (!existing.ok() && !existing.status().IsNotFound()) return existing.status();
      if (existing.ok()) {
        VIGIL_ASSIGN_OR_RETURN(bool visible, owner_.ReportVisible(*existing));
        if (!visible) return RefuseTaken("report", report.report_id);
      }
    }
    return inner_->Put(report);
  }
  // An entry joins its list at once, becomes a four-eyes proposal, or is
  // refused, as Oversight::RouteEntry decides (the replaced entry and any
  // pending proposal of its id are checked there).
  Status Put(const WatchlistEntry& entry) override {
    Oversight& oversight = owner_.oversight();
    Result<EntryRoute> route = oversight.RouteEntry(owner_.context(), entry, /*create=*/false);
    if (!route.ok()) {
      const Status& status = route.status();
      if (status.code() == Status::Code::kPermissionDenied ||
          status.code() == Status::Code::kAlreadyExists) {
        return Refuse("entry:" + entry.entry_id, status);
      }
      return status;
    }
    if (*route == EntryRoute::kPropose) {
      ++proposals_;
      return oversight.AddProposal(owner_.context(), entry);
    }
    return inner_->Put(entry);
  }

  Status Commit(int64_t rows) override {
    Oversight& oversight = owner_.oversight();
    std::vector<AuditRecord> records = {
        oversight.MakeRecord(owner_.context(), OperationName(Operation::kIngest),
                             "file:" + file_.content_hash, std::move(subjects_), false,
                             {{"kind", std::string(InputKindName(file_.kind))},
                              {"rows", std::to_string(rows)},
                              {"proposals", std::to_string(proposals_)}})};
    oversight.SetCommitAudit(&records);
    Status status = inner_->Commit(rows);
    oversight.SetCommitAudit(nullptr);
    owner_.InvalidatePersonCache();
    return status;
  }

 private:
  // A record (`what`, e.g. "custody record") that names a person outside
  // the user's compartments gets exactly the store's error for a person that
  // does not exist (SqliteWriter::RequirePerson), so that ingest does not
  // tell which ids exist elsewhere; the refusal is audited.
  Status RequireVisible(const std::string& person_id, const std::string& what) {
    if (person_id.empty()) return Status::Ok();
    VIGIL_ASSIGN_OR_RETURN(bool visible, owner_.PersonVisible(person_id));
    if (visible) return Status::Ok();
    // A missing person is left to the store, which names the broken reference.
    if (owner_.person_compartments_.count(person_id) == 0) return Status::Ok();
    return Refuse("person:" + person_id,
                  Status::InvalidArgument(what + " names unknown person_id '" + person_id + "'"));
  }

  bool SeesAll() const {
    return RecordVisibility::SeesEveryCompartment(owner_.context().principal);
  }

  // A row whose id is taken by a record the user may not see (in full): the
  // AlreadyExists of a collision the user may see, audited.
  Status RefuseTaken(std::string_view kind, const std::string& id) {
    return Refuse(std::string(kind) + ":" + id, Status::AlreadyExists(IdTakenMessage(kind, id)));
  }

  Status Refuse(std::string object, std::string message) {
    return Refuse(std::move(object), Status::PermissionDenied(std::move(message)));
  }
  Status Refuse(std::string object, Status status) {
    refusal_ =
        owner_.oversight().MakeRecord(owner_.context(), OperationName(Operation::kIngest),
                                      std::move(object), {}, true, {{"file", file_.content_hash}});
    return status;
  }

  AccessStore& owner_;
  std::unique_ptr<StoreWriter> inner_;
  SourceFile file_;
  std::vector<std::string> subjects_;
  int64_t proposals_ = 0;
  std::optional<AuditRecord> refusal_;
};

// ---- The store -----------------------------------------------------------------

AccessStore::AccessStore(std::unique_ptr<Store> inner, std::unique_ptr<Oversight> oversight,
                         RequestContext context)
    : inner_(std::move(inner)), oversight_(std::move(oversight)), context_(std::move(context)) {}

AccessStore::~AccessStore() = default;

Status AccessStore::LogRead(Operation op, std::string object, std::vector<std::string> subjects,
                            bool refused, std::vector<std::pair<std::string, std::string>> params) {
  AuditRecord record = oversight_->MakeRecord(context_, OperationName(op), std::move(object),
                                              std::move(subjects), refused, params);
  if (defer_reads_) {
    deferred_reads_.push_back(std::move(record));
    return Status::Ok();
  }
  return oversight_->LogRead(std::move(record));
}

void AccessStore::DeferReads() { defer_reads_ = true; }

Status AccessStore::FlushDeferredReads() {
  defer_reads_ = false;
  std::vector<AuditRecord> records;
  records.swap(deferred_reads_);
  return oversight_->LogReads(std::move(records));
}

Status AccessStore::RefuseAsMissing(
    Operation op, const std::string& object, std::string_view kind, std::string_view id,
    const std::vector<std::pair<std::string, std::string>>& params) {
  VIGIL_RETURN_IF_ERROR(FlushDeferredReads());
  VIGIL_RETURN_IF_ERROR(oversight_->LogAction(
      oversight_->MakeRecord(context_, OperationName(op), object, {}, /*refused=*/true, params)));
  return Status::NotFound(NotVisibleMessage(kind, id));
}

Status AccessStore::RequireRole(Operation op, std::string_view object) {
  if (context_.principal.setup || RoleMay(context_.principal.role, op)) return Status::Ok();
  VIGIL_RETURN_IF_ERROR(LogRead(op, std::string(object), {}, true));
  return Status::PermissionDenied("role " + std::string(RoleName(context_.principal.role)) +
                                  " may not " + std::string(OperationName(op)));
}

Status AccessStore::LoadPersonCache() {
  if (person_cache_loaded_) return Status::Ok();
  person_compartments_.clear();
  VIGIL_RETURN_IF_ERROR(inner_->ScanPersons([&](const Person& p) {
    person_compartments_.emplace(p.person_id, p.compartment);
    return true;
  }));
  person_cache_loaded_ = true;
  return Status::Ok();
}

void AccessStore::InvalidatePersonCache() {
  person_compartments_.clear();
  person_cache_loaded_ = false;
  visibility_.reset();
  devices_not_in_full_.reset();
}

Result<const RecordVisibility*> AccessStore::Visibility() {
  if (visibility_ && visibility_->BuiltFor(context_.principal)) return visibility_.get();
  if (!RecordVisibility::SeesEveryCompartment(context_.principal)) {
    VIGIL_RETURN_IF_ERROR(LoadPersonCache());
  }
  VIGIL_ASSIGN_OR_RETURN(
      RecordVisibility built,
      RecordVisibility::Build(*inner_, context_.principal, [this](const std::string& id) {
        auto found = person_compartments_.find(id);
        return found != person_compartments_.end() &&
               context_.principal.InCompartment(found->second);
      }));
  visibility_ = std::make_unique<RecordVisibility>(std::move(built));
  return visibility_.get();
}

Status AccessStore::RequireEveryCompartment(Operation op, const std::string& object) {
  if (RecordVisibility::SeesEveryCompartment(context_.principal)) return Status::Ok();
  VIGIL_RETURN_IF_ERROR(FlushDeferredReads());
  VIGIL_RETURN_IF_ERROR(oversight_->LogAction(
      oversight_->MakeRecord(context_, OperationName(op), object, {}, /*refused=*/true)));
  return Status::PermissionDenied(std::string(OperationName(op)) + " on " + object +
                                  " replaces data of every compartment: it needs a user "
                                  "granted every compartment (*)");
}

Result<std::string> AccessStore::DecidingUser(std::string_view claimed) const {
  const Principal& principal = context_.principal;
  if (claimed.empty() || claimed == principal.user) return principal.user;
  if (principal.setup) return std::string(claimed);
  return Status::InvalidArgument("decided by '" + std::string(claimed) +
                                 "': decisions are recorded under the signed-in user '" +
                                 principal.user + "'; leave --by out or give that name");
}

Result<bool> AccessStore::PersonVisible(std::string_view person_id) {
  VIGIL_RETURN_IF_ERROR(LoadPersonCache());
  auto found = person_compartments_.find(std::string(person_id));
  if (found == person_compartments_.end()) return false;
  return context_.principal.setup || context_.principal.InCompartment(found->second);
}

Result<bool> AccessStore::SelectorSeenInFull(std::string_view selector, bool* known) {
  *known = false;
  VIGIL_ASSIGN_OR_RETURN(auto owners, inner_->AttributionsOfSelector(selector));
  Result<SelectorRecord> record = inner_->GetSelectorRecord(selector);
  if (!record.ok() && !record.status().IsNotFound()) return record.status();
  *known = !owners.empty() || record.ok();
  VIGIL_ASSIGN_OR_RETURN(const RecordVisibility* visibility, Visibility());
  bool full = visibility->OwnersSeenInFull(selector);
  // Comms where it is src or dst (postings), then where it is the handset.
  CommQuery query;
  query.selectors = {std::string(selector)};
  VIGIL_RETURN_IF_ERROR(inner_->ScanComms(query, [&](const Communication& comm) {
    *known = true;
    full = full && visibility->CommSeenInFull(comm);
    return full;
  }));
  if (full && !visibility->everything()) {
    if (!devices_not_in_full_) {
      // One pass over every comm: the handsets of comms not seen in full.
      std::vector<bool> marked;
      VIGIL_RETURN_IF_ERROR(inner_->ScanCommEdges([&](const CommEdge& edge) {
        if (edge.device > 0 && !visibility->CommSeenInFull(edge)) {
          if (static_cast<size_t>(edge.device) >= marked.size()) marked.resize(edge.device + 1);
          marked[static_cast<size_t>(edge.device)] = true;
        }
        return true;
      }));
      auto devices = std::make_unique<std::unordered_set<std::string>>();
      VIGIL_RETURN_IF_ERROR(inner_->ScanSelectors([&](int64_t id, std::string_view text) {
        if (static_cast<size_t>(id) < marked.size() && marked[static_cast<size_t>(id)]) {
          devices->emplace(text);
        }
        return true;
      }));
      devices_not_in_full_ = std::move(devices);
    }
    if (devices_not_in_full_->count(std::string(selector)) != 0) {
      *known = true;
      full = false;
    }
  }
  if (full) {
    VIGIL_ASSIGN_OR_RETURN(auto travel, inner_->TravelByDocuments({std::string(selector)}));
    for (const TravelRecord& t : travel) {
      *known = true;
      full = full && visibility->TravelSeenInFull(t);
    }
  }
  return full;
}

Result<Person> AccessStore::VisiblePerson(Operation op, std::string_view person_id) {
  const std::string object = "person:" + std::string(person_id);
  VIGIL_RETURN_IF_ERROR(RequireRole(op, object));
  Result<Person> person = inner_->GetPerson(person_id);
  if (!person.ok() && !person.status().IsNotFound()) return person.status();
  if (!person.ok() || Authorize(context_.principal, op, person->compartment) != Decision::kAllow) {
    VIGIL_RETURN_IF_ERROR(LogRead(op, object, {}, true));
    return Status::NotFound(NotVisibleMessage("person", person_id));
  }
  return person;
}

Result<std::vector<std::string>> AccessStore::Reveal(std::span<const std::string> person_ids,
                                                     std::string_view via) {
  VIGIL_RETURN_IF_ERROR(RequireRole(Operation::kRevealPersons, "reveal:" + std::string(via)));
  std::vector<std::string> shown;
  for (const std::string& id : person_ids) {
    VIGIL_ASSIGN_OR_RETURN(bool visible, PersonVisible(id));
    if (visible) shown.push_back(id);
  }
  VIGIL_RETURN_IF_ERROR(LogRead(Operation::kRevealPersons, "reveal:" + std::string(via), shown,
                                false,
                                {{"withheld", std::to_string(person_ids.size() - shown.size())}}));
  return shown;
}

Result<std::unique_ptr<StoreWriter>> AccessStore::BeginIngest(const SourceFile& file) {
  VIGIL_RETURN_IF_ERROR(RequireRole(Operation::kIngest, "file:" + file.content_hash));
  VIGIL_RETURN_IF_ERROR(FlushDeferredReads());
  VIGIL_RETURN_IF_ERROR(oversight_->FlushReads());
  VIGIL_RETURN_IF_ERROR(LoadPersonCache());
  VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<StoreWriter> writer, inner_->BeginIngest(file));
  return std::unique_ptr<StoreWriter>(std::make_unique<Writer>(*this, std::move(writer), file));
}

Status AccessStore::PutAttribution(const Attribution& attribution) {
  const std::string object = "person:" + attribution.person_id;
  VIGIL_RETURN_IF_ERROR(RequireRole(Operation::kDecideAttribution, object));
  VIGIL_ASSIGN_OR_RETURN(bool visible, PersonVisible(attribution.person_id));
  if (!visible) {
    return RefuseAsMissing(Operation::kDecideAttribution, object, "person", attribution.person_id);
  }
  if (attribution.state != AttributionState::kRejected &&
      !RecordVisibility::SeesEveryCompartment(context_.principal)) {
    // Joining a person to a selector shows the user everything the
    // selector carries: only a selector they already see in full. (A user
    // who sees every compartment may also name a selector never seen.)
    bool known = false;
    VIGIL_ASSIGN_OR_RETURN(bool full, SelectorSeenInFull(attribution.selector, &known));
    if (!known || !full) {
      return RefuseAsMissing(Operation::kDecideAttribution, "selector:" + attribution.selector,
                             "selector", attribution.selector, {{"person", attribution.person_id}});
    }
  }
  Attribution stored = attribution;
  if (stored.state != AttributionState::kProposed) {
    VIGIL_ASSIGN_OR_RETURN(stored.decided_by, DecidingUser(attribution.decided_by));
  }
  VIGIL_RETURN_IF_ERROR(FlushDeferredReads());
  VIGIL_RETURN_IF_ERROR(oversight_->FlushReads());
  std::vector<AuditRecord> records = {
      oversight_->MakeRecord(context_, OperationName(Operation::kDecideAttribution), object,
                             {attribution.person_id}, false,
                             {{"selector", attribution.selector},
                              {"state", std::string(AttributionStateName(attribution.state))}})};
  oversight_->SetCommitAudit(&records);
  Status status = inner_->PutAttribution(stored);
  oversight_->SetCommitAudit(nullptr);
  visibility_.reset();  // the selector's owners changed
  devices_not_in_full_.reset();
  return status;
}

template <typename Write>
auto AccessStore::WriteAudited(Operation op, const std::string& object,
                               std::vector<std::string> subjects,
                               const std::vector<std::pair<std::string, std::string>>& params,
                               Write write) -> decltype(write()) {
  VIGIL_RETURN_IF_ERROR(FlushDeferredReads());
  VIGIL_RETURN_IF_ERROR(oversight_->FlushReads());
  std::vector<AuditRecord> records = {oversight_->MakeRecord(context_, OperationName(op), object,
                                                             std::move(subjects), false, params)};
  oversight_->SetCommitAudit(&records);
  auto result = write();
  oversight_->SetCommitAudit(nullptr);
  return result;
}

Result<int64_t> AccessStore::ReplaceProposedAttributions(
    const std::vector<Attribution>& proposals) {
  const std::string object = "attributions:proposed";
  VIGIL_RETURN_IF_ERROR(RequireRole(Operation::kDecideAttribution, object));
  VIGIL_RETURN_IF_ERROR(RequireEveryCompartment(Operation::kDecideAttribution, object));
  std::vector<std::string> persons;
  for (const Attribution& proposal : proposals) persons.push_back(proposal.person_id);
  std::sort(persons.begin(), persons.end());
  persons.erase(std::unique(persons.begin(), persons.end()), persons.end());
  Result<int64_t> stored = WriteAudited(Operation::kDecideAttribution, object, std::move(persons),
                                        {{"proposals", std::to_string(proposals.size())}}, [&] {
                                          return inner_->ReplaceProposedAttributions(proposals);
                                        });
  visibility_.reset();  // selectors' owners changed
  devices_not_in_full_.reset();
  return stored;
}

Result<StoreCounts> AccessStore::Counts() {
  VIGIL_RETURN_IF_ERROR(RequireRole(Operation::kReadStatus, "store:counts"));
  VIGIL_ASSIGN_OR_RETURN(StoreCounts counts, inner_->Counts());
  VIGIL_RETURN_IF_ERROR(LogRead(Operation::kReadStatus, "store:counts", {}, false));
  return counts;
}

Result<std::vector<IngestedFile>> AccessStore::IngestedFiles() {
  VIGIL_RETURN_IF_ERROR(RequireRole(Operation::kReadStatus, "store:files"));
  VIGIL_ASSIGN_OR_RETURN(auto files, inner_->IngestedFiles());
  VIGIL_RETURN_IF_ERROR(LogRead(Operation::kReadStatus, "store:files", {}, false));
  return files;
}

Result<Person> AccessStore::GetPerson(std::string_view person_id) {
  VIGIL_ASSIGN_OR_RETURN(Person person, VisiblePerson(Operation::kReadPerson, person_id));
  VIGIL_RETURN_IF_ERROR(
      LogRead(Operation::kReadPerson, "person:" + person.person_id, {person.person_id}, false));
  return person;
}

Result<std::vector<Attribution>> AccessStore::AttributionsOfPerson(std::string_view person_id) {
  VIGIL_ASSIGN_OR_RETURN(Person person, VisiblePerson(Operation::kReadSelector, person_id));
  VIGIL_ASSIGN_OR_RETURN(auto attributions, inner_->AttributionsOfPerson(person_id));
  VIGIL_RETURN_IF_ERROR(LogRead(Operation::kReadSelector, "attributions:" + person.person_id,
                                {person.person_id}, false));
  return attributions;
}

Result<std::vector<Attribution>> AccessStore::AttributionsOfSelector(std::string_view selector) {
  const std::string object = "selector:" + std::string(selector);
  VIGIL_RETURN_IF_ERROR(RequireRole(Operation::kReadSelector, object));
  VIGIL_ASSIGN_OR_RETURN(auto attributions, inner_->AttributionsOfSelector(selector));
  std::vector<Attribution> shown;
  std::vector<std::string> subjects;
  for (Attribution& a : attributions) {
    VIGIL_ASSIGN_OR_RETURN(bool visible, PersonVisible(a.person_id));
    if (!visible) continue;
    subjects.push_back(a.person_id);
    shown.push_back(std::move(a));
  }
  VIGIL_RETURN_IF_ERROR(LogRead(Operation::kReadSelector, object, std::move(subjects), false));
  return shown;
}

Result<SelectorRecord> AccessStore::GetSelectorRecord(std::string_view selector) {
  const std::string object = "selector:" + std::string(selector);
  VIGIL_RETURN_IF_ERROR(RequireRole(Operation::kReadSelector, object));
  Result<SelectorRecord> record = inner_->GetSelectorRecord(selector);
  if (!record.ok() && !record.status().IsNotFound()) return record.status();
  bool visible = record.ok();
  if (visible && !record->person_id.empty()) {
    VIGIL_ASSIGN_OR_RETURN(visible, PersonVisible(record->person_id));
  }
  if (!visible) {
    VIGIL_RETURN_IF_ERROR(LogRead(Operation::kReadSelector, object, {}, true));
    return Status::NotFound(NotVisibleMessage("selector", selector));
  }
  std::vector<std::string> subjects;
  if (!record->person_id.empty()) subjects.push_back(record->person_id);
  VIGIL_RETURN_IF_ERROR(LogRead(Operation::kReadSelector, object, std::move(subjects), false));
  return record;
}

Result<std::vector<CustodyRecord>> AccessStore::CustodyOf(std::string_view person_id) {
  VIGIL_ASSIGN_OR_RETURN(Person person, VisiblePerson(Operation::kReadCustody, person_id));
  VIGIL_ASSIGN_OR_RETURN(auto stays, inner_->CustodyOf(person_id));
  VIGIL_RETURN_IF_ERROR(
      LogRead(Operation::kReadCustody, "custody:" + person.person_id, {person.person_id}, false));
  return stays;
}

Result<std::vector<Report>> AccessStore::ReportsAbout(std::string_view person_id) {
  VIGIL_ASSIGN_OR_RETURN(Person person, VisiblePerson(Operation::kReadReports, person_id));
  VIGIL_ASSIGN_OR_RETURN(auto reports, inner_->ReportsAbout(person_id));
  VIGIL_RETURN_IF_ERROR(
      LogRead(Operation::kReadReports, "reports:" + person.person_id, {person.person_id}, false));
  return reports;
}

Result<std::vector<TravelRecord>> AccessStore::TravelByDocuments(
    const std::vector<std::string>& documents) {
  VIGIL_RETURN_IF_ERROR(RequireRole(Operation::kReadTravel, "travel:documents"));
  VIGIL_ASSIGN_OR_RETURN(const RecordVisibility* visibility, Visibility());
  VIGIL_ASSIGN_OR_RETURN(auto found, inner_->TravelByDocuments(documents));
  std::vector<TravelRecord> travel;
  for (TravelRecord& record : found) {
    if (visibility->TravelVisible(record)) travel.push_back(std::move(record));
  }
  std::vector<std::pair<std::string, std::string>> params;
  for (const std::string& d : documents) params.emplace_back("document", d);
  params.emplace_back("results", std::to_string(travel.size()));
  VIGIL_RETURN_IF_ERROR(LogRead(Operation::kReadTravel, "travel:documents", {}, false, params));
  return travel;
}

Result<WatchlistEntry> AccessStore::GetWatchlistEntry(std::string_view entry_id) {
  const std::string object = "entry:" + std::string(entry_id);
  VIGIL_RETURN_IF_ERROR(RequireRole(Operation::kReadWatchlist, object));
  Result<WatchlistEntry> entry = inner_->GetWatchlistEntry(entry_id);
  if (!entry.ok() && !entry.status().IsNotFound()) return entry.status();
  bool visible = entry.ok();
  if (visible) {
    VIGIL_ASSIGN_OR_RETURN(std::string compartment, oversight_->EntryCompartment(*entry));
    visible =
        Authorize(context_.principal, Operation::kReadWatchlist, compartment) == Decision::kAllow;
  }
  if (!visible) {
    VIGIL_RETURN_IF_ERROR(LogRead(Operation::kReadWatchlist, object, {}, true));
    return Status::NotFound(NotVisibleMessage("entry", entry_id));
  }
  VIGIL_RETURN_IF_ERROR(LogRead(Operation::kReadWatchlist, object, {}, false));
  return entry;
}

Result<TravelRecord> AccessStore::GetTravel(std::string_view record_id) {
  const std::string object = "travel:" + std::string(record_id);
  VIGIL_RETURN_IF_ERROR(RequireRole(Operation::kReadTravel, object));
  VIGIL_ASSIGN_OR_RETURN(const RecordVisibility* visibility, Visibility());
  Result<TravelRecord> travel = inner_->GetTravel(record_id);
  if (!travel.ok() && !travel.status().IsNotFound()) return travel.status();
  if (!travel.ok() || !visibility->TravelVisible(*travel)) {
    VIGIL_RETURN_IF_ERROR(LogRead(Operation::kReadTravel, object, {}, true));
    return Status::NotFound(NotVisibleMessage("travel record", record_id));
  }
  VIGIL_RETURN_IF_ERROR(LogRead(Operation::kReadTravel, object, {}, false));
  return travel;
}

Result<Report> AccessStore::GetReport(std::string_view report_id) {
  const std::string object = "report:" + std::string(report_id);
  VIGIL_RETURN_IF_ERROR(RequireRole(Operation::kReadReports, object));
  Result<Report> report = inner_->GetReport(report_id);
  if (!report.ok() && !report.status().IsNotFound()) return report.status();
  bool visible = report.ok();
  if (visible) {
    VIGIL_ASSIGN_OR_RETURN(visible, ReportVisible(*report));
  }
  if (!visible) {
    VIGIL_RETURN_IF_ERROR(LogRead(Operation::kReadReports, object, {}, true));
    return Status::NotFound(NotVisibleMessage("report", report_id));
  }
  std::vector<std::string> subjects;
  if (!report->person_id.empty()) subjects.push_back(report->person_id);
  VIGIL_RETURN_IF_ERROR(LogRead(Operation::kReadReports, object, std::move(subjects), false));
  return report;
}

// Bulk scans feed analyses: each is logged as one record with its count; the
// persons an analysis then shows are logged through Reveal().
Status AccessStore::ScanPersons(const std::function<bool(const Person&)>& fn) {
  VIGIL_RETURN_IF_ERROR(RequireRole(Operation::kReadPerson, "scan:persons"));
  int64_t passed = 0;
  VIGIL_RETURN_IF_ERROR(inner_->ScanPersons([&](const Person& p) {
    if (Authorize(context_.principal, Operation::kReadPerson, p.compartment) != Decision::kAllow) {
      return true;
    }
    ++passed;
    return fn(p);
  }));
  return LogRead(Operation::kReadPerson, "scan:persons", {}, false,
                 {{"rows", std::to_string(passed)}});
}

Status AccessStore::ScanWatchlist(const std::function<bool(const WatchlistEntry&)>& fn) {
  VIGIL_RETURN_IF_ERROR(RequireRole(Operation::kReadWatchlist, "scan:watchlist"));
  // Entries first, then their compartments: no lookups inside the scan.
  std::vector<WatchlistEntry> entries;
  VIGIL_RETURN_IF_ERROR(inner_->ScanWatchlist([&](const WatchlistEntry& e) {
    entries.push_back(e);
    return true;
  }));
  std::unordered_map<std::string, std::string> list_compartments;
  int64_t passed = 0;
  for (const WatchlistEntry& e : entries) {
    std::string compartment;
    bool own = false;
    for (const auto& [name, value] : e.attributes) {
      if (name == "x_compartment" && !value.empty()) {
        compartment = value;
        own = true;
      }
    }
    if (!own) {
      auto found = list_compartments.find(e.list);
      if (found == list_compartments.end()) {
        VIGIL_ASSIGN_OR_RETURN(WatchlistListConfig config, oversight_->ListConfig(e.list));
        found = list_compartments.emplace(e.list, config.compartment).first;
      }
      compartment = found->second;
    }
    if (Authorize(context_.principal, Operation::kReadWatchlist, compartment) != Decision::kAllow) {
      continue;
    }
    ++passed;
    if (!fn(e)) break;
  }
  return LogRead(Operation::kReadWatchlist, "scan:watchlist", {}, false,
                 {{"rows", std::to_string(passed)}});
}

Status AccessStore::PutScreeningResults(const std::vector<StoredWatchlistMatch>& matches,
                                        const std::vector<ScreeningMark>& marks) {
  const std::string object = "screening:results";
  VIGIL_RETURN_IF_ERROR(RequireRole(Operation::kIngest, object));
  VIGIL_ASSIGN_OR_RETURN(std::vector<std::string> persons, PersonsOfMatches(matches));
  // A mark says "screened against the whole list" (or, for an entry, "its
  // past records were all re-screened"). A user who does not see every
  // compartment screened only what they see, against the entries they see,
  // so their run leaves no marks: the records stay due for the next run of
  // a user who sees everything. Their matches are real and are kept.
  const bool sees_all = RecordVisibility::SeesEveryCompartment(context_.principal);
  const std::vector<ScreeningMark> no_marks;
  const std::vector<ScreeningMark>& kept = sees_all ? marks : no_marks;
  return WriteAudited(Operation::kIngest, object, std::move(persons),
                      {{"matches", std::to_string(matches.size())},
                       {"marks", std::to_string(kept.size())},
                       {"marks_withheld", std::to_string(marks.size() - kept.size())}},
                      [&] { return inner_->PutScreeningResults(matches, kept); });
}

Status AccessStore::ScanWatchlistMatches(
    const std::function<bool(const StoredWatchlistMatch&)>& fn) {
  std::unordered_set<std::string> visible_entries;
  VIGIL_RETURN_IF_ERROR(ScanWatchlist([&](const WatchlistEntry& entry) {
    visible_entries.insert(entry.entry_id);
    return true;
  }));
  VIGIL_ASSIGN_OR_RETURN(const RecordVisibility* visibility, Visibility());
  // The matched records the user may see (travel by its document's owners,
  // reports by their person): O(travel + reports), skipped when they see all.
  std::unordered_set<std::string> visible_travel;
  std::unordered_set<std::string> visible_reports;
  if (!visibility->everything()) {
    VIGIL_RETURN_IF_ERROR(inner_->ScanTravel([&](const TravelRecord& t) {
      if (visibility->TravelVisible(t)) visible_travel.insert(t.record_id);
      return true;
    }));
    VIGIL_RETURN_IF_ERROR(inner_->ScanReports([&](const Report& r) {
      Result<bool> visible = ReportVisible(r);
      if (visible.ok() && *visible) visible_reports.insert(r.report_id);
      return true;
    }));
  }
  int64_t passed = 0;
  VIGIL_RETURN_IF_ERROR(inner_->ScanWatchlistMatches([&](const StoredWatchlistMatch& match) {
    if (visible_entries.count(match.entry_id) == 0) return true;
    if (!visibility->everything()) {
      const auto& records =
          match.source_kind == InputKind::kTravel ? visible_travel : visible_reports;
      if (records.count(match.source_id) == 0) return true;
    }
    ++passed;
    return fn(match);
  }));
  return LogRead(Operation::kReadWatchlist, "scan:watchlist_matches", {}, false,
                 {{"rows", std::to_string(passed)}});
}

Status AccessStore::ScanScreeningMarks(const std::function<bool(const ScreeningMark&)>& fn) {
  VIGIL_RETURN_IF_ERROR(RequireRole(Operation::kReadTravel, "scan:screening_marks"));
  VIGIL_RETURN_IF_ERROR(inner_->ScanScreeningMarks(fn));
  return LogRead(Operation::kReadTravel, "scan:screening_marks", {}, false);
}

// The one watch level of a person (the alert engine's, and the state reviews
// show); a supervisor's review decision writes the same row. set_by is the
// authenticated user (DecidingUser).
Status AccessStore::PutWatchRecord(const WatchRecord& record) {
  VIGIL_ASSIGN_OR_RETURN(Person person, VisiblePerson(Operation::kDecideReview, record.person_id));
  WatchRecord stored = record;
  VIGIL_ASSIGN_OR_RETURN(stored.set_by, DecidingUser(record.set_by));
  return WriteAudited(Operation::kDecideReview, "watch:" + person.person_id, {person.person_id},
                      {{"state", std::to_string(stored.state)}, {"reason", stored.reason}},
                      [&] { return inner_->PutWatchRecord(stored); });
}

Status AccessStore::ScanWatchRecords(const std::function<bool(const WatchRecord&)>& fn) {
  VIGIL_RETURN_IF_ERROR(RequireRole(Operation::kReadPerson, "scan:watch"));
  VIGIL_RETURN_IF_ERROR(LoadPersonCache());
  VIGIL_RETURN_IF_ERROR(inner_->ScanWatchRecords([&](const WatchRecord& record) {
    Result<bool> visible = PersonVisible(record.person_id);
    if (!visible.ok() || !*visible) return true;
    return fn(record);
  }));
  return LogRead(Operation::kReadPerson, "scan:watch", {}, false);
}

Status AccessStore::CommitWatchBatch(const WatchBatch& batch, std::vector<size_t>* fresh) {
  const std::string object = "alerts:raise";
  VIGIL_RETURN_IF_ERROR(RequireRole(Operation::kIngest, object));
  // The engine keeps one state (watermarks, profiles) for every compartment:
  // a run that saw only some of them would skip the rest for good.
  VIGIL_RETURN_IF_ERROR(RequireEveryCompartment(Operation::kIngest, object));
  std::vector<std::string> persons;
  for (const StoredAlert& alert : batch.alerts) {
    if (!alert.person_id.empty()) persons.push_back(alert.person_id);
  }
  std::sort(persons.begin(), persons.end());
  persons.erase(std::unique(persons.begin(), persons.end()), persons.end());
  return WriteAudited(Operation::kIngest, object, std::move(persons),
                      {{"alerts", std::to_string(batch.alerts.size())}},
                      [&] { return inner_->CommitWatchBatch(batch, fresh); });
}

Status AccessStore::ScanAlerts(std::string_view person_id,
                               const std::function<bool(const StoredAlert&)>& fn) {
  VIGIL_RETURN_IF_ERROR(RequireRole(Operation::kReadPerson, "scan:alerts"));
  VIGIL_RETURN_IF_ERROR(LoadPersonCache());
  VIGIL_ASSIGN_OR_RETURN(const RecordVisibility* visibility, Visibility());
  std::vector<std::string> shown;
  VIGIL_RETURN_IF_ERROR(inner_->ScanAlerts(person_id, [&](const StoredAlert& alert) {
    // An alert about no known person (e.g. a traveller matching the list)
    // belongs to the default compartment.
    if (alert.person_id.empty() && !visibility->UnownedVisible({})) return true;
    if (!alert.person_id.empty()) {
      Result<bool> visible = PersonVisible(alert.person_id);
      if (!visible.ok() || !*visible) return true;
      shown.push_back(alert.person_id);
    }
    // The evidence may name other persons ("in PRISON-2 with P12"): those
    // the user may see are logged with the alert's person, the others are
    // withheld from the text.
    StoredAlert copy = alert;
    copy.evidence = RedactPersons(alert.evidence, &shown);
    return fn(copy);
  }));
  std::sort(shown.begin(), shown.end());
  shown.erase(std::unique(shown.begin(), shown.end()), shown.end());
  return LogRead(Operation::kReadPerson, "scan:alerts", std::move(shown), false);
}

Result<std::optional<std::string>> AccessStore::GetWatchState(std::string_view key) {
  VIGIL_RETURN_IF_ERROR(RequireRole(Operation::kReadComms, "watch_state"));
  return inner_->GetWatchState(key);
}

Status AccessStore::ScanCommEdgesAfter(
    int64_t after_row, const std::function<bool(int64_t row, const CommEdge&)>& fn) {
  VIGIL_RETURN_IF_ERROR(RequireRole(Operation::kReadComms, "scan:comms"));
  VIGIL_ASSIGN_OR_RETURN(const RecordVisibility* visibility, Visibility());
  int64_t passed = 0;
  VIGIL_RETURN_IF_ERROR(
      inner_->ScanCommEdgesAfter(after_row, [&](int64_t row, const CommEdge& edge) {
        if (!visibility->CommVisible(edge)) return true;
        ++passed;
        return fn(row, edge);
      }));
  return LogRead(Operation::kReadComms, "scan:comms", {}, false,
                 {{"after_row", std::to_string(after_row)}, {"rows", std::to_string(passed)}});
}

Status AccessStore::PutResolveState(
    const std::vector<std::pair<std::string, std::string_view>>& sections) {
  const std::string object = "resolve_state";
  VIGIL_RETURN_IF_ERROR(RequireRole(Operation::kDecideAttribution, object));
  // The state summarises the comms of every compartment and every later run
  // starts from it: a run that saw only some of them would hide the rest.
  VIGIL_RETURN_IF_ERROR(RequireEveryCompartment(Operation::kDecideAttribution, object));
  size_t bytes = 0;
  for (const auto& section : sections) bytes += section.second.size();
  return WriteAudited(
      Operation::kDecideAttribution, object, {},
      {{"sections", std::to_string(sections.size())}, {"bytes", std::to_string(bytes)}},
      [&] { return inner_->PutResolveState(sections); });
}

Result<int64_t> AccessStore::IngestGeneration() { return inner_->IngestGeneration(); }
Result<int64_t> AccessStore::ChangeGeneration() { return inner_->ChangeGeneration(); }

Result<std::optional<std::string>> AccessStore::GetResolveState(std::string_view name) {
  const std::string object = "resolve_state:" + std::string(name);
  VIGIL_RETURN_IF_ERROR(RequireRole(Operation::kReadComms, object));
  // The saved state summarises comms of every compartment: a user who does
  // not see them all starts from their own comms (as if nothing was saved).
  if (!RecordVisibility::SeesEveryCompartment(context_.principal)) {
    return std::optional<std::string>();
  }
  VIGIL_ASSIGN_OR_RETURN(std::optional<std::string> section, inner_->GetResolveState(name));
  VIGIL_RETURN_IF_ERROR(LogRead(Operation::kReadComms, object, {}, false));
  return section;
}

Status AccessStore::ScanAttributionIds(
    const std::function<bool(int64_t selector_id, const Attribution&)>& fn) {
  VIGIL_RETURN_IF_ERROR(RequireRole(Operation::kReadSelector, "scan:attributions"));
  VIGIL_RETURN_IF_ERROR(LoadPersonCache());
  VIGIL_RETURN_IF_ERROR(
      inner_->ScanAttributionIds([&](int64_t selector_id, const Attribution& attribution) {
        Result<bool> visible = PersonVisible(attribution.person_id);
        if (!visible.ok() || !*visible) return true;
        return fn(selector_id, attribution);
      }));
  return LogRead(Operation::kReadSelector, "scan:attributions", {}, false);
}

Status AccessStore::ScanTravel(const std::function<bool(const TravelRecord&)>& fn) {
  VIGIL_RETURN_IF_ERROR(RequireRole(Operation::kReadTravel, "scan:travel"));
  VIGIL_ASSIGN_OR_RETURN(const RecordVisibility* visibility, Visibility());
  int64_t passed = 0;
  VIGIL_RETURN_IF_ERROR(inner_->ScanTravel([&](const TravelRecord& t) {
    if (!visibility->TravelVisible(t)) return true;
    ++passed;
    return fn(t);
  }));
  return LogRead(Operation::kReadTravel, "scan:travel", {}, false,
                 {{"rows", std::to_string(passed)}});
}

Status AccessStore::ScanReports(const std::function<bool(const Report&)>& fn) {
  VIGIL_RETURN_IF_ERROR(RequireRole(Operation::kReadReports, "scan:reports"));
  VIGIL_RETURN_IF_ERROR(Visibility().status());
  VIGIL_RETURN_IF_ERROR(inner_->ScanReports([&](const Report& r) {
    Result<bool> visible = ReportVisible(r);
    if (!visible.ok() || !*visible) return true;
    return fn(r);
  }));
  return LogRead(Operation::kReadReports, "scan:reports", {}, false);
}

Status AccessStore::ScanCustody(const std::function<bool(const CustodyRecord&)>& fn) {
  VIGIL_RETURN_IF_ERROR(RequireRole(Operation::kReadCustody, "scan:custody"));
  VIGIL_RETURN_IF_ERROR(LoadPersonCache());
  VIGIL_RETURN_IF_ERROR(inner_->ScanCustody([&](const CustodyRecord& c) {
    Result<bool> visible = PersonVisible(c.person_id);
    if (!visible.ok() || !*visible) return true;
    return fn(c);
  }));
  return LogRead(Operation::kReadCustody, "scan:custody", {}, false);
}

Status AccessStore::ScanAttributions(const std::function<bool(const Attribution&)>& fn) {
  VIGIL_RETURN_IF_ERROR(RequireRole(Operation::kReadSelector, "scan:attributions"));
  VIGIL_RETURN_IF_ERROR(LoadPersonCache());
  VIGIL_RETURN_IF_ERROR(inner_->ScanAttributions([&](const Attribution& a) {
    Result<bool> visible = PersonVisible(a.person_id);
    if (!visible.ok() || !*visible) return true;
    return fn(a);
  }));
  return LogRead(Operation::kReadSelector, "scan:attributions", {}, false);
}

// Communications take the compartments of their ends' owners and selectors
// those of their own owners (record_visibility.h). A selector is listed when
// the user sees its owner, when it has none and they hold the default
// compartment, or when it is an end of a communication or the document of a
// travel record they see (the other end of their subject's call). For a user
// who does not see everything that costs one pass over the comms and travel
// records: O(comms + travel) time, O(selectors) memory.
Status AccessStore::ScanSelectors(const std::function<bool(int64_t id, std::string_view)>& fn) {
  VIGIL_RETURN_IF_ERROR(RequireRole(Operation::kReadComms, "scan:selectors"));
  VIGIL_ASSIGN_OR_RETURN(const RecordVisibility* visibility, Visibility());
  if (visibility->everything()) {
    VIGIL_RETURN_IF_ERROR(inner_->ScanSelectors(fn));
    return LogRead(Operation::kReadComms, "scan:selectors", {}, false);
  }
  std::vector<bool> in_visible_comm;
  auto mark = [&](int64_t id) {
    if (id <= 0) return;
    if (static_cast<size_t>(id) >= in_visible_comm.size()) in_visible_comm.resize(id + 1, false);
    in_visible_comm[id] = true;
  };
  VIGIL_RETURN_IF_ERROR(inner_->ScanCommEdges([&](const CommEdge& edge) {
    if (visibility->CommVisible(edge)) {
      mark(edge.src);
      mark(edge.dst);
      mark(edge.device);
    }
    return true;
  }));
  std::unordered_set<std::string> travel_documents;  // unowned, of visible records
  VIGIL_RETURN_IF_ERROR(inner_->ScanTravel([&](const TravelRecord& t) {
    if (!t.document.empty() && !visibility->SelectorOwned(t.document) &&
        visibility->TravelVisible(t)) {
      travel_documents.insert(t.document);
    }
    return true;
  }));
  int64_t passed = 0;
  VIGIL_RETURN_IF_ERROR(inner_->ScanSelectors([&](int64_t id, std::string_view selector) {
    const bool shown = visibility->SelectorVisible(id) ||
                       (static_cast<size_t>(id) < in_visible_comm.size() && in_visible_comm[id]) ||
                       travel_documents.count(std::string(selector)) != 0;
    if (!shown) return true;
    ++passed;
    return fn(id, selector);
  }));
  return LogRead(Operation::kReadComms, "scan:selectors", {}, false,
                 {{"rows", std::to_string(passed)}});
}

Status AccessStore::ScanComms(const CommQuery& query,
                              const std::function<bool(const Communication&)>& fn) {
  VIGIL_RETURN_IF_ERROR(RequireRole(Operation::kReadComms, "comms:query"));
  VIGIL_ASSIGN_OR_RETURN(const RecordVisibility* visibility, Visibility());
  int64_t passed = 0;
  VIGIL_RETURN_IF_ERROR(inner_->ScanComms(query, [&](const Communication& comm) {
    if (!visibility->CommVisible(comm)) return true;
    ++passed;
    return fn(comm);
  }));
  std::vector<std::pair<std::string, std::string>> params;
  for (const std::string& s : query.selectors) params.emplace_back("selector", s);
  if (query.from) params.emplace_back("from", std::to_string(*query.from));
  if (query.to) params.emplace_back("to", std::to_string(*query.to));
  params.emplace_back("rows", std::to_string(passed));
  return LogRead(Operation::kReadComms, "comms:query", {}, false, params);
}

Status AccessStore::ScanCommEdges(const std::function<bool(const CommEdge&)>& fn) {
  VIGIL_RETURN_IF_ERROR(RequireRole(Operation::kReadComms, "scan:comms"));
  VIGIL_ASSIGN_OR_RETURN(const RecordVisibility* visibility, Visibility());
  int64_t passed = 0;
  VIGIL_RETURN_IF_ERROR(inner_->ScanCommEdges([&](const CommEdge& edge) {
    if (!visibility->CommVisible(edge)) return true;
    ++passed;
    return fn(edge);
  }));
  return LogRead(Operation::kReadComms, "scan:comms", {}, false,
                 {{"rows", std::to_string(passed)}});
}

Status AccessStore::CheckIntegrity() {
  VIGIL_RETURN_IF_ERROR(RequireRole(Operation::kCheckIntegrity, "store:integrity"));
  Status status = inner_->CheckIntegrity();
  VIGIL_RETURN_IF_ERROR(LogRead(Operation::kCheckIntegrity, "store:integrity", {}, false));
  return status;
}

std::string AccessStore::RedactPersons(std::string_view text, std::vector<std::string>* mentioned) {
  auto is_id_char = [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.' || c == ':';
  };
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    if (!is_id_char(text[i])) {
      out.push_back(text[i++]);
      continue;
    }
    size_t end = i;
    while (end < text.size() && is_id_char(text[end])) ++end;
    std::string_view token = text.substr(i, end - i);
    // "P12." at the end of a sentence names P12.
    while (!token.empty() && (token.back() == '.' || token.back() == ':')) token.remove_suffix(1);
    auto found = person_compartments_.find(std::string(token));
    if (found != person_compartments_.end()) {
      if (context_.principal.setup || context_.principal.InCompartment(found->second)) {
        mentioned->push_back(found->first);
        out.append(token);
      } else {
        out.append(kWithheldPerson);
      }
      out.append(text.substr(i + token.size(), end - i - token.size()));
    } else {
      out.append(text.substr(i, end - i));
    }
    i = end;
  }
  return out;
}

Result<bool> AccessStore::ReportVisible(const Report& report) {
  if (!report.person_id.empty()) return PersonVisible(report.person_id);
  VIGIL_ASSIGN_OR_RETURN(const RecordVisibility* visibility, Visibility());
  return visibility->UnownedVisible(report.attributes);
}

Result<std::vector<std::string>> AccessStore::PersonsOfMatches(
    const std::vector<StoredWatchlistMatch>& matches) {
  std::unordered_set<std::string> travel_ids;
  std::unordered_set<std::string> report_ids;
  for (const StoredWatchlistMatch& m : matches) {
    (m.source_kind == InputKind::kTravel ? travel_ids : report_ids).insert(m.source_id);
  }
  std::vector<std::string> documents;
  std::vector<std::string> persons;
  if (!travel_ids.empty()) {
    VIGIL_RETURN_IF_ERROR(inner_->ScanTravel([&](const TravelRecord& t) {
      if (travel_ids.count(t.record_id) != 0 && !t.document.empty()) {
        documents.push_back(t.document);
      }
      return true;
    }));
  }
  for (const std::string& document : documents) {
    VIGIL_ASSIGN_OR_RETURN(auto owners, inner_->AttributionsOfSelector(document));
    for (const Attribution& a : owners) {
      if (a.state != AttributionState::kRejected) persons.push_back(a.person_id);
    }
  }
  if (!report_ids.empty()) {
    VIGIL_RETURN_IF_ERROR(inner_->ScanReports([&](const Report& r) {
      if (report_ids.count(r.report_id) != 0 && !r.person_id.empty()) {
        persons.push_back(r.person_id);
      }
      return true;
    }));
  }
  std::sort(persons.begin(), persons.end());
  persons.erase(std::unique(persons.begin(), persons.end()), persons.end());
  return persons;
}

Result<std::vector<std::string>> RevealPersons(Store& store,
                                               std::span<const std::string> person_ids,
                                               std::string_view via) {
  if (auto* access = dynamic_cast<AccessStore*>(&store)) return access->Reveal(person_ids, via);
  return std::vector<std::string>(person_ids.begin(), person_ids.end());
}

Status RecordWrittenFile(Store& store, WrittenFileKind kind, const std::string& path) {
  if (auto* access = dynamic_cast<AccessStore*>(&store)) {
    return access->oversight().RecordWrittenFile(access->context(), kind, path);
  }
  return Status::Ok();
}

}  // namespace vigil
