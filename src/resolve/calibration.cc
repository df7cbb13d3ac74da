#include "resolve/calibration.h"

#include <algorithm>
#include <cmath>

namespace vigil::resolve {
namespace {

constexpr int kNewtonIterations = 30;
constexpr double kConverged = 1e-8;

// Fitted by bench/resolve/calibrate (see calibration.h). Feature order is
// that of links.cc.
constexpr LogisticModel kHandset = {{4.0, 0.5, -1.0, 0.0}};
constexpr LogisticModel kMessenger = {{4.0, 0.5, -1.0, 0.0}};
constexpr LogisticModel kHandover = {{-4.0, 0.5, 4.0, -1.0, 3.0, 0.0, 2.0, -2.0}};
constexpr LogisticModel kCopresence = {{-4.0, 0.5, 0.5, 2.0, 2.0, 1.0, -1.0}};

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

const LogisticModel& ModelFor(Signal signal) {
  switch (signal) {
    case Signal::kHandset:
      return kHandset;
    case Signal::kMessenger:
      return kMessenger;
    case Signal::kHandover:
      return kHandover;
    case Signal::kCopresence:
      return kCopresence;
  }
  return kHandset;
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
