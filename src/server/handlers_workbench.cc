// Alert triage and saved investigations over the caller's AccessStore, and
// the route rows of the workbench (explorer_handlers.h).
#include "server/explorer_handlers.h"

namespace vigil::server {
namespace {

Json TriageJson(const AlertTriage& triage) {
  Json out = {{"key", triage.key},
              {"state", std::string(AlertStateName(triage.state))},
              {"decided_by", triage.decided_by},
              {"decided_at", FormatTime(triage.decided_at)}};
  if (!triage.assignee.empty()) out["assignee"] = triage.assignee;
  if (!triage.case_id.empty()) out["case_id"] = triage.case_id;
  if (!triage.reason.empty()) out["reason"] = triage.reason;
  return out;
}

// Records one decision and answers with the alert's new state.
Result<Json> Decide(HandlerContext& ctx, const ApiRequest& request, AlertState state) {
  AlertTriage triage;
  triage.key = request.String("key");
  triage.state = state;
  triage.reason = request.String("reason");
  triage.assignee = request.String("assignee");
  triage.case_id = request.String("case");
  VIGIL_RETURN_IF_ERROR(ctx.store.PutAlertTriage(triage));
  Json last;
  VIGIL_RETURN_IF_ERROR(ctx.store.ScanAlertTriageHistory(triage.key, [&](const AlertTriage& t) {
    last = TriageJson(t);
    return true;
  }));
  return last;
}

Json CanvasJson(const Canvas& canvas, bool with_document) {
  Json out = {{"case_id", canvas.case_id},
              {"compartment", canvas.compartment},
              {"name", canvas.name},
              {"version", canvas.version},
              {"withheld", canvas.withheld},
              {"created_by", canvas.created_by},
              {"created_at", FormatTime(canvas.created_at)},
              {"updated_by", canvas.updated_by},
              {"updated_at", FormatTime(canvas.updated_at)}};
  if (with_document) {
    out["document"] = Json::parse(canvas.document, nullptr, /*allow_exceptions=*/false);
  }
  return out;
}

}  // namespace

Result<Json> HandleAcknowledgeAlert(HandlerContext& ctx, const ApiRequest& request) {
  return Decide(ctx, request, AlertState::kAcknowledged);
}
Result<Json> HandleAssignAlert(HandlerContext& ctx, const ApiRequest& request) {
  return Decide(ctx, request, AlertState::kAssigned);
}
Result<Json> HandleDismissAlert(HandlerContext& ctx, const ApiRequest& request) {
  return Decide(ctx, request, AlertState::kDismissed);
}
Result<Json> HandleEscalateAlert(HandlerContext& ctx, const ApiRequest& request) {
  return Decide(ctx, request, AlertState::kEscalated);
}
Result<Json> HandleReopenAlert(HandlerContext& ctx, const ApiRequest& request) {
  return Decide(ctx, request, AlertState::kOpen);
}

Result<Json> HandleAlertHistory(HandlerContext& ctx, const ApiRequest& request) {
  const std::string key = request.String("key");
  // The alert itself first: missing and hidden are the same 404.
  VIGIL_RETURN_IF_ERROR(ctx.store.GetAlert(key).status());
  Json decisions = Json::array();
  VIGIL_RETURN_IF_ERROR(ctx.store.ScanAlertTriageHistory(key, [&](const AlertTriage& t) {
    decisions.push_back(TriageJson(t));
    return true;
  }));
  return Json{{"key", key}, {"decisions", std::move(decisions)}};
}

// The case a canvas route names: its path's id, and the compartment when
// the caller gives one (needed only when several of theirs hold that id).
CaseRef CaseOf(const ApiRequest& request) {
  return CaseRef{request.String("compartment"), request.String("case")};
}

Result<Json> HandleListCanvases(HandlerContext& ctx, const ApiRequest& request) {
  Json out = Json::array();
  VIGIL_RETURN_IF_ERROR(ctx.store.ScanCanvases(CaseOf(request), [&](const Canvas& c) {
    out.push_back(CanvasJson(c, false));
    return true;
  }));
  return Json{{"canvases", std::move(out)}};
}

Result<Json> HandleGetCanvas(HandlerContext& ctx, const ApiRequest& request) {
  VIGIL_ASSIGN_OR_RETURN(Canvas canvas,
                         ctx.store.GetCanvas(CaseOf(request), request.String("name")));
  return CanvasJson(canvas, true);
}

Result<Json> HandleSaveCanvas(HandlerContext& ctx, const ApiRequest& request) {
  Canvas canvas;
  canvas.case_id = request.String("case");
  canvas.compartment = request.String("compartment");
  canvas.name = request.String("name");
  canvas.document = request.Raw("document").dump();
  const int64_t expected = request.Int("version", 0);
  VIGIL_ASSIGN_OR_RETURN(int64_t version, ctx.store.PutCanvas(canvas, expected));
  return Json{{"case_id", canvas.case_id}, {"name", canvas.name}, {"version", version}};
}

Result<Json> HandleDeleteCanvas(HandlerContext& ctx, const ApiRequest& request) {
  VIGIL_RETURN_IF_ERROR(
      ctx.store.DeleteCanvas(CaseOf(request), request.String("name"), request.Int("version", 0)));
  return Json{{"deleted", true}};
}

void AddWorkbenchRoutes(std::vector<Route>& r) {
  using O = Operation;
  auto p = [](std::string name, ParamIn in, ParamType type, bool required, std::string description,
              double min = 0, double max = 0) {
    return ParamSpec{std::move(name), in, type, required, std::move(description), min, max, {}};
  };
  const ParamIn query = ParamIn::kQuery, body = ParamIn::kBody, path = ParamIn::kPath;
  const std::vector<ParamSpec> window = {
      p("from", query, ParamType::kTime, false, "ties with contacts from (inclusive)"),
      p("to", query, ParamType::kTime, false, "ties with contacts before (exclusive)"),
      p("min_contacts", query, ParamType::kInt, false, "ties with fewer contacts are left out", 1,
        1e6),
      p("kinds", query, ParamType::kString, false,
        "comma-separated: call, message, comm, co_travel, custody, report, handset (default all)"),
      p("activity", query, ParamType::kBool, false, "contacts per day of each tie")};
  auto with = [&](std::vector<ParamSpec> params, std::vector<ParamSpec> more) {
    params.insert(params.end(), more.begin(), more.end());
    return params;
  };
  auto body_window = [&](std::vector<ParamSpec> params) {
    for (ParamSpec spec : window) {
      spec.in = body;
      params.push_back(std::move(spec));
    }
    return params;
  };
  r.push_back({"GET", "/v1/network/neighbours",
               "Neighbour counts of nodes by kind of tie, before expanding them", Gate::kRight,
               O::kRevealPersons, "nodes", "person",
               with(window, {p("nodes", query, ParamType::kNodeList, true,
                               "comma-separated person ids or selectors")}),
               HandleNeighbourCounts});
  r.push_back({"GET", "/v1/network/neighbourhood",
               "One node's neighbours (strongest first; the rest counted as more) with the ties "
               "among them, communities, brokers and proposed owners of selectors",
               Gate::kRight, O::kRevealPersons, "node", "person",
               with(window, {p("node", query, ParamType::kNodeList, true, "person id or selector"),
                             p("limit", query, ParamType::kInt, false,
                               "neighbours shown (default 50)", 1, 10000),
                             p("columns", query, ParamType::kBool, false,
                               "the same reply in columns: nodes and ties as parallel arrays, "
                               "ties naming nodes by index, times in seconds (a fifth of the "
                               "bytes for a large neighbourhood)")}),
               HandleNeighbourhood});
  r.push_back({"POST", "/v1/network/ties",
               "The ties among the nodes of a view, with kinds, first and last contact and "
               "(activity) contacts per day; nodes not in your graph are left out",
               Gate::kRight, O::kRevealPersons, "", "",
               body_window({p("nodes", body, ParamType::kNodeList, true, "the view's nodes")}),
               HandleTies});
  r.push_back({"POST", "/v1/network/export/view",
               "A view's nodes and the ties among them for Gephi, Cytoscape or i2 (graphml, gexf "
               "or csv), logged like the network export",
               Gate::kRight, O::kRevealPersons, "", "",
               body_window({p("nodes", body, ParamType::kNodeList, true, "the view's nodes"),
                            ParamSpec{"format",
                                      body,
                                      ParamType::kEnum,
                                      false,
                                      "default graphml",
                                      0,
                                      0,
                                      {"graphml", "gexf", "csv"}}}),
               HandleExportView});
  r.push_back(
      {"POST",
       "/v1/network/export/record",
       "Log a view exported as a picture in the browser (png or svg) like the network "
       "export, before the file is made; answers the nodes you may see",
       Gate::kRight,
       O::kRevealPersons,
       "",
       "",
       {p("nodes", body, ParamType::kNodeList, true, "the view's nodes"),
        ParamSpec{
            "format", body, ParamType::kEnum, true, "the picture's format", 0, 0, {"png", "svg"}}},
       HandleRecordViewExport});
  const ParamSpec key = p("key", body, ParamType::kString, true, "the alert's key");
  const ParamSpec reason = p("reason", body, ParamType::kString, false, "why (kept with it)");
  r.push_back({"POST",
               "/v1/alerts/acknowledge",
               "Acknowledge an alert",
               Gate::kRight,
               O::kTriageAlert,
               "key",
               "alert",
               {key, reason},
               HandleAcknowledgeAlert});
  r.push_back({"POST",
               "/v1/alerts/assign",
               "Assign an alert to an analyst who may see it",
               Gate::kRight,
               O::kTriageAlert,
               "key",
               "alert",
               {key, p("assignee", body, ParamType::kId, true, "user name"), reason},
               HandleAssignAlert});
  r.push_back({"POST",
               "/v1/alerts/dismiss",
               "Dismiss an alert, with the reason (kept for evaluation)",
               Gate::kRight,
               O::kTriageAlert,
               "key",
               "alert",
               {key, p("reason", body, ParamType::kString, true, "why it is dismissed")},
               HandleDismissAlert});
  r.push_back({"POST",
               "/v1/alerts/escalate",
               "Escalate an alert to a case",
               Gate::kRight,
               O::kTriageAlert,
               "key",
               "alert",
               {key, p("case", body, ParamType::kId, true, "case_id"), reason},
               HandleEscalateAlert});
  r.push_back({"POST",
               "/v1/alerts/reopen",
               "Reopen an alert",
               Gate::kRight,
               O::kTriageAlert,
               "key",
               "alert",
               {key, reason},
               HandleReopenAlert});
  r.push_back({"GET",
               "/v1/alerts/history",
               "Every triage decision about an alert, oldest first",
               Gate::kRight,
               O::kReadPerson,
               "key",
               "alert",
               {p("key", query, ParamType::kString, true, "the alert's key")},
               HandleAlertHistory});
  const ParamSpec case_in_path = p("case", path, ParamType::kId, true, "case_id");
  const ParamSpec name_in_path = p("name", path, ParamType::kId, true, "the canvas's name");
  const std::string which = "the case's compartment, when several of yours hold that case id";
  const ParamSpec compartment_in_query = p("compartment", query, ParamType::kId, false, which);
  const ParamSpec compartment_in_body = p("compartment", body, ParamType::kId, false, which);
  r.push_back({"GET",
               "/v1/cases/{case}/canvases",
               "The saved investigations of a case (withheld: part of one is not yours to see)",
               Gate::kRight,
               O::kLinkCase,
               "case",
               "case",
               {case_in_path, compartment_in_query},
               HandleListCanvases});
  r.push_back({"GET",
               "/v1/cases/{case}/canvases/{name}",
               "A saved investigation as you may see it (withheld: some of it is not shown)",
               Gate::kRight,
               O::kLinkCase,
               "case",
               "case",
               {case_in_path, name_in_path, compartment_in_query},
               HandleGetCanvas});
  r.push_back(
      {"POST",
       "/v1/cases/{case}/canvases/{name}",
       "Save a canvas: version 0 creates it, else the version you read (a stale one "
       "gets 409); what was withheld from you is kept",
       Gate::kRight,
       O::kLinkCase,
       "case",
       "case",
       {case_in_path, name_in_path, compartment_in_body,
        p("document", body, ParamType::kDocument, true,
          "{nodes:[{id,kind,x,y,...}], edges:[{source,target}], groups:[{id,members}], "
          "notes:[{id,text,node?}]}"),
        p("version", body, ParamType::kInt, false, "the version you read (0: create)", 0, 1e15)},
       HandleSaveCanvas});
  r.push_back({"POST",
               "/v1/cases/{case}/canvases/{name}/delete",
               "Delete a canvas at the version you read",
               Gate::kRight,
               O::kLinkCase,
               "case",
               "case",
               {case_in_path, name_in_path, compartment_in_body,
                p("version", body, ParamType::kInt, true, "the version you read", 1, 1e15)},
               HandleDeleteCanvas});
}

}  // namespace vigil::server
