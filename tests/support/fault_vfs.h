// A fault-injecting SQLite VFS for tests: a shim registered over the default
// (unix) VFS that passes every call through and can, on command,
//   - simulate a power loss: it remembers, per file, every byte written since
//     that file's last xSync; at a chosen sync point the "machine stops" (that
//     sync and every later write, truncate, sync and delete fail and change
//     nothing), and ApplyPowerLoss() then puts every file back to its content
//     at its last completed xSync, as the disk would hold after a reboot;
//   - fail the n-th write with SQLITE_IOERR_WRITE (once) or SQLITE_FULL (that
//     write and every later one: a full disk), or the n-th sync with
//     SQLITE_IOERR_FSYNC.
// Only the files SQLite keeps (main database, WAL, rollback journal) are
// tracked and counted; temporary files pass through untouched.
//
// Test support only: production code never links it. The VFS is process
// global, so one test at a time may arm faults; every call is thread-safe.
#ifndef VIGIL_TESTS_SUPPORT_FAULT_VFS_H_
#define VIGIL_TESTS_SUPPORT_FAULT_VFS_H_

#include <cstdint>
#include <string>

namespace vigil::testing_util {

enum class WriteFault {
  kIoError,   // the n-th write fails with SQLITE_IOERR_WRITE, later ones succeed
  kDiskFull,  // the n-th and every later write fails with SQLITE_FULL
};

// Counters since the last Reset().
struct FaultCounts {
  int64_t writes = 0;  // xWrite and xTruncate calls on tracked files
  int64_t syncs = 0;   // xSync calls on tracked files
  int64_t faults = 0;  // calls that failed by injection
};

class FaultVfs {
 public:
  // Registers the shim (once per process) as the default VFS, wrapping the
  // default VFS found at the first call. Every connection opened afterwards
  // with the default VFS goes through it. Cost: O(1).
  static FaultVfs& Install();

  // Disarms every fault, zeroes the counters and forgets what was written.
  void Reset();

  FaultCounts Counts() const;

  // The `sync_number`-th xSync (1-based, counted from the last Reset) is where
  // power is lost: it and every later write, truncate, sync and delete of a
  // tracked file fail with SQLITE_IOERR and change nothing on disk.
  void ArmPowerLoss(int64_t sync_number);
  // Cuts the power now (the same as reaching the armed sync point).
  void CutPower();
  bool PowerLost() const;

  // Puts every tracked file back to its content at its last completed xSync
  // (a file never synced becomes empty) and removes the -shm files, as a
  // reboot would find them. Call after every connection to the files is
  // closed. Returns how many unsynced writes were dropped. Ends the power
  // loss (later calls pass through again). Cost: O(bytes written since the
  // last syncs).
  int64_t ApplyPowerLoss();

  // Fails the `write_number`-th write (1-based, counted from the last Reset)
  // of a tracked file as `fault` says.
  void ArmWriteFault(int64_t write_number, WriteFault fault);
  // Fails the `sync_number`-th xSync with SQLITE_IOERR_FSYNC (once).
  void ArmSyncFault(int64_t sync_number);

 private:
  FaultVfs() = default;
};

}  // namespace vigil::testing_util

#endif  // VIGIL_TESTS_SUPPORT_FAULT_VFS_H_
