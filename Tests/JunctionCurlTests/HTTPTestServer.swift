import Foundation

/// A python3 `http.server` on a free loopback port, started per test, that can echo requests,
/// answer slowly, with any status, with big bodies, close mid-response, redirect, and count the
/// TCP connections it accepted.
final class HTTPTestServer: Sendable {
  let port: Int
  private let process: Process

  var base: String { "http://127.0.0.1:\(port)" }

  private init(port: Int, process: Process) {
    self.port = port
    self.process = process
  }

  /// Starts a server; throws when python3 is missing or the server does not come up.
  static func start() throws -> HTTPTestServer {
    let script = NSTemporaryDirectory() + "junction-curl-http-\(UUID().uuidString).py"
    try source.write(toFile: script, atomically: true, encoding: .utf8)
    guard let python = PeerProcess.python else {
      throw PeerError(description: "python3 is needed for the HTTP tests and was not found")
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = [script]
    process.environment = PeerProcess.environment([:])
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    do {
      try process.run()
    } catch {
      throw PeerError(description: "python3 is needed for the HTTP tests: \(error)")
    }
    var line: [UInt8] = []
    while true {
      let byte = output.fileHandleForReading.readData(ofLength: 1)
      guard let first = byte.first else { break }
      if first == UInt8(ascii: "\n") { break }
      line.append(first)
    }
    guard let port = Int(String(decoding: line, as: UTF8.self)) else {
      process.terminate()
      throw PeerError(description: "the python3 HTTP test server did not start")
    }
    return HTTPTestServer(port: port, process: process)
  }

  /// Stops the server process.
  func stop() {
    if process.isRunning {
      process.terminate()
      process.waitUntilExit()
    }
  }

  private static let source = #"""
    import base64, http.server, json, signal, socket, sys, threading, time
    from urllib.parse import urlparse, parse_qs

    # The test process blocks signals in its threads and children inherit the mask.
    signal.pthread_sigmask(signal.SIG_SETMASK, [])

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
