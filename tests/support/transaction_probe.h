// Observes whether a process is inside an SQLite write transaction at the
// moment it is killed, without any hook in the code under test.
//
// In WAL mode a write transaction (BEGIN IMMEDIATE, or the first write of a
// deferred one) holds SQLite's WAL write lock until its COMMIT or ROLLBACK
// has finished, fsync included. The unix VFS takes that lock as a POSIX
// (fcntl) write lock on byte 120 of `<db>-shm` (WALINDEX_LOCK_OFFSET + 0),
// which the kernel lists in /proc/locks with the owner's pid.
//
// StopAndKill() freezes the child with SIGSTOP, waits until it has stopped,
// reads /proc/locks, then delivers SIGKILL while the child is still stopped:
// what was observed is the state the child died in.
#ifndef VIGIL_TESTS_SUPPORT_TRANSACTION_PROBE_H_
#define VIGIL_TESTS_SUPPORT_TRANSACTION_PROBE_H_

#include <signal.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

namespace vigil::testing_util {

// Byte of the -shm file locked by the holder of the WAL write lock.
inline constexpr long kWalWriteLockByte = 120;

// True when /proc/locks lists a granted POSIX write lock held by `pid` on
// `shm_path` that covers kWalWriteLockByte. Cost: O(lines of /proc/locks).
inline bool HoldsWalWriteLock(pid_t pid, const std::string& shm_path) {
  struct stat info {};
  if (stat(shm_path.c_str(), &info) != 0) return false;  // never opened: no transaction
  std::ifstream locks("/proc/locks");
  std::string line;
  while (std::getline(locks, line)) {
    if (line.find("->") != std::string::npos) continue;  // a waiter, not a holder
    std::istringstream words(line);
    std::string ordinal, kind, mode, access, device, start, end;
    long owner = 0;
    if (!(words >> ordinal >> kind >> mode >> access >> owner >> device >> start >> end)) continue;
    if (kind != "POSIX" || access != "WRITE" || owner != static_cast<long>(pid)) continue;
    unsigned major_id = 0, minor_id = 0;
    unsigned long inode = 0;
    if (std::sscanf(device.c_str(), "%x:%x:%lu", &major_id, &minor_id, &inode) != 3) continue;
    if (inode != info.st_ino || major_id != major(info.st_dev) || minor_id != minor(info.st_dev)) {
      continue;
    }
    const long first = std::stol(start);
    const long last = end == "EOF" ? kWalWriteLockByte : std::stol(end);
    if (first <= kWalWriteLockByte && kWalWriteLockByte <= last) return true;
  }
  return false;
}

struct KillObservation {
  bool killed = false;          // false: the child had exited before the kill
  bool in_transaction = false;  // it held the WAL write lock when killed
  int exit_status = 0;          // waitpid status of the child
};

// Stops `child`, records whether it holds the WAL write lock of the store at
// `db_path`, kills it with SIGKILL and reaps it. When the child exited before
// it could be stopped, reaps it and reports killed = false.
inline KillObservation StopProbeAndKill(pid_t child, const std::string& db_path) {
  KillObservation observation;
  kill(child, SIGSTOP);
  int status = 0;
  if (waitpid(child, &status, WUNTRACED) != child) return observation;
  if (!WIFSTOPPED(status)) {
    observation.exit_status = status;
    return observation;
  }
  observation.in_transaction = HoldsWalWriteLock(child, db_path + "-shm");
  kill(child, SIGKILL);
  waitpid(child, &status, 0);
  observation.killed = true;
  observation.exit_status = status;
  return observation;
}

// Like StopProbeAndKill, but hunts for a moment inside a write transaction:
// while the stopped child holds no WAL write lock and `attempts` remain, it
// resumes the child (SIGCONT), lets it run `interval_us` and stops it again.
// Then it kills the child where it is stopped, in a transaction or not (the
// observation says which). Cost: at most `attempts` stops.
inline KillObservation KillInsideTransaction(pid_t child, const std::string& db_path, int attempts,
                                             int interval_us) {
  KillObservation observation;
  for (int attempt = 0;; ++attempt) {
    kill(child, SIGSTOP);
    int status = 0;
    if (waitpid(child, &status, WUNTRACED) != child) return observation;
    if (!WIFSTOPPED(status)) {
      observation.exit_status = status;
      return observation;
    }
    observation.in_transaction = HoldsWalWriteLock(child, db_path + "-shm");
    if (observation.in_transaction || attempt + 1 >= attempts) {
      kill(child, SIGKILL);
      kill(child, SIGCONT);
      waitpid(child, &status, 0);
      observation.killed = true;
      observation.exit_status = status;
      return observation;
    }
    kill(child, SIGCONT);
    timespec pause{0, static_cast<long>(interval_us) * 1000L};
    nanosleep(&pause, nullptr);
  }
}

}  // namespace vigil::testing_util

#endif  // VIGIL_TESTS_SUPPORT_TRANSACTION_PROBE_H_
