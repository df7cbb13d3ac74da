#include "support/fault_vfs.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace vigil::testing_util {
namespace {

constexpr char kVfsName[] = "vigil-fault";
constexpr int kTrackedFiles = SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_WAL | SQLITE_OPEN_MAIN_JOURNAL;

// Bytes a write or truncate replaced since the file's last sync.
struct Undo {
  int64_t offset = 0;
  std::string bytes;
};

// What a file held at its last completed sync, as the writes since then.
struct History {
  int64_t synced_size = 0;
  int64_t unsynced_writes = 0;  // writes and truncates since the last sync
  std::vector<Undo> undo;       // in the order written
};

struct State {
  std::mutex mutex;
  sqlite3_vfs* base = nullptr;
  sqlite3_vfs vfs{};
  std::map<std::string, History> files;  // by path
  FaultCounts counts;
  int64_t power_loss_at = 0;
  bool power_lost = false;
  int64_t write_fault_at = 0;
  WriteFault write_fault = WriteFault::kIoError;
  bool disk_full = false;
  int64_t sync_fault_at = 0;
};

State& Shared() {
  static State state;
  return state;
}

// The shim's file: SQLite allocates szOsFile bytes; the wrapped VFS's file
// lives right after this header.
struct FaultFile {
  sqlite3_file base;
  sqlite3_file* real;
  const char* name;  // valid until xClose (SQLite's guarantee)
  bool tracked;
};

FaultFile* Cast(sqlite3_file* file) { return reinterpret_cast<FaultFile*>(file); }

int64_t RealSize(sqlite3_file* real) {
  sqlite3_int64 size = 0;
  return real->pMethods->xFileSize(real, &size) == SQLITE_OK ? size : 0;
}

// The file's history, created (its current content taken as synced) when
// the file is first written after a Reset. Caller holds the mutex.
History& HistoryOf(State& state, FaultFile* file) {
  auto found = state.files.find(file->name);
  if (found != state.files.end()) return found->second;
  History& history = state.files[file->name];
  history.synced_size = RealSize(file->real);
  return history;
}

// Records the bytes of [offset, offset + amount) that exist now.
void RememberRange(History& history, sqlite3_file* real, int64_t offset, int64_t amount) {
  const int64_t size = RealSize(real);
  if (offset >= size || amount <= 0) return;
  const int64_t length = std::min(amount, size - offset);
  Undo undo;
  undo.offset = offset;
  undo.bytes.resize(static_cast<size_t>(length));
  real->pMethods->xRead(real, undo.bytes.data(), static_cast<int>(length), offset);
  history.undo.push_back(std::move(undo));
}

// Counts a write of a tracked file and decides whether it fails. Caller
// holds the mutex. Returns SQLITE_OK to let it through.
int WriteVerdict(State& state) {
  ++state.counts.writes;
  if (state.power_lost) {
    ++state.counts.faults;
    return SQLITE_IOERR_WRITE;
  }
  if (state.disk_full) {
    ++state.counts.faults;
    return SQLITE_FULL;
  }
  if (state.counts.writes == state.write_fault_at) {
    ++state.counts.faults;
    if (state.write_fault == WriteFault::kDiskFull) {
      state.disk_full = true;
      return SQLITE_FULL;
    }
    return SQLITE_IOERR_WRITE;
  }
  return SQLITE_OK;
}

int Close(sqlite3_file* file) {
  FaultFile* self = Cast(file);
  return self->real->pMethods != nullptr ? self->real->pMethods->xClose(self->real) : SQLITE_OK;
}

int Read(sqlite3_file* file, void* buffer, int amount, sqlite3_int64 offset) {
  sqlite3_file* real = Cast(file)->real;
  return real->pMethods->xRead(real, buffer, amount, offset);
}

int Write(sqlite3_file* file, const void* buffer, int amount, sqlite3_int64 offset) {
  FaultFile* self = Cast(file);
  sqlite3_file* real = self->real;
  if (!self->tracked) return real->pMethods->xWrite(real, buffer, amount, offset);
  State& state = Shared();
  std::lock_guard<std::mutex> lock(state.mutex);
  if (const int verdict = WriteVerdict(state); verdict != SQLITE_OK) return verdict;
  History& history = HistoryOf(state, self);
  ++history.unsynced_writes;
  RememberRange(history, real, offset, amount);
  return real->pMethods->xWrite(real, buffer, amount, offset);
}

int Truncate(sqlite3_file* file, sqlite3_int64 size) {
  FaultFile* self = Cast(file);
  sqlite3_file* real = self->real;
  if (!self->tracked) return real->pMethods->xTruncate(real, size);
  State& state = Shared();
  std::lock_guard<std::mutex> lock(state.mutex);
  if (const int verdict = WriteVerdict(state); verdict != SQLITE_OK) {
    return verdict == SQLITE_FULL ? verdict : SQLITE_IOERR_TRUNCATE;
  }
  History& history = HistoryOf(state, self);
  ++history.unsynced_writes;
  RememberRange(history, real, size, RealSize(real) - size);
  return real->pMethods->xTruncate(real, size);
}

int Sync(sqlite3_file* file, int flags) {
  FaultFile* self = Cast(file);
  sqlite3_file* real = self->real;
  if (!self->tracked) return real->pMethods->xSync(real, flags);
  State& state = Shared();
  std::lock_guard<std::mutex> lock(state.mutex);
  ++state.counts.syncs;
  if (state.counts.syncs == state.power_loss_at) state.power_lost = true;
  if (state.power_lost || state.counts.syncs == state.sync_fault_at) {
    ++state.counts.faults;
    return SQLITE_IOERR_FSYNC;
  }
  const int rc = real->pMethods->xSync(real, flags);
  if (rc == SQLITE_OK) {
    History& history = HistoryOf(state, self);
    history.undo.clear();
    history.unsynced_writes = 0;
    history.synced_size = RealSize(real);
  }
  return rc;
}

int FileSize(sqlite3_file* file, sqlite3_int64* size) {
  sqlite3_file* real = Cast(file)->real;
  return real->pMethods->xFileSize(real, size);
}

int Lock(sqlite3_file* file, int level) {
  sqlite3_file* real = Cast(file)->real;
  return real->pMethods->xLock(real, level);
}

int Unlock(sqlite3_file* file, int level) {
  sqlite3_file* real = Cast(file)->real;
  return real->pMethods->xUnlock(real, level);
}

int CheckReservedLock(sqlite3_file* file, int* out) {
  sqlite3_file* real = Cast(file)->real;
  return real->pMethods->xCheckReservedLock(real, out);
}

int FileControl(sqlite3_file* file, int op, void* arg) {
  sqlite3_file* real = Cast(file)->real;
  return real->pMethods->xFileControl(real, op, arg);
}

int SectorSize(sqlite3_file* file) {
  sqlite3_file* real = Cast(file)->real;
  return real->pMethods->xSectorSize(real);
}

int DeviceCharacteristics(sqlite3_file* file) {
  sqlite3_file* real = Cast(file)->real;
  return real->pMethods->xDeviceCharacteristics(real);
}

int ShmMap(sqlite3_file* file, int region, int size, int extend, void volatile** out) {
  sqlite3_file* real = Cast(file)->real;
  return real->pMethods->xShmMap(real, region, size, extend, out);
}

int ShmLock(sqlite3_file* file, int offset, int count, int flags) {
  sqlite3_file* real = Cast(file)->real;
  return real->pMethods->xShmLock(real, offset, count, flags);
}

void ShmBarrier(sqlite3_file* file) {
  sqlite3_file* real = Cast(file)->real;
  real->pMethods->xShmBarrier(real);
}

int ShmUnmap(sqlite3_file* file, int delete_flag) {
  sqlite3_file* real = Cast(file)->real;
  return real->pMethods->xShmUnmap(real, delete_flag);
}

// Version 2: no memory-mapped reads, so every access goes through the shim.
const sqlite3_io_methods kMethods = {2,
                                     Close,
                                     Read,
                                     Write,
                                     Truncate,
                                     Sync,
                                     FileSize,
                                     Lock,
                                     Unlock,
                                     CheckReservedLock,
                                     FileControl,
                                     SectorSize,
                                     DeviceCharacteristics,
                                     ShmMap,
                                     ShmLock,
                                     ShmBarrier,
                                     ShmUnmap,
                                     nullptr,
                                     nullptr};

int Open(sqlite3_vfs* vfs, const char* name, sqlite3_file* file, int flags, int* out_flags) {
  State& state = Shared();
  FaultFile* self = Cast(file);
  self->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(file) + sizeof(FaultFile));
  self->name = name;
  self->tracked = name != nullptr && (flags & kTrackedFiles) != 0;
  self->base.pMethods = nullptr;
  (void)vfs;
  const int rc = state.base->xOpen(state.base, name, self->real, flags, out_flags);
  if (self->real->pMethods != nullptr) self->base.pMethods = &kMethods;
  return rc;
}

