// The handlers of protective-deployment plans (handlers_protect.cc): each
// runs as the caller through their AccessStore, with the rights and audit
// records of the store's plan calls (access.h: propose_protection_plan to
// store and read, approve_protection_plan and four eyes to approve).
#ifndef VIGIL_SERVER_PROTECT_HANDLERS_H_
#define VIGIL_SERVER_PROTECT_HANDLERS_H_

#include "server/routes.h"

namespace vigil::server {

// Every stored plan with its proposer, approver and headline figures (the
// attacker's utility beside the uniform and value-proportional baselines).
// Cost: O(total size of the stored plans) (each is parsed).
Result<Json> HandleListProtectPlans(HandlerContext& ctx, const ApiRequest& request);
// One plan with the coverage of every target (site and shift). NotFound for
// an unknown id. Cost: O(plan size).
Result<Json> HandleGetProtectPlan(HandlerContext& ctx, const ApiRequest& request);
// Parses the body's rows with the input files' parsers (InvalidArgument
// "sites.jsonl:ROW:FIELD: rule"), validates, solves (protect::Solve) and
// stores the plan as a proposal under the caller. The same plan proposed
// again answers the stored one with stored = false. Cost: protect::Solve's.
Result<Json> HandleProposeProtectPlan(HandlerContext& ctx, const ApiRequest& request);
// Approves a plan as the caller: PermissionDenied (403) for its proposer,
// AlreadyExists for an approved plan, NotFound for an unknown id.
Result<Json> HandleApproveProtectPlan(HandlerContext& ctx, const ApiRequest& request);
// Draws `days` days from an approved plan with libsodium's CSPRNG
// (PermissionDenied for a proposal unless draft=true; its days are marked
// draft). Cost: O(days x protect::SampleDay).
Result<Json> HandleProtectSchedule(HandlerContext& ctx, const ApiRequest& request);

// The route rows of the above (routes.cc calls it).
void AddProtectRoutes(std::vector<Route>& routes);

}  // namespace vigil::server

#endif  // VIGIL_SERVER_PROTECT_HANDLERS_H_
