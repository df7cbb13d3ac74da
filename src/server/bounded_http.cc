#include "server/bounded_http.h"

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <string>

namespace vigil::server {
namespace {

// poll() for `events` within `timeout_ms`; > 0 when ready.
int PollFor(int sock, short events, int timeout_ms) {
  pollfd pfd{sock, events, 0};
  int n = 0;
  do {
    n = ::poll(&pfd, 1, timeout_ms);
  } while (n < 0 && errno == EINTR);
  return n;
}

int Millis(time_t sec, time_t usec) {
  return static_cast<int>(std::min<time_t>(sec * 1000 + usec / 1000, 1'000'000'000));
}

void AddressOf(int sock, bool peer, std::string& ip, int& port) {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  const int rc = peer ? ::getpeername(sock, reinterpret_cast<sockaddr*>(&addr), &len)
                      : ::getsockname(sock, reinterpret_cast<sockaddr*>(&addr), &len);
  if (rc != 0) return;
  std::array<char, NI_MAXHOST> host{};
  std::array<char, NI_MAXSERV> service{};
  if (::getnameinfo(reinterpret_cast<sockaddr*>(&addr), len, host.data(), host.size(),
                    service.data(), service.size(), NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
    return;
  }
  ip = host.data();
  port = std::atoi(service.data());
}

// httplib's SocketStream (buffered reads, timeouts on every read and
// write) with the header budget: while the blank line that ends the
// headers has not been read, each byte handed out counts, and a read past
// the budget fails.
class BoundedSocketStream final : public httplib::Stream {
 public:
  BoundedSocketStream(int sock, int read_ms, int write_ms, size_t header_budget)
      : sock_(sock), read_ms_(read_ms), write_ms_(write_ms), budget_(header_budget) {}

  bool is_readable() const override {
    return offset_ < size_ || PollFor(sock_, POLLIN, read_ms_) > 0;
  }
  bool is_writable() const override { return PollFor(sock_, POLLOUT, write_ms_) > 0; }

  ssize_t read(char* ptr, size_t size) override {
    if (in_headers_) {
      if (used_ >= budget_) {
        exceeded_ = true;  // the headers never ended within the budget
        return -1;
      }
      size = std::min(size, budget_ - used_);
    }
    if (offset_ == size_) {
      if (PollFor(sock_, POLLIN, read_ms_) <= 0) return -1;
      ssize_t n = 0;
      do {
        n = ::recv(sock_, buffer_.data(), buffer_.size(), 0);
      } while (n < 0 && errno == EINTR);
      if (n <= 0) return n;
      offset_ = 0;
      size_ = static_cast<size_t>(n);
    }
    const size_t n = std::min(size, size_ - offset_);
    std::memcpy(ptr, buffer_.data() + offset_, n);
    offset_ += n;
    if (in_headers_) Count(ptr, n);
    return static_cast<ssize_t>(n);
  }

  ssize_t write(const char* ptr, size_t size) override {
    if (!is_writable()) return -1;
    ssize_t n = 0;
    do {
      n = ::send(sock_, ptr, size, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    return n;
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    AddressOf(sock_, true, ip, port);
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    AddressOf(sock_, false, ip, port);
  }
  socket_t socket() const override { return sock_; }

  // Whether a read failed on the budget: the connection must end (what
  // follows is the rest of the flood, not a request).
  bool exceeded() const { return exceeded_; }

 private:
  // Counts header bytes and ends the header phase at an empty line ("\r\n"
  // or "\n" right after a line end).
  void Count(const char* bytes, size_t n) {
    for (size_t i = 0; i < n && in_headers_; ++i) {
      ++used_;
      const char c = bytes[i];
      if (c == '\n') {
        if (line_ == 0 || (line_ == 1 && carriage_)) {
          if (lines_ > 0) in_headers_ = false;  // the blank line after the headers
        }
        ++lines_;
        line_ = 0;
        carriage_ = false;
      } else {
        carriage_ = line_ == 0 && c == '\r';
        ++line_;
      }
    }
  }

  int sock_;
  int read_ms_;
  int write_ms_;
  size_t budget_;
  size_t used_ = 0;
  bool in_headers_ = true;
  bool exceeded_ = false;
  size_t line_ = 0;   // bytes of the current line so far
  size_t lines_ = 0;  // lines ended so far
  bool carriage_ = false;
  std::array<char, 4096> buffer_{};
  size_t offset_ = 0;
  size_t size_ = 0;
};

}  // namespace

bool BoundedHttpServer::process_and_close_socket(socket_t sock) {
  bool processed = false;
  size_t count = keep_alive_max_count_;
  const int read_ms = Millis(read_timeout_sec_, read_timeout_usec_);
  const int write_ms = Millis(write_timeout_sec_, write_timeout_usec_);
  const auto keep_alive = std::chrono::seconds(keep_alive_timeout_sec_);
  while (svr_sock_ != INVALID_SOCKET && count > 0) {
    // Wait for the next request in short slices, so that stop() is seen.
    const auto start = std::chrono::steady_clock::now();
    int ready = 0;
    while (ready == 0 && svr_sock_ != INVALID_SOCKET &&
           std::chrono::steady_clock::now() - start <= keep_alive) {
      ready = PollFor(sock, POLLIN, 50);
    }
    if (ready <= 0) break;
    const bool close_connection = count == 1;
    bool connection_closed = false;
    BoundedSocketStream stream(sock, read_ms, write_ms, header_budget_);
    processed = process_request(stream, close_connection, connection_closed, nullptr);
    if (!processed || connection_closed || stream.exceeded()) break;
    --count;
  }
  ::shutdown(sock, SHUT_RDWR);
  ::close(sock);
  return processed;
}

}  // namespace vigil::server
