#!/usr/bin/env python3
"""Instructions per ingested webhook, counted by callgrind: a figure that does not move with the
load of a shared machine, for comparing builds (wall-clock ratios against the peers come from
bench/ingest/run.py).

Runs the release `junction serve` under `valgrind --tool=callgrind` twice on a fresh data
directory (journal.fsync none), posts N1 then N2 signed `api` webhooks over one keep-alive
connection, and reports (instructions(N2) - instructions(N1)) / (N2 - N1): the steady-state cost
of one webhook, start-up excluded. Senders come from a pool of --users customers, so after the
first few hundred requests every message joins an existing conversation (the first message of a
conversation also routes it and costs about 3x more; --users 100000 measures that instead).

Callgrind runs the CPU as valgrind emulates it: instructions it does not know (the SHA
extensions) are reported absent, so SHA-256 takes the portable path here and the figure
overstates what a CPU with the SHA extensions runs by the hashing's share.

usage: bench/ingest/instructions.py [--n1 300] [--n2 1300] [--users 100] [--binary PATH] [--no-build]
Raw figures: bench/results/instructions-<time>.json."""
import argparse, json, os, re, shutil, socket, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from junction_bench import ROOT, RESULTS, SECRET, build, ensure_tools, free_port, wait_port  # noqa: E402


def requests_file(work, count, users):
    out = os.path.join(work, "requests")
    subprocess.run([sys.executable, os.path.join(ROOT, "bench", "ingest", "prepare.py"), "--secret", SECRET,
                    "--count", str(count), "--threads", "1", "--users", str(users), "--out", out,
                    "--run", f"i{int(time.time())}"], check=True)
    data = open(os.path.join(out, "requests-0.bin"), "rb").read()
    requests, position = [], 0
    while position < len(data):
        newline = data.index(b"\n", position)
        length = int(data[position:newline])
        requests.append(data[newline + 1:newline + 1 + length])
        position = newline + 1 + length
    return requests


def send(port, requests):
    with socket.create_connection(("127.0.0.1", port)) as sock:
        for request in requests:
            sock.sendall(request)
            buffer = b""
            while b"\r\n\r\n" not in buffer:
                chunk = sock.recv(65536)
                if not chunk:
                    raise SystemExit("junction closed the connection")
                buffer += chunk
            head, _, rest = buffer.partition(b"\r\n\r\n")
            if not head.startswith(b"HTTP/1.1 200"):
                raise SystemExit(f"junction answered {head.splitlines()[0]!r}")
            length = int(re.search(rb"(?i)content-length: *(\d+)", head).group(1))
            while len(rest) < length:
                rest += sock.recv(65536)


def count_instructions(binary, work, requests):
    data = tempfile.mkdtemp(dir=work)
    config = os.path.join(work, "config")
    port = free_port()
    out = os.path.join(data, "callgrind.out")
    process = subprocess.Popen(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", binary, "serve",
                                "--config", config, "--data", os.path.join(data, "data"),
                                "--listen", f"127.0.0.1:{port}"],
                               stdout=subprocess.DEVNULL, stderr=open(os.path.join(data, "log"), "w"))
    try:
        wait_port(port, timeout=300)
        send(port, requests)
    finally:
        process.terminate()
        process.wait(timeout=600)
    match = re.search(r"^(?:summary|totals): (\d+)", open(out).read(), re.M)
    if not match:
        raise SystemExit(f"no instruction total in {out}")
    return int(match.group(1))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n1", type=int, default=300)
    parser.add_argument("--n2", type=int, default=1300)
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--binary", help="a junction binary to measure instead of this checkout's release build")
    parser.add_argument("--no-build", action="store_true")
    args = parser.parse_args()
    ensure_tools("valgrind")
    work = tempfile.mkdtemp(prefix="instructions-")
    binary = args.binary
    if binary is None:
        if not args.no_build:
            build()
        binary = os.path.join(ROOT, ".build", "release", "junction")
    # valgrind 3.19 cannot read the DWARF 5 the C targets carry: measure a copy without it.
    stripped = os.path.join(work, "junction")
    subprocess.run(["strip", "--strip-debug", "-o", stripped, binary], check=True)
    os.makedirs(os.path.join(work, "config"))
    # huge_pages off: the restart it makes would leave valgrind (execve of /proc/self/exe runs
    # the program natively) and count nothing.
    json.dump({"listen": "127.0.0.1:0", "tokens": [], "limits": {"inbound_per_channel": 0, "huge_pages": False},
               "journal": {"fsync": "none", "snapshot_every": 0}},
              open(os.path.join(work, "config", "gateway.json"), "w"))
    json.dump({"channels": [{"id": "bench", "adapter": "api", "settings": {"secret": SECRET, "tolerance": "1h"}}]},
              open(os.path.join(work, "config", "channels.json"), "w"))
    requests = requests_file(work, args.n2, args.users)
    first = count_instructions(stripped, work, requests[:args.n1])
    second = count_instructions(stripped, work, requests[:args.n2])
    per_request = (second - first) / (args.n2 - args.n1)
    result = {"date": time.strftime("%Y-%m-%dT%H:%M:%S"), "binary": binary, "users": args.users,
              "n1": args.n1, "n2": args.n2, "instructions_n1": first, "instructions_n2": second,
              "instructions_per_request": round(per_request)}
    os.makedirs(RESULTS, exist_ok=True)
    path = os.path.join(RESULTS, f"instructions-{time.strftime('%Y-%m-%dT%H-%M-%S')}.json")
    json.dump(result, open(path, "w"), indent=2)
    print(f"instructions per webhook (callgrind, {args.users} customers): {per_request:,.0f}")
    print(f"raw figures: {path}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
