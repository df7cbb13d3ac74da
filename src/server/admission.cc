#include "server/admission.h"

namespace vigil::server {

AdmissionGate::Pass AdmissionGate::Enter() {
  if (limit_ <= 0) return Pass(nullptr);
  std::unique_lock<std::mutex> lock(mu_);
  if (active_ < limit_ && waiting_.empty()) {
    ++active_;
    return Pass(this);
  }
  Waiter waiter;
  waiting_.push_back(&waiter);
  waiter.cv.wait(lock, [&waiter] { return waiter.admitted; });
  return Pass(this);  // the leaver handed its slot over: active_ unchanged
}

void AdmissionGate::Leave() {
  std::lock_guard<std::mutex> lock(mu_);
  if (waiting_.empty()) {
    --active_;
    return;
  }
  Waiter* next = waiting_.front();
  waiting_.pop_front();
  next->admitted = true;
  next->cv.notify_one();
}

}  // namespace vigil::server
