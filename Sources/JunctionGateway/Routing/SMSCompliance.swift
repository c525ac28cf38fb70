import Dispatch
import JunctionChannels
import JunctionJournal
import JunctionModel
import JunctionSystem

/// Opt-out compliance on SMS channels (issue 7): an inbound message that is just STOP (or
/// another opt-out keyword of the channel) marks the contact opted out on that channel
/// (`contact.opted_out`) and gets one confirmation; START opts back in; HELP gets the help
/// text. A conversation the keyword itself opened is resolved at once, so no agent is asked
/// to answer "STOP". Confirmations are transactional (they pass the opt-out they confirm);
/// every later non-transactional send to the contact on that channel is refused by the send
/// policy.
final class SMSCompliance: @unchecked Sendable {
  let writer: StateWriter
  let adapters: [String: any ChannelAdapter]
  let logger: Logger
  private let smsChannels: [String: SMSSettings]
  private let queue = DispatchQueue(label: "junction.sms-compliance")

  init(writer: StateWriter, adapters: [String: any ChannelAdapter], logger: Logger) {
    self.writer = writer
    self.adapters = adapters
    self.logger = logger
    smsChannels = adapters.compactMapValues { ($0 as? any SMSChannel)?.sms }
  }

  /// The keyword action of an inbound message on an SMS channel, if any.
  static func action(_ message: Message, settings: SMSSettings) -> OptOutKeywords.Action? {
    settings.keywordAction(
      for: InboundMessage(
        providerMessageId: message.providerMessageId ?? message.id,
        sender: SenderProfile(externalId: message.contactId), text: message.text,
        details: message.details))
  }

  /// Whether `message` is a keyword this gateway handles (routing leaves those alone).
  func isKeyword(_ message: Message) -> Bool {
    guard let settings = smsChannels[message.channel] else { return false }
    return Self.action(message, settings: settings) != nil
  }

  /// Journal follow handler (quick): inbound messages on SMS channels are read and checked.
  func observe(_ records: [JournalRecord]) {
    guard !smsChannels.isEmpty else { return }
    var found: [(JournalRecord, Bool)] = []
    var created: Set<String> = []
    for record in records {
      guard let applied = record.context as? AppliedEvent else { continue }
      if case .conversationCreated(let conversation, _) = applied.change {
        created.insert(conversation.id)
      }
      guard case .messageRecorded(_, let message, _, _, _) = applied.change,
        message.direction == .inbound, smsChannels[message.channel] != nil
      else { continue }
      found.append((record, created.contains(message.conversationId)))
    }
    guard !found.isEmpty else { return }
    let items = found
    queue.async { [self] in
      for (record, opened) in items { handle(record, opened: opened) }
    }
  }

  private func handle(_ record: JournalRecord, opened: Bool) {
    guard let event = try? Event(storedBytes: record.payload, offset: record.sequence),
      let message = event.data["message"].flatMap({ try? Message(json: $0) }),
      let settings = smsChannels[message.channel],
      let action = Self.action(message, settings: settings)
    else { return }
    let adapters = adapters
    writer.write({ state, now in
      var plan = WritePlan<Void>(outcome: ())
      guard let conversation = state.conversations[message.conversationId],
        let contact = state.contacts[message.contactId]
      else { return .success(plan) }
      let optedOut = contact.optedOut.contains(message.channel)
      let stream = StreamKey.contact(contact.id)
      plan.require(stream, in: state)
      var confirm = true
      switch action {
      case .optOut where !optedOut:
        plan.events.append(
          PlannedEvent(
            EventType.contactOptedOut, at: now, conversationId: message.conversationId,
            streams: [stream],
            change: .contactChanged(contactId: contact.id, .optedOut(channel: message.channel)),
            json: [
              "contact_id": .string(contact.id), "channel": .string(message.channel),
              "source": "keyword", "message_id": .string(message.id),
            ]))
      case .optIn where optedOut:
        plan.events.append(
          PlannedEvent(
            EventType.contactOptedIn, at: now, conversationId: message.conversationId,
            streams: [stream],
            change: .contactChanged(contactId: contact.id, .optedIn(channel: message.channel)),
            json: [
              "contact_id": .string(contact.id), "channel": .string(message.channel),
              "source": "keyword", "message_id": .string(message.id),
            ]))
      case .help:
        break
      default:
        // Already opted out (or in): one confirmation was sent then; send none now.
        confirm = false
      }
      if confirm, let text = settings.reply(for: action) {
        _ = OutboundPlanner.queue(
          OutboundPlanner.Draft(
            text: text, author: "system", inReplyTo: message.id, transactional: true,
            token: "system"),
          conversationId: message.conversationId, record: conversation, adapters: adapters,
          state: state, now: now, into: &plan)
      }
      if opened, conversation.conversation.status == .open {
        let conversationStream = StreamKey.conversation(message.conversationId)
        plan.events.append(
          PlannedEvent(
            EventType.conversationResolved, at: now, conversationId: message.conversationId,
            streams: [conversationStream], change: .conversationChanged(.resolved),
            json: ["by": "system", "reason": .string("sms_keyword_\(action.rawValue)")]))
      }
      return .success(plan)
    }) { [logger] result in
      if case .failure(let failure) = result {
        logger.warning("Could not record an SMS keyword.", ["error": failure])
      }
    }
  }
}
