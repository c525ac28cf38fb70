import Foundation
import JunctionConfig
import JunctionHTTP
import JunctionModel
import JunctionTesting
import Testing

/// Against a real Kannel (Debian's bearerbox + smsbox, fakesmsc as the SMS centre): messages
/// from phones reach Junction intact in Latin and Cyrillic (7-bit and UCS-2), helpdesk replies
/// reach the phone intact, and delivery reports come back as `message.delivered`. Fails —
/// never skips — when Kannel is missing: run `scripts/peers/kannel.sh install`.
@Suite(.serialized) struct KannelGatewayTests {
  static let token = "k4nn3lT0ken"

  @Test func messagesRepliesAndDeliveryReportsThroughARealKannel() async throws {
    let ports = try Self.freePorts(5)
    let (gatewayPort, adminPort, boxPort, smscPort, sendsmsPort) =
      (ports[0], ports[1], ports[2], ports[3], ports[4])
    let kannel = try Peer(
      config: Self.config(
        gateway: gatewayPort, admin: adminPort, box: boxPort, smsc: smscPort, sendsms: sendsmsPort),
      ports: ["ADMIN_PORT": adminPort, "SENDSMS_PORT": sendsmsPort, "SMSC_PORT": smscPort])
    let channel = ChannelInstanceConfig(
      id: "sms-kannel", adapter: "kannel",
      settings: ChannelSettings([
        "sendsms_url": .string("http://127.0.0.1:\(sendsmsPort)/cgi-bin/sendsms"),
        "username": "junction", "password": "sendsms-secret", "from": "+15005550006",
        "public_url": .string("http://127.0.0.1:\(gatewayPort)/v1/inbound/sms-kannel"),
        "inbound_token": .string(Self.token), "rate_per_second": 50,
      ]))
    let harness = try GatewayHarness(channels: [channel]) { config in
      config.listenPort = gatewayPort
      config.publicURL = "http://127.0.0.1:\(gatewayPort)"
    }
    defer { harness.stop() }
    try kannel.start()
    defer { kannel.stop() }
    let client = harness.client()

    // Mobile-originated: Latin, Cyrillic as 7-bit text (UTF-8) and Cyrillic + emoji as UCS-2.
    let ucs2 = "Здравствуйте! Интернет не работает 😞"
    try await kannel.fromPhone("+79161234567 +15005550006 text Hello from Kannel")
    try await kannel.fromPhone("+79167654321 +15005550006 text Привет, это Кириллица")
    try await kannel.fromPhone("+79167654321 +15005550006 ucs2 " + Peer.urlEncodedUTF16(ucs2))
    let events = try await harness.awaitEvents(
      client, type: "message.received", count: 3, timeout: 30)
    let received = events.filter { $0["type"] == "message.received" }
    try #require(
      received.count == 3, "Kannel delivered \(received.count) of 3 messages\n\(kannel.logs())")
    let texts = received.compactMap { $0["data"]?["message"]?["text"]?.stringValue }
    #expect(Set(texts) == ["Hello from Kannel", "Привет, это Кириллица", ucs2])
    let byText = Dictionary(
      received.map { ($0["data"]?["message"]?["text"]?.stringValue ?? "", $0) },
      uniquingKeysWith: { first, _ in first })
    #expect(byText["Hello from Kannel"]?["data"]?["contact"]?["phone"] == "+79161234567")
    let latinConversation = try #require(
      byText["Hello from Kannel"]?["conversation_id"]?.stringValue)
    let cyrillicConversation = try #require(byText[ucs2]?["conversation_id"]?.stringValue)
    #expect(
      byText["Привет, это Кириллица"]?["conversation_id"]?.stringValue == cyrillicConversation)

    // Replies through the helpdesk API come out at the phone intact.
    let cyrillicReply = "Ответ: проверяем линию, ждите звонка 📞"
    var replyIds: [String] = []
    for (conversation, text) in [
      (latinConversation, "Thanks, we are on it"), (cyrillicConversation, cyrillicReply),
    ] {
      let reply = try harness.postAPI(
        client, "POST", "/v1/conversations/\(conversation)/messages", ["text": .string(text)])
      #expect(reply.status == 202)
      replyIds.append(reply.json["message_id"]?.stringValue ?? "")
    }
    let delivered = await kannel.waitForPhoneMessages(2)
    try #require(
      delivered.count == 2, "fakesmsc got \(delivered.count) of 2 replies\n\(kannel.logs())")
    #expect(
      delivered.contains(
        Peer.PhoneMessage(
          from: "+15005550006", to: "+79161234567", coding: "text", text: "Thanks, we are on it")))
    #expect(
      delivered.contains(
        Peer.PhoneMessage(
          from: "+15005550006", to: "+79167654321", coding: "ucs-2", text: cyrillicReply)))

    // Delivery reports (SMSC accepted, then delivered) come back through the dlr-url.
    let all = try await harness.awaitEvents(
      client, type: "message.delivered", count: 2, timeout: 30)
    let deliveredIds = all.filter { $0["type"] == "message.delivered" }.compactMap {
      $0["data"]?["message_id"]?.stringValue
    }
    #expect(Set(deliveredIds) == Set(replyIds), "\(kannel.logs())")
    // Kannel itself answered none of the customers' messages: only the two replies went out.
    try await Task.sleep(nanoseconds: 500_000_000)
    #expect(kannel.phoneMessages().count == 2)
  }

  /// A Kannel configuration on the given loopback ports, with the `sms-service` and
  /// `sendsms-user` groups of `adapters/kannel/README.md`.
  static func config(gateway: Int, admin: Int, box: Int, smsc: Int, sendsms: Int) -> String {
    let getURL =
      "http://127.0.0.1:\(gateway)/v1/inbound/sms-kannel?from=%p&to=%P&text=%b&coding=%c"
      + "&charset=%C&ts=%T&smsc=%i&id=%I&token=\(token)"
    return """
      group = core
      admin-port = \(admin)
      admin-password = kannel-admin
      admin-allow-ip = 127.0.0.1
      smsbox-port = \(box)
      box-allow-ip = 127.0.0.1
      log-file = "{DIR}/bearerbox.log"
      log-level = 1
      dlr-storage = internal

      group = smsc
      smsc = fake
      smsc-id = FAKE
      port = \(smsc)
      connect-allow-ip = 127.0.0.1

      group = smsbox
      bearerbox-host = 127.0.0.1
      sendsms-port = \(sendsms)
      log-file = "{DIR}/smsbox.log"
      log-level = 1
      http-request-retry = 3
      http-queue-delay = 1

      group = sendsms-user
      username = junction
      password = sendsms-secret
      max-messages = 10
      concatenation = true

      group = sms-service
      keyword = default
      catch-all = true
      max-messages = 0
      omit-empty = true
      concatenation = true
      get-url = "\(getURL)"

      """
  }

  /// `count` distinct free loopback ports.
  static func freePorts(_ count: Int) throws -> [Int] {
    let probes = try (0..<count).map { _ in try StandInServer() }
    let ports = probes.map(\.port)
    for probe in probes { probe.stop() }
    return ports
  }
}

