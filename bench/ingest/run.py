#!/usr/bin/env python3
"""Ingest benchmark: signed `api` webhooks into Junction vs the reference peers, one run.

Servers, measured in interleaved rounds so drift hits all of them alike:
  junction          junction serve, durable (group-commit fsync), signatures checked
  junction-nofsync  the same with journal.fsync = none (what durability costs)
  hummingbird       ../shared/peers/hummingbird-webhook, MODE=group (group-commit fsync)
  nginx             ../shared/peers/nginx, a fixed 200 (the machine's ceiling)

For each server and connection count: requests/s, p50/p99/p99.9 latency (wrk), server CPU
seconds per 1000 requests and peak RSS; and, over the middle of each run, where the machine's
two cores went: idle, kernel and user time per request, and the CPU per request of the server
and of wrk (both share the machine, so the load generator's cost limits every server). Prints
the tables with the ratios and writes the raw numbers to bench/results/ingest-<time>.json.

usage: bench/ingest/run.py [--duration 20] [--rounds 3] [--connections 16,64,256]
                           [--servers junction,junction-nofsync,hummingbird,nginx]
                           [--compare OTHER_JUNCTION_BINARY] [--fresh]

--fresh restarts every server with empty data before each measurement: without it one server
per peer serves the whole run, so Junction's live state grows through the run (to about 3M
messages) while the peers keep none.

--compare runs another junction build (say, the release binary of the commit before a change)
as server `junction-compare`, interleaved with the rest, and prints junction/junction-compare.
"""
import argparse, base64, json, os, re, shutil, signal, socket, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from junction_bench import ROOT, RESULTS, SECRET, SWIFT, ensure_tools, free_port, ram_workdir, wait_port  # noqa: E402

SHARED = os.path.join(os.path.dirname(ROOT), "shared")


def cpu_seconds(pid):
    """utime + stime of a process and its threads, in seconds."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_rss_mib(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


# Directories of stopped servers, removed when the run ends.
LEFTOVERS = []


class Server:
    def __init__(self, name, start, port, path, script):
        self.name, self.start_fn, self.port, self.path, self.script = name, start, port, path, script
        self.process = None
        self.pid = None
        # The directory the server writes (its journal; nginx's prefix), removed when it stops.
        self.scratch = None

    def start(self):
        self.process, self.pid, self.scratch = self.start_fn(self.port)
        wait_port(self.port)

    def stop(self):
        if self.process is not None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
        elif self.pid:
            os.kill(self.pid, signal.SIGTERM)
            time.sleep(0.5)
        # Removed when the run ends, not now: deleting a journal makes an ext4 disk mounted
        # with `discard` trim it, which stalled the next server's fsyncs by up to 0.4 s.
        if self.scratch:
            LEFTOVERS.append(self.scratch)
            self.scratch = None


def build(args):
    if not args.no_build:
        subprocess.run([SWIFT, "build", "-c", "release", "--product", "junction"], cwd=ROOT, check=True)
        if "hummingbird" in args.servers:
            subprocess.run([SWIFT, "build", "-c", "release", "--scratch-path",
                            os.path.join(RESULTS, ".build-hummingbird")],
                           cwd=os.path.join(SHARED, "peers", "hummingbird-webhook"), check=True)


def junction_server(work, fsync, binary=None):
    binary = binary or os.path.join(ROOT, ".build", "release", "junction")
    config = os.path.join(work, f"config-{fsync}")
    os.makedirs(config, exist_ok=True)
    # No request-rate limit: the benchmark measures what the server can do.
    json.dump({"listen": "127.0.0.1:0", "tokens": [], "limits": {"inbound_per_channel": 0},
               "journal": {"fsync": fsync, "snapshot_every": 0}},
              open(os.path.join(config, "gateway.json"), "w"))
    json.dump({"channels": [{"id": "bench", "adapter": "api",
                             "settings": {"secret": SECRET, "tolerance": "1h"}}]},
              open(os.path.join(config, "channels.json"), "w"))

    def start(port):
        data = tempfile.mkdtemp(prefix=f"junction-bench-{fsync}-", dir=work)
        process = subprocess.Popen([binary, "serve", "--config", config, "--data", data,
                                    "--listen", f"127.0.0.1:{port}"],
                                   stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, f"junction-{fsync}.log"), "a"))
        return process, process.pid, data
    return start


def hummingbird_server(work):
    def start(port):
        binary = os.path.join(RESULTS, ".build-hummingbird", "release", "HBWebhook")
        scratch = tempfile.mkdtemp(dir=work)
        env = dict(os.environ, MODE="group", PORT=str(port), JOURNAL=os.path.join(scratch, "hb-journal.log"))
        process = subprocess.Popen([binary], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return process, process.pid, scratch
    return start


def nginx_server(work):
    def start(port):
        prefix = tempfile.mkdtemp(prefix="nginx-", dir=work)
        for sub in ("logs", "tmp"):
            os.makedirs(os.path.join(prefix, sub))
        conf = open(os.path.join(SHARED, "peers", "nginx", "nginx.conf")).read().replace("18080", str(port))
        conf_path = os.path.join(prefix, "nginx.conf")
        open(conf_path, "w").write(conf)
        subprocess.run(["nginx", "-p", prefix + "/", "-c", conf_path], check=True)
        time.sleep(0.3)
        master = int(open(os.path.join(prefix, "nginx.pid")).read())
        return None, master, prefix
    return start


def nginx_pids(master):
    """nginx's master and workers (its CPU is in the workers)."""
    out = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout.split()
    return [master] + [int(pid) for pid in out]


