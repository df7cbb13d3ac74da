#include "store/sqlite/postings.h"

#include <algorithm>
#include <cstdint>
#include <string>

namespace vigil::sqlite {
namespace {

// A sort key holds the selector id above the row's index in its chunk.
constexpr int kRowBits = 21;
static_assert((size_t{1} << kRowBits) >= kPostingChunkRows);
constexpr uint64_t kRowMask = (uint64_t{1} << kRowBits) - 1;
constexpr int64_t kMaxSelectorId = int64_t{1} << (64 - kRowBits - 1);

constexpr char kInsertBlock[] =
    "INSERT INTO comm_postings(selector_id, last_time, first_comm, first_time, postings, data) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
constexpr char kBlocksOfSelector[] =
    "SELECT first_time, first_comm, postings, data FROM comm_postings "
    "WHERE selector_id = ?1 AND last_time >= ?2 AND first_time < ?3";
constexpr char kAllComms[] = "SELECT rowid, time, src, dst FROM comms ORDER BY rowid";

constexpr uint64_t kVarintPayloadBits = 7;
constexpr uint64_t kVarintPayloadMask = 0x7f;
constexpr uint8_t kVarintMore = 0x80;
constexpr int kMaxVarintShift = 63;

void PutVarint(uint64_t value, std::string* out) {
  while (value > kVarintPayloadMask) {
    out->push_back(static_cast<char>((value & kVarintPayloadMask) | kVarintMore));
    value >>= kVarintPayloadBits;
  }
  out->push_back(static_cast<char>(value));
}

// Reads a varint at data[*pos]; false when it runs past the end or is too long.
bool GetVarint(std::string_view data, size_t* pos, uint64_t* value) {
  uint64_t result = 0;
  for (int shift = 0; shift <= kMaxVarintShift; shift += kVarintPayloadBits) {
    if (*pos >= data.size()) return false;
    const auto byte = static_cast<uint8_t>(data[(*pos)++]);
    result |= (byte & kVarintPayloadMask) << shift;
    if ((byte & kVarintMore) == 0) {
      *value = result;
      return true;
    }
  }
  return false;
}

uint64_t ZigZag(int64_t value) {
  return (static_cast<uint64_t>(value) << 1) ^ static_cast<uint64_t>(value >> 63);
}
int64_t UnZigZag(uint64_t value) {
  return static_cast<int64_t>(value >> 1) ^ -static_cast<int64_t>(value & 1);
}

}  // namespace

void EncodePostings(std::span<const Posting> postings, std::string* out) {
  if (postings.empty()) return;
  Posting previous = postings.front();
  for (const Posting& posting : postings) {
    PutVarint(static_cast<uint64_t>(posting.time - previous.time), out);
    PutVarint(ZigZag(posting.comm - previous.comm), out);
    previous = posting;
  }
}

Status DecodePostings(std::string_view data, UnixTime first_time, int64_t first_comm, int64_t count,
                      std::vector<Posting>* out) {
  Posting posting{first_time, first_comm};
  size_t pos = 0;
  for (int64_t index = 0; index < count; ++index) {
    uint64_t time_delta = 0;
    uint64_t comm_delta = 0;
    if (!GetVarint(data, &pos, &time_delta) || !GetVarint(data, &pos, &comm_delta)) {
      return Status::Corruption("comm_postings: a block ends inside posting " +
                                std::to_string(index) + " of " + std::to_string(count));
    }
    // A malformed block must not overflow (undefined behaviour) the sums.
    if (time_delta > static_cast<uint64_t>(INT64_MAX) ||
        __builtin_add_overflow(posting.time, static_cast<int64_t>(time_delta), &posting.time) ||
        __builtin_add_overflow(posting.comm, UnZigZag(comm_delta), &posting.comm)) {
      return Status::Corruption("comm_postings: posting " + std::to_string(index) + " of " +
                                std::to_string(count) + " is out of range");
    }
    out->push_back(posting);
  }
  if (pos != data.size()) {
    return Status::Corruption("comm_postings: a block has bytes after its " +
                              std::to_string(count) + " postings");
  }
  return Status::Ok();
}

Status PostingsBuilder::Add(int64_t comm, UnixTime time, int64_t src, int64_t dst) {
  if (src <= 0 || dst <= 0 || src >= kMaxSelectorId || dst >= kMaxSelectorId) {
    return Status::Internal("comm postings: selector id out of range");
  }
  const auto row = static_cast<uint64_t>(times_.size());
  times_.push_back(time);
  comms_.push_back(comm);
  keys_.push_back(static_cast<uint64_t>(src) << kRowBits | row);
  if (dst != src) keys_.push_back(static_cast<uint64_t>(dst) << kRowBits | row);
  if (times_.size() >= std::min(chunk_rows_, kPostingChunkRows)) return Flush();
  return Status::Ok();
}

// Sorting the keys groups each selector's rows, in row (= rowid) order. Rows
// usually arrive in time order, so a group is usually sorted by time already.
Status PostingsBuilder::Flush() {
  std::sort(keys_.begin(), keys_.end());
  for (size_t begin = 0; begin < keys_.size();) {
    const uint64_t selector = keys_[begin] >> kRowBits;
    group_.clear();
    size_t end = begin;
    for (; end < keys_.size() && keys_[end] >> kRowBits == selector; ++end) {
      const uint64_t row = keys_[end] & kRowMask;
      group_.push_back(Posting{times_[row], comms_[row]});
    }
    if (!std::is_sorted(group_.begin(), group_.end())) std::sort(group_.begin(), group_.end());
    VIGIL_RETURN_IF_ERROR(WriteBlocks(static_cast<int64_t>(selector), group_));
    begin = end;
  }
  times_.clear();
  comms_.clear();
  keys_.clear();
  return Status::Ok();
}

Status PostingsBuilder::WriteBlocks(int64_t selector, std::span<Posting> postings) {
  if (!insert_.valid()) {
    VIGIL_ASSIGN_OR_RETURN(insert_, Prepare(db_, kInsertBlock, /*persistent=*/true));
  }
  for (size_t begin = 0; begin < postings.size(); begin += kMaxBlockPostings) {
    const std::span<Posting> block =
        postings.subspan(begin, std::min(kMaxBlockPostings, postings.size() - begin));
    block_.clear();
    EncodePostings(block, &block_);
    insert_.BindInt(1, selector);
    insert_.BindInt(2, block.back().time);
    insert_.BindInt(3, block.front().comm);
    insert_.BindInt(4, block.front().time);
    insert_.BindInt(5, static_cast<int64_t>(block.size()));
    insert_.BindBlobStatic(6, block_);
    VIGIL_RETURN_IF_ERROR(insert_.Run());
  }
  return Status::Ok();
}

const char* PostingBlocksSql() { return kBlocksOfSelector; }

Status CollectPostings(Stmt& blocks, int64_t selector_id, UnixTime from, UnixTime to,
                       std::vector<Posting>* out) {
  blocks.BindInt(1, selector_id);
  blocks.BindInt(2, from);
  blocks.BindInt(3, to);
  std::vector<Posting> decoded;
  while (true) {
    Result<bool> has_row = blocks.Step();
    if (!has_row.ok() || !*has_row) {
      blocks.Reset();
      return has_row.status();
    }
    decoded.clear();
    const Status status = DecodePostings(blocks.ColumnBlob(3), blocks.ColumnInt(0),
                                         blocks.ColumnInt(1), blocks.ColumnInt(2), &decoded);
    if (!status.ok()) {
      blocks.Reset();
      return status;
    }
    for (const Posting& posting : decoded) {
      if (posting.time >= from && posting.time < to) out->push_back(posting);
    }
  }
}

Status RebuildAllPostings(sqlite3* db) {
  VIGIL_RETURN_IF_ERROR(Exec(db, "DELETE FROM comm_postings"));
  VIGIL_ASSIGN_OR_RETURN(Stmt rows, Prepare(db, kAllComms));
  PostingsBuilder builder(db);
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool has_row, rows.Step());
    if (!has_row) break;
    VIGIL_RETURN_IF_ERROR(
        builder.Add(rows.ColumnInt(0), rows.ColumnInt(1), rows.ColumnInt(2), rows.ColumnInt(3)));
  }
  return builder.Flush();
}

}  // namespace vigil::sqlite
