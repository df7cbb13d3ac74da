// Export to GraphML (Cytoscape, Gephi), GEXF (Gephi) and CSV node and link
// tables (i2 Analyst's Notebook style imports).
#include <ostream>

#include "vigil/graph.h"

namespace vigil {
namespace {

std::string XmlEscape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string Csv(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

const char* KindOf(const Graph& graph, NodeId v) {
  return graph.IsSelector(v) ? "selector" : "person";
}

// Calls fn(edge, a, b) once per edge with a < b.
template <typename Fn>
void ForEachEdge(const Graph& graph, Fn&& fn) {
  for (NodeId a = 0; a < graph.node_count(); ++a) {
    auto neighbours = graph.Neighbours(a);
    auto edges = graph.IncidentEdges(a);
    for (size_t i = 0; i < neighbours.size(); ++i) {
      if (a < neighbours[i]) fn(edges[i], a, neighbours[i]);
    }
  }
}

void WriteGraphml(const Graph& graph, std::span<const uint32_t> membership, std::ostream& out) {
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n"
         "  <key id=\"label\" for=\"node\" attr.name=\"label\" attr.type=\"string\"/>\n"
         "  <key id=\"kind\" for=\"node\" attr.name=\"kind\" attr.type=\"string\"/>\n"
         "  <key id=\"degree\" for=\"node\" attr.name=\"degree\" attr.type=\"long\"/>\n"
         "  <key id=\"community\" for=\"node\" attr.name=\"community\" attr.type=\"long\"/>\n"
         "  <key id=\"kinds\" for=\"edge\" attr.name=\"kinds\" attr.type=\"string\"/>\n"
         "  <key id=\"count\" for=\"edge\" attr.name=\"count\" attr.type=\"long\"/>\n"
         "  <key id=\"first\" for=\"edge\" attr.name=\"first\" attr.type=\"string\"/>\n"
         "  <key id=\"last\" for=\"edge\" attr.name=\"last\" attr.type=\"string\"/>\n"
         "  <graph id=\"vigil\" edgedefault=\"undirected\">\n";
  for (NodeId v = 0; v < graph.node_count(); ++v) {
    out << "    <node id=\"n" << v << "\"><data key=\"label\">" << XmlEscape(graph.Label(v))
        << "</data><data key=\"kind\">" << KindOf(graph, v) << "</data><data key=\"degree\">"
        << graph.Degree(v) << "</data>";
    if (!membership.empty()) out << "<data key=\"community\">" << membership[v] << "</data>";
    out << "</node>\n";
  }
  ForEachEdge(graph, [&](EdgeId e, NodeId a, NodeId b) {
    out << "    <edge source=\"n" << a << "\" target=\"n" << b << "\"><data key=\"kinds\">"
        << EdgeKindsName(graph.EdgeKinds(e)) << "</data><data key=\"count\">"
        << graph.EdgeContactCount(e) << "</data><data key=\"first\">"
        << FormatTime(graph.EdgeFirst(e)) << "</data><data key=\"last\">"
        << FormatTime(graph.EdgeLast(e)) << "</data></edge>\n";
  });
  out << "  </graph>\n</graphml>\n";
}

void WriteGexf(const Graph& graph, std::span<const uint32_t> membership, std::ostream& out) {
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<gexf xmlns=\"http://gexf.net/1.3\" version=\"1.3\">\n"
         "  <graph defaultedgetype=\"undirected\">\n"
         "    <attributes class=\"node\">\n"
         "      <attribute id=\"0\" title=\"kind\" type=\"string\"/>\n"
         "      <attribute id=\"1\" title=\"community\" type=\"long\"/>\n"
         "    </attributes>\n"
         "    <attributes class=\"edge\">\n"
         "      <attribute id=\"0\" title=\"kinds\" type=\"string\"/>\n"
         "      <attribute id=\"1\" title=\"first\" type=\"string\"/>\n"
         "      <attribute id=\"2\" title=\"last\" type=\"string\"/>\n"
         "    </attributes>\n"
         "    <nodes>\n";
  for (NodeId v = 0; v < graph.node_count(); ++v) {
    out << "      <node id=\"" << v << "\" label=\"" << XmlEscape(graph.Label(v))
        << "\"><attvalues><attvalue for=\"0\" value=\"" << KindOf(graph, v) << "\"/>";
    if (!membership.empty()) out << "<attvalue for=\"1\" value=\"" << membership[v] << "\"/>";
    out << "</attvalues></node>\n";
  }
  out << "    </nodes>\n    <edges>\n";
  ForEachEdge(graph, [&](EdgeId e, NodeId a, NodeId b) {
    out << "      <edge id=\"" << e << "\" source=\"" << a << "\" target=\"" << b << "\" weight=\""
        << graph.EdgeContactCount(e) << "\"><attvalues><attvalue for=\"0\" value=\""
        << EdgeKindsName(graph.EdgeKinds(e)) << "\"/><attvalue for=\"1\" value=\""
        << FormatTime(graph.EdgeFirst(e)) << "\"/><attvalue for=\"2\" value=\""
        << FormatTime(graph.EdgeLast(e)) << "\"/></attvalues></edge>\n";
  });
  out << "    </edges>\n  </graph>\n</gexf>\n";
}

void WriteCsvNodes(const Graph& graph, std::span<const uint32_t> membership, std::ostream& out) {
  out << "id,label,kind,degree,community\n";
  for (NodeId v = 0; v < graph.node_count(); ++v) {
    out << v << ',' << Csv(graph.Label(v)) << ',' << KindOf(graph, v) << ',' << graph.Degree(v)
        << ',';
    if (!membership.empty()) out << membership[v];
    out << '\n';
  }
}

void WriteCsvLinks(const Graph& graph, std::ostream& out) {
  out << "source,target,kinds,count,first,last\n";
  ForEachEdge(graph, [&](EdgeId e, NodeId a, NodeId b) {
    out << Csv(graph.Label(a)) << ',' << Csv(graph.Label(b)) << ','
        << EdgeKindsName(graph.EdgeKinds(e)) << ',' << graph.EdgeContactCount(e) << ','
        << FormatTime(graph.EdgeFirst(e)) << ',' << FormatTime(graph.EdgeLast(e)) << '\n';
  });
}

}  // namespace

Status ExportGraph(const Graph& graph, std::span<const uint32_t> membership, ExportFormat format,
                   std::ostream& out) {
  if (!membership.empty() && membership.size() != graph.node_count()) {
    return Status::InvalidArgument("membership does not match the graph");
  }
  switch (format) {
    case ExportFormat::kGraphml:
      WriteGraphml(graph, membership, out);
      break;
    case ExportFormat::kGexf:
      WriteGexf(graph, membership, out);
      break;
    case ExportFormat::kCsvNodes:
      WriteCsvNodes(graph, membership, out);
      break;
    case ExportFormat::kCsvLinks:
      WriteCsvLinks(graph, out);
      break;
  }
  out.flush();
  return out ? Status::Ok() : Status::IOError("writing the export failed");
}

}  // namespace vigil
