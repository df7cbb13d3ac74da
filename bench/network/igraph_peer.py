"""python-igraph side of network_bench: same graph, same questions.

Usage: igraph_peer.py EDGES.bin NODES SEEDS.txt SAMPLES [DAY.bin [hop2]]
EDGES.bin, DAY.bin: little-endian uint32 pairs (DAY: one new day of
contacts, added with add_edges). "hop2" stops after the 2-hop queries. Prints "name wall_seconds cpu_seconds"
lines (igraph runs on one thread, so CPU time is its time undisturbed by
other load on the machine). Standard library only (no numpy).
"""
import array
import resource
import sys
import time


def timed(name, fn):
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    print(name, "%.6f" % (time.perf_counter() - wall), "%.6f" % (time.process_time() - cpu),
          flush=True)
    return result


def read_pairs(path):
    values = array.array("I")
    with open(path, "rb") as f:
        values.frombytes(f.read())
    if sys.byteorder != "little":
        values.byteswap()
    return list(zip(values[0::2], values[1::2]))


def main():
    import igraph

    path, n, seeds_path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    edges = read_pairs(path)
    g = timed("build", lambda: igraph.Graph(n=n, edges=edges, directed=False).simplify())
    del edges
    if len(sys.argv) > 5:
        day = read_pairs(sys.argv[5])
        timed("add_day", lambda: g.add_edges(day))
    seeds = [int(x) for x in open(seeds_path).read().split()]
    wall, cpu = [], []
    for s in seeds:
        w, c = time.perf_counter(), time.thread_time()
        g.neighborhood(s, order=2)
        wall.append(time.perf_counter() - w)
        cpu.append(time.thread_time() - c)
    wall.sort()
    cpu.sort()
    print("hop2_p50", "%.9f" % wall[len(wall) // 2], "%.9f" % cpu[len(cpu) // 2])
    print("hop2_p99", "%.9f" % wall[int(len(wall) * 0.99)], "%.9f" % cpu[int(len(cpu) * 0.99)])
    if len(sys.argv) > 6 and sys.argv[6] == "hop2":
        print("peak_rss_mib", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, 0)
        return
    timed("pagerank", lambda: g.pagerank())
    if g.ecount() <= 2_000_000:  # cutoff=2 took 194 s at 1M edges; skipped above
        timed("betweenness_cutoff2", lambda: g.betweenness(directed=False, cutoff=2))
    parts = timed("leiden",
                  lambda: g.community_leiden(objective_function="modularity", n_iterations=2))
    print("leiden_modularity", "%.6f" % g.modularity(parts.membership), 0)
    print("peak_rss_mib", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, 0)


if __name__ == "__main__":
    main()
