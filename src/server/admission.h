// Admission control: at most `limit` requests run their handler at once, the
// others wait in arrival order (FIFO).
//
// Why: cpp-httplib gives every keep-alive connection a worker thread of its
// own (server.cc), so 64 busy connections are 64 runnable threads on a
// 2-core machine. They then share the cores in slices, every request's
// latency stretches to that of the slowest, the scheduler and the allocator's
// arena locks take a growing share of the CPU, and the load generator (or
// any other process) is starved. Letting a few requests run to completion
// while the rest wait, not runnable, in order, keeps each request's service
// time short and the wait bounded by the queue ahead of it.
//
// Thread-safety: Enter may be called from any thread. Cost: O(1) per Enter
// and per Pass release; one condition variable per waiting request, woken
// once (no thundering herd). Memory: O(waiting requests).
#ifndef VIGIL_SERVER_ADMISSION_H_
#define VIGIL_SERVER_ADMISSION_H_

#include <condition_variable>
#include <deque>
#include <mutex>

namespace vigil::server {

class AdmissionGate {
 public:
  // limit <= 0: no limit (Enter never waits).
  explicit AdmissionGate(int limit) : limit_(limit) {}
  AdmissionGate(const AdmissionGate&) = delete;
  AdmissionGate& operator=(const AdmissionGate&) = delete;

  // Held while a request runs; its destruction admits the next in line.
  class Pass {
   public:
    explicit Pass(AdmissionGate* gate) : gate_(gate) {}
    Pass(Pass&& other) noexcept : gate_(other.gate_) { other.gate_ = nullptr; }
    Pass& operator=(Pass&&) = delete;
    ~Pass() {
      if (gate_ != nullptr) gate_->Leave();
    }

   private:
    AdmissionGate* gate_;
  };

  // Returns once fewer than `limit` passes are held and every request that
  // arrived earlier has been admitted.
  Pass Enter();
  // Requests waiting now (for tests and metrics).
  int waiting() {
    std::lock_guard<std::mutex> lock(mu_);
    return static_cast<int>(waiting_.size());
  }

 private:
  struct Waiter {
    std::condition_variable cv;
    bool admitted = false;
  };
  void Leave();

  const int limit_;
  std::mutex mu_;
  int active_ = 0;               // guarded by mu_
  std::deque<Waiter*> waiting_;  // guarded by mu_; in arrival order
};

}  // namespace vigil::server

#endif  // VIGIL_SERVER_ADMISSION_H_
