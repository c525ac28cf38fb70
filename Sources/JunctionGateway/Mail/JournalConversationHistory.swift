import JunctionChannels
import JunctionJournal
import JunctionModel

/// ``ConversationHistory`` over the journal: the conversation's event offsets from the state,
/// its events read back (outside the state lock) and folded into messages, as
/// `GET /v1/conversations/{id}` does.
struct JournalConversationHistory: ConversationHistory {
  let journal: any Journal
  let store: StateStore

  func messages(inConversation id: String) async -> [Message] {
    guard let sequences = store.read({ $0.conversations[id]?.eventSequences }),
      let events = try? ConversationView.readEvents(sequences, from: journal)
    else { return [] }
    return ConversationView.messages(from: events)
  }
}