extension KannelGatewayTests {
  /// Kannel's daemons and a fakesmsc, run by `scripts/peers/kannel.sh` in a directory of their
  /// own.
  final class Peer: @unchecked Sendable {
    /// A message fakesmsc received for a phone.
    struct PhoneMessage: Equatable {
      var from: String
      var to: String
      var coding: String
      var text: String
    }

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("scripts/peers/kannel.sh").path
    let directory: String
    private var sentCount = 0

    init(config: String, ports: [String: Int]) throws {
      directory = NSTemporaryDirectory() + "junction-kannel-" + UUID().uuidString
      try FileManager.default.createDirectory(
        atPath: directory, withIntermediateDirectories: true)
      try config.replacingOccurrences(of: "{DIR}", with: directory)
        .write(toFile: directory + "/kannel.conf", atomically: true, encoding: .utf8)
      try ports.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "\n")
        .write(toFile: directory + "/peer.env", atomically: true, encoding: .utf8)
    }

    /// Starts bearerbox, smsbox and fakesmsc; throws with the script's output when it cannot.
    func start() throws {
      let (status, output) = try run("start")
      guard status == 0 else {
        throw PeerError(
          message:
            "Kannel did not start (is it installed? run scripts/peers/kannel.sh install):\n\(output)"
        )
      }
    }

    func stop() {
      _ = try? run("stop")
      try? FileManager.default.removeItem(atPath: directory)
    }

    /// Runs the peer script; its output goes to a file (a pipe would stay open in the daemons
    /// it starts).
    private func run(_ command: String) throws -> (Int32, String) {
      let log = directory + "/script-\(command).out"
      _ = FileManager.default.createFile(atPath: log, contents: nil)
      guard let output = FileHandle(forWritingAtPath: log) else {
        throw PeerError(message: "cannot write \(log)")
      }
      defer { try? output.close() }
      let process = Process()
      process.executableURL = URL(fileURLWithPath: "/bin/bash")
      process.arguments = [Self.script, command, directory]
      process.standardInput = FileHandle.nullDevice
      process.standardOutput = output
      process.standardError = output
      try process.run()
      process.waitUntilExit()
      let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
      return (process.terminationStatus, text)
    }

