#include "resolve/calibration.h"

#include "resolve/address_names.h"

#include <algorithm>
#include <cmath>

namespace vigil::resolve {
namespace {

constexpr int kNewtonIterations = 30;
constexpr double kConverged = 1e-8;

// Fitted by bench/resolve/calibrate (see calibration.h). Feature order is
// that of links.cc.
#include "resolve/calibration_models.inc"

double Sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }

// Solves a * x = b in place by Gaussian elimination with partial pivoting;
// a is k x k row-major. A singular system leaves x at zero.
std::vector<double> Solve(std::vector<double> a, std::vector<double> b, int k) {
  for (int col = 0; col < k; ++col) {
    int pivot = col;
    for (int row = col + 1; row < k; ++row) {
      if (std::abs(a[row * k + col]) > std::abs(a[pivot * k + col])) pivot = row;
    }
    if (std::abs(a[pivot * k + col]) < 1e-12) return std::vector<double>(k, 0.0);
    for (int c = 0; c < k; ++c) std::swap(a[col * k + c], a[pivot * k + c]);
    std::swap(b[col], b[pivot]);
    for (int row = col + 1; row < k; ++row) {
      const double factor = a[row * k + col] / a[col * k + col];
      for (int c = col; c < k; ++c) a[row * k + c] -= factor * a[col * k + c];
      b[row] -= factor * b[col];
    }
  }
  std::vector<double> x(k, 0.0);
  for (int row = k - 1; row >= 0; --row) {
    double sum = b[row];
    for (int c = row + 1; c < k; ++c) sum -= a[row * k + c] * x[c];
    x[row] = sum / a[row * k + row];
  }
  return x;
}

}  // namespace

const SignalModel& ModelFor(Signal signal) {
  switch (signal) {
    case Signal::kHandset:
      return kHandset;
    case Signal::kMessenger:
      return kMessenger;
    case Signal::kHandover:
      return kHandover;
    case Signal::kCopresence:
      return kCopresence;
    case Signal::kDocument:
      return kDocument;
    case Signal::kOwnerHandover:
      return kOwnerHandover;
    case Signal::kAddressName:  // address_names.h
      return AddressNameModel();
  }
  return kHandset;
}

double Apply(const IsotonicMap& map, double raw) {
  if (map.knots == 0) return raw;
  if (raw <= map.raw[0]) return map.calibrated[0];
  for (int knot = 1; knot < map.knots; ++knot) {
    if (raw <= map.raw[knot]) {
      const double span = map.raw[knot] - map.raw[knot - 1];
      const double t = span > 0 ? (raw - map.raw[knot - 1]) / span : 1.0;
      return map.calibrated[knot - 1] + t * (map.calibrated[knot] - map.calibrated[knot - 1]);
    }
  }
  return map.calibrated[map.knots - 1];
}

double Predict(const SignalModel& model, const Features& x, int features) {
  return Apply(model.isotonic, Predict(model.logistic, x, features));
}

IsotonicMap FitIsotonic(std::vector<std::pair<double, int>> predictions) {
  IsotonicMap map;
  if (predictions.empty()) return map;
  std::sort(predictions.begin(), predictions.end());
  struct Block {
    double raw_sum = 0, label_sum = 0, count = 0;
  };
  std::vector<Block> blocks;
  const size_t per_bin = (predictions.size() + kMaxKnots - 1) / kMaxKnots;
  for (size_t start = 0; start < predictions.size(); start += per_bin) {
    Block block;
    for (size_t index = start; index < std::min(predictions.size(), start + per_bin); ++index) {
      block.raw_sum += predictions[index].first;
      block.label_sum += predictions[index].second;
      ++block.count;
    }
    blocks.push_back(block);
    // Pool adjacent violators: merge while the previous block's rate is higher.
    while (blocks.size() > 1) {
      const Block& last = blocks.back();
      const Block& before = blocks[blocks.size() - 2];
      if (before.label_sum / before.count < last.label_sum / last.count) break;
      Block merged{before.raw_sum + last.raw_sum, before.label_sum + last.label_sum,
                   before.count + last.count};
      blocks.pop_back();
      blocks.back() = merged;
    }
  }
  for (const Block& block : blocks) {
    map.raw[map.knots] = block.raw_sum / block.count;
    map.calibrated[map.knots] = block.label_sum / block.count;
    ++map.knots;
  }
  return map;
}

double Predict(const LogisticModel& model, const Features& x, int features) {
  double z = model.weights[0];
  for (int i = 0; i < features; ++i) z += model.weights[i + 1] * x[i];
  return Sigmoid(z);
}

LogisticModel FitLogistic(const std::vector<Features>& x, const std::vector<int>& y, int features,
                          double l2) {
  const int k = features + 1;
  std::vector<double> w(k, 0.0);
  auto row = [&](size_t n, int i) { return i == 0 ? 1.0 : x[n][i - 1]; };
  for (int iteration = 0; iteration < kNewtonIterations; ++iteration) {
    std::vector<double> gradient(k, 0.0);
    std::vector<double> hessian(static_cast<size_t>(k * k), 0.0);
    for (size_t n = 0; n < x.size(); ++n) {
      double z = 0;
      for (int i = 0; i < k; ++i) z += w[i] * row(n, i);
      const double p = Sigmoid(z);
      const double weight = std::max(p * (1 - p), 1e-9);
      for (int i = 0; i < k; ++i) {
        gradient[i] += (p - y[n]) * row(n, i);
        for (int j = 0; j < k; ++j) hessian[i * k + j] += weight * row(n, i) * row(n, j);
      }
    }
    const double scale = static_cast<double>(std::max<size_t>(1, x.size()));
    for (int i = 1; i < k; ++i) {
      gradient[i] += l2 * scale * w[i];
      hessian[i * k + i] += l2 * scale;
    }
    const std::vector<double> step = Solve(hessian, gradient, k);
    double change = 0;
    for (int i = 0; i < k; ++i) {
      w[i] -= step[i];
      change = std::max(change, std::abs(step[i]));
    }
    if (change < kConverged) break;
  }
  LogisticModel model;
  for (int i = 0; i < k; ++i) model.weights[i] = w[i];
  return model;
}

}  // namespace vigil::resolve