int Delete(sqlite3_vfs* vfs, const char* name, int sync_dir) {
  (void)vfs;
  State& state = Shared();
  {
    std::lock_guard<std::mutex> lock(state.mutex);
    if (state.power_lost) {
      ++state.counts.faults;
      return SQLITE_IOERR_DELETE;
    }
    state.files.erase(name);
  }
  return state.base->xDelete(state.base, name, sync_dir);
}

int Access(sqlite3_vfs*, const char* name, int flags, int* out) {
  return Shared().base->xAccess(Shared().base, name, flags, out);
}
int FullPathname(sqlite3_vfs*, const char* name, int size, char* out) {
  return Shared().base->xFullPathname(Shared().base, name, size, out);
}
void* DlOpen(sqlite3_vfs*, const char* name) { return Shared().base->xDlOpen(Shared().base, name); }
void DlError(sqlite3_vfs*, int size, char* out) {
  Shared().base->xDlError(Shared().base, size, out);
}
void (*DlSym(sqlite3_vfs*, void* handle, const char* symbol))(void) {
  return Shared().base->xDlSym(Shared().base, handle, symbol);
}
void DlClose(sqlite3_vfs*, void* handle) { Shared().base->xDlClose(Shared().base, handle); }
int Randomness(sqlite3_vfs*, int size, char* out) {
  return Shared().base->xRandomness(Shared().base, size, out);
}
int Sleep(sqlite3_vfs*, int micros) { return Shared().base->xSleep(Shared().base, micros); }
int CurrentTime(sqlite3_vfs*, double* out) {
  return Shared().base->xCurrentTime(Shared().base, out);
}
int GetLastError(sqlite3_vfs*, int size, char* out) {
  return Shared().base->xGetLastError(Shared().base, size, out);
}
int CurrentTimeInt64(sqlite3_vfs*, sqlite3_int64* out) {
  return Shared().base->xCurrentTimeInt64(Shared().base, out);
}

}  // namespace

