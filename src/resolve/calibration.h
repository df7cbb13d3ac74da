// Calibrated link probabilities: one logistic model per signal over that
// signal's features (internal to src/resolve).
//
// The shipped coefficients were fitted with bench/resolve/calibrate on
// generated worlds of seeds 11-13 and are checked on other seeds (see
// bench/resolve/README.md). Features are behavioural counts and ratios any
// world in the formats has; none is specific to the generator.
#ifndef VIGIL_RESOLVE_CALIBRATION_H_
#define VIGIL_RESOLVE_CALIBRATION_H_

#include <array>
#include <vector>

#include "resolve/links.h"

namespace vigil::resolve {

// weights[0] is the intercept, weights[1 + i] multiplies feature i.
struct LogisticModel {
  std::array<double, kMaxFeatures + 1> weights{};
};

// An isotonic correction of a logistic model's output: (raw, calibrated)
// knots with both coordinates increasing; a raw probability is mapped by
// linear interpolation between knots (clamped at the ends). An empty map is
// the identity.
inline constexpr int kMaxKnots = 24;
struct IsotonicMap {
  int knots = 0;
  std::array<double, kMaxKnots> raw{};
  std::array<double, kMaxKnots> calibrated{};
};

struct SignalModel {
  LogisticModel logistic;
  IsotonicMap isotonic;
};

// The shipped model of each signal.
const SignalModel& ModelFor(Signal signal);

// sigmoid(w . (1, features)) over the first `features` features.
double Predict(const LogisticModel& model, const Features& x, int features);
// The calibrated probability: Predict, then the isotonic map.
double Predict(const SignalModel& model, const Features& x, int features);
double Apply(const IsotonicMap& map, double raw);

// Pool-adjacent-violators over (prediction, label) pairs grouped into at most
// kMaxKnots equal-count bins. Time O(n log n).
IsotonicMap FitIsotonic(std::vector<std::pair<double, int>> predictions);

// Fits by Newton's method with an L2 penalty `l2` (not on the intercept).
// Time O(iterations * n * k^2 + k^3) for n examples of k features.
LogisticModel FitLogistic(const std::vector<Features>& x, const std::vector<int>& y, int features,
                          double l2 = 1e-3);

}  // namespace vigil::resolve

#endif  // VIGIL_RESOLVE_CALIBRATION_H_
