"""Shared pieces of the scale and hostile-client benchmarks: build and run `junction serve` on
a config of the benchmark's own, pre-sign `api` webhooks for wrk, run wrk, read a process's
memory and CPU from /proc."""
import base64, hashlib, hmac, json, os, re, signal, socket, subprocess, sys, tempfile, threading, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RESULTS = os.path.join(ROOT, "bench", "results")
SWIFT = "/opt/swift/usr/bin/swift"
REPLAY_LUA = os.path.join(ROOT, "bench", "scale", "replay.lua")
HELPDESK_TOKEN = "bench-helpdesk-token-0123456789"


def secret(name):
    return "whsec_" + base64.b64encode(f"junction-bench-{name}-secret-0123456789".encode()).decode()


def say(text):
    print(f"\033[1m==> {text}\033[0m", file=sys.stderr, flush=True)


def build_release():
    say("building junction (release)")
    subprocess.run([SWIFT, "build", "-c", "release", "--product", "junction"], cwd=ROOT, check=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def proc_status(pid, field):
    """A /proc/PID/status field in KiB (VmRSS, VmHWM)."""
    for line in open(f"/proc/{pid}/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def open_fds(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


class JunctionDied(Exception):
    """junction exited during start (or was killed for memory)."""


class Junction:
    """`junction serve` (release build) on a config written for the benchmark. With
    `max_rss_gib`, a watchdog SIGKILLs it when its RSS passes that (the machine is shared)."""

    def __init__(self, work, channels=("bench",), gateway=None, data=None, max_rss_gib=None):
        self.work = work
        self.config = os.path.join(work, "config")
        self.data = data or os.path.join(work, "data")
        self.log_path = os.path.join(work, "junction.log")
        os.makedirs(self.config, exist_ok=True)
        settings = {"listen": "127.0.0.1:0",
                    "tokens": [{"name": "helpdesk", "token": HELPDESK_TOKEN, "scopes": ["read", "write"]},
                               {"name": "noisy", "token": "bench-noisy-token-0123456789", "scopes": ["read"]}]}
        for key, value in (gateway or {}).items():
            settings[key] = value
        json.dump(settings, open(os.path.join(self.config, "gateway.json"), "w"))
        json.dump({"channels": [{"id": name, "adapter": "api",
                                 "settings": {"secret": secret(name), "tolerance": "24h"}}
                                for name in channels]},
                  open(os.path.join(self.config, "channels.json"), "w"))
        self.process = None
        self.port = None
        self.log_offset = 0
        self.max_rss_kib = int(max_rss_gib * 2**20) if max_rss_gib else None
        self.killed_for_memory = False
        self.peak_rss_kib = 0

    def _watch(self, process):
        while process.poll() is None:
            try:
                rss = proc_status(process.pid, "VmRSS")
            except OSError:
                return
            self.peak_rss_kib = max(self.peak_rss_kib, rss)
            if self.max_rss_kib and rss > self.max_rss_kib:
                self.killed_for_memory = True
                process.kill()
                return
            time.sleep(0.1)

    def start(self, timeout=600):
        """Starts and waits for the "listening" line; returns seconds from exec to listening."""
        self.port = free_port()
        binary = os.path.join(ROOT, ".build", "release", "junction")
        log = open(self.log_path, "a")
        self.log_offset = os.path.getsize(self.log_path)  # only this start's lines count
        started = self.started_at = time.time()
        self.process = subprocess.Popen([binary, "serve", "--config", self.config, "--data", self.data,
                                         "--listen", f"127.0.0.1:{self.port}"],
                                        stdout=log, stderr=log)
        self.killed_for_memory = False
        self.peak_rss_kib = 0
        threading.Thread(target=self._watch, args=(self.process,), daemon=True).start()
        deadline = started + timeout
        while time.time() < deadline:
            if self.process.poll() is not None:
                reason = (f"killed: RSS over {self.max_rss_kib // 2**20} GiB" if self.killed_for_memory
                          else f"exited ({self.process.returncode})")
                raise JunctionDied(f"junction {reason}; log: {self.log_path}")
            if "Junction is listening." in self.log_tail(since_start=True):
                return time.time() - started
            time.sleep(0.005)
        self.kill()
        raise JunctionDied(f"junction did not listen within {timeout}s; log: {self.log_path}")

    def log_tail(self, size=4096, since_start=False):
        with open(self.log_path, "rb") as log:
            log.seek(0, 2)
            floor = self.log_offset if since_start else 0
            log.seek(max(floor, log.tell() - size))
            return log.read().decode(errors="replace")

    @property
    def pid(self):
        return self.process.pid

    def stop(self, timeout=120):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def kill(self):
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def signed_request(channel, message_id, user, text, timestamp, extra=""):
    body = json.dumps({"id": message_id, "from": {"id": user, "name": f"Customer {user}"},
                       "text": text}, ensure_ascii=False).encode()
    key = base64.b64decode(secret(channel)[len("whsec_"):])
    webhook_id = "wh_" + message_id
    signature = base64.b64encode(hmac.new(key, f"{webhook_id}.{timestamp}.".encode() + body,
                                          hashlib.sha256).digest()).decode()
    head = (f"POST /v1/inbound/{channel} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Content-Type: application/json\r\nwebhook-id: {webhook_id}\r\n"
            f"webhook-timestamp: {timestamp}\r\nwebhook-signature: v1,{signature}\r\n{extra}"
            f"Content-Length: {len(body)}\r\n\r\n")
    return head.encode() + body


TEXT = ("Здравствуйте! Заказ #48213 должен был прийти вчера, но трекинг показывает, что посылка "
        "застряла на складе. Hello, order 48213 is late.")


def prepare_requests(directory, channel, per_thread, threads=2, run="r1", users=2000, user_offset=0):
    """One file per wrk thread for replay.lua: each request as its length, a newline, the bytes.
    Every request has its own message id; senders come from a pool of `users`."""
    os.makedirs(directory, exist_ok=True)
    timestamp = str(int(time.time()))
    for thread in range(threads):
        with open(os.path.join(directory, f"requests-{thread}.bin"), "wb") as out:
            for index in range(per_thread):
                user = f"user-{user_offset + (index * threads + thread) % users}"
                request = signed_request(channel, f"{run}-t{thread}-{index}", user, TEXT, timestamp)
                out.write(f"{len(request)}\n".encode())
                out.write(request)
    # Written back now, not while a server is measured (the writeback would share the disk
    # with Junction's fsyncs).
    os.sync()
    return directory


def run_wrk(port, path, connections, duration, requests_dir, threads=2, delay_ms=0):
    """wrk replaying prepared requests; latency in microseconds, counts of non-2xx answers."""
    env = dict(os.environ, REQUESTS_DIR=requests_dir, DELAY_MS=str(delay_ms))
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", "-s", REPLAY_LUA,
           f"http://127.0.0.1:{port}{path}"]
    out = subprocess.run(cmd, env=env, capture_output=True, text=True).stdout
    match = re.search(r"^RESULT (.*)$", out, re.M)
    if not match:
        sys.exit(f"wrk gave no RESULT line:\n{out}")
    result = {k: float(v) for k, v in (kv.split("=") for kv in match.group(1).split())}
    statuses = re.search(r"^STATUSES (.*)$", out, re.M)
    result["statuses"] = {k: int(v) for k, v in (kv.split("=") for kv in statuses.group(1).split())} \
        if statuses and statuses.group(1).strip() else {}
    return result


def write_results(name, data):
    os.makedirs(RESULTS, exist_ok=True)
    path = os.path.join(RESULTS, f"{name}-{time.strftime('%Y%m%d-%H%M%S')}.json")
    data = dict(data, date=time.strftime("%Y-%m-%d %H:%M:%S %Z"), cores=os.cpu_count(),
                load_average=os.getloadavg())
    json.dump(data, open(path, "w"), indent=2)
    return path


def workdir(prefix):
    return tempfile.mkdtemp(prefix=prefix)

