// Progress reporting for long work (ingest, simulate, analyses).
//
// A Progress receives (done, total) updates; the terminal implementation draws
// a bar with rate and ETA on stderr when stderr is a terminal, and stays
// silent when it is piped. Thread-safety: Update may be called from one
// thread at a time.
#ifndef VIGIL_PROGRESS_H_
#define VIGIL_PROGRESS_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace vigil {

class Progress {
 public:
  virtual ~Progress() = default;
  // Starts a new task: `label` names it, `total` is the amount of work in
  // `unit`s (e.g. bytes, rows), or -1 when unknown.
  virtual void Start(std::string_view label, int64_t total, std::string_view unit) = 0;
  // `done` units of the current task are complete. Cheap to call often: the
  // terminal implementation redraws at most ten times a second.
  virtual void Update(int64_t done) = 0;
  // The current task is over.
  virtual void Finish() = 0;
};

// A bar on stderr when stderr is a terminal; otherwise a Progress that does
// nothing. Never returns null.
std::unique_ptr<Progress> MakeTerminalProgress();
// A Progress that ignores everything.
std::unique_ptr<Progress> MakeSilentProgress();

}  // namespace vigil

#endif  // VIGIL_PROGRESS_H_
