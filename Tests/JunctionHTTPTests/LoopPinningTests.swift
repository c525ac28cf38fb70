import Dispatch
import Foundation
import JunctionHTTP
import JunctionSystem
import Synchronization
import Testing

/// `HTTPServerConfiguration.pinLoops`: each event loop on a CPU of its own.
@Suite(.serialized) struct LoopPinningTests {
  /// One loop per core, each asked to be pinned.
  private static func pinnedOnEveryCore(_ configuration: inout HTTPServerConfiguration) {
    configuration.workers = availableCores()
    configuration.pinLoops = true
  }

  /// Waits until every loop has started (a pinned loop reports its core once it runs).
  private func pinnedCores(_ server: HTTPServer) -> [Int?] {
    let deadline = Date().addingTimeInterval(2)
    while server.loopCores.contains(nil) && Date() < deadline {
      Thread.sleep(forTimeInterval: 0.01)
    }
    return server.loopCores
  }

  /// GETs `path` and returns the answer's body (a loop has run by then).
  private func get(_ path: String, from server: HTTPServer, timeout: Double = 2) throws -> String? {
    let client = try TCPClient(port: server.port)
    try client.send("GET \(path) HTTP/1.1\r\nHost: x\r\n\r\n")
    let got = try client.receive(timeout: timeout) { responses(in: $0).count == 1 }
    return responses(in: got).first?.body
  }

  @Test func eachLoopIsPinnedToACoreOfItsOwn() throws {
    let cores = availableCores()
    try withServer(configure: Self.pinnedOnEveryCore, routes: echoRoutes) { server in
      let pinned = pinnedCores(server)
      #expect(pinned.count == cores)
      #expect(!pinned.contains(nil))
      #expect(Set(pinned.compactMap { $0 }).count == cores)
      let body = try get("/items/7", from: server)
      #expect(body == "item 7 q=")
    }
  }

  @Test func loopsAreLeftFreeWhenThereAreMoreLoopsThanCores() throws {
    try withServer(
      configure: {
        $0.workers = availableCores() + 1
        $0.pinLoops = true
      }, routes: echoRoutes
    ) { server in
      let body = try get("/items/1", from: server)
      #expect(body == "item 1 q=")
      #expect(server.loopCores.allSatisfy { $0 == nil })
    }
  }

  @Test func loopsAreLeftFreeUnlessAsked() throws {
    try withServer(routes: echoRoutes) { server in
      let body = try get("/items/1", from: server)
      #expect(body == "item 1 q=")
      #expect(server.loopCores.allSatisfy { $0 == nil })
    }
  }

  /// A thread created from a pinned thread inherits its one-CPU mask, and Dispatch grows its
  /// pool from the thread that queues work. The first loop's sweep (every 0.25 s) gives such
  /// threads the process's mask back: work a handler hands to Dispatch, and a thread the loop
  /// starts itself, run free of the loop's CPU within a sweep or two.
  @Test func threadsStartedFromAPinnedLoopAreFreedByItsSweep() throws {
    let cores = availableCores()
    try withServer(
      configure: Self.pinnedOnEveryCore,
      routes: { router in
        router.add(.get, "/spread") { _, responder in
          let seen = Mutex<[String]>([])
          let group = DispatchGroup()
          let report: @Sendable (String, Int) -> Void = { label, first in
            Thread.sleep(forTimeInterval: 0.8)
            seen.withLock { $0.append("\(label):\(first):\(availableCores())") }
          }
          // Eight queues busy at once: the pool may have to start new threads for them.
          for index in 0..<8 {
            DispatchQueue(label: "pinning-test-\(index)").async(group: group) {
              report("dispatch", availableCores())
            }
          }
          // A thread the loop creates itself starts with the loop's one CPU.
          group.enter()
          Thread.detachNewThread {
            report("thread", availableCores())
            group.leave()
          }
          group.notify(queue: .global()) {
            responder.respond(.text(200, seen.withLock { $0 }.sorted().joined(separator: ",")))
          }
        }
      }
    ) { server in
      _ = pinnedCores(server)
      let reports = try get("/spread", from: server, timeout: 5)?.split(separator: ",").map {
        $0.split(separator: ":").map(String.init)
      }
      #expect(reports?.count == 9)
      let thread = reports?.first { $0.first == "thread" }
      // The inheritance is real: the loop's own thread started on one CPU...
      #expect(thread?[1] == "1", "\(reports ?? [])")
      // ...and every thread was free of it before it finished.
      #expect(
        reports?.allSatisfy { $0.last == String(cores) } == true,
        "label:CPUs at start:CPUs after 0.8 s = \(reports ?? [])")
    }
  }
}
