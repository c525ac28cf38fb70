import Dispatch
import JunctionChannels
import JunctionCurl
import JunctionSystem
import Synchronization

/// The product's ``MailTransport``: SMTP through ``CurlSMTP`` (one sender per server, made on
/// first use and kept, so connections are reused) and IMAP through ``CurlIMAPSession``.
final class CurlMailTransport: MailTransport {
  private let metrics: MetricsRegistry?
  private let senders = Mutex<[MailServer: CurlSMTP]>([:])

  init(metrics: MetricsRegistry?) { self.metrics = metrics }

  func submit(_ message: [UInt8], from: String, recipients: [String], via server: MailServer)
    async -> MailSubmissionResult
  {
    let sender: CurlSMTP
    do {
      sender = try self.sender(for: server)
    } catch {
      return MailSubmissionResult(outcome: .temporaryFailure, replyText: error.description)
    }
    let result = await sender.send(from: from, recipients: recipients, message: message)
    let outcome: MailSubmissionResult.Outcome
    switch result.outcome {
    case .accepted: outcome = .accepted
    case .temporaryFailure: outcome = .temporaryFailure
    case .permanentFailure: outcome = .permanentFailure
    }
    return MailSubmissionResult(
      outcome: outcome, replyCode: result.replyCode, replyText: result.replyText)
  }

  func mailbox(on server: MailServer) -> any MailboxSession {
    CurlMailboxSession(
      session: CurlIMAPSession(
        configuration: CurlIMAPSession.Configuration(
          url: server.url,
          credentials: CurlCredentials(
            user: server.username ?? "", password: server.password ?? ""),
          tlsPolicy: Self.policy(server.startTLS), tls: Self.tls(server), timeout: server.timeout)))
  }

  private func sender(for server: MailServer) throws(CurlError) -> CurlSMTP {
    if let known = senders.withLock({ $0[server] }) { return known }
    let made = try CurlSMTP(
      configuration: CurlSMTP.Configuration(
        url: server.url, tlsPolicy: Self.policy(server.startTLS), tls: Self.tls(server),
        credentials: server.username.map {
          CurlCredentials(user: $0, password: server.password ?? "")
        }, timeout: server.timeout),
      metrics: metrics)
    var spare: CurlSMTP?
    let chosen = senders.withLock { senders -> CurlSMTP in
      if let raced = senders[server] {
        spare = made
        return raced
      }
      senders[server] = made
      return made
    }
    if let spare { Self.stop([spare]) }
    return chosen
  }

  /// Stops every sender (letting submissions in flight finish for a second).
  func shutdown() {
    Self.stop(
      senders.withLock { senders in
        defer { senders = [:] }
        return Array(senders.values)
      })
  }

  private static func stop(_ senders: [CurlSMTP]) {
    guard !senders.isEmpty else { return }
    let done = DispatchSemaphore(value: 0)
    DispatchTaskExecutor.shared.run {
      for sender in senders { await sender.shutdown(gracePeriod: 1) }
      done.signal()
    }
    done.wait()
  }

  static func policy(_ startTLS: MailServer.StartTLS) -> CurlTLSPolicy {
    switch startTLS {
    case .required: return .required
    case .opportunistic: return .opportunistic
    case .none: return .none
    }
  }

  static func tls(_ server: MailServer) -> CurlTLSOptions {
    CurlTLSOptions(verifyPeer: server.verifyPeer, caFile: server.caFile)
  }
}

/// A ``MailboxSession`` over ``CurlIMAPSession``, with libcurl's errors in mail terms.
struct CurlMailboxSession: MailboxSession {
  let session: CurlIMAPSession

  func select(_ mailbox: String) async throws(MailboxError) -> MailboxStatus {
    do {
      let status = try await session.select(mailbox)
      return MailboxStatus(
        uidValidity: status.uidValidity, uidNext: status.uidNext, exists: status.exists)
    } catch { throw Self.mapped(error) }
  }

  func searchUIDs(in mailbox: String, criteria: String) async throws(MailboxError) -> [UInt32] {
    do { return try await session.searchUIDs(in: mailbox, criteria: criteria) } catch {
      throw Self.mapped(error)
    }
  }

  func fetchMessage(uid: UInt32, in mailbox: String, maxBytes: Int) async throws(MailboxError)
    -> [UInt8]
  {
    do { return try await session.fetchMessage(uid: uid, in: mailbox, maxBytes: maxBytes) } catch {
      throw Self.mapped(error)
    }
  }

  func markSeen(uid: UInt32, in mailbox: String) async throws(MailboxError) {
    do { try await session.markSeen(uid: uid, in: mailbox) } catch { throw Self.mapped(error) }
  }

  func move(uid: UInt32, from mailbox: String, to destination: String) async throws(MailboxError) {
    do { try await session.move(uid: uid, from: mailbox, to: destination) } catch {
      throw Self.mapped(error)
    }
  }

  func createMailboxIfMissing(_ mailbox: String) async throws(MailboxError) {
    do { try await session.createMailboxIfMissing(mailbox) } catch { throw Self.mapped(error) }
  }

  func disconnect() async { await session.disconnect() }

  static func mapped(_ error: CurlError) -> MailboxError {
    switch error.kind {
    case .timeout, .connectionFailed, .connectionLost, .tls, .shutdown, .cancelled:
      return MailboxError(.connection, error.description)
    case .loginDenied: return MailboxError(.login, error.description)
    case .notFound: return MailboxError(.notFound, error.description)
    case .responseTooLarge: return MailboxError(.tooLarge, error.description)
    case .protocolError, .invalidRequest, .other: return MailboxError(.refused, error.description)
    }
  }
}
