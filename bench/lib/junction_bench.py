"""Shared helpers for Junction's benchmark scripts: build, start a junction on a config of the
benchmark's own, sign `api` webhooks, a recording HTTP receiver with optional latency."""
import base64, hashlib, hmac, json, os, shutil, socket, subprocess, tempfile, threading, time, urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RESULTS = os.path.join(ROOT, "bench", "results")
SWIFT = "/opt/swift/usr/bin/swift"
SECRET = "whsec_" + base64.b64encode(b"junction-benchmark-secret-0123456789").decode()
TOKEN = "bench-helpdesk-token-0123456789"


def ensure_tools(*tools):
    """Runs scripts/bench-setup (wrk, nginx, valgrind from Debian) when one of `tools` is
    missing, and fails loudly if that did not help."""
    if all(shutil.which(tool) for tool in tools):
        return
    subprocess.run([os.path.join(ROOT, "scripts", "bench-setup")], check=True)
    missing = [tool for tool in tools if shutil.which(tool) is None]
    if missing:
        raise SystemExit(f"still missing after scripts/bench-setup: {', '.join(missing)}")


def ram_workdir(prefix):
    """A directory for wrk's pre-signed requests (hundreds of MiB per run), on /dev/shm when
    there is one, so that writing, reading and deleting them does not load the disk the servers
    fsync to (deleting on this ext4 mounted with `discard` trims it under the next server's
    fsyncs; a server measured right after its requests were written to disk had p99 360-480 ms,
    from /dev/shm 11 ms). The caller removes it."""
    if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK):
        return tempfile.mkdtemp(prefix=prefix, dir="/dev/shm")
    return tempfile.mkdtemp(prefix=prefix)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"nothing listens on {port}")


def build():
    subprocess.run([SWIFT, "build", "-c", "release", "--product", "junction"], cwd=ROOT, check=True)


class Junction:
    """A junction serve process on a private config and data directory."""

    def __init__(self, outbound_url=None, gateway=None):
        self.work = tempfile.mkdtemp(prefix="junction-bench-")
        self.port = free_port()
        config = os.path.join(self.work, "config")
        os.makedirs(config)
        settings = {"secret": SECRET, "tolerance": "1h", "rate_per_second": 100000}
        if outbound_url:
            settings["outbound_url"] = outbound_url
        gateway_json = {"tokens": [{"name": "bench", "token": TOKEN, "scopes": ["read", "write", "admin"]}],
                        "limits": {"inbound_per_channel": 0, "api_per_token": 0}}
        gateway_json.update(gateway or {})
        json.dump(gateway_json, open(os.path.join(config, "gateway.json"), "w"))
        json.dump({"channels": [{"id": "bench", "adapter": "api", "settings": settings}]},
                  open(os.path.join(config, "channels.json"), "w"))
        self.config = config
        self.process = subprocess.Popen(
            [os.path.join(ROOT, ".build", "release", "junction"), "serve", "--config", config,
             "--data", os.path.join(self.work, "data"), "--listen", f"127.0.0.1:{self.port}"],
            stdout=subprocess.DEVNULL, stderr=open(os.path.join(self.work, "junction.log"), "w"))
        wait_port(self.port)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)

    def request(self, method, path, body=None, headers=None):
        data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
        request = urllib.request.Request(self.url + path, data=data, method=method)
        request.add_header("Authorization", f"Bearer {TOKEN}")
        request.add_header("Content-Type", "application/json")
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        with urllib.request.urlopen(request, timeout=30) as response:
            raw = response.read()
            return json.loads(raw) if raw else None


def signed(message_id, user, text, timestamp=None):
    """Body and Standard Webhooks headers of one `api` message."""
    body = json.dumps({"id": message_id, "from": {"id": user}, "text": text}, ensure_ascii=False).encode()
    timestamp = str(timestamp or int(time.time()))
    webhook_id = "wh_" + message_id
    key = base64.b64decode(SECRET[len("whsec_"):])
    signature = base64.b64encode(hmac.new(key, f"{webhook_id}.{timestamp}.".encode() + body, hashlib.sha256).digest())
    return body, {"webhook-id": webhook_id, "webhook-timestamp": timestamp,
                  "webhook-signature": "v1," + signature.decode(), "Content-Type": "application/json"}


class Receiver:
    """A threaded HTTP server that answers every POST after `delay` seconds and records
    (arrival time, headers, body) of each."""

    def __init__(self, delay=0.0, status=200):
        self.records = []
        self.lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                arrived = time.time()
                if delay:
                    time.sleep(delay)
                with outer.lock:
                    outer.records.append((arrived, dict(self.headers), body))
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def count(self):
        with self.lock:
            return len(self.records)

    def stop(self):
        self.server.shutdown()


def percentile(values, p):
    values = sorted(values)
    if not values:
        return 0.0
    return values[min(len(values) - 1, int(len(values) * p / 100))]