def machine_ticks():
    """/proc/stat's first line: user, nice, system, idle, iowait, irq, softirq, steal ticks."""
    return [int(v) for v in open("/proc/stat").readline().split()[1:9]]


def machine_window(before, after, seconds, requests):
    """Where the machine's time went in a window of the run (wrk's start-up excluded): idle
    cores, and per request the whole machine's kernel (system + irq + softirq) and user CPU,
    the load generator's CPU and the server's."""
    ticks = [b - a for a, b in zip(before[0], after[0])]
    hz = os.sysconf("SC_CLK_TCK")
    requests = max(1, requests)
    return {
        "idle_cores": (ticks[3] + ticks[4]) / hz / seconds,
        "kernel_us_per_request": 1e6 * (ticks[2] + ticks[5] + ticks[6]) / hz / requests,
        "user_us_per_request": 1e6 * (ticks[0] + ticks[1]) / hz / requests,
        "server_us_per_request_window": 1e6 * (after[1] - before[1]) / requests,
        "wrk_us_per_request": 1e6 * (after[2] - before[2]) / requests,
    }


def run_wrk(server, connections, duration, requests_dir):
    env = dict(os.environ, REQUESTS_DIR=requests_dir)
    pids = nginx_pids(server.pid) if server.name == "nginx" else [server.pid]
    before = sum(cpu_seconds(pid) for pid in pids)
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "-s", server.script,
           f"http://127.0.0.1:{server.port}{server.path}"]
    wrk = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, text=True)
    # The machine's accounting over the middle of the run: wrk reads its requests at start-up.
    window = None
    if duration >= 4:
        time.sleep(1.5)
        sample = lambda: (machine_ticks(), sum(cpu_seconds(pid) for pid in pids), cpu_seconds(wrk.pid))
        first = sample()
        window = duration - 3
        time.sleep(window)
        second = sample()
    out = wrk.communicate()[0]
    after = sum(cpu_seconds(pid) for pid in pids)
    match = re.search(r"^RESULT (.*)$", out, re.M)
    if not match:
        sys.exit(f"wrk gave no RESULT line for {server.name}:\n{out}")
    result = {k: float(v) for k, v in (kv.split("=") for kv in match.group(1).split())}
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    result["non_2xx"] = int(non2xx.group(1)) if non2xx else 0
    result["cpu_s"] = after - before
    if window:
        result.update(machine_window(first, second, window, result["rps"] * window))
    result["peak_rss_mib"] = max(peak_rss_mib(pid) for pid in pids)
    return result


