"""python-igraph side of network_bench: same graph, same questions.

Usage: igraph_peer.py EDGES.bin NODES SEEDS.txt SAMPLES [DAY.bin]
EDGES.bin, DAY.bin: little-endian uint32 pairs (DAY: one new day of
contacts, added with add_edges). Prints "name seconds" lines.
"""
import resource
import sys
import time

import igraph
import numpy


def timed(name, fn):
    start = time.perf_counter()
    result = fn()
    print(name, "%.6f" % (time.perf_counter() - start), flush=True)
    return result


def main():
    path, n, seeds_path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    edges = numpy.fromfile(path, dtype="<u4").reshape(-1, 2)
    g = timed("build", lambda: igraph.Graph(n=n, edges=edges.tolist(), directed=False).simplify())
    if len(sys.argv) > 5:
        day = numpy.fromfile(sys.argv[5], dtype="<u4").reshape(-1, 2).tolist()
        timed("add_day", lambda: g.add_edges(day))
    seeds = [int(x) for x in open(seeds_path).read().split()]
    lat = []
    for s in seeds:
        start = time.perf_counter()
        g.neighborhood(s, order=2)
        lat.append(time.perf_counter() - start)
    lat.sort()
    print("hop2_p50", "%.9f" % lat[len(lat) // 2])
    print("hop2_p99", "%.9f" % lat[int(len(lat) * 0.99)])
    timed("pagerank", lambda: g.pagerank())
    if g.ecount() <= 2_000_000:  # cutoff=2 took 194 s at 1M edges; skipped above
        timed("betweenness_cutoff2", lambda: g.betweenness(directed=False, cutoff=2))
    timed("leiden", lambda: g.community_leiden(objective_function="modularity", n_iterations=2))
    print("peak_rss_mib", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)


if __name__ == "__main__":
    main()
