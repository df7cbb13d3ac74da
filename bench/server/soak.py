#!/usr/bin/python3
"""Soak of `vigil serve`: CONNECTIONS keep-alive connections at a constant
total request rate for DURATION seconds, the server's resident memory
sampled every 10 s.

Each connection sends its share of the rate on a fixed schedule (a request
that is late does not make the next one early, so the offered rate stays
constant whatever the latency); the requests alternate a subject look-up
and a 1-hop expansion of a random subject. Prints the requests sent, the
answers by status, the transport errors, latency percentiles, the RSS
samples and the RSS growth between the first and the last third of the run
(flat memory: the growth stays within the noise of the allocator).

Usage: soak.py --port P --token T --pid SERVER_PID --ids FILE
               [--connections 256] [--rate 256] [--duration 600]
Exit status 1 when any request failed (transport error or status >= 400).
"""
import argparse
import asyncio
import random
import statistics
import time


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


async def connection(args, ids, deadline, period, offset, stats):
    reader, writer = await asyncio.open_connection("127.0.0.1", args.port)
    next_at = time.monotonic() + offset
    serial = 0
    while next_at < deadline:
        await asyncio.sleep(max(0.0, next_at - time.monotonic()))
        person = random.choice(ids)
        path = (f"/v1/persons/{person}" if serial % 2 == 0
                else f"/v1/network/expand?seeds={person}&hops=1")
        serial += 1
        request = (f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                   f"Authorization: Bearer {args.token}\r\n"
                   f"X-Vigil-Purpose: soak test\r\n\r\n")
        sent = time.monotonic()
        try:
            writer.write(request.encode())
            await writer.drain()
            status_line = await reader.readline()
            status = int(status_line.split()[1])
            length = 0
            while True:
                header = await reader.readline()
                if header in (b"\r\n", b""):
                    break
                name, _, value = header.decode().partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            await reader.readexactly(length)
            stats["latency"].append(time.monotonic() - sent)
            stats["status"][status] = stats["status"].get(status, 0) + 1
        except Exception as error:  # noqa: BLE001 - every failure is counted
            stats["errors"].append(repr(error))
            writer.close()
            reader, writer = await asyncio.open_connection("127.0.0.1", args.port)
        next_at += period
    writer.close()


async def sample_memory(pid, deadline, samples):
    while time.monotonic() < deadline:
        samples.append(rss_kib(pid))
        await asyncio.sleep(10)
    samples.append(rss_kib(pid))


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--pid", type=int, required=True)
    parser.add_argument("--ids", required=True, help="file: one person id per line")
    parser.add_argument("--connections", type=int, default=256)
    parser.add_argument("--rate", type=float, default=256.0, help="requests/s in total")
    parser.add_argument("--duration", type=float, default=600.0)
    parser.add_argument("--warmup", type=float, default=0.0,
                        help="seconds at the start (load applied) left out of the memory growth")
    args = parser.parse_args()
    with open(args.ids) as f:
        ids = [line.strip() for line in f if line.strip()]
    random.seed(17)
    stats = {"latency": [], "status": {}, "errors": []}
    samples = []
    period = args.connections / args.rate
    start = time.monotonic()
    deadline = start + args.duration
    tasks = [connection(args, ids, deadline, period, period * i / args.connections, stats)
             for i in range(args.connections)]
    tasks.append(sample_memory(args.pid, deadline, samples))
    await asyncio.gather(*tasks)
    elapsed = time.monotonic() - start
    answered = sum(stats["status"].values())
    failed = sum(n for code, n in stats["status"].items() if code >= 400) + len(stats["errors"])
    latency = sorted(stats["latency"])
    # Samples are 10 s apart from the start; the warm-up's are left out of
    # the growth figures (the caller's graph and SQLite's page cache fill
    # on first use).
    steady = samples[min(len(samples) - 1, int(args.warmup // 10)):]
    third = max(1, len(steady) // 3)
    first, last = statistics.mean(steady[:third]), statistics.mean(steady[-third:])
    half = max(1, len(steady) // 2)
    print(f"soak: {args.connections} connections, offered {args.rate:.0f} req/s, "
          f"{elapsed:.0f} s")
    print(f"answered {answered} ({answered / elapsed:.1f} req/s), by status {stats['status']}, "
          f"transport errors {len(stats['errors'])}, failed {failed}")
    if latency:
        p50 = latency[len(latency) // 2] * 1000
        p99 = latency[min(len(latency) - 1, int(len(latency) * 0.99))] * 1000
        print(f"latency p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {latency[-1] * 1000:.1f} ms")
    print("server RSS KiB every 10 s: " + " ".join(str(s) for s in samples))
    print(f"after a {args.warmup:.0f} s warm-up ({len(steady)} samples): RSS mean first third "
          f"{first:.0f} KiB, last third {last:.0f} KiB, growth {100.0 * (last - first) / first:+.1f}%; "
          f"from {steady[0]} KiB at the warm-up's end to {steady[-1]} KiB at the end "
          f"({steady[-1] - steady[0]:+d} KiB), second half {steady[-1] - steady[half]:+d} KiB")
    for error in stats["errors"][:5]:
        print("error:", error)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
