// An httplib::Server whose connections read each request's line and headers
// under a byte budget (internal to src/server).
//
// Debian's cpp-httplib 0.11.4 is a compiled library: its line reader grows a
// request line or a header line without bound, and it keeps every header, so
// a client that never ends its headers grows the server's memory for as long
// as it sends (2.1 GiB measured). Its compile-time limits
// (CPPHTTPLIB_HEADER_MAX_LENGTH...) live in the library's object code, not
// in Vigil's. What Vigil can change is the stream a request is read from:
// the server's per-connection loop (Server::process_and_close_socket, a
// virtual the library's own SSLServer overrides) is replaced by one that
// reads through BoundedSocketStream, which fails a read once the request
// line and headers of the request pass `header_budget` bytes without the
// blank line that ends them. httplib then answers 400 (or, for the request
// line, closes the connection), and the line it was growing is freed.
// Bodies are not counted: Vigil reads them itself, under its own limits.
//
// Not covered: HTTPS (SSLServer's loop reads through OpenSSL and stays the
// library's), and a chunk-size line inside a chunked body (read by httplib's
// line reader during the body; Vigil caps what it reads of a body at 256 MiB
// and then closes the connection).
#ifndef VIGIL_SERVER_BOUNDED_HTTP_H_
#define VIGIL_SERVER_BOUNDED_HTTP_H_

#include <httplib.h>

#include <cstddef>

namespace vigil::server {

// The budget `vigil serve` uses: far above any request Vigil's clients send
// (a bearer token and a purpose), far below what hurts.
inline constexpr size_t kHeaderBudgetBytes = size_t{64} << 10;

class BoundedHttpServer final : public httplib::Server {
 public:
  // `header_budget`: the most bytes of a request line and its headers
  // (terminators included) read before the blank line.
  explicit BoundedHttpServer(size_t header_budget) : header_budget_(header_budget) {}

 private:
  // The keep-alive loop of httplib's own (detail::process_server_socket),
  // one BoundedSocketStream per request. Returns whether the last request
  // was processed.
  bool process_and_close_socket(socket_t sock) override;

  size_t header_budget_;
};

}  // namespace vigil::server

#endif  // VIGIL_SERVER_BOUNDED_HTTP_H_