def median(values):
    values = sorted(values)
    return values[len(values) // 2] if values else 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", default="16,64,256")
    parser.add_argument("--servers", default="junction,junction-nofsync,hummingbird,nginx")
    parser.add_argument("--no-build", action="store_true")
    parser.add_argument("--fresh", action="store_true",
                        help="restart every server with empty data before each measurement "
                             "(default: one server per peer for the whole run, so Junction's "
                             "state grows through it)")
    parser.add_argument("--compare", metavar="BINARY",
                        help="another junction build to run as server 'junction-compare' (before/after a change)")
    args = parser.parse_args()
    args.servers = args.servers.split(",")
    connections = [int(c) for c in args.connections.split(",")]
    ensure_tools("wrk", *(("nginx",) if "nginx" in args.servers else ()))
    os.makedirs(RESULTS, exist_ok=True)
    build(args)
    work = tempfile.mkdtemp(prefix="ingest-bench-")
    requests_root = ram_workdir("ingest-requests-")
    peer_script = os.path.join(SHARED, "peers", "wrk", "webhook.lua")
    ours = os.path.join(ROOT, "bench", "ingest", "ingest.lua")
    if args.compare:
        args.servers.append("junction-compare")
    factories = {
        "junction-compare": lambda: Server("junction-compare", junction_server(work, "group", args.compare), free_port(), "/v1/inbound/bench", ours),
        "junction": lambda: Server("junction", junction_server(work, "group"), free_port(), "/v1/inbound/bench", ours),
        "junction-nofsync": lambda: Server("junction-nofsync", junction_server(work, "none"), free_port(), "/v1/inbound/bench", ours),
        "hummingbird": lambda: Server("hummingbird", hummingbird_server(work), free_port(), "/webhook", peer_script),
        "nginx": lambda: Server("nginx", nginx_server(work), free_port(), "/webhook", peer_script),
    }
    servers = [factories[name]() for name in args.servers]
    raw = {server.name: {c: [] for c in connections} for server in servers}
    # Enough unique requests that wrk never repeats one at up to 70k req/s.
    per_thread = 35_000 * args.duration
    try:
        for server in servers:
            server.start()
        for round_number in range(args.rounds):
            for c in connections:
                # Fresh, never-seen message ids each time (a duplicate is cheaper than a write).
                requests_dir = os.path.join(requests_root, f"requests-{round_number}-{c}")
                subprocess.run([sys.executable, os.path.join(ROOT, "bench", "ingest", "prepare.py"),
                                "--secret", SECRET, "--count", str(per_thread), "--threads", "2",
                                "--run", f"r{round_number}c{c}", "--out", requests_dir], check=True)
                os.sync()  # nothing left to write back while a server is measured
                for server in servers:
                    if args.fresh:
                        server.stop()
                        server.start()
                    result = run_wrk(server, c, args.duration, requests_dir)
                    raw[server.name][c].append(result)
                    print(f"round {round_number + 1} c={c} {server.name}: {result['rps']:.0f} req/s "
                          f"p99 {result['p99_us'] / 1000:.2f} ms non-2xx {result['non_2xx']}", flush=True)
                shutil.rmtree(requests_dir, ignore_errors=True)
    finally:
        for server in servers:
            server.stop()
        for leftover in LEFTOVERS:
            shutil.rmtree(leftover, ignore_errors=True)
        shutil.rmtree(requests_root, ignore_errors=True)
    report(raw, connections, args)
    shutil.rmtree(work, ignore_errors=True)


def report(raw, connections, args):
    stamp = time.strftime("%Y-%m-%dT%H-%M-%S")
    path = os.path.join(RESULTS, f"ingest-{stamp}.json")
    json.dump({"date": stamp, "duration_s": args.duration, "rounds": args.rounds, "fresh": args.fresh,
               "machine": os.uname().nodename, "cores": os.cpu_count(), "raw": raw}, open(path, "w"), indent=1)
    print()
    servers = "servers restarted with empty data before each run" if args.fresh else "one server per peer for the whole run"
    print(f"Ingest benchmark, medians of {args.rounds} interleaved rounds of {args.duration} s, wrk -t2, {servers}")
    print(f"{'server':<18}{'conns':>6}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'p99.9 ms':>10}{'CPU s/1k':>10}{'RSS MiB':>9}{'non-2xx':>9}")
    medians = {}
    for name, by_c in raw.items():
        for c in connections:
            runs = by_c[c]
            m = {key: median([r[key] for r in runs]) for key in runs[0]}
            medians[(name, c)] = m
            cpu_per_k = m["cpu_s"] / max(1, m["requests"]) * 1000
            print(f"{name:<18}{c:>6}{m['rps']:>10.0f}{m['p50_us'] / 1000:>9.2f}{m['p99_us'] / 1000:>9.2f}"
                  f"{m['p999_us'] / 1000:>10.2f}{cpu_per_k:>10.3f}{m['peak_rss_mib']:>9.0f}{int(m['non_2xx']):>9}")
    if all("idle_cores" in m for m in medians.values()):
        print()
        print("Where the two cores went, middle of each run (medians; per request over the whole machine):")
        print(f"{'server':<18}{'conns':>6}{'idle cores':>11}{'kernel us':>10}{'user us':>9}{'server us':>10}{'wrk us':>8}")
        for (name, c), m in medians.items():
            print(f"{name:<18}{c:>6}{m['idle_cores']:>11.2f}{m['kernel_us_per_request']:>10.1f}"
                  f"{m['user_us_per_request']:>9.1f}{m['server_us_per_request_window']:>10.1f}"
                  f"{m['wrk_us_per_request']:>8.1f}")
    print()
    for c in connections:
        if ("junction", c) not in medians:
            continue
        ours = medians[("junction", c)]["rps"]
        parts = [f"c={c}:"]
        for peer in ("hummingbird", "nginx", "junction-nofsync", "junction-compare"):
            if (peer, c) in medians:
                parts.append(f"junction/{peer} = {ours / max(1, medians[(peer, c)]['rps']):.2f}")
        print("  ".join(parts))
    print(f"\nraw numbers: {path}")


if __name__ == "__main__":
    main()
