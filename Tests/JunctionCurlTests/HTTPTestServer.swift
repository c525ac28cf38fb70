import Foundation
import JunctionTesting

/// A python3 `http.server` on a free loopback port, started per test, that can echo requests,
/// answer slowly, with any status, with big bodies, close mid-response, redirect, and count the
/// TCP connections it accepted.
final class HTTPTestServer: Sendable {
  let port: Int
  private let pid: pid_t

  var base: String { "http://127.0.0.1:\(port)" }

  private init(port: Int, pid: pid_t) {
    self.port = port
    self.pid = pid
  }

  /// Starts a server; throws when python3 is missing or the server does not come up.
  static func start() async throws -> HTTPTestServer {
    let stem = NSTemporaryDirectory() + "junction-curl-http-\(UUID().uuidString)"
    try source.write(toFile: stem + ".py", atomically: true, encoding: .utf8)
    let pid = try PeerProcess.spawn(["python3", stem + ".py"], outputPath: stem + ".out")
    // A deadline alone would fail a server that started while this task waited for a thread
    // (long blocking tests can hold the cooperative pool): look once more after it passes.
    let deadline = ContinuousClock.now + .seconds(20)
    var lastLook = false
    while !lastLook {
      lastLook = ContinuousClock.now >= deadline
      let output = (try? String(contentsOfFile: stem + ".out", encoding: .utf8)) ?? ""
      if let line = output.split(separator: "\n").first, output.contains("\n"),
        let port = Int(line)
      {
        // python has read its script; the output file stays open for it until it exits.
        try? FileManager.default.removeItem(atPath: stem + ".py")
        try? FileManager.default.removeItem(atPath: stem + ".out")
        return HTTPTestServer(port: port, pid: pid)
      }
      if output.contains("Error") || output.contains("not found") { break }
      try await Task.sleep(for: .milliseconds(20))
    }
    kill(pid, SIGTERM)
    _ = PeerProcess.wait(pid)
    let output = (try? String(contentsOfFile: stem + ".out", encoding: .utf8)) ?? ""
    throw PeerError(description: "the python3 HTTP test server did not start: \(output)")
  }

  /// Stops the server process (SIGTERM; python exits at once, so the wait is short).
  func stop() {
    kill(pid, SIGTERM)
    _ = PeerProcess.wait(pid)
  }

  private static let source = #"""
    import base64, http.server, json, signal, socket, sys, threading, time
    from urllib.parse import urlparse, parse_qs


    connections = 0
    lock = threading.Lock()

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self):
            global connections
            with lock:
                connections += 1
            super().setup()

        def log_message(self, *args):
            pass

        def reply(self, code, body, headers=()):
            self.send_response(code)
            for name, value in headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def handle_any(self):
            url = urlparse(self.path)
            query = parse_qs(url.query)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            path = url.path
            if path == "/echo":
                out = json.dumps({
                    "method": self.command, "path": self.path,
                    "headers": [[k, v] for k, v in self.headers.items()],
                    "body": base64.b64encode(body).decode(),
                }).encode()
                self.reply(200, out, [("Content-Type", "application/json"),
                                      ("X-Multi", "a"), ("x-multi", "b")])
            elif path == "/slow":
                time.sleep(float(query["ms"][0]) / 1000)
                self.reply(200, b"slow")
            elif path == "/status":
                headers = []
                if "retry_after" in query:
                    headers.append(("Retry-After", query["retry_after"][0]))
                self.reply(int(query["code"][0]), b"status body", headers)
            elif path == "/big":
                size = int(query["bytes"][0])
                self.send_response(200)
                if "chunked" in query:
                    self.send_header("Transfer-Encoding", "chunked")
                else:
                    self.send_header("Content-Length", str(size))
                self.end_headers()
                sent = 0
                while sent < size:
                    chunk = b"x" * min(65536, size - sent)
                    if "chunked" in query:
                        self.wfile.write(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
                    else:
                        self.wfile.write(chunk)
                    sent += len(chunk)
                if "chunked" in query:
                    self.wfile.write(b"0\r\n\r\n")
            elif path == "/close":
                self.send_response(200)
                self.send_header("Content-Length", "1000")
                self.end_headers()
                self.wfile.write(b"partial")
                self.wfile.flush()
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
            elif path == "/redirect":
                self.reply(302, b"", [("Location", "/echo")])
            elif path == "/connections":
                self.reply(200, str(connections).encode())
            else:
                self.reply(404, b"not found")

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = handle_any

    class Server(http.server.ThreadingHTTPServer):
        daemon_threads = True
        request_queue_size = 512

    server = Server(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()
    """#
}
