// The handlers of the analyst's workbench: the network explorer's questions
// (handlers_explorer.cc), alert triage and saved investigations
// (handlers_workbench.cc). Each runs as the caller through their
// AccessStore: the same checks and audit records as the library calls they
// wrap (access.h). Costs are those of the calls each wraps.
#ifndef VIGIL_SERVER_EXPLORER_HANDLERS_H_
#define VIGIL_SERVER_EXPLORER_HANDLERS_H_

#include "server/routes.h"

namespace vigil::server {

// Network explorer (handlers_explorer.cc).
Result<Json> HandleNeighbourCounts(HandlerContext& ctx, const ApiRequest& request);
Result<Json> HandleNeighbourhood(HandlerContext& ctx, const ApiRequest& request);
Result<Json> HandleTies(HandlerContext& ctx, const ApiRequest& request);
Result<Json> HandleExportView(HandlerContext& ctx, const ApiRequest& request);
// A view drawn and exported in the browser (PNG or SVG): logs the persons in
// it like the network export (one read record, "reveal:network export view
// png|svg") and answers how many of the nodes asked the caller may see;
// the browser makes the file only after this answer. O(nodes) plus one
// audit record.
Result<Json> HandleRecordViewExport(HandlerContext& ctx, const ApiRequest& request);

// Alert triage (handlers_workbench.cc).
Result<Json> HandleAcknowledgeAlert(HandlerContext& ctx, const ApiRequest& request);
Result<Json> HandleAssignAlert(HandlerContext& ctx, const ApiRequest& request);
Result<Json> HandleDismissAlert(HandlerContext& ctx, const ApiRequest& request);
Result<Json> HandleEscalateAlert(HandlerContext& ctx, const ApiRequest& request);
Result<Json> HandleReopenAlert(HandlerContext& ctx, const ApiRequest& request);
Result<Json> HandleAlertHistory(HandlerContext& ctx, const ApiRequest& request);

// Saved investigations (handlers_workbench.cc).
Result<Json> HandleListCanvases(HandlerContext& ctx, const ApiRequest& request);
Result<Json> HandleGetCanvas(HandlerContext& ctx, const ApiRequest& request);
Result<Json> HandleSaveCanvas(HandlerContext& ctx, const ApiRequest& request);
Result<Json> HandleDeleteCanvas(HandlerContext& ctx, const ApiRequest& request);

// The route rows of all of the above (routes.cc calls it).
void AddWorkbenchRoutes(std::vector<Route>& routes);

}  // namespace vigil::server

#endif  // VIGIL_SERVER_EXPLORER_HANDLERS_H_
