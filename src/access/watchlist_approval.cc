// Watch-list configuration and four-eyes approval of entries on lists shared
// with partners: a proposal waits until a supervisor other than its proposer
// approves it; only then does the entry join the list.
#include <nlohmann/json.hpp>

#include "access/oversight_impl.h"
#include "util/hash.h"

namespace vigil {
namespace {

std::string EntryToJson(const WatchlistEntry& e) {
  nlohmann::json attrs = nlohmann::json::array();
  for (const auto& [name, value] : e.attributes) attrs.push_back({name, value});
  nlohmann::json j = {{"entry_id", e.entry_id},
                      {"list", e.list},
                      {"name", e.name},
                      {"aliases", e.aliases},
                      {"birth_date", e.birth_date},
                      {"nationality", e.nationality},
                      {"reason", e.reason},
                      {"valid_until", e.valid_until},
                      {"handling", static_cast<int>(e.handling)},
                      {"attributes", attrs}};
  return j.dump();
}

Result<WatchlistEntry> EntryFromJson(const std::string& text) {
  try {
    const nlohmann::json j = nlohmann::json::parse(text);
    WatchlistEntry e;
    e.entry_id = j.at("entry_id").get<std::string>();
    e.list = j.at("list").get<std::string>();
    e.name = j.at("name").get<std::string>();
    e.aliases = j.at("aliases").get<std::vector<std::string>>();
    e.birth_date = j.at("birth_date").get<std::string>();
    e.nationality = j.at("nationality").get<std::string>();
    e.reason = j.at("reason").get<std::string>();
    e.valid_until = j.at("valid_until").get<std::string>();
    e.handling = static_cast<Handling>(j.at("handling").get<int>());
    for (const auto& pair : j.at("attributes")) {
      e.attributes.emplace_back(pair.at(0).get<std::string>(), pair.at(1).get<std::string>());
    }
    return e;
  } catch (const std::exception& error) {
    return Status::Corruption(std::string("a stored watch-list proposal is unreadable: ") +
                              error.what());
  }
}

}  // namespace

std::string ProposalContentHash(const WatchlistEntry& entry) {
  return HashBytes(EntryToJson(entry));
}

Result<EntryRoute> Oversight::RouteEntry(const RequestContext& context, const WatchlistEntry& entry,
                                         bool create) {
  VIGIL_ASSIGN_OR_RETURN(std::string compartment, EntryCompartment(entry));
  if (Authorize(context.principal, Operation::kProposeWatchlistEntry, compartment) !=
      Decision::kAllow) {
    return Status::PermissionDenied("entry '" + entry.entry_id + "': not in your compartments");
  }
  const Status taken = Status::AlreadyExists(IdTakenMessage("entry", entry.entry_id));
  VIGIL_ASSIGN_OR_RETURN(WatchlistListConfig config, ListConfig(entry.list));
  bool shared = config.shared;
  Result<WatchlistEntry> existing = impl_->store->GetWatchlistEntry(entry.entry_id);
  if (!existing.ok() && !existing.status().IsNotFound()) return existing.status();
  if (existing.ok()) {
    if (create) return taken;
    VIGIL_ASSIGN_OR_RETURN(std::string replaced, EntryCompartment(*existing));
    if (Authorize(context.principal, Operation::kProposeWatchlistEntry, replaced) !=
        Decision::kAllow) {
      return taken;
    }
    VIGIL_ASSIGN_OR_RETURN(WatchlistListConfig old_list, ListConfig(existing->list));
    shared = shared || old_list.shared;
  }
  VIGIL_ASSIGN_OR_RETURN(sqlite::Stmt stmt,
                         sqlite::Prepare(impl_->db,
                                         "SELECT entry_json, proposed_by FROM "
                                         "watchlist_proposals WHERE entry_id = ?1"));
  stmt.BindText(1, entry.entry_id);
  VIGIL_ASSIGN_OR_RETURN(bool pending, stmt.Step());
  if (pending) {
    if (stmt.ColumnText(1) != context.principal.user) return taken;
    VIGIL_ASSIGN_OR_RETURN(WatchlistEntry proposed, EntryFromJson(std::string(stmt.ColumnText(0))));
    VIGIL_ASSIGN_OR_RETURN(std::string proposed_in, EntryCompartment(proposed));
    if (Authorize(context.principal, Operation::kProposeWatchlistEntry, proposed_in) !=
        Decision::kAllow) {
      return taken;
    }
    // The user's own proposal is re-submitted: it stays a proposal.
    shared = true;
  }
  return shared ? EntryRoute::kPropose : EntryRoute::kList;
}

Status Oversight::ConfigureList(const RequestContext& context, std::string_view list,
                                std::string_view compartment, bool shared) {
  const std::string object = "list:" + std::string(list);
  VIGIL_RETURN_IF_ERROR(Require(context, Operation::kConfigureWatchlist, "", object));
  return InTransaction([&](std::vector<AuditRecord>& records) -> Status {
    VIGIL_ASSIGN_OR_RETURN(sqlite::Stmt upsert,
                           sqlite::Prepare(impl_->db,
                                           "INSERT OR REPLACE INTO watchlist_lists(list, "
                                           "compartment, shared) VALUES (?1, ?2, ?3)"));
    upsert.BindText(1, list);
    upsert.BindText(2, compartment.empty() ? kDefaultCompartment : compartment);
    upsert.BindInt(3, shared ? 1 : 0);
    VIGIL_RETURN_IF_ERROR(upsert.Run());
    records.push_back(
        MakeRecord(context, OperationName(Operation::kConfigureWatchlist), object, {}, false,
                   {{"compartment", std::string(compartment)}, {"shared", shared ? "1" : "0"}}));
    return Status::Ok();
  });
}

Result<WatchlistListConfig> Oversight::ListConfig(std::string_view list) {
  VIGIL_ASSIGN_OR_RETURN(sqlite::Stmt stmt,
                         sqlite::Prepare(impl_->db,
                                         "SELECT compartment, shared FROM watchlist_lists "
                                         "WHERE list = ?1"));
  stmt.BindText(1, list);
  WatchlistListConfig config;
  config.list = std::string(list);
  config.compartment = std::string(kDefaultCompartment);
  VIGIL_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
  if (has_row) {
    config.compartment = std::string(stmt.ColumnText(0));
    config.shared = stmt.ColumnInt(1) != 0;
  }
  return config;
}

Result<std::string> Oversight::EntryCompartment(const WatchlistEntry& entry) {
  for (const auto& [name, value] : entry.attributes) {
    if (name == "x_compartment" && !value.empty()) return value;
  }
  VIGIL_ASSIGN_OR_RETURN(WatchlistListConfig config, ListConfig(entry.list));
  return config.compartment;
}

Status Oversight::AddProposal(const RequestContext& context, const WatchlistEntry& entry) {
  // Replaces only a proposal of the same user; another's is never overwritten.
  VIGIL_ASSIGN_OR_RETURN(
      sqlite::Stmt insert,
      sqlite::Prepare(impl_->db,
                      "INSERT INTO watchlist_proposals(entry_id, list, entry_json, proposed_by, "
                      "proposed_at) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(entry_id) DO UPDATE "
                      "SET list = excluded.list, entry_json = excluded.entry_json, "
                      "proposed_at = excluded.proposed_at "
                      "WHERE watchlist_proposals.proposed_by = excluded.proposed_by"));
  insert.BindText(1, entry.entry_id);
  insert.BindText(2, entry.list);
  insert.BindText(3, EntryToJson(entry));
  insert.BindText(4, context.principal.user);
  insert.BindInt(5, clock_->Now());
  VIGIL_RETURN_IF_ERROR(insert.Run());
  if (sqlite3_changes(impl_->db) != 1) {
    return Status::AlreadyExists(IdTakenMessage("entry", entry.entry_id));
  }
  return Status::Ok();
}

Result<bool> Oversight::ProposeEntry(const RequestContext& context, const WatchlistEntry& entry) {
  const std::string object = "entry:" + entry.entry_id;
  VIGIL_RETURN_IF_ERROR(ValidateId(entry.entry_id));
  if (entry.list.empty() || entry.name.empty()) {
    return Status::InvalidArgument("a watch-list entry needs a list and a name");
  }
  VIGIL_RETURN_IF_ERROR(RequireRole(context, Operation::kProposeWatchlistEntry, object));
  VIGIL_ASSIGN_OR_RETURN(std::string compartment, EntryCompartment(entry));
  VIGIL_RETURN_IF_ERROR(Require(context, Operation::kProposeWatchlistEntry, compartment, object));
  // The route is decided again inside the write transaction below, so that
  // an id taken meanwhile is not overwritten.
  Result<EntryRoute> route = RouteEntry(context, entry, /*create=*/true);
  if (!route.ok()) {
    if (route.status().code() == Status::Code::kAlreadyExists) {
      VIGIL_RETURN_IF_ERROR(
          LogAction(MakeRecord(context, OperationName(Operation::kProposeWatchlistEntry), object,
                               {}, true, {{"list", entry.list}})));
    }
    return route.status();
  }
  if (*route == EntryRoute::kPropose) {
    VIGIL_RETURN_IF_ERROR(InTransaction([&](std::vector<AuditRecord>& records) -> Status {
      VIGIL_ASSIGN_OR_RETURN(EntryRoute again, RouteEntry(context, entry, /*create=*/true));
      if (again != EntryRoute::kPropose) {
        return Status::AlreadyExists(IdTakenMessage("entry", entry.entry_id));
      }
      VIGIL_RETURN_IF_ERROR(AddProposal(context, entry));
      records.push_back(
          MakeRecord(context, OperationName(Operation::kProposeWatchlistEntry), object, {}, false,
                     {{"list", entry.list}, {"content_hash", ProposalContentHash(entry)}}));
      return Status::Ok();
    }));
    return false;
  }
  // An unshared list takes the entry at once, through the store's writer.
  VIGIL_RETURN_IF_ERROR(FlushReads());
  SourceFile file;
  file.path = "proposal:" + entry.entry_id;
  file.kind = InputKind::kWatchlist;
  file.content_hash = HashBytes(EntryToJson(entry) + context.principal.user +
                                std::to_string(clock_->Now()) + "direct");
  VIGIL_ASSIGN_OR_RETURN(auto writer, impl_->store->BeginIngest(file));
  VIGIL_ASSIGN_OR_RETURN(EntryRoute again, RouteEntry(context, entry, /*create=*/true));
  if (again != EntryRoute::kList) {
    return Status::AlreadyExists(IdTakenMessage("entry", entry.entry_id));
  }
  VIGIL_RETURN_IF_ERROR(writer->Put(entry));
  std::vector<AuditRecord> records = {
      MakeRecord(context, OperationName(Operation::kProposeWatchlistEntry), object, {}, false,
                 {{"list", entry.list}, {"approved", "unshared"}})};
  SetCommitAudit(&records);
  Status status = writer->Commit(1);
  SetCommitAudit(nullptr);
  VIGIL_RETURN_IF_ERROR(status);
  return true;
}

Result<WatchlistEntry> Oversight::ProposalToDecide(const RequestContext& context,
                                                   std::string_view entry_id,
                                                   std::string* proposer) {
  const std::string object = "entry:" + std::string(entry_id);
  const std::string action(OperationName(Operation::kApproveWatchlistEntry));
  VIGIL_RETURN_IF_ERROR(RequireRole(context, Operation::kApproveWatchlistEntry, object));
  VIGIL_ASSIGN_OR_RETURN(sqlite::Stmt stmt,
                         sqlite::Prepare(impl_->db,
                                         "SELECT entry_json, proposed_by FROM "
                                         "watchlist_proposals WHERE entry_id = ?1"));
  stmt.BindText(1, entry_id);
  VIGIL_ASSIGN_OR_RETURN(bool found, stmt.Step());
  if (!found) {
    stmt.Reset();
    VIGIL_RETURN_IF_ERROR(LogAction(MakeRecord(context, action, object, {}, true)));
    return Status::NotFound(NotVisibleMessage("entry", entry_id));
  }
  VIGIL_ASSIGN_OR_RETURN(WatchlistEntry entry, EntryFromJson(std::string(stmt.ColumnText(0))));
  *proposer = std::string(stmt.ColumnText(1));
  stmt.Reset();
  VIGIL_ASSIGN_OR_RETURN(std::string compartment, EntryCompartment(entry));
  VIGIL_RETURN_IF_ERROR(Require(context, Operation::kApproveWatchlistEntry, compartment, object));
  if (*proposer == context.principal.user) {
    VIGIL_RETURN_IF_ERROR(
        LogAction(MakeRecord(context, action, object, {}, true, {{"rule", "four-eyes"}})));
    return Status::PermissionDenied("four eyes: '" + *proposer +
                                    "' proposed this entry and cannot also decide on it");
  }
  return entry;
}

Status Oversight::ApproveEntry(const RequestContext& context, std::string_view entry_id,
                               std::string_view content_hash) {
  const std::string object = "entry:" + std::string(entry_id);
  std::string proposer;
  VIGIL_ASSIGN_OR_RETURN(WatchlistEntry entry, ProposalToDecide(context, entry_id, &proposer));
  // The approval binds the content that was reviewed: a proposal changed
  // since (re-submitted by its proposer) is not approved as the new content.
  const std::string current = ProposalContentHash(entry);
  if (current != content_hash) {
    VIGIL_RETURN_IF_ERROR(LogAction(
        MakeRecord(context, OperationName(Operation::kApproveWatchlistEntry), object, {}, true,
                   {{"rule", "content-hash"}, {"content_hash", std::string(content_hash)}})));
    return Status::InvalidArgument(
        "entry '" + std::string(entry_id) + "': the approval names content hash '" +
        std::string(content_hash) + "' but the proposal's is '" + current +
        "' (it changed, or the hash is wrong): review it "
        "again (watchlist pending)");
  }
  VIGIL_RETURN_IF_ERROR(FlushReads());
  SourceFile file;
  file.path = "approval:" + entry.entry_id;
  file.kind = InputKind::kWatchlist;
  file.content_hash = HashBytes(EntryToJson(entry) + proposer + context.principal.user +
                                std::to_string(clock_->Now()) + "approved");
  VIGIL_ASSIGN_OR_RETURN(auto writer, impl_->store->BeginIngest(file));
  VIGIL_RETURN_IF_ERROR(writer->Put(entry));
  std::vector<AuditRecord> records = {
      MakeRecord(context, OperationName(Operation::kApproveWatchlistEntry), object, {}, false,
                 {{"list", entry.list}, {"proposed_by", proposer}, {"content_hash", current}})};
  // The proposal leaves, and the approval is logged, in the entry's transaction.
  impl_->store->set_commit_hook([&]() -> Status {
    VIGIL_ASSIGN_OR_RETURN(
        sqlite::Stmt remove,
        sqlite::Prepare(impl_->db, "DELETE FROM watchlist_proposals WHERE entry_id = ?1"));
    remove.BindText(1, entry_id);
    VIGIL_RETURN_IF_ERROR(remove.Run());
    return AppendInOpenTransaction(records);
  });
  Status status = writer->Commit(1);
  SetCommitAudit(nullptr);
  return status;
}

Status Oversight::RefuseEntry(const RequestContext& context, std::string_view entry_id,
                              std::string_view reason) {
  const std::string object = "entry:" + std::string(entry_id);
  const std::string action(OperationName(Operation::kApproveWatchlistEntry));
  std::string proposer;
  VIGIL_ASSIGN_OR_RETURN(WatchlistEntry entry, ProposalToDecide(context, entry_id, &proposer));
  return InTransaction([&](std::vector<AuditRecord>& records) -> Status {
    VIGIL_ASSIGN_OR_RETURN(
        sqlite::Stmt remove,
        sqlite::Prepare(impl_->db, "DELETE FROM watchlist_proposals WHERE entry_id = ?1"));
    remove.BindText(1, entry_id);
    VIGIL_RETURN_IF_ERROR(remove.Run());
    records.push_back(MakeRecord(context, action, object, {}, false,
                                 {{"list", entry.list},
                                  {"proposed_by", proposer},
                                  {"decision", "refused"},
                                  {"reason", std::string(reason)}}));
    return Status::Ok();
  });
}

Result<std::vector<WatchlistProposal>> Oversight::PendingProposals(const RequestContext& context) {
  VIGIL_RETURN_IF_ERROR(RequireRole(context, Operation::kProposeWatchlistEntry, "entry:*"));
  VIGIL_ASSIGN_OR_RETURN(sqlite::Stmt stmt,
                         sqlite::Prepare(impl_->db,
                                         "SELECT entry_id, list, entry_json, proposed_by, "
                                         "proposed_at FROM watchlist_proposals ORDER BY "
                                         "proposed_at, entry_id"));
  std::vector<std::pair<WatchlistProposal, std::string>> rows;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) break;
    WatchlistProposal p;
    p.entry_id = std::string(stmt.ColumnText(0));
    p.list = std::string(stmt.ColumnText(1));
    p.proposed_by = std::string(stmt.ColumnText(3));
    p.proposed_at = stmt.ColumnInt(4);
    rows.emplace_back(std::move(p), std::string(stmt.ColumnText(2)));
  }
  std::vector<WatchlistProposal> out;
  for (auto& [proposal, json] : rows) {
    VIGIL_ASSIGN_OR_RETURN(WatchlistEntry entry, EntryFromJson(json));
    VIGIL_ASSIGN_OR_RETURN(std::string compartment, EntryCompartment(entry));
    if (Authorize(context.principal, Operation::kProposeWatchlistEntry, compartment) ==
        Decision::kAllow) {
      proposal.content_hash = ProposalContentHash(entry);
      proposal.entry = std::move(entry);
      out.push_back(std::move(proposal));
    }
  }
  return out;
}

}  // namespace vigil
