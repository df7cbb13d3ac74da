#include "server/routes.h"

#include "server/capability_handlers.h"
#include "server/explorer_handlers.h"
#include "server/handlers.h"
#include "server/protect_handlers.h"

namespace vigil::server {
namespace {

ParamSpec P(std::string name, ParamIn in, ParamType type, bool required, std::string description,
            double min = 0, double max = 0, std::vector<std::string> choices = {}) {
  return ParamSpec{std::move(name),        in,  type, required,
                   std::move(description), min, max,  std::move(choices)};
}

constexpr ParamIn kPath = ParamIn::kPath;
constexpr ParamIn kQuery = ParamIn::kQuery;
constexpr ParamIn kBody = ParamIn::kBody;

ParamSpec PersonInPath() { return P("id", kPath, ParamType::kId, true, "person_id"); }
ParamSpec Limit(int64_t fallback, int64_t max) {
  return P("limit", kQuery, ParamType::kInt, false,
           "results kept (default " + std::to_string(fallback) + ")", 1, static_cast<double>(max));
}
std::vector<ParamSpec> Window() {
  return {P("from", kQuery, ParamType::kTime, false, "contacts from (inclusive): time or date"),
          P("to", kQuery, ParamType::kTime, false, "contacts to (exclusive): time or date"),
          P("min_contacts", kQuery, ParamType::kInt, false, "ties with fewer contacts are ignored",
            1, 1e6)};
}
template <typename... More>
std::vector<ParamSpec> With(std::vector<ParamSpec> params, More... more) {
  (params.push_back(std::move(more)), ...);
  return params;
}

// The routes of the capabilities the CLI had and the server lacked (issue 5):
// subject creation, watch levels, changes, cases, watch lists with four
// eyes, resolution, export, engine runs, accounts, retention, checkpoints.
void AddCapabilityRoutes(std::vector<Route>& r) {
  using O = Operation;
  r.push_back({"POST",
               "/v1/persons",
               "Create a person; a subject needs a legal basis and a review date",
               Gate::kRight,
               O::kIngest,
               "person_id",
               "person",
               {P("person_id", kBody, ParamType::kId, true, "the new person's id"),
                P("name", kBody, ParamType::kString, true, "name as written"),
                P("aliases", kBody, ParamType::kString, false, "aliases, |-joined"),
                P("birth_date", kBody, ParamType::kString, false, "YYYY, YYYY-MM or YYYY-MM-DD"),
                P("nationality", kBody, ParamType::kString, false, "ISO 3166-1 alpha-2"),
                P("status", kBody, ParamType::kEnum, false, "default subject", 0, 0,
                  {"subject", "associate", "unknown"}),
                P("compartment", kBody, ParamType::kId, false, "default general"),
                P("legal_basis", kBody, ParamType::kString, false, "required for a subject"),
                P("review_by", kBody, ParamType::kDate, false, "required for a subject")},
               HandleCreatePerson});
  r.push_back({"GET",
               "/v1/persons/{id}/changes",
               "What changed around a person since a time (default: their last review)",
               Gate::kRight,
               O::kReadComms,
               "id",
               "person",
               {PersonInPath(), P("since", kQuery, ParamType::kTime, false, "time or date")},
               HandleChanges});
  r.push_back({"POST",
               "/v1/persons/{id}/watch",
               "Set a person's watch level (active, dormant, closed), with a reason",
               Gate::kRight,
               O::kDecideReview,
               "id",
               "person",
               {PersonInPath(),
                P("level", kBody, ParamType::kEnum, true, "the level", 0, 0,
                  {"active", "dormant", "closed"}),
                P("reason", kBody, ParamType::kString, true, "why (kept with the level)"),
                P("reviewed", kBody, ParamType::kBool, false, "record a review now")},
               HandleSetWatchLevel});
  r.push_back({"GET",
               "/v1/cases",
               "Cases in your compartments, with the persons linked",
               Gate::kRight,
               O::kLinkCase,
               "",
               "",
               {},
               HandleListCases});
  r.push_back({"POST",
               "/v1/cases",
               "Open a case in a compartment",
               Gate::kRight,
               O::kManageCases,
               "case_id",
               "case",
               {P("case_id", kBody, ParamType::kId, true, "the new case's id"),
                P("compartment", kBody, ParamType::kId, true, "its compartment")},
               HandleAddCase});
  r.push_back({"POST",
               "/v1/cases/{case}/links",
               "Link a person to a case with the category of data subject",
               Gate::kRight,
               O::kLinkCase,
               "person_id",
               "person",
               {P("case", kPath, ParamType::kId, true, "case_id"),
                P("person_id", kBody, ParamType::kId, true, "the person"),
                P("category", kBody, ParamType::kEnum, true, "category of data subject", 0, 0,
                  {"suspect", "contact", "witness", "victim", "other"})},
               HandleLinkCase});
  r.push_back({"GET",
               "/v1/watchlist",
               "Watch-list entries you may see",
               Gate::kRight,
               O::kReadWatchlist,
               "",
               "",
               {P("list", kQuery, ParamType::kString, false, "only this list"),
                P("q", kQuery, ParamType::kString, false, "entry id, or text in name or aliases"),
                Limit(1000, 100000)},
               HandleListWatchlist});
  r.push_back({"POST",
               "/v1/watchlist/entries",
               "Add an entry; on a list shared with partners it waits for a second person",
               Gate::kRight,
               O::kProposeWatchlistEntry,
               "entry_id",
               "entry",
               {P("entry_id", kBody, ParamType::kId, true, "the entry's id"),
                P("list", kBody, ParamType::kId, true, "the list"),
                P("name", kBody, ParamType::kString, true, "listed name"),
                P("aliases", kBody, ParamType::kString, false, "aliases, |-joined"),
                P("birth_date", kBody, ParamType::kString, false, "YYYY, YYYY-MM or YYYY-MM-DD"),
                P("nationality", kBody, ParamType::kString, false, "ISO 3166-1 alpha-2"),
                P("reason", kBody, ParamType::kString, false, "reason for listing"),
                P("valid_until", kBody, ParamType::kDate, false, "listed until"),
                P("handling", kBody, ParamType::kEnum, false, "Traffic Light Protocol", 0, 0,
                  {"red", "amber", "green", "clear"}),
                P("compartment", kBody, ParamType::kId, false, "default: the list's")},
               HandleProposeEntry});
  r.push_back({"GET",
               "/v1/watchlist/proposals",
               "Entries awaiting a second person's approval",
               Gate::kRight,
               O::kProposeWatchlistEntry,
               "",
               "",
               {},
               HandlePendingProposals});
  r.push_back({"POST",
               "/v1/watchlist/proposals/{entry_id}/approve",
               "Approve a proposed entry (not its proposer): it joins the list as reviewed",
               Gate::kRight,
               O::kApproveWatchlistEntry,
               "entry_id",
               "entry",
               {P("entry_id", kPath, ParamType::kId, true, "the proposed entry"),
                P("content_hash", kBody, ParamType::kString, true,
                  "the reviewed content's hash (GET /v1/watchlist/proposals); a proposal "
                  "changed since is not approved")},
               HandleApproveEntry});
  r.push_back({"POST",
               "/v1/watchlist/proposals/{entry_id}/refuse",
               "Refuse a proposed entry (not its proposer): it never joins the list",
               Gate::kRight,
               O::kApproveWatchlistEntry,
               "entry_id",
               "entry",
               {P("entry_id", kPath, ParamType::kId, true, "the proposed entry"),
                P("reason", kBody, ParamType::kString, true, "why (its hash is logged)")},
               HandleRefuseEntry});
  r.push_back({"POST",
               "/v1/watchlist/lists/{list}",
               "Set a list's compartment and whether partners share it (four eyes)",
               Gate::kRight,
               O::kConfigureWatchlist,
               "",
               "",
               {P("list", kPath, ParamType::kId, true, "the list"),
                P("compartment", kBody, ParamType::kId, true, "its compartment"),
                P("shared", kBody, ParamType::kBool, false, "shared with partners")},
               HandleConfigureList});
  r.push_back(
      {"POST",
       "/v1/resolve",
       "Propose owners of unattributed selectors, with confidence and evidence "
       "(stores them unless dry_run; needs a user granted every compartment)",
       Gate::kRight,
       O::kDecideAttribution,
       "",
       "",
       {P("min_confidence", kBody, ParamType::kNumber, false,
          "keep proposals at least "
          "this confident",
          0, 1),
        P("dry_run", kBody, ParamType::kBool, false, "store nothing"),
        P("limit", kBody, ParamType::kInt, false, "proposals returned (default 1000)", 1, 1e6)},
       HandleResolve});
  r.push_back({"GET",
               "/v1/network/export",
               "The network for Gephi, Cytoscape or i2: graphml, gexf or csv files",
               Gate::kRight,
               O::kRevealPersons,
               "",
               "",
               {P("format", kQuery, ParamType::kEnum, false, "default graphml", 0, 0,
                  {"graphml", "gexf", "csv"})},
               HandleNetworkExport});
  r.push_back({"POST",
               "/v1/screening/run",
               "Screen new travel and reports against the watch list, and earlier ones "
               "against new entries; store the matches",
               Gate::kRight,
               O::kIngest,
               "",
               "",
               {P("threshold", kBody, ParamType::kNumber, false, "minimum score (0..1)", 0, 1)},
               HandleRunScreening});
  r.push_back({"POST",
               "/v1/alerts/run",
               "Raise alerts on what is new (needs a user granted every compartment)",
               Gate::kRight,
               O::kIngest,
               "",
               "",
               {},
               HandleRunAlerts});
  r.push_back({"GET",
               "/v1/users",
               "Accounts, roles and compartments",
               Gate::kRight,
               O::kManageUsers,
               "",
               "",
               {},
               HandleListUsers});
  r.push_back({"POST",
               "/v1/users",
               "Create an account",
               Gate::kRight,
               O::kManageUsers,
               "",
               "",
               {P("name", kBody, ParamType::kId, true, "user name"),
                P("role", kBody, ParamType::kEnum, true, "role", 0, 0,
                  {"analyst", "supervisor", "auditor", "admin"}),
                P("password", kBody, ParamType::kString, true, "8+ characters"),
                P("compartments", kBody, ParamType::kString, false,
                  "comma-separated; * = every compartment")},
               HandleAddUser});
  const ParamSpec user_in_path = P("name", kPath, ParamType::kId, true, "user name");
  r.push_back({"POST",
               "/v1/users/{name}/password",
               "Set a user's password",
               Gate::kRight,
               O::kManageUsers,
               "",
               "",
               {user_in_path, P("password", kBody, ParamType::kString, true, "8+ characters")},
               HandleSetPassword});
  r.push_back(
      {"POST",
       "/v1/users/{name}/grant",
       "Propose a compartment grant: it takes effect when a second admin approves it",
       Gate::kRight,
       O::kManageUsers,
       "",
       "",
       {user_in_path, P("compartment", kBody, ParamType::kString, true, "compartment; * = all")},
       HandleGrant});
  r.push_back({"GET",
               "/v1/grants/pending",
               "Compartment grants waiting for a second admin",
               Gate::kRight,
               O::kManageUsers,
               "",
               "",
               {},
               HandlePendingGrants});
  r.push_back({"POST",
               "/v1/users/{name}/grant/approve",
               "Approve a waiting grant (not its proposer, not the grantee)",
               Gate::kRight,
               O::kManageUsers,
               "",
               "",
               {user_in_path, P("compartment", kBody, ParamType::kString, true,
                                "the waiting grant's compartment")},
               HandleApproveGrant});
  r.push_back({"POST",
               "/v1/users/{name}/grant/refuse",
               "Drop a waiting grant",
               Gate::kRight,
               O::kManageUsers,
               "",
               "",
               {user_in_path, P("compartment", kBody, ParamType::kString, true,
                                "the waiting grant's compartment")},
               HandleRefuseGrant});
  r.push_back({"POST",
               "/v1/users/{name}/disabled",
               "Disable an account (its sessions end) or enable it again",
               Gate::kRight,
               O::kManageUsers,
               "",
               "",
               {user_in_path, P("disabled", kBody, ParamType::kBool, true, "true: disabled")},
               HandleSetDisabled});
  r.push_back({"POST",
               "/v1/users/{name}/revoke",
               "Revoke a compartment",
               Gate::kRight,
               O::kManageUsers,
               "",
               "",
               {user_in_path, P("compartment", kBody, ParamType::kString, true, "compartment")},
               HandleRevoke});
  r.push_back({"POST",
               "/v1/users/{name}/role",
               "Change a user's role",
               Gate::kRight,
               O::kManageUsers,
               "",
               "",
               {user_in_path, P("role", kBody, ParamType::kEnum, true, "role", 0, 0,
                                {"analyst", "supervisor", "auditor", "admin"})},
               HandleSetRole});
  r.push_back({"POST",
               "/v1/session/password",
               "Change your own password (give the current one again)",
               Gate::kRight,
               O::kReadStatus,
               "",
               "",
               {P("current_password", kBody, ParamType::kString, true, "your password now"),
                P("new_password", kBody, ParamType::kString, true, "8+ characters")},
               HandleChangeOwnPassword});
  r.push_back({"GET",
               "/v1/retention",
               "Retention limits, in days, per category",
               Gate::kRight,
               O::kReadStatus,
               "",
               "",
               {},
               HandleRetentionLimits});
  r.push_back({"POST",
               "/v1/retention/limits",
               "Set a category's retention limit",
               Gate::kRight,
               O::kConfigureRetention,
               "",
               "",
               {P("category", kBody, ParamType::kEnum, true, "category of data subject", 0, 0,
                  {"suspect", "contact", "witness", "victim", "other", "none"}),
                P("days", kBody, ParamType::kInt, true, "days after the clock starts", 1, 36500)},
               HandleSetRetentionLimit});
  r.push_back({"GET",
               "/v1/retention/due",
               "Who is past their retention limit (erases nothing)",
               Gate::kRight,
               O::kApplyRetention,
               "",
               "",
               {},
               HandleRetentionDue});
  r.push_back({"POST",
               "/v1/retention/apply",
               "Erase everyone past their retention limit (each erasure is logged)",
               Gate::kRight,
               O::kApplyRetention,
               "",
               "",
               {},
               HandleApplyRetention});
  r.push_back(
      {"POST",
       "/v1/audit/verify",
       "Check the audit chain against a checkpoint exported earlier (the fields "
       "POST /v1/audit/checkpoint returned, kept outside Vigil)",
       Gate::kRight,
       O::kVerifyAudit,
       "",
       "",
       {P("seq", kBody, ParamType::kInt, true, "checkpoint: record number", 1, 1e15),
        P("hash", kBody, ParamType::kString, true, "checkpoint: that record's hash"),
        P("signed_at", kBody, ParamType::kInt, true, "checkpoint: seconds since 1970", 0, 1e11),
        P("public_key", kBody, ParamType::kString, true, "checkpoint: hex Ed25519 key"),
        P("signature", kBody, ParamType::kString, true, "checkpoint: hex signature"),
        P("mac_from", kBody, ParamType::kInt, false,
          "checkpoint: first record with a MAC (signed checkpoints since schema 9)", 0, 1e15)},
       HandleAuditVerifyCheckpoint});
  r.push_back({"POST",
               "/v1/audit/checkpoint",
               "Sign the audit log's head now; returns the checkpoint file to keep outside Vigil",
               Gate::kRight,
               O::kCheckpointAudit,
               "",
               "",
               {},
               HandleAuditCheckpoint});
}

std::vector<Route> BuildRoutes() {
  using O = Operation;
  std::vector<Route> r;
  r.push_back({"GET", "/healthz", "Liveness: 200 when the server answers", Gate::kPublic});
  r.push_back({"GET", "/openapi.json", "This API's OpenAPI 3 document", Gate::kPublic});
  r.push_back({"POST",
               "/v1/login",
               "Log in: returns a session token and when it expires",
               Gate::kPublic,
               O::kReadStatus,
               "",
               "",
               {P("user", kBody, ParamType::kString, true, "user name"),
                P("password", kBody, ParamType::kString, true, "password")}});
  r.push_back({"POST", std::string(kShareInboxPattern),
               "Partner inbox: a signed envelope from a partner installation; answers with a "
               "signed receipt (no session: the partner's key signature authenticates)",
               Gate::kPublic});
  r.push_back({"POST", "/v1/logout", "End this session", Gate::kSession});
  r.push_back(
      {"GET", "/v1/session", "Who this session is (user, role, compartments)", Gate::kSession});
  r.push_back({"GET",
               "/v1/status",
               "Counts of what the store holds (no personal data)",
               Gate::kRight,
               O::kReadStatus,
               "",
               "",
               {},
               HandleStatus});
  r.push_back(
      {"GET",
       "/v1/persons",
       "Search persons by id, text in a name or alias, an identifier's owners (kind:value), "
       "or a name in any spelling or script (scored, each hit with its explanation)",
       Gate::kRight,
       O::kReadPerson,
       "",
       "",
       {P("q", kQuery, ParamType::kString, true, "text to find"), Limit(50, 1000)},
       HandleSearchPersons});
  r.push_back({"GET",
               "/v1/persons/{id}",
               "A person's dossier: record, selectors, custody, reports, travel, watch-list",
               Gate::kRight,
               O::kReadPerson,
               "id",
               "person",
               {PersonInPath()},
               HandleDossier});
  r.push_back({"GET",
               "/v1/persons/{id}/timeline",
               "Every event of a person and their selectors, in time order",
               Gate::kRight,
               O::kReadComms,
               "id",
               "person",
               {PersonInPath(), P("from", kQuery, ParamType::kTime, false, "from (inclusive)"),
                P("to", kQuery, ParamType::kTime, false, "to (exclusive)"), Limit(1000, 100000)},
               HandleTimeline});
  r.push_back(
      {"GET",
       "/v1/alerts",
       "Raised alerts with their evidence",
       Gate::kRight,
       O::kReadPerson,
       "",
       "",
       {P("person_id", kQuery, ParamType::kId, false, "only this person's alerts"),
        P("since", kQuery, ParamType::kTime, false, "only alerts at or after"),
        P("kind", kQuery, ParamType::kString, false, "only alerts of this kind"),
        P("min_score", kQuery, ParamType::kNumber, false, "only alerts scoring at least", 0, 1e9),
        P("state", kQuery, ParamType::kEnum, false, "only alerts in this triage state", 0, 0,
          {"open", "acknowledged", "assigned", "dismissed", "escalated"}),
        P("assignee", kQuery, ParamType::kId, false, "only alerts assigned to this user"),
        Limit(1000, 100000)},
       HandleAlerts});
  r.push_back(
      {"GET",
       "/v1/rank",
       "People ordered for close watch, each with its factors",
       Gate::kRight,
       O::kRevealPersons,
       "",
       "",
       {P("capacity", kQuery, ParamType::kInt, false, "people kept (default 50)", 1, 1e6),
        P("attackers", kQuery, ParamType::kNodeList, false, "person ids involved in attacks")},
       HandleRank});
  r.push_back({"POST",
               "/v1/screen",
               "Screen posted names against the watch list",
               Gate::kRight,
               O::kReadWatchlist,
               "",
               "",
               {P("names", kBody, ParamType::kNameArray, true,
                  "[{query_id, name, birth_date, nationality}]"),
                P("threshold", kBody, ParamType::kNumber, false, "minimum score (0..1)", 0, 1),
                P("top", kBody, ParamType::kInt, false, "matches per name", 1, 100)},
               HandleScreen});
  r.push_back({"GET", "/v1/network/expand",
               "The wider network around seeds, ranked by tie strength and recency", Gate::kRight,
               O::kRevealPersons, "seeds", "person",
               With(Window(),
                    P("seeds", kQuery, ParamType::kNodeList, true,
                      "comma-separated person ids or selectors"),
                    P("hops", kQuery, ParamType::kInt, false, "ties out (default 2)", 1, 4),
                    Limit(100, 10000)),
               HandleExpand});
  r.push_back({"GET", "/v1/network/path",
               "Shortest path, or with temporal=true the earliest time-respecting one",
               Gate::kRight, O::kRevealPersons, "a", "person",
               With(Window(), P("a", kQuery, ParamType::kNodeList, true, "from"),
                    P("b", kQuery, ParamType::kNodeList, true, "to"),
                    P("temporal", kQuery, ParamType::kBool, false, "time-respecting")),
               HandlePath});
  r.push_back({"GET",
               "/v1/network/communities",
               "Cells and groups",
               Gate::kRight,
               O::kRevealPersons,
               "",
               "",
               {P("resolution", kQuery, ParamType::kNumber, false, "higher: smaller communities",
                  0.01, 100),
                P("weights", kQuery, ParamType::kEnum, false,
                  "evidence (default, as the CLI), contacts or none", 0, 0,
                  {"evidence", "contacts", "none"}),
                P("weighted", kQuery, ParamType::kBool, false, "the same as weights=contacts")},
               HandleCommunities});
  r.push_back(
      {"GET",
       "/v1/network/centrality",
       "Rank by degree, PageRank or betweenness",
       Gate::kRight,
       O::kRevealPersons,
       "",
       "",
       {P("measure", kQuery, ParamType::kEnum, false, "default pagerank", 0, 0,
          {"degree", "pagerank", "betweenness"}),
        P("samples", kQuery, ParamType::kInt, false, "betweenness sources sampled", 1, 4096),
        Limit(50, 100000)},
       HandleCentrality});
  r.push_back({"GET",
               "/v1/network/brokers",
               "Who bridges the seeds (or, without seeds, the communities)",
               Gate::kRight,
               O::kRevealPersons,
               "seeds",
               "person",
               {P("seeds", kQuery, ParamType::kNodeList, false, "person ids or selectors"),
                Limit(20, 1000)},
               HandleBrokers});
  const std::vector<ParamSpec> link_params = {
      P("selector", kBody, ParamType::kString, true, "the selector (kind:value)"),
      P("person_id", kBody, ParamType::kId, true, "the person"),
      P("reason", kBody, ParamType::kString, false, "why (kept with the decision)")};
  r.push_back({"POST", "/v1/links/confirm", "Confirm that a person owns a selector", Gate::kRight,
               O::kDecideAttribution, "person_id", "person", link_params, HandleLinkConfirm});
  r.push_back({"POST", "/v1/links/reject", "Reject a person as a selector's owner", Gate::kRight,
               O::kDecideAttribution, "person_id", "person", link_params, HandleLinkReject});
  r.push_back({"GET",
               "/v1/links/proposals",
               "Proposed owners of selectors awaiting a decision, strongest first, with evidence",
               Gate::kRight,
               O::kDecideAttribution,
               "",
               "",
               {P("person_id", kQuery, ParamType::kId, false, "only this person's proposals"),
                Limit(200, 10000)},
               HandleLinkProposals});
  r.push_back({"GET",
               "/v1/screening/matches",
               "Watch-list matches found by screening travel and reports, with explanations",
               Gate::kRight,
               O::kReadWatchlist,
               "",
               "",
               {Limit(500, 100000)},
               HandleScreeningMatches});
  r.push_back(
      {"POST",
       "/v1/screening/matches/decide",
       "Confirm or dismiss a watch-list match found by screening, with the reason",
       Gate::kRight,
       O::kDecideMatch,
       "key",
       "match",
       {P("key", kBody, ParamType::kString, true,
          "the match's key (travel/RECORD/ENTRY or report/REPORT/ENTRY)"),
        P("decision", kBody, ParamType::kEnum, true, "the decision", 0, 0, {"confirm", "dismiss"}),
        P("reason", kBody, ParamType::kString, true, "why (kept with the decision)")},
       HandleDecideMatch});
  r.push_back({"GET",
               "/v1/reviews",
               "Subjects whose review is due",
               Gate::kRight,
               O::kListReviews,
               "",
               "",
               {P("due_by", kQuery, ParamType::kDate, false, "due on or before (default today)")},
               HandleReviews});
  r.push_back({"POST",
               "/v1/reviews/{id}",
               "Decide a subject's review: end, extend or dormant",
               Gate::kRight,
               O::kDecideReview,
               "id",
               "person",
               {PersonInPath(),
                P("decision", kBody, ParamType::kEnum, true, "the decision", 0, 0,
                  {"end", "extend", "dormant"}),
                P("reason", kBody, ParamType::kString, true, "why"),
                P("until", kBody, ParamType::kDate, false, "next review (extend, dormant)")},
               HandleDecideReview});
  r.push_back(
      {"GET",
       "/v1/audit",
       "Who looked at what, when and why",
       Gate::kRight,
       O::kQueryAudit,
       "",
       "",
       {P("user", kQuery, ParamType::kString, false, "only this user"),
        P("subject", kQuery, ParamType::kId, false, "only records about this person"),
        P("from", kQuery, ParamType::kTime, false, "from (inclusive)"),
        P("to", kQuery, ParamType::kTime, false, "to (exclusive)"),
        P("newest", kQuery, ParamType::kBool, false, "newest first (the last `limit` that match)"),
        Limit(1000, 100000)},
       HandleAuditQuery});
  r.push_back({"GET",
               "/v1/audit/verify",
               "Check the audit chain and its signed checkpoints",
               Gate::kRight,
               O::kVerifyAudit,
               "",
               "",
               {},
               HandleAuditVerify});
  AddCapabilityRoutes(r);
  AddWorkbenchRoutes(r);
  AddProtectRoutes(r);
  return r;
}

// Splits "/a/b" into {"a", "b"}.
std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (start < path.size()) {
    if (path[start] == '/') {
      ++start;
      continue;
    }
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    out.push_back(path.substr(start, end - start));
    start = end;
  }
  return out;
}

bool Matches(const std::string& pattern, std::string_view path,
             std::map<std::string, std::string>* params) {
  const auto want = Segments(pattern);
  const auto have = Segments(path);
  if (want.size() != have.size()) return false;
  std::map<std::string, std::string> found;
  for (size_t i = 0; i < want.size(); ++i) {
    if (want[i].size() > 2 && want[i].front() == '{' && want[i].back() == '}') {
      found[std::string(want[i].substr(1, want[i].size() - 2))] = std::string(have[i]);
    } else if (want[i] != have[i]) {
      return false;
    }
  }
  *params = std::move(found);
  return true;
}

Json SchemaOf(const ParamSpec& spec) {
  switch (spec.type) {
    case ParamType::kInt:
      return Json{{"type", "integer"}, {"minimum", spec.min}, {"maximum", spec.max}};
    case ParamType::kNumber:
      return Json{{"type", "number"}, {"minimum", spec.min}, {"maximum", spec.max}};
    case ParamType::kBool:
      return Json{{"type", "boolean"}};
    case ParamType::kEnum:
      return Json{{"type", "string"}, {"enum", spec.choices}};
    case ParamType::kDate:
      return Json{{"type", "string"}, {"format", "date"}};
    case ParamType::kTime:
      return Json{{"type", "string"}, {"description", "ISO 8601 time or YYYY-MM-DD"}};
    case ParamType::kId:
      return Json{{"type", "string"}, {"pattern", "^[A-Za-z0-9_.:-]{1,64}$"}};
    case ParamType::kNodeList:
      return spec.in == ParamIn::kBody
                 ? Json{{"oneOf", Json::array({Json{{"type", "string"}},
                                               Json{{"type", "array"},
                                                    {"items", Json{{"type", "string"}}}}})}}
                 : Json{{"type", "string"}, {"description", "comma-separated"}};
    case ParamType::kNameArray: {
      Json item = {{"type", "object"},
                   {"required", Json::array({"name"})},
                   {"properties", Json{{"query_id", Json{{"type", "string"}}},
                                       {"name", Json{{"type", "string"}}},
                                       {"birth_date", Json{{"type", "string"}}},
                                       {"nationality", Json{{"type", "string"}}}}}};
      return Json{{"type", "array"}, {"items", item}, {"maxItems", kMaxArrayItems}};
    }
    case ParamType::kDocument:
      return Json{{"type", "object"}};
    case ParamType::kString:
      break;
  }
  return Json{{"type", "string"}, {"maxLength", kMaxStringBytes}};
}

Json OperationOf(const Route& route) {
  Json op = {{"summary", route.summary}};
  if (route.gate == Gate::kRight) {
    op["x-vigil-right"] = OperationName(route.right);
    op["description"] = "Needs the right " + std::string(OperationName(route.right)) +
                        " and a purpose (X-Vigil-Purpose header or `purpose` field)." +
                        (route.object_param.empty()
                             ? ""
                             : " A " + route.object_kind +
                                   " that is missing, outside your compartments or beyond your "
                                   "role gets the same 404.");
  }
  if (route.gate != Gate::kPublic) op["security"] = Json::array({Json{{"bearer", Json::array()}}});
  Json parameters = Json::array();
  Json body_props = Json::object();
  Json body_required = Json::array();
  for (const ParamSpec& spec : route.params) {
    if (spec.in == ParamIn::kBody) {
      Json schema = SchemaOf(spec);
      schema["description"] = spec.description;
      body_props[spec.name] = schema;
      if (spec.required) body_required.push_back(spec.name);
      continue;
    }
    parameters.push_back(Json{{"name", spec.name},
                              {"in", spec.in == ParamIn::kPath ? "path" : "query"},
                              {"required", spec.required},
                              {"description", spec.description},
                              {"schema", SchemaOf(spec)}});
  }
  if (route.gate == Gate::kRight) {
    parameters.push_back(Json{{"name", "X-Vigil-Purpose"},
                              {"in", "header"},
                              {"required", false},
                              {"description", "why you ask (written to the audit log)"},
                              {"schema", Json{{"type", "string"}}}});
  }
  if (!parameters.empty()) op["parameters"] = std::move(parameters);
  if (!body_props.empty()) {
    Json schema = {{"type", "object"}, {"properties", body_props}};
    if (!body_required.empty()) schema["required"] = body_required;
    op["requestBody"] = {{"required", true},
                         {"content", {{"application/json", {{"schema", schema}}}}}};
  }
  const Json error = {{"$ref", "#/components/responses/Error"}};
  op["responses"] = {{"200", {{"description", "OK (JSON)"}}},
                     {"400", error},
                     {"401", error},
                     {"403", error},
                     {"404", error},
                     {"413", error},
                     {"429", error}};
  return op;
}

}  // namespace

