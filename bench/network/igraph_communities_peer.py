"""python-igraph side of `network_bench ... --communities EDGELIST` for the
largest graph: the edge list is read by igraph's own C reader
(Graph.Read_Edgelist), not through a Python list, so 100M edges fit.

Usage: igraph_communities_peer.py EDGELIST
Prints "name wall_seconds cpu_seconds" lines: read, simplify, leiden (objective
modularity, n_iterations=2, as igraph_peer.py), then the modularity and the
peak RSS in MiB.
"""
import resource
import sys
import time


def timed(name, fn):
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    print(name, "%.3f" % (time.perf_counter() - wall), "%.3f" % (time.process_time() - cpu),
          flush=True)
    return result


def main():
    import igraph

    path = sys.argv[1]
    g = timed("read", lambda: igraph.Graph.Read_Edgelist(path, directed=False))
    timed("simplify", lambda: g.simplify())
    print("graph", g.vcount(), g.ecount(), flush=True)
    parts = timed("leiden",
                  lambda: g.community_leiden(objective_function="modularity", n_iterations=2))
    print("leiden_modularity", "%.6f" % g.modularity(parts.membership), len(parts), flush=True)
    print("peak_rss_mib", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, 0)


if __name__ == "__main__":
    main()
