// The metric providers of the watch and ranking modules (internal to
// vigil_eval; DefaultMetricProviders lists them).
#ifndef VIGIL_EVAL_PROVIDERS_H_
#define VIGIL_EVAL_PROVIDERS_H_

#include <memory>

#include "vigil/eval.h"

namespace vigil::eval {

std::unique_ptr<MetricProvider> NewReactivationProvider();
std::unique_ptr<MetricProvider> NewScreeningProvider();
std::unique_ptr<MetricProvider> NewRankingProvider();

}  // namespace vigil::eval

#endif  // VIGIL_EVAL_PROVIDERS_H_