    /// Sends a mobile-originated message: `sender receiver type data` in fakesmsc's format.
    /// Waits until fakesmsc has sent it: fakesmsc reads its input a chunk at a time and
    /// leaves the later lines of a chunk until more input comes, so lines go one by one.
    func fromPhone(_ line: String) async throws {
      guard let fifo = FileHandle(forWritingAtPath: directory + "/fakesmsc.in") else {
        throw PeerError(message: "fakesmsc's input FIFO is missing\n\(logs())")
      }
      fifo.write(Data((line + "\n").utf8))
      fifo.closeFile()
      sentCount += 1
      // Looks once more after the deadline: this task may have waited for a thread past it.
      let deadline = Date().addingTimeInterval(20)
      var lastLook = false
      while !lastLook {
        lastLook = Date() >= deadline
        let output =
          (try? String(contentsOfFile: directory + "/fakesmsc.out", encoding: .utf8)) ?? ""
        if output.contains("sent message \(sentCount)\n") { return }
        try await Task.sleep(nanoseconds: 50_000_000)
      }
      throw PeerError(message: "fakesmsc did not send message \(sentCount)\n\(logs())")
    }

    /// What fakesmsc received so far (`Got message N: <from to coding data>`).
    func phoneMessages() -> [PhoneMessage] {
      let text = (try? String(contentsOfFile: directory + "/fakesmsc.out", encoding: .utf8)) ?? ""
      return text.split(separator: "\n").compactMap { line in
        guard line.contains("Got message"), let open = line.firstIndex(of: "<"),
          let close = line.lastIndex(of: ">"), open < close
        else { return nil }
        let fields = line[line.index(after: open)..<close].split(
          separator: " ", maxSplits: 3, omittingEmptySubsequences: false)
        guard fields.count == 4 else { return nil }
        let data = String(fields[3])
        let decoded: String
        switch fields[2] {
        case "ucs-2":
          decoded = Self.utf16(Self.percentDecodedBytes(data))
        case "data": decoded = FormEncoding.percentDecode(data, plusAsSpace: true)
        default: decoded = data
        }
        return PhoneMessage(
          from: String(fields[0]), to: String(fields[1]), coding: String(fields[2]), text: decoded)
      }
    }

    func waitForPhoneMessages(_ count: Int, timeout: Double = 30) async -> [PhoneMessage] {
      let deadline = Date().addingTimeInterval(timeout)
      while Date() < deadline, phoneMessages().count < count {
        try? await Task.sleep(nanoseconds: 100_000_000)
      }
      return phoneMessages()
    }

    /// The ends of the daemons' logs, for failure messages.
    func logs() -> String {
      ["bearerbox.out", "smsbox.out", "fakesmsc.out"].map { name in
        let text = (try? String(contentsOfFile: directory + "/" + name, encoding: .utf8)) ?? ""
        return "--- \(name)\n" + text.split(separator: "\n").suffix(20).joined(separator: "\n")
      }.joined(separator: "\n")
    }

    /// Text as fakesmsc's `ucs2` type wants it: UTF-16BE bytes, URL-encoded.
    static func urlEncodedUTF16(_ text: String) -> String {
      text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        .map { byte -> String in
          let hex = String(byte, radix: 16, uppercase: true)
          return "%" + (hex.count == 1 ? "0" + hex : hex)
        }.joined()
    }

    static func percentDecodedBytes(_ text: String) -> [UInt8] {
      var out: [UInt8] = []
      var bytes = Array(text.utf8)[...]
      while let byte = bytes.popFirst() {
        if byte == UInt8(ascii: "%"), bytes.count >= 2,
          let value = UInt8(String(decoding: bytes.prefix(2), as: UTF8.self), radix: 16)
        {
          out.append(value)
          bytes = bytes.dropFirst(2)
        } else {
          out.append(byte == UInt8(ascii: "+") ? 0x20 : byte)
        }
      }
      return out
    }

    static func utf16(_ bytes: [UInt8]) -> String {
      let units = stride(from: 0, to: bytes.count - 1, by: 2).map {
        UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1])
      }
      return String(decoding: units, as: UTF16.self)
    }

    struct PeerError: Error, CustomStringConvertible {
      var message: String
      var description: String { message }
    }
  }
}
