#!/usr/bin/env python3
"""Outbound: replies per second to a stand-in provider that takes `--latency` seconds per
request, and whether slow providers slow ingest: ingest req/s (wrk) alone and while the outbox
drains. Writes raw numbers to bench/results/outbound-<time>.json.

usage: bench/outbound/run.py [--replies 5000] [--latency 0.05] [--ingest-seconds 10] [--no-build]"""
import argparse, json, os, re, subprocess, sys, threading, time, urllib.request
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import junction_bench as jb


def wrk(junction, seconds, requests_dir):
    out = subprocess.run(
        ["wrk", "-t2", "-c32", f"-d{seconds}s", "--latency", "-s",
         os.path.join(jb.ROOT, "bench", "ingest", "ingest.lua"), f"{junction.url}/v1/inbound/bench"],
        env=dict(os.environ, REQUESTS_DIR=requests_dir), capture_output=True, text=True).stdout
    match = re.search(r"RESULT (.*)", out)
    return {k: float(v) for k, v in (kv.split("=") for kv in match.group(1).split())} if match else {}


def prepare(directory, run, count):
    subprocess.run([sys.executable, os.path.join(jb.ROOT, "bench", "ingest", "prepare.py"), "--secret", jb.SECRET,
                    "--count", str(count), "--threads", "2", "--run", run, "--out", directory], check=True)


def main():
    jb.ensure_tools("wrk")
    parser = argparse.ArgumentParser()
    parser.add_argument("--replies", type=int, default=5000)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--concurrency", type=int, default=64, help="sends in flight at once")
    parser.add_argument("--ingest-seconds", type=int, default=10)
    parser.add_argument("--no-build", action="store_true")
    args = parser.parse_args()
    if not args.no_build:
        jb.build()
    provider = jb.Receiver(delay=args.latency)
    junction = jb.Junction(outbound_url=provider.url + "/replies",
                           gateway={"delivery": {"send_concurrency": args.concurrency}})
    try:
        conversations = []
        for index in range(200):
            body, headers = jb.signed(f"seed-{index}", f"customer-{index}", "hello")
            request = urllib.request.Request(junction.url + "/v1/inbound/bench", data=body, headers=headers)
            conversations.append(json.loads(urllib.request.urlopen(request).read())["conversation_id"])
        per_thread = 40_000 * args.ingest_seconds
        baseline_dir = os.path.join(junction.work, "baseline")
        loaded_dir = os.path.join(junction.work, "loaded")
        prepare(baseline_dir, "base", per_thread)
        prepare(loaded_dir, "load", per_thread)
        baseline = wrk(junction, args.ingest_seconds, baseline_dir)

        # Queue every reply first, then measure ingest while the outbox drains them to the
        # slow provider: what a slow provider costs ingest, without the cost of queueing.
        queued_at = time.time()
        def queue(worker):
            for index in range(worker, args.replies, 8):
                junction.request("POST", f"/v1/conversations/{conversations[index % len(conversations)]}/messages",
                                 {"text": f"reply {index}"})
        threads = [threading.Thread(target=queue, args=(w,)) for w in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        queued = time.time() - queued_at
        loaded = wrk(junction, args.ingest_seconds, loaded_dir)
        draining = provider.count() < args.replies
        deadline = time.time() + 300
        while provider.count() < args.replies and time.time() < deadline:
            time.sleep(0.05)
        drained = time.time() - queued_at
    finally:
        junction.stop()
        provider.stop()
    rate = provider.count() / drained
    report = {"replies": args.replies, "latency_s": args.latency, "sent": provider.count(),
              "queue_seconds": queued, "drain_seconds": drained, "replies_per_s": rate,
              "outbox_still_draining_after_ingest_run": draining,
              "ingest_alone_rps": baseline.get("rps"), "ingest_while_sending_rps": loaded.get("rps"),
              "ingest_alone_p99_ms": baseline.get("p99_us", 0) / 1000,
              "ingest_while_sending_p99_ms": loaded.get("p99_us", 0) / 1000}
    os.makedirs(jb.RESULTS, exist_ok=True)
    path = os.path.join(jb.RESULTS, time.strftime("outbound-%Y-%m-%dT%H-%M-%S.json"))
    json.dump(report, open(path, "w"), indent=1)
    print(f"\nOutbound to a provider answering in {args.latency * 1000:.0f} ms")
    print(f"  {provider.count()} of {args.replies} replies sent in {drained:.1f} s: {rate:.0f} replies/s")
    print(f"  ingest alone:          {report['ingest_alone_rps'] or 0:.0f} req/s, p99 {report['ingest_alone_p99_ms']:.2f} ms")
    print(f"  ingest while sending:  {report['ingest_while_sending_rps'] or 0:.0f} req/s, p99 {report['ingest_while_sending_p99_ms']:.2f} ms")
    print(f"raw numbers: {path}")


if __name__ == "__main__":
    main()
