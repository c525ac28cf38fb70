#!/usr/bin/env python3
"""End-to-end latency: a signed `api` webhook in → journaled → routed → the `message.received`
event delivered to a subscribed receiver, at a steady rate. Prints p50/p90/p99/max and writes
raw numbers to bench/results/e2e-<time>.json.

usage: bench/e2e/run.py [--rate 200] [--seconds 20] [--no-build]"""
import argparse, json, os, sys, threading, time, http.client
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import junction_bench as jb


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rate", type=int, default=200, help="messages per second")
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--no-build", action="store_true")
    args = parser.parse_args()
    if not args.no_build:
        jb.build()
    receiver = jb.Receiver()
    junction = jb.Junction()
    try:
        junction.request("POST", "/v1/subscriptions", {"url": receiver.url + "/hooks", "types": ["message.received"]})
        sent = {}
        total = args.rate * args.seconds
        connection = http.client.HTTPConnection("127.0.0.1", junction.port)
        start = time.time()
        for index in range(total):
            due = start + index / args.rate
            pause = due - time.time()
            if pause > 0:
                time.sleep(pause)
            message_id = f"e2e-{index}"
            body, headers = jb.signed(message_id, f"user-{index % 500}", "Где мой заказ 48213?")
            sent[message_id] = time.time()
            connection.request("POST", "/v1/inbound/bench", body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                raise SystemExit(f"inbound answered {response.status}")
        deadline = time.time() + 30
        while receiver.count() < total and time.time() < deadline:
            time.sleep(0.05)
        latencies = []
        for arrived, headers, body in receiver.records:
            event = json.loads(body)
            provider_id = event["data"]["message"]["provider_message_id"]
            if provider_id in sent:
                latencies.append((arrived - sent[provider_id]) * 1000)
    finally:
        junction.stop()
        receiver.stop()
    report = {"rate": args.rate, "seconds": args.seconds, "sent": total, "delivered": len(latencies),
              "p50_ms": jb.percentile(latencies, 50), "p90_ms": jb.percentile(latencies, 90),
              "p99_ms": jb.percentile(latencies, 99), "max_ms": max(latencies or [0])}
    os.makedirs(jb.RESULTS, exist_ok=True)
    path = os.path.join(jb.RESULTS, time.strftime("e2e-%Y-%m-%dT%H-%M-%S.json"))
    json.dump(dict(report, latencies_ms=latencies), open(path, "w"))
    print(f"\nEnd to end (webhook in → subscription receives message.received), {args.rate}/s for {args.seconds} s")
    print(f"{'sent':>8}{'delivered':>11}{'p50 ms':>9}{'p90 ms':>9}{'p99 ms':>9}{'max ms':>9}")
    print(f"{total:>8}{len(latencies):>11}{report['p50_ms']:>9.2f}{report['p90_ms']:>9.2f}{report['p99_ms']:>9.2f}{report['max_ms']:>9.2f}")
    print(f"raw numbers: {path}")


if __name__ == "__main__":
    main()