const std::vector<Route>& Routes() {
  static const std::vector<Route> routes = BuildRoutes();
  return routes;
}

Result<const Route*> MatchRoute(std::string_view method, std::string_view path,
                                std::map<std::string, std::string>* path_params) {
  bool other_method = false;
  for (const Route& route : Routes()) {
    std::map<std::string, std::string> params;
    if (!Matches(route.pattern, path, &params)) continue;
    if (route.method != method) {
      other_method = true;
      continue;
    }
    *path_params = std::move(params);
    return &route;
  }
  if (other_method) return Status::InvalidArgument("method");
  return Status::NotFound("no route " + std::string(method) + " " + std::string(path));
}

Json ErrorBody(std::string_view code, std::string_view message) {
  return Json{{"error", Json{{"code", code}, {"message", message}}}};
}

Json OpenApiDocument() {
  Json paths = Json::object();
  for (const Route& route : Routes()) {
    std::string method = route.method;
    for (char& c : method) c = static_cast<char>(c - 'A' + 'a');
    paths[route.pattern][method] = OperationOf(route);
  }
  Json error_schema = {
      {"type", "object"},
      {"properties",
       {{"error",
         {{"type", "object"},
          {"properties", {{"code", {{"type", "string"}}}, {"message", {{"type", "string"}}}}}}}}}};
  return Json{{"openapi", "3.0.3"},
              {"info",
               {{"title", "Vigil"},
                {"version", "1"},
                {"description",
                 "JSON over HTTP for what the vigil CLI does. Every call is authorised against the "
                 "user's role and compartments and written to the audit log."}}},
              {"paths", paths},
              {"components",
               {{"securitySchemes", {{"bearer", {{"type", "http"}, {"scheme", "bearer"}}}}},
                {"responses",
                 {{"Error",
                   {{"description", "{\"error\":{\"code\",\"message\"}}"},
                    {"content", {{"application/json", {{"schema", error_schema}}}}}}}}}}}};
}

}  // namespace vigil::server
