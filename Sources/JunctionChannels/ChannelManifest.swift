import JunctionConfig

/// What kind of channel an adapter serves; routing and SLAs are configured per kind.
public enum ChannelKind: String, Sendable, CaseIterable {
  /// Messengers: Telegram, WhatsApp, Messenger, VK.
  case chat
  case sms
  case email
  /// Junction's own signed JSON channel.
  case api
}

/// What a channel can do; used by the outbox (limits, rate) and the router.
public struct ChannelCapabilities: Sendable, Equatable {
  /// Longest text one provider message may carry; longer replies are split on word boundaries.
  public var maxTextLength: Int
  /// Attachment kinds that can be sent (`image`, `document`, …); empty for text only.
  public var attachmentKinds: [String]
  public var maxAttachmentBytes: Int
  /// Seconds after the customer's last message during which free-form replies are allowed
  /// (WhatsApp, Messenger: 24 h); nil when unlimited.
  public var replyWindow: Double?
  /// Whether Junction may write first (proactive messages).
  public var canStartConversation: Bool
  public var deliveryReceipts: Bool
  public var readReceipts: Bool
  /// Sends per second for one channel instance (default of the instance's rate limit).
  public var ratePerSecond: Double
  /// Sends per second to one chat/recipient, when the provider limits that too.
  public var ratePerRecipientPerSecond: Double?

  public init(
    maxTextLength: Int, attachmentKinds: [String] = [], maxAttachmentBytes: Int = 0,
    replyWindow: Double? = nil, canStartConversation: Bool = true,
    deliveryReceipts: Bool = false, readReceipts: Bool = false, ratePerSecond: Double,
    ratePerRecipientPerSecond: Double? = nil
  ) {
    self.maxTextLength = maxTextLength
    self.attachmentKinds = attachmentKinds
    self.maxAttachmentBytes = maxAttachmentBytes
    self.replyWindow = replyWindow
    self.canStartConversation = canStartConversation
    self.deliveryReceipts = deliveryReceipts
    self.readReceipts = readReceipts
    self.ratePerSecond = ratePerSecond
    self.ratePerRecipientPerSecond = ratePerRecipientPerSecond
  }
}

/// An adapter's self-description: its name (the folder under `adapters/`), the settings a
/// channel instance of it takes in `channels.json`, and what the channel can do.
public struct ChannelManifest: Sendable {
  public var name: String
  public var summary: String
  public var kind: ChannelKind
  public var settings: [SettingSpec]
  public var capabilities: ChannelCapabilities

  public init(
    name: String, summary: String, kind: ChannelKind, settings: [SettingSpec],
    capabilities: ChannelCapabilities
  ) {
    self.name = name
    self.summary = summary
    self.kind = kind
    self.settings = settings
    self.capabilities = capabilities
  }
}
