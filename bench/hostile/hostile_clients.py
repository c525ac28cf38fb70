#!/usr/bin/env python3
"""Hostile connections for bench/hostile/run: keeps IDLE connections that never send a byte
and SLOW ones that send a plausible request head one byte per second, reopening each one the
server closes, for SECONDS or until SIGTERM. Prints one JSON line of figures at the end.

usage: hostile_clients.py PORT IDLE SLOW SECONDS"""
import asyncio, json, resource, signal, statistics, sys, time

HEAD = (b"POST /v1/inbound/bench HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b"X-Slow: " + b"a" * 4000 + b"\r\n\r\n")


class Stats:
    def __init__(self):
        self.opened = 0
        self.refused = 0
        self.cut = []          # seconds each connection lived before the server closed it
        self.bytes_sent = 0
        self.open_now = 0
        self.peak_open = 0


async def one(port, slow, stats, stop_at):
    while time.time() < stop_at[0]:
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            stats.refused += 1
            await asyncio.sleep(0.5)
            continue
        stats.opened += 1
        stats.open_now += 1
        stats.peak_open = max(stats.peak_open, stats.open_now)
        opened = time.time()
        closed_by_server = False
        try:
            position = 0
            while time.time() < stop_at[0]:
                if slow:
                    writer.write(HEAD[position:position + 1])
                    position = (position + 1) % len(HEAD)
                    stats.bytes_sent += 1
                    await writer.drain()
                try:
                    data = await asyncio.wait_for(reader.read(4096), timeout=1.0)
                    if not data:
                        closed_by_server = True
                        break
                except asyncio.TimeoutError:
                    pass
        except (ConnectionError, OSError):
            closed_by_server = True
        finally:
            stats.open_now -= 1
            if closed_by_server:
                stats.cut.append(time.time() - opened)
            writer.close()


async def main():
    port, idle, slow, seconds = (int(a) for a in sys.argv[1:5])
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    stats = Stats()
    stop_at = [time.time() + seconds]
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, lambda: stop_at.__setitem__(0, 0))
    tasks = [one(port, False, stats, stop_at) for _ in range(idle)] + \
            [one(port, True, stats, stop_at) for _ in range(slow)]
    # Open them at a steady pace rather than all in one instant.
    started = []
    for index, task in enumerate(tasks):
        started.append(asyncio.ensure_future(task))
        if index % 50 == 49:
            await asyncio.sleep(0.05)
    await asyncio.gather(*started)
    cut = sorted(stats.cut)
    print(json.dumps({
        "idle": idle, "slow": slow, "opened": stats.opened, "refused": stats.refused,
        "peak_open": stats.peak_open, "cut_by_server": len(cut),
        "cut_after_median_s": round(statistics.median(cut), 2) if cut else None,
        "cut_after_max_s": round(cut[-1], 2) if cut else None, "slow_bytes_sent": stats.bytes_sent,
    }), flush=True)


if __name__ == "__main__":
    asyncio.run(main())
