// RecordLinkDecision: an analyst confirms or rejects a (selector, person) pair.
#include "vigil/resolve.h"

namespace vigil {

Status RecordLinkDecision(Store& store, const LinkDecision& decision) {
  VIGIL_RETURN_IF_ERROR(ParseSelector(decision.selector).status());
  VIGIL_RETURN_IF_ERROR(ValidateId(decision.person_id));
  if (decision.decided_by.empty()) {
    return Status::InvalidArgument("a link decision needs the deciding analyst (decided_by)");
  }
  Result<Person> person = store.GetPerson(decision.person_id);
  if (!person.ok()) {
    return Status::InvalidArgument("unknown person_id '" + decision.person_id + "'");
  }
  Attribution attribution;
  attribution.selector = decision.selector;
  attribution.person_id = decision.person_id;
  attribution.confidence = decision.confirm ? 1.0 : 0.0;
  attribution.state = decision.confirm ? AttributionState::kConfirmed : AttributionState::kRejected;
  attribution.evidence = std::string(decision.confirm ? "confirmed" : "rejected") + " by " +
                         decision.decided_by +
                         (decision.reason.empty() ? std::string() : ": " + decision.reason);
  attribution.decided_by = decision.decided_by;
  attribution.decided_at = decision.decided_at;
  return store.PutAttribution(attribution);
}

}  // namespace vigil
