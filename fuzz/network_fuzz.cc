// libFuzzer target: the public network file reader (ParseNetworkText, the
// body of LoadNetworkFile) on arbitrary bytes. Input: the first byte picks
// the format by file name (GML, matrix/JJATT CSV, edge list); the rest is
// the file.
// Contracts checked: parsing never crashes; a graph that loads has every
// neighbour id below its node count and no node its own neighbour.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "vigil/graph.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static const char* const kNames[] = {"net.gml", "net.csv", "net.txt"};
  const std::string name = kNames[data[0] % 3];
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  auto graph = vigil::ParseNetworkText(text, name);
  if (!graph.ok()) return 0;
  const size_t nodes = graph->node_count();
  for (vigil::NodeId v = 0; v < nodes; ++v) {
    for (const vigil::NodeId w : graph->Neighbours(v)) {
      if (w >= nodes || w == v) std::abort();
    }
  }
  return 0;
}
