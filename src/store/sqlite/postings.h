// Comm postings: for each selector, which communications (comms.rowid) name
// it as src or dst, in (time, rowid) order, stored as compact blocks in the
// comm_postings table (schema version 5). They replace the two B-tree indexes
// comms(src, time) and comms(dst, time) of version 1.
//
// Why: an SQLite index costs about one B-tree insert (or one sorter record)
// per entry, so two indexes cost two per communication, more than the table
// row itself. A block holds up to kMaxBlockPostings postings of one selector
// in one row (about 4 bytes a posting instead of about 15 plus cell and page
// overhead in an index), and blocks are built from an in-memory sort of a
// chunk of rows, so a bulk load does about one B-tree insert per
// (selector, chunk) instead of two per row.
//
// Block format (one comm_postings row): selector_id, first_time, first_comm,
// last_time, count, and `data` = `count` pairs of varints, each relative to
// the previous posting (the first to (first_time, first_comm)):
// time delta (>= 0, postings are in time order) and zigzag rowid delta.
// Blocks of one selector may overlap in time (different chunks or files);
// readers merge them.
#ifndef VIGIL_STORE_SQLITE_POSTINGS_H_
#define VIGIL_STORE_SQLITE_POSTINGS_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "store/sqlite/sqlite_handle.h"
#include "vigil/model.h"
#include "vigil/status.h"

namespace vigil::sqlite {

// One communication naming a selector.
struct Posting {
  UnixTime time = 0;
  int64_t comm = 0;  // comms.rowid
  friend bool operator<(const Posting& a, const Posting& b) {
    return a.time != b.time ? a.time < b.time : a.comm < b.comm;
  }
  friend bool operator==(const Posting& a, const Posting& b) = default;
};

// At most this many postings in one block (bounds the bytes a narrow time
// window reads for a busy selector).
inline constexpr size_t kMaxBlockPostings = 256;
// Rows a builder holds before it writes their postings: memory is about 32
// bytes a row (time, rowid and two sort keys), so 64 MiB at most.
inline constexpr size_t kPostingChunkRows = size_t{1} << 21;

// Appends the encoding of `postings` (sorted by (time, comm)) relative to
// (first.time, first.comm) of postings[0]. O(n).
void EncodePostings(std::span<const Posting> postings, std::string* out);

// Appends the `count` postings of `data` (a block whose first posting is
// (first_time, first_comm)) to `out`. Corruption when `data` is malformed.
// O(count).
Status DecodePostings(std::string_view data, UnixTime first_time, int64_t first_comm, int64_t count,
                      std::vector<Posting>* out);

// Collects the postings of rows as they are inserted and writes them as
// blocks, one chunk of rows at a time, through `db`'s comm_postings table.
// REQUIRES: used inside the write transaction that inserts the rows; rows are
// added in rowid order.
// Cost: O(r log r) per chunk of r rows (a sort of 64-bit keys), and one
// B-tree insert per (selector, chunk, 256 postings); memory O(chunk).
class PostingsBuilder {
 public:
  // `chunk_rows` (<= kPostingChunkRows; tests use small ones) rows are held
  // before their postings are written.
  explicit PostingsBuilder(sqlite3* db, size_t chunk_rows = kPostingChunkRows)
      : db_(db), chunk_rows_(chunk_rows) {}

  // Records that comm `comm` at `time` names `src` and `dst` (selector ids;
  // once when they are equal). Writes the chunk when it is full.
  Status Add(int64_t comm, UnixTime time, int64_t src, int64_t dst);
  // Writes the postings of every row added since the last flush.
  Status Flush();

 private:
  Status WriteBlocks(int64_t selector, std::span<Posting> postings);

  sqlite3* db_;  // not owned
  size_t chunk_rows_;
  Stmt insert_;                  // prepared on first use
  std::vector<UnixTime> times_;  // per row of the chunk
  std::vector<int64_t> comms_;   // per row of the chunk
  std::vector<uint64_t> keys_;   // selector << kRowBits | row index
  std::vector<Posting> group_;   // scratch: one selector's postings
  std::string block_;            // scratch: one encoded block
};

// The SQL that reads the blocks of one selector (?1) that may hold postings
// in [?2, ?3); tests check its plan.
const char* PostingBlocksSql();

// Appends to `out` the postings of selector `selector_id` with time in
// [from, to), unsorted. `blocks` is a prepared PostingBlocksSql() statement.
Status CollectPostings(Stmt& blocks, int64_t selector_id, UnixTime from, UnixTime to,
                       std::vector<Posting>* out);

// Replaces every posting by postings rebuilt from the comms table (for a
// store migrated from a version without postings). REQUIRES: inside a write
// transaction. O(rows log chunk).
Status RebuildAllPostings(sqlite3* db);

}  // namespace vigil::sqlite

#endif  // VIGIL_STORE_SQLITE_POSTINGS_H_
