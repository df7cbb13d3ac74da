// The outbox's HTTP client: one POST of an envelope to a partner's inbox.
#include <httplib.h>

#include <string>

#include "vigil/share.h"

namespace vigil::share {

Result<HttpReply> PostToInbox(const std::string& url, const std::string& body, int timeout_s) {
  httplib::Client client(url);
  if (!client.is_valid()) return Status::InvalidArgument("partner URL '" + url + "' is not valid");
  client.set_connection_timeout(timeout_s, 0);
  client.set_read_timeout(timeout_s, 0);
  client.set_write_timeout(timeout_s, 0);
  httplib::Result result = client.Post("/v1/share/inbox", body, "application/json");
  if (!result) {
    return Status::IOError("no answer from " + url + ": " + httplib::to_string(result.error()));
  }
  return HttpReply{result->status, result->body};
}

}  // namespace vigil::share
