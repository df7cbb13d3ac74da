"""python-igraph side of network_bench: same graph, same questions.

Usage: igraph_peer.py EDGELIST NODES SEEDS.txt SOURCES.txt DAY.bin [hop2]

EDGELIST: the generated contacts as "a b" text lines, read with igraph's own
C reader (Graph.Read_Edgelist), so that no Python list of the edges is ever
built (a Python edge list of 100M pairs does not fit next to the graph).
DAY.bin: little-endian uint32 pairs, one new day of contacts (added with
add_edges). SEEDS.txt: the 2-hop seeds; SOURCES.txt: the betweenness
sample sources Vigil used. "hop2" stops after the 2-hop queries.

Prints "name wall_seconds cpu_seconds" lines as each step ends (igraph runs
on one thread, so CPU time is its time undisturbed by other load on the
machine), and peak RSS after every step, so that a run killed for memory
still says how far it got. Standard library only (no numpy).
"""
import array
import resource
import sys
import time


def peak_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def timed(name, fn):
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    print(name, "%.6f" % (time.perf_counter() - wall), "%.6f" % (time.process_time() - cpu),
          flush=True)
    print("peak_rss_mib_after_" + name, peak_rss_mib(), 0, flush=True)
    return result


def read_pairs(path):
    values = array.array("I")
    with open(path, "rb") as f:
        values.frombytes(f.read())
    if sys.byteorder != "little":
        values.byteswap()
    return list(zip(values[0::2], values[1::2]))


def percentiles(name, wall, cpu):
    wall.sort()
    cpu.sort()
    print(name + "_p50", "%.9f" % wall[len(wall) // 2], "%.9f" % cpu[len(cpu) // 2])
    print(name + "_p99", "%.9f" % wall[int(len(wall) * 0.99)], "%.9f" % cpu[int(len(cpu) * 0.99)],
          flush=True)


def main():
    import igraph

    path, n, seeds_path, sources_path = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    day_path = sys.argv[5]
    only = sys.argv[6] if len(sys.argv) > 6 else ""
    g = timed("read", lambda: igraph.Graph.Read_Edgelist(path, directed=False))
    if g.vcount() < n:  # ids past the largest one in the file have no edges
        g.add_vertices(n - g.vcount())
    timed("simplify", lambda: g.simplify())
    day = read_pairs(day_path)
    timed("add_day", lambda: g.add_edges(day))
    del day
    seeds = [int(x) for x in open(seeds_path).read().split()]
    wall, cpu = [], []
    for s in seeds:
        w, c = time.perf_counter(), time.thread_time()
        g.neighborhood(s, order=2)
        wall.append(time.perf_counter() - w)
        cpu.append(time.thread_time() - c)
    percentiles("hop2", wall, cpu)
    if only == "hop2":
        print("peak_rss_mib", peak_rss_mib(), 0)
        return
    timed("pagerank", lambda: g.pagerank())
    # igraph 0.10 has no sampled betweenness (no sources= argument). Its
    # Brandes does, per source, a breadth-first search and then a backward
    # pass over the same edges; the search alone from each of Vigil's
    # sampled sources (subcomponent: a BFS returning the reached ids) is a
    # lower bound on what igraph would need for the same estimate.
    sources = [int(x) for x in open(sources_path).read().split()]
    if len(sources) == g.vcount():  # every node a source: Vigil computed it exactly
        timed("betweenness_exact", lambda: g.betweenness(directed=False))
    timed("betweenness_bfs_only", lambda: [g.subcomponent(s) for s in sources])
    # What returning those ids to Python costs, to read the bound with:
    # building lists of as many fresh Python ints, with no search at all.
    reached = len(g.subcomponent(sources[0])) if sources else 0
    timed("betweenness_list_overhead",
          lambda: [list(range(n, n + reached)) for _ in sources])
    print("peak_rss_mib", peak_rss_mib(), 0)


if __name__ == "__main__":
    main()
