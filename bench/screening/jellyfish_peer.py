#!/usr/bin/python3
"""Peer for screening_bench: brute-force Jaro-Winkler (python3-jellyfish)
of each query against every listed name. Usage: jellyfish_peer.py LIST QUERIES
(one name a line). Prints 'queries N seconds S qps Q'."""
import sys
import time

import jellyfish


def main():
    names = [line.rstrip("\n").lower() for line in open(sys.argv[1], encoding="utf-8")]
    queries = [line.rstrip("\n").lower() for line in open(sys.argv[2], encoding="utf-8")]
    jw = jellyfish.jaro_winkler_similarity
    start = time.perf_counter()
    for query in queries:
        best = max(range(len(names)), key=lambda i: jw(query, names[i]))
        del best
    seconds = time.perf_counter() - start
    print(f"queries {len(queries)} seconds {seconds:.3f} qps {len(queries) / seconds:.3f}")


if __name__ == "__main__":
    main()