FaultVfs& FaultVfs::Install() {
  static FaultVfs instance;
  static std::once_flag once;
  std::call_once(once, [] {
    State& state = Shared();
    state.base = sqlite3_vfs_find(nullptr);
    sqlite3_vfs& vfs = state.vfs;
    vfs.iVersion = 2;
    vfs.szOsFile = static_cast<int>(sizeof(FaultFile)) + state.base->szOsFile;
    vfs.mxPathname = state.base->mxPathname;
    vfs.zName = kVfsName;
    vfs.xOpen = Open;
    vfs.xDelete = Delete;
    vfs.xAccess = Access;
    vfs.xFullPathname = FullPathname;
    vfs.xDlOpen = DlOpen;
    vfs.xDlError = DlError;
    vfs.xDlSym = DlSym;
    vfs.xDlClose = DlClose;
    vfs.xRandomness = Randomness;
    vfs.xSleep = Sleep;
    vfs.xCurrentTime = CurrentTime;
    vfs.xGetLastError = GetLastError;
    vfs.xCurrentTimeInt64 = CurrentTimeInt64;
    sqlite3_vfs_register(&vfs, /*makeDflt=*/1);
  });
  return instance;
}

void FaultVfs::Reset() {
  State& state = Shared();
  std::lock_guard<std::mutex> lock(state.mutex);
  state.files.clear();
  state.counts = FaultCounts{};
  state.power_loss_at = 0;
  state.power_lost = false;
  state.write_fault_at = 0;
  state.disk_full = false;
  state.sync_fault_at = 0;
}

FaultCounts FaultVfs::Counts() const {
  State& state = Shared();
  std::lock_guard<std::mutex> lock(state.mutex);
  return state.counts;
}

void FaultVfs::ArmPowerLoss(int64_t sync_number) {
  State& state = Shared();
  std::lock_guard<std::mutex> lock(state.mutex);
  state.power_loss_at = sync_number;
}

void FaultVfs::CutPower() {
  State& state = Shared();
  std::lock_guard<std::mutex> lock(state.mutex);
  state.power_lost = true;
}

bool FaultVfs::PowerLost() const {
  State& state = Shared();
  std::lock_guard<std::mutex> lock(state.mutex);
  return state.power_lost;
}

int64_t FaultVfs::ApplyPowerLoss() {
  State& state = Shared();
  std::lock_guard<std::mutex> lock(state.mutex);
  int64_t dropped = 0;
  for (auto& [path, history] : state.files) {
    const int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
    if (fd >= 0) {
      for (auto undo = history.undo.rbegin(); undo != history.undo.rend(); ++undo) {
        if (::pwrite(fd, undo->bytes.data(), undo->bytes.size(), undo->offset) < 0) {
          std::perror("fault vfs: pwrite");
        }
      }
      if (::ftruncate(fd, history.synced_size) != 0) std::perror("fault vfs: ftruncate");
      ::close(fd);
    }
    dropped += history.unsynced_writes;
    std::string database = path;
    if (database.size() > 4 && database.compare(database.size() - 4, 4, "-wal") == 0) {
      database.resize(database.size() - 4);
    }
    ::unlink((database + "-shm").c_str());
  }
  state.files.clear();
  state.power_lost = false;
  state.power_loss_at = 0;
  return dropped;
}

void FaultVfs::ArmWriteFault(int64_t write_number, WriteFault fault) {
  State& state = Shared();
  std::lock_guard<std::mutex> lock(state.mutex);
  state.write_fault_at = write_number;
  state.write_fault = fault;
}

void FaultVfs::ArmSyncFault(int64_t sync_number) {
  State& state = Shared();
  std::lock_guard<std::mutex> lock(state.mutex);
  state.sync_fault_at = sync_number;
}

}  // namespace vigil::testing_util
